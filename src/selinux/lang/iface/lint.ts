// Lint rule `lint-raw-allow-interface`: a raw allow rule of a module whose
// access one interface of the include tree grants exactly (every tuple of the
// rule, nothing else, every argument given by the rule's names) is better
// written as that call: the interface says what the access is for and follows
// the policy when the type's module changes. A warning at the allow's span,
// naming the call; when several interfaces qualify, the first by name, the
// others in a note. Rules in `if` blocks are not looked at (a call there is a
// tunable_policy's business), nor rules with `*`, `~` or `-`. Interfaces
// of the module's own .if (LAYER/NAME.if for module NAME) are not suggested:
// refpolicy's style writes a module's access to its own types as rules, and
// its interfaces are for the other modules (on the reference policy's 408
// modules, all 88 findings without this were such; none are left).
// In a module m4 expanded, only the rules the user wrote count, not those an
// interface or template call produced (they are what the call grants):
// `writtenRuleSpans` finds them from the parsed module's m4 origins, and the
// lint looks at the rules whose span is one of those.
// Not here: the index (accessIndex.ts), the matching (match.ts).
import { type Diagnostic, diagnostic } from '../../../base/diagnostic.js';
import type { Span } from '../../../base/span.js';
import type { AvRule, Module, Statement } from '../../ir/index.js';
import type * as te from '../te/ast.js';
import type { SourceMap } from '../te/source.js';
import type { AccessIndex, InterfaceAccess } from './accessIndex.js';
import { grantTuples } from './grants.js';
import { type AccessAnswer, type AccessQuery, matchInterface } from './match.js';

export const RAW_ALLOW_CODE = 'lint-raw-allow-interface';

/** The plain allow rules of a module, at the top level and in optional blocks (and their else). */
function rawAllows(statements: readonly Statement[], out: AvRule[] = []): AvRule[] {
  for (const st of statements) {
    if (st.kind === 'optional') {
      rawAllows(st.statements, out);
      rawAllows(st.else ?? [], out);
    } else if (st.kind === 'av' && st.rule === 'allow' && st.permsComplement !== true && Array.isArray(st.sources) && Array.isArray(st.targets)) out.push(st);
  }
  return out;
}

/** The spans of the av rules of a parsed module that no interface or template call produced (all of them when the text came without m4 origins). */
export function writtenRuleSpans(ast: te.ModuleAst, map: SourceMap, callables: ReadonlySet<string>): Set<Span> {
  const out = new Set<Span>();
  const written = (node: te.NodeBase): boolean => {
    for (let e = map.origin(node.start)?.expansion; e !== undefined; e = e.parent) if (callables.has(e.macro)) return false;
    return true;
  };
  const visit = (list: readonly te.Statement[]): void => {
    for (const st of list) {
      if (st.kind === 'avrule' && written(st)) out.add(st.span);
      else if (st.kind === 'if') visit([...st.then.statements, ...(st.else?.statements ?? [])]);
      else if (st.kind === 'optional') visit([...st.body.statements, ...(st.else?.statements ?? [])]);
    }
  };
  visit(ast.statements);
  return out;
}

/** The classes and permissions of a rule (or an entry's rules), as a key: an exact match has the same. */
const shapeKey = (classes: Iterable<string>, perms: Iterable<string>): string => `${[...new Set(classes)].sort().join(' ')}:${[...new Set(perms)].sort().join(' ')}`;

interface ExactCandidates {
  byShape: Map<string, InterfaceAccess[]>;
  /** Entries with a class or permission taken as an argument: tried for every rule. */
  wild: InterfaceAccess[];
}

const candidates = new WeakMap<AccessIndex, ExactCandidates>();

/** The entries that may grant exactly one rule (plain allow rules only), by classes and permissions; made once per index. */
function exactCandidates(index: AccessIndex): ExactCandidates {
  let c = candidates.get(index);
  if (c !== undefined) return c;
  c = { byShape: new Map(), wild: [] };
  for (const e of index.interfaces) {
    if (e.other !== 0 || e.rules.length === 0) continue;
    const classes = e.rules.flatMap((r) => r.classes);
    const perms = e.rules.flatMap((r) => r.perms);
    if ([...classes, ...perms].some((n) => n.includes('porthole_arg'))) c.wild.push(e);
    else {
      const key = shapeKey(classes, perms);
      const list = c.byShape.get(key) ?? [];
      list.push(e);
      c.byShape.set(key, list);
    }
  }
  candidates.set(index, c);
  return c;
}

/** The interfaces that grant exactly what `rule` allows, sorted by name. */
export function exactInterfaces(index: AccessIndex, rule: AvRule): AccessAnswer[] {
  const tuples = grantTuples([{ sources: rule.sources as string[], targets: rule.targets as string[], classes: rule.classes, perms: rule.perms }]);
  const q: AccessQuery = { kind: 'rule', text: '', tuples };
  const out: AccessAnswer[] = [];
  const c = exactCandidates(index);
  for (const e of [...(c.byShape.get(shapeKey(rule.classes, rule.perms)) ?? []), ...c.wild]) {
    const a = matchInterface(e, q);
    if (a !== undefined && a.excess === 0 && a.bound) out.push(a);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The module an interface file belongs to: NAME of LAYER/NAME.if. */
const ownModule = (file: string): string => file.replace(/^.*\//, '').replace(/\.if$/, '');

export interface RawAllowOptions {
  /** The spans of the rules the user wrote (writtenRuleSpans); absent: every rule counts (a module without m4). */
  written?: ReadonlySet<Span> | undefined;
}

/** The rule's diagnostics for a lowered module: one per raw allow that one interface grants exactly. */
export function lintRawAllows(module: Module, index: AccessIndex, opts: RawAllowOptions = {}): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const rule of rawAllows(module.statements)) {
    if (opts.written !== undefined && (rule.span === undefined || !opts.written.has(rule.span))) continue;
    const exact = exactInterfaces(index, rule).filter((a) => ownModule(a.file) !== module.name);
    const first = exact[0];
    if (first === undefined) continue;
    const others = exact.slice(1).map((a) => a.call);
    found.push(
      diagnostic('warning', RAW_ALLOW_CODE, `this allow rule grants exactly what ${first.call} grants: write the call`, {
        span: rule.span,
        notes: [`${first.name} is defined at ${first.file}:${first.line}`, ...(others.length > 0 ? [`so do ${others.join(', ')}`] : [])],
        data: { interface: first.name, call: first.call },
      }),
    );
  }
  return found;
}
