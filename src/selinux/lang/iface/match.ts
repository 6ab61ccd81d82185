// `iface for ACCESS`: the interfaces and templates of an access index that
// grant an access, least excess first.
//
// ACCESS is an allow rule (`allow $1 ping_exec_t:file execute`, sets in
// braces, `;` optional), read by the module language's parser, or a bare type
// name. `$N` in a rule stands for whatever the caller passes; any other name
// is literal.
//
// An interface grants a rule when some assignment of its arguments makes every
// asked (source, target, class, permission) one of its granted tuples: each
// placeholder argument (`porthole_arg1`, also inside names such as
// `porthole_arg1_t`) is bound to the part of the asked name it stands for,
// the same way everywhere. Names are compared as written: an interface that
// grants to an attribute the asked type belongs to is not found (the index
// has no policy to know membership).
//
// Excess = the granted tuples that are not asked (after binding; a tuple with
// an unbound argument counts too) + the statements that are not plain allow
// rules (declarations, typeattribute, type rules, dontaudit, `*`/`~` rules).
// Ranking: first the interfaces that grant the access by themselves, then
// those that grant it only when an asked name other than `$N` is passed to
// them (a generic pattern such as domain_entry_file($1, ping_exec_t), which
// also makes ping_exec_t an entry point: the module owning the type says how
// it is meant to be used); within each, least excess, then fewer granted
// tuples, interfaces before templates, then name. For a bare type name, an interface answers when one of its
// granted tuples names the type as source or target; its excess is its
// other tuples and statements.
// Not here: building the index (accessIndex.ts).
import { fail } from '../../../base/diagnostic.js';
import type { AvRule } from '../../ir/index.js';
import { lowerModule } from '../te/lower/lower.js';
import { parseModuleText } from '../te/parse.js';
import type { AccessIndex, InterfaceAccess } from './accessIndex.js';
import { type AccessTuple, type GrantRule, grantTuples } from './grants.js';

export type AccessQuery = { kind: 'rule'; text: string; tuples: AccessTuple[] } | { kind: 'type'; text: string; type: string };

export interface AccessAnswer {
  name: string;
  kind: 'interface' | 'template';
  file: string;
  line: number;
  /** The call to write: bound arguments as asked, the others as `<param>`. */
  call: string;
  /** Distinct tuples the call grants. */
  granted: number;
  /** Tuples granted beyond the asked ones, plus statements that are not plain allow rules. */
  excess: number;
  /** Of the excess, the statements that are not plain allow rules. */
  other: number;
  /** Whether each argument was bound by the asked access (all: the call is fully determined). */
  bound: boolean;
  /** Arguments bound to a name of the access other than `$N` (an asked type passed to a generic pattern). */
  passed: number;
}

const QUERY_VAR = /\$([0-9]+)/g;
const QUERY_NAME = /porthole_q([0-9]+)/g;
const TYPE_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** Reads ACCESS: a bare type name, or one allow rule (throws `iface-argument` otherwise). */
export function parseAccess(text: string): AccessQuery {
  const t = text.trim();
  if (TYPE_NAME.test(t) && t !== 'allow') return { kind: 'type', text: t, type: t };
  const src = t.replace(QUERY_VAR, 'porthole_q$1');
  const parsed = parseModuleText({ name: 'ACCESS', text: src.endsWith(';') ? src : `${src};` });
  const m = lowerModule(parsed.ast);
  const rule = m.statements[0];
  const bad = (why: string): never => fail('iface-argument', `ACCESS ${JSON.stringify(text)}: ${why}`, { notes: ["write an allow rule, e.g. 'allow $1 ping_exec_t:file execute', or a type name"] });
  if (parsed.diagnostics.some((d) => d.severity === 'error')) bad(parsed.diagnostics[0]?.message ?? 'not an allow rule');
  if (m.statements.length !== 1 || rule?.kind !== 'av' || rule.rule !== 'allow') bad('not one allow rule');
  const av = rule as AvRule;
  if (av.permsComplement === true || !Array.isArray(av.sources) || !Array.isArray(av.targets)) bad("'*', '~' and '-' are not taken: list the access asked");
  const g: GrantRule = { sources: av.sources as string[], targets: av.targets as string[], classes: av.classes, perms: av.perms };
  return { kind: 'rule', text: t, tuples: grantTuples([g]) };
}

/** Placeholder numbers bound to the names they stand for. */
export type Binding = ReadonlyMap<number, string>;

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Binds the placeholders in `pat` so that it reads `val` (null: it cannot). */
export function unifyName(pat: string, val: string, b: Binding): Binding | null {
  if (!pat.includes('porthole_arg')) return pat === val ? b : null;
  const whole = /^porthole_arg([0-9]+)$/.exec(pat);
  if (whole !== null) {
    const n = Number(whole[1]);
    const v = b.get(n);
    if (v !== undefined) return v === val ? b : null;
    return new Map(b).set(n, val);
  }
  const order: number[] = [];
  let re = '^';
  let last = 0;
  for (const m of pat.matchAll(/porthole_arg([0-9]+)/g)) {
    re += escapeRe(pat.slice(last, m.index));
    const n = Number(m[1]);
    const v = b.get(n);
    if (v !== undefined) re += escapeRe(v);
    else if (order.includes(n)) re += `\\${order.indexOf(n) + 1}`;
    else {
      order.push(n);
      re += '(.+?)';
    }
    last = (m.index as number) + m[0].length;
  }
  const hit = new RegExp(`${re}${escapeRe(pat.slice(last))}$`).exec(val);
  if (hit === null) return null;
  if (order.length === 0) return b;
  const out = new Map(b);
  order.forEach((n, k) => {
    out.set(n, hit[k + 1] as string);
  });
  return out;
}

