// What a module's .te declares, read from the source: its own declarations
// with their lines, plus the names the templates it calls declare (`$1_t`
// with the call's arguments put in, templates calling templates followed a
// few levels); and which of its types it makes executables or entry points
// (interfaces that give an argument exec_type or entry_type, found by
// following the definitions from `typeattribute $N exec_type` up).
import type { LintContext, LintSource } from './context.js';
import type { CallItem } from './source.js';
import { callWords, declarations, walk } from './statements.js';

const args = (c: CallItem): string[][] => c.args.map((a) => callWords({ kind: 'call', inRequire: false, name: '', line: 0, endLine: 0, args: [a] }));

const fill = (name: string, a: readonly string[][]): string => name.replace(/\$(\d+)/g, (_, n: string) => a[Number(n) - 1]?.[0] ?? '');

const templateMemo = new WeakMap<LintContext, Map<string, string[]>>();

/** The names a template declares, `$N` as written, with those of the templates it calls (their arguments put in; a few levels). */
function templateNames(ctx: LintContext, name: string, depth = 0): string[] {
  let memo = templateMemo.get(ctx);
  if (!memo) templateMemo.set(ctx, (memo = new Map()));
  const known = memo.get(name);
  if (known) return known;
  const def = ctx.definitions.get(name);
  const out: string[] = [];
  memo.set(name, out); // a template that calls itself stops here
  if (def?.kind !== 'template' || depth > 4) return out;
  for (const item of walk(def.body)) {
    if (item.inRequire) continue;
    if (item.kind === 'statement') for (const d of declarations(item, false)) if (d.kind !== 'class') out.push(d.name, ...d.aliases);
    if (item.kind === 'call' && ctx.definitions.get(item.name)?.kind === 'template') {
      const a = args(item);
      for (const n of templateNames(ctx, item.name, depth + 1)) out.push(fill(n, a));
    }
  }
  return out;
}

const moduleMemo = new WeakMap<LintSource, Map<string, number>>();

/** A module's declared names and the line of each (a template's names at its call). */
export function moduleDeclarations(ctx: LintContext, te: LintSource): Map<string, number> {
  const cached = moduleMemo.get(te);
  if (cached) return cached;
  const out = new Map<string, number>();
  for (const item of walk(te.items)) {
    if (item.inRequire) continue;
    if (item.kind === 'statement') for (const d of declarations(item, false)) if (d.kind !== 'class') for (const n of [d.name, ...d.aliases]) if (!out.has(n)) out.set(n, item.line);
    if (item.kind !== 'call' || ctx.definitions.get(item.name)?.kind !== 'template') continue;
    const a = args(item);
    for (const n of templateNames(ctx, item.name)) {
      const name = fill(n, a);
      if (!name.includes('$') && !out.has(name)) out.set(name, item.line);
    }
  }
  moduleMemo.set(te, out);
  return out;
}

const EXEC_ATTRIBUTES = new Set(['exec_type', 'entry_type']);

/** For each interface or template that makes an argument an executable or entry point, which arguments (1-based). */
export function execMakers(ctx: LintContext): Map<string, Set<number>> {
  const makers = new Map<string, Set<number>>();
  const add = (name: string, n: number): boolean => {
    const s = makers.get(name) ?? new Set<number>();
    if (s.has(n)) return false;
    s.add(n);
    makers.set(name, s);
    return true;
  };
  for (const [name, def] of ctx.definitions) {
    for (const item of walk(def.body)) {
      if (item.inRequire || item.kind !== 'statement') continue;
      const t = item.tokens;
      if (t[0] === 'typeattribute' && /^\$\d+$/.test(t[1] ?? '') && t.slice(2).some((w) => EXEC_ATTRIBUTES.has(w))) add(name, Number(t[1]!.slice(1)));
    }
  }
  // Callers of each definition, with the call: from the makers found, up to their callers, once.
  const callers = new Map<string, { def: string; call: CallItem }[]>();
  for (const [name, def] of ctx.definitions)
    for (const item of walk(def.body)) {
      if (item.kind !== 'call' || !ctx.definitions.has(item.name)) continue;
      const list = callers.get(item.name);
      if (list) list.push({ def: name, call: item });
      else callers.set(item.name, [{ def: name, call: item }]);
    }
  const queue = [...makers.keys()];
  while (queue.length > 0) {
    const callee = queue.pop()!;
    const at = makers.get(callee)!;
    for (const { def, call } of callers.get(callee) ?? []) {
      const a = args(call);
      let grew = false;
      for (const p of at) for (const w of a[p - 1] ?? []) if (/^\$\d+$/.test(w) && add(def, Number(w.slice(1)))) grew = true;
      if (grew) queue.push(def);
    }
  }
  return makers;
}

/** The module's types that its calls make executables or entry points, with the call's line. */
export function executableTypes(te: LintSource, makers: ReadonlyMap<string, ReadonlySet<number>>, declared: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of walk(te.items)) {
    if (item.kind !== 'call') continue;
    const at = makers.get(item.name);
    if (!at) continue;
    const a = args(item);
    for (const p of at) for (const w of a[p - 1] ?? []) if (declared.has(w) && !out.has(w)) out.set(w, item.line);
  }
  return out;
}

/** The types a module gives new files at run time: the new type of its type_transition rules, every name passed to a *filetrans* call. */
export function createdTypes(te: LintSource): Set<string> {
  const out = new Set<string>();
  for (const item of walk(te.items)) {
    if (item.kind === 'call' && item.name.includes('filetrans')) for (const w of callWords(item)) out.add(w);
    else if (item.kind === 'statement' && item.tokens[0] === 'type_transition') for (const w of item.tokens) out.add(w);
  }
  return out;
}

/** The line of a name's declaration in a module's .te (its own or a template call's). */
export function declarationLine(ctx: LintContext, te: LintSource, name: string): number | undefined {
  return moduleDeclarations(ctx, te).get(name);
}
