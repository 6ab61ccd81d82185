// What the items of a source (source.ts) say, as the lint rules need it: the
// parts of an access rule (its permission list as written), the names a
// statement or interface call uses (selint's get_names_in_node: sources,
// targets, a transition's new type, a declaration's attributes, every word of
// a call's arguments), declarations (in require blocks or not), interface and
// template definitions, and require blocks (`gen_require` or `require { }`).
import { type CallItem, type Item, isWordToken, type StatementItem } from './reader/source.js';
import type { LintAvRule, LintDeclaration } from './statementTypes.js';

export type { LintAvRule, LintDeclaration } from './statementTypes.js';

/** Macros whose arguments hold policy (or a condition), not the names a call passes. */
export const STRUCTURAL: ReadonlySet<string> = new Set([
  'interface',
  'template',
  'gen_require',
  'optional_policy',
  'ifdef',
  'ifndef',
  'ifelse',
  'tunable_policy',
  'refpolicywarn',
  'refpolicyerr',
  'define',
  'policy_module',
  'gen_tunable',
  'gen_bool',
  'if',
  'dnl',
]);

const AV = new Set(['allow', 'dontaudit', 'auditallow', 'neverallow', 'allowxperm', 'dontauditxperm', 'auditallowxperm', 'neverallowxperm']);
const TRANSITIONS = new Set(['type_transition', 'type_change', 'type_member', 'role_transition', 'range_transition']);
const DECLARATIONS = new Set(['type', 'attribute', 'attribute_role', 'role', 'bool', 'class', 'typealias', 'typeattribute', 'roleattribute', 'permissive']);

/** A set at `i`: one word, or `{ ... }`, with `~`/`-`/`*` kept as elements. */
function readSet(t: readonly string[], i: number, stopAtColon: boolean): [string[], number] {
  const out: string[] = [];
  while (i < t.length && (t[i]! === '~' || t[i]! === '-')) out.push(t[i++]!);
  if (t[i] === '{') {
    i++;
    while (i < t.length && t[i]! !== '}') {
      if (!(stopAtColon && t[i]! === ':')) out.push(t[i]!);
      i++;
    }
    return [out, i + 1];
  }
  if (i < t.length) out.push(t[i++]!);
  return [out, i];
}

/** A statement's memo with every field from the start: one shape (fields added as read would make several, and code optimized for one is thrown away when it meets another). */
const newMemo = (): NonNullable<StatementItem['memo']> => ({ av: undefined, declared: undefined, required: undefined });

/** An access rule's parts (`allow S T:C P;`), or undefined for any other statement (a role allow has no `:`). */
export function avRule(s: StatementItem): LintAvRule | undefined {
  if (!AV.has(s.tokens[0] ?? '')) return undefined;
  const memo = (s.memo ??= newMemo());
  if (memo.av === undefined) memo.av = readAvRule(s) ?? null;
  return memo.av ?? undefined;
}

function readAvRule(s: StatementItem): LintAvRule | undefined {
  const t = s.tokens;
  const keyword = t[0] ?? '';
  if (!AV.has(keyword) || !t.includes(':')) return undefined;
  const [sources, a] = readSet(t, 1, true);
  const [targets, b] = readSet(t, a, true);
  if (t[b] !== ':') return undefined;
  const [classes, c] = readSet(t, b + 1, false);
  const xperm = keyword.endsWith('xperm');
  const [perms] = readSet(t, xperm ? c + 1 : c, false);
  return { keyword, sources, targets, classes, perms, xperm };
}

const words = (t: readonly string[]): string[] => t.filter(isWordToken);

/** The declarations of a statement: in a require block each listed name is one (`type a, b;`); elsewhere the name with its attributes and aliases. */
export function declarations(s: StatementItem, inRequire: boolean): LintDeclaration[] {
  if (!DECLARED.has(s.tokens[0] ?? '')) return NONE;
  const memo = (s.memo ??= newMemo());
  if (inRequire) return (memo.required ??= readDeclarations(s, true));
  return (memo.declared ??= readDeclarations(s, false));
}