function unifyTuple(g: AccessTuple, a: AccessTuple, b: Binding): Binding | null {
  let cur: Binding | null = b;
  for (let k = 0; k < 4 && cur !== null; k++) cur = unifyName(g[k] as string, a[k] as string, cur);
  return cur;
}

/** How many bindings one interface's search may try (a bound on pathological sets). */
const MAX_TRIES = 20000;

/** A binding under which `granted` holds every asked tuple, or undefined. */
function coveringBinding(granted: readonly AccessTuple[], asked: readonly AccessTuple[]): Binding | undefined {
  let tries = 0;
  const search = (i: number, b: Binding): Binding | undefined => {
    if (i === asked.length) return b;
    const a = asked[i] as AccessTuple;
    for (const g of granted) {
      if (++tries > MAX_TRIES) return undefined;
      // Cheap reject before unifying: class and permission are literal nearly always.
      if (g[3] !== a[3] && !g[3].includes('porthole_arg')) continue;
      if (g[2] !== a[2] && !g[2].includes('porthole_arg')) continue;
      const next = unifyTuple(g, a, b);
      if (next === null) continue;
      const done = search(i + 1, next);
      if (done !== undefined) return done;
    }
    return undefined;
  };
  return search(0, new Map());
}

const substitute = (name: string, b: Binding): string => name.replace(/porthole_arg([0-9]+)/g, (m, n: string) => b.get(Number(n)) ?? m);
const shown = (name: string): string => name.replace(QUERY_NAME, '$$$1');

/** The call to write: each bound argument as asked, the others as `<param>`. */
function callText(e: InterfaceAccess, b: Binding): string {
  const args = Array.from({ length: e.params }, (_, i) => {
    const v = b.get(i + 1);
    return v === undefined ? `<${e.paramNames[i] ?? `arg${i + 1}`}>` : shown(v);
  });
  return `${e.name}(${args.join(', ')})`;
}

function answer(e: InterfaceAccess, b: Binding, granted: number, excessTuples: number): AccessAnswer {
  const bound = Array.from({ length: e.params }, (_, i) => b.has(i + 1)).every(Boolean);
  const passed = [...b.values()].filter((v) => !/^porthole_q[0-9]+$/.test(v)).length;
  return { name: e.name, kind: e.kind, file: e.file, line: e.line, call: callText(e, b), granted, excess: excessTuples + e.other, other: e.other, bound, passed };
}

const tupleCache = new WeakMap<InterfaceAccess, AccessTuple[]>();

/** An entry's granted tuples (computed once per entry: queries and the lint ask many times). */
function tuplesOf(e: InterfaceAccess): AccessTuple[] {
  let t = tupleCache.get(e);
  if (t === undefined) {
    t = grantTuples(e.rules);
    tupleCache.set(e, t);
  }
  return t;
}

/** One interface's answer to a query, or undefined when it does not grant the access. */
export function matchInterface(e: InterfaceAccess, q: AccessQuery, tuples: readonly AccessTuple[] = tuplesOf(e)): AccessAnswer | undefined {
  if (q.kind === 'type') {
    const naming = tuples.filter((t) => t[0] === q.type || t[1] === q.type).length;
    return naming === 0 ? undefined : answer(e, new Map(), tuples.length, tuples.length - naming);
  }
  const b = coveringBinding(tuples, q.tuples);
  if (b === undefined) return undefined;
  const asked = new Set(q.tuples.map((t) => t.join(' ')));
  const granted = new Set(tuples.map((t) => t.map((n) => substitute(n, b)).join(' ')));
  let extra = 0;
  for (const t of granted) if (!asked.has(t)) extra++;
  return answer(e, b, granted.size, extra);
}

/** Ranking order: fewer asked names passed as arguments, excess, granted tuples, interfaces before templates, name. */
export function compareAnswers(a: AccessAnswer, b: AccessAnswer): number {
  return a.passed - b.passed || a.excess - b.excess || a.granted - b.granted || (a.kind === b.kind ? 0 : a.kind === 'interface' ? -1 : 1) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Whether an entry may answer: it grants every asked permission (or one by argument), or names the asked type; read from its rules without expanding them. */
function mayAnswer(e: InterfaceAccess, q: AccessQuery): boolean {
  if (q.kind === 'type') return e.rules.some((r) => r.sources.includes(q.type) || r.targets.includes(q.type));
  const perms = new Set<string>();
  for (const r of e.rules) for (const p of r.perms) perms.add(p);
  for (const p of perms) if (p.includes('porthole_arg')) return true;
  return q.tuples.every((t) => perms.has(t[3]));
}

/** Every interface of the index that grants the access, ranked (see the file comment). */
export function interfacesGranting(index: AccessIndex, q: AccessQuery): AccessAnswer[] {
  const out: AccessAnswer[] = [];
  for (const e of index.interfaces) {
    if (!mayAnswer(e, q)) continue;
    const a = matchInterface(e, q);
    if (a !== undefined) out.push(a);
  }
  return out.sort(compareAnswers);
}
