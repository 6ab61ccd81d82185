// Lint rule `lint-raw-allow-interface`: a raw allow rule of a module whose
// access one interface of the include tree grants exactly (every tuple of the
// rule, nothing else, every argument given by the rule's names) is better
// written as that call: the interface says what the access is for and follows
// the policy when the type's module changes. A warning at the allow's span,
// naming the call; when several interfaces qualify, the first by name, the
// others in a note. Rules in `if` blocks are not looked at (a call there is a
// tunable_policy's business), nor rules with `*`, `~` or `-`.
// Not here: the index (accessIndex.ts), the matching (match.ts).
import { type Diagnostic, diagnostic } from '../../../base/diagnostic.js';
import type { AvRule, Module, Statement } from '../../ir/index.js';
import type { AccessIndex } from './accessIndex.js';
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

/** The interfaces that grant exactly what `rule` allows, sorted by name. */
export function exactInterfaces(index: AccessIndex, rule: AvRule): AccessAnswer[] {
  const tuples = grantTuples([{ sources: rule.sources as string[], targets: rule.targets as string[], classes: rule.classes, perms: rule.perms }]);
  const q: AccessQuery = { kind: 'rule', text: '', tuples };
  const out: AccessAnswer[] = [];
  for (const e of index.interfaces) {
    // Exactly one rule's worth: no other statements, and (a quick test before matching) the same permissions.
    if (e.other !== 0 || e.rules.length === 0 || !e.rules.every((r) => r.perms.every((p) => rule.perms.includes(p) || p.includes('porthole_arg')))) continue;
    const a = matchInterface(e, q);
    if (a !== undefined && a.excess === 0 && a.bound) out.push(a);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The rule's diagnostics for a lowered module: one per raw allow that one interface grants exactly. */
export function lintRawAllows(module: Module, index: AccessIndex): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const rule of rawAllows(module.statements)) {
    const exact = exactInterfaces(index, rule);
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
