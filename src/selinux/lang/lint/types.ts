// What a module's .te declares, from the summaries (summary.ts): its own
// declarations with their lines, plus the names the templates it calls
// declare (`$1_t` with the call's arguments put in, templates calling
// templates followed a few levels); and which of its types it makes
// executables or entry points (interfaces that give an argument exec_type or
// entry_type, found by following the definitions from
// `typeattribute $N exec_type` up).
import type { LintContext } from './context.js';
import { addAll, type SourceSummary } from './summary.js';

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
  for (const e of def.entries) {
    if (e.kind === 'declared') addAll(out, e.names);
    else if (ctx.definitions.get(e.name)?.kind === 'template') for (const n of templateNames(ctx, e.name, depth + 1)) out.push(fill(n, e.args));
  }
  return out;
}

const moduleMemo = new WeakMap<SourceSummary, Map<string, number>>();

/** A module's declared names and the line of each (a template's names at its call). */
export function moduleDeclarations(ctx: LintContext, te: SourceSummary): Map<string, number> {
  const cached = moduleMemo.get(te);
  if (cached) return cached;
  const out = new Map<string, number>();
  for (const e of te.entries) {
    if (e.kind === 'declared') {
      for (const n of e.names) if (!out.has(n)) out.set(n, e.line);
      continue;
    }
    if (e.inRequire || ctx.definitions.get(e.name)?.kind !== 'template') continue;
    for (const n of templateNames(ctx, e.name)) {
      const name = fill(n, e.args);
      if (!name.includes('$') && !out.has(name)) out.set(name, e.line);
    }
  }
  moduleMemo.set(te, out);
  return out;
}

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
  for (const [name, def] of ctx.definitions) for (const n of def.makers) add(name, n);
  // Callers of each definition, with the call: from the makers found, up to their callers, once.
  const callers = new Map<string, { def: string; at: number[] }[]>();
  for (const [name, def] of ctx.definitions)
    for (const call of def.passing) {
      if (!ctx.definitions.has(call.name)) continue;
      const list = callers.get(call.name);
      if (list) list.push({ def: name, at: call.at });
      else callers.set(call.name, [{ def: name, at: call.at }]);
    }
  const queue = [...makers.keys()];
  while (queue.length > 0) {
    const callee = queue.pop()!;
    const at = makers.get(callee)!;
    for (const call of callers.get(callee) ?? []) {
      let grew = false;
      // at: pairs of an argument's index and the N of a `$N` word in it.
      for (const p of at) for (let i = 0; i < call.at.length; i += 2) if (call.at[i] === p - 1 && add(call.def, call.at[i + 1]!)) grew = true;
      if (grew) queue.push(call.def);
    }
  }
  return makers;
}

/** The module's types that its calls make executables or entry points, with the call's line. */
export function executableTypes(te: SourceSummary, makers: ReadonlyMap<string, ReadonlySet<number>>, declared: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of te.entries) {
    if (e.kind !== 'call') continue;
    const at = makers.get(e.name);
    if (!at) continue;
    for (const p of at) for (const w of e.args[p - 1] ?? []) if (declared.has(w) && !out.has(w)) out.set(w, e.line);
  }
  return out;
}

/** The line of a name's declaration in a module's .te (its own or a template call's). */
export function declarationLine(ctx: LintContext, te: SourceSummary, name: string): number | undefined {
  return moduleDeclarations(ctx, te).get(name);
}