const DECLARED = new Set(['type', 'attribute', 'attribute_role', 'role', 'bool', 'class']);
const NONE: LintDeclaration[] = [];

function readDeclarations(s: StatementItem, inRequire: boolean): LintDeclaration[] {
  const t = s.tokens;
  const kind = t[0] ?? '';
  if (kind === 'role' && t.includes('types')) return [];
  if (kind === 'class') {
    const name = t[1] ?? '';
    return [{ kind, name, attrs: readSet(t, 2, false)[0], aliases: [], line: s.line }];
  }
  const rest = words(t.slice(1));
  if (inRequire) return rest.map((name) => ({ kind, name, attrs: [], aliases: [], line: s.line }));
  const aliasAt = t.indexOf('alias');
  const aliases = aliasAt < 0 ? [] : readSet(t, aliasAt + 1, false)[0];
  const attrs = rest.slice(1).filter((w) => w !== 'alias' && !aliases.includes(w));
  return [{ kind, name: rest[0] ?? '', attrs, aliases, line: s.line }];
}

/** Every word of a call's arguments (nested calls included). */
export function callWords(c: CallItem, out: string[] = []): string[] {
  for (let k = 0; k < c.args.length; k++) addListWords(c.args[k]!, out);
  return out;
}

/** The words of each argument of a call (nested calls included), in lists of their size (summaries keep them). */
export const argWords = (c: CallItem): string[][] =>
  c.args.map((a) => {
    const out: string[] = [];
    addListWords(a, out);
    return out.slice();
  });

/** Every word of a list of items (nested calls included), onto `out`. */
export function addListWords(items: readonly Item[], out: string[]): void {
  // Indexed loops here and in the walks below: these run first in the interpreter, where for-of
  // makes an iterator and a result object per element (≈ 8 % of what a check allocated).
  for (let k = 0; k < items.length; k++) {
    const it = items[k]!;
    if (it.kind === 'statement') {
      const t = it.tokens;
      for (let i = 0; i < t.length; i++) if (isWordToken(t[i]!)) out.push(t[i]!);
      for (let i = 0; i < it.calls.length; i++) callWords(it.calls[i]!, out);
    } else if (it.kind === 'call') callWords(it, out);
    else addListWords(it.items, out);
  }
}

/** callWords into a set (no list made: the require rules ask this of every call after a require block). */
export function addCallWords(c: CallItem, out: Set<string>): void {
  for (let k = 0; k < c.args.length; k++) addWords(c.args[k]!, out);
}

function addWords(items: readonly Item[], out: Set<string>): void {
  for (let k = 0; k < items.length; k++) {
    const it = items[k]!;
    if (it.kind === 'statement') {
      const t = it.tokens;
      for (let i = 0; i < t.length; i++) if (isWordToken(t[i]!)) out.add(t[i]!);
      for (let i = 0; i < it.calls.length; i++) addCallWords(it.calls[i]!, out);
    } else if (it.kind === 'call') addCallWords(it, out);
    else addWords(it.items, out);
  }
}

/** The names an item uses, as selint counts them (get_names_in_node); a structural macro or a block uses none itself. Made afresh each time: kept for the whole tree they cost more to collect than to remake. */
export function namesOf(it: Item, inRequire = false): string[] {
  if (it.kind === 'call') return STRUCTURAL.has(it.name) ? NO_NAMES : callWords(it);
  if (it.kind === 'block') return NO_NAMES;
  return statementNames(it, inRequire);
}

const NO_NAMES: string[] = [];

function statementNames(it: StatementItem, inRequire: boolean): string[] {
  const t = it.tokens;
  const keyword = t[0] ?? '';
  const out: string[] = [];
  const av = avRule(it);
  if (av) {
    addNames(av.sources, out);
    addNames(av.targets, out);
  } else if (TRANSITIONS.has(keyword)) {
    const [sources, a] = readSet(t, 1, true);
    const [targets, b] = readSet(t, a, true);
    addNames(sources, out);
    addNames(targets, out);
    let i = b;
    if (t[i] === ':') i = readSet(t, i + 1, false)[1];
    if (t[i] !== undefined && isWordToken(t[i]!)) out.push(t[i]!);
  } else if (keyword === 'allow') addStatementWords(t, out);
  else if (DECLARATIONS.has(keyword)) {
    const ds = declarations(it, inRequire);
    for (let k = 0; k < ds.length; k++) {
      const d = ds[k]!;
      if (isName(d.name)) out.push(d.name);
      if (d.kind !== 'class') addNames(d.attrs, out);
    }
    if (ds.length === 0)
      for (let i = 1; i < t.length; i++) {
        const w = t[i]!;
        if (isWordToken(w) && w !== 'types' && w !== 'alias') out.push(w);
      }
  }
  // A call's names are the words of its arguments: never punctuation.
  for (let k = 0; k < it.calls.length; k++) {
    const names = namesOf(it.calls[k]!);
    for (let i = 0; i < names.length; i++) out.push(names[i]!);
  }
  return out;
}

/** Not set punctuation (`~`, `-`, `*`, braces): selint counts those as no name. */
const isName = (w: string): boolean => w !== '~' && w !== '-' && w !== '*' && w !== '{' && w !== '}';

function addNames(list: readonly string[], out: string[]): void {
  for (let i = 0; i < list.length; i++) if (isName(list[i]!)) out.push(list[i]!);
}

/** The words of a statement after its keyword. */
function addStatementWords(t: readonly string[], out: string[]): void {
  for (let i = 1; i < t.length; i++) if (isWordToken(t[i]!)) out.push(t[i]!);
}

export interface Definition {
  kind: 'interface' | 'template';
  name: string;
  line: number;
  body: Item[];
}

/** The interface and template definitions of a source's items (at any depth, as under ifdef). */
export function definitions(items: readonly Item[]): Definition[] {
  const out: Definition[] = [];
  const visit = (list: readonly Item[]): void => {
    for (let k = 0; k < list.length; k++) {
      const it = list[k]!;
      if (it.kind === 'call' && (it.name === 'interface' || it.name === 'template')) {
        const name = it.args[0]?.[0];
        out.push({ kind: it.name, name: name?.kind === 'statement' ? (name.tokens[0] ?? '') : '', line: it.line, body: it.args[1] ?? [] });
      } else if (it.kind === 'call') for (let i = 0; i < it.args.length; i++) visit(it.args[i]!);
      else if (it.kind === 'block') visit(it.items);
    }
  };
  visit(items);
  return out;
}

/** Whether an item is a require block (`gen_require(...)` or `require { }`), and its statements. */
export function requireBody(it: Item): Item[] | undefined {
  if (it.kind === 'call' && it.name === 'gen_require') return it.args[0] ?? [];
  if (it.kind === 'block' && it.keyword === 'require') return it.items;
  return undefined;
}

/** The children of an item: a call's arguments, a block's items, the calls inside a statement. */
export function childLists(it: Item): Item[][] {
  if (it.kind === 'call') return it.args;
  if (it.kind === 'block') return [it.items];
  return it.calls.length > 0 ? [it.calls] : [];
}

/**
 * Every item under a list, depth first (each knows whether it stands in a require block). Made
 * afresh each time: kept per list (a WeakMap) it cost the rules more, in the collector, than the
 * walks it saved.
 */
export function walk(items: readonly Item[]): readonly Item[] {
  const out: Item[] = [];
  const visit = (list: readonly Item[]): void => {
    for (let k = 0; k < list.length; k++) {
      const it = list[k]!;
      out.push(it);
      if (it.kind === 'call') for (let i = 0; i < it.args.length; i++) visit(it.args[i]!);
      else if (it.kind === 'block') visit(it.items);
      else if (it.calls.length > 0) visit(it.calls);
    }
  };
  visit(items);
  return out;
}
