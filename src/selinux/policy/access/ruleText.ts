// One avtab entry printed the way setools prints it (sedta --full, and the rules `policy
// transition` names): `allow S T:C { p1 p2 };`, `type_transition S T:C D;`, and for a
// conditional rule ` [ EXPR ]:True` / `:False`, the expression as sesearch prints it.
import { avtabKindName, isAvKind } from '../binary/avtab.js';
import { AVTAB } from '../binary/constants.js';
import type { Policy } from '../model.js';
import { formatCondExpr, formatPermSet } from '../query/search/searchFormat.js';
import type { RuleRef } from './teLookup.js';

/** The permission names of a bit set, sorted as setools prints them (undefined bits in hex). */
export function permNames(policy: Policy, tclass: number, bits: number): string[] {
  const perms = policy.classes[tclass - 1]?.allPerms ?? [];
  const out: string[] = [];
  for (let b = 0; b < 32; b++) if ((bits >>> b) & 1) out.push(perms[b] ?? `0x${((1 << b) >>> 0).toString(16)}`);
  return out.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/** Index of the CondNode holding conditional entry i, and which branch. */
export function condOfEntry(policy: Policy, i: number): { node: number; branch: boolean } | undefined {
  const k = policy.index.condOf[i];
  if (k === undefined) return undefined;
  return k >= 0 ? { node: k, branch: true } : { node: ~k, branch: false };
}

/** One avtab entry (AV or type rule) as setools prints it. */
export function ruleText(policy: Policy, ref: RuleRef): string {
  const tab = ref.cond ? policy.condAvtab : policy.avtab;
  const i = ref.index;
  const spec = tab.spec[i]!;
  const name = (v: number): string => policy.types[v - 1]?.name ?? `type${v}`;
  const cls = policy.classes[tab.cls[i]! - 1]?.name ?? `class${tab.cls[i]}`;
  let text = `${avtabKindName(spec)} ${name(tab.src[i]!)} ${name(tab.tgt[i]!)}:${cls} `;
  // dontaudit entries hold the permissions still audited.
  if (isAvKind(spec)) text += formatPermSet(permNames(policy, tab.cls[i]!, spec === AVTAB.AUDITDENY ? ~tab.data[i]! : tab.data[i]!)) + ';';
  else text += `${name(tab.data[i]!)};`;
  if (ref.cond) {
    const c = condOfEntry(policy, i);
    const node = c && policy.conds[c.node];
    if (c && node) text += ` [ ${formatCondExpr(node.expr, (b) => policy.bools[b - 1]?.name ?? `bool${b}`)} ]:${c.branch ? 'True' : 'False'}`;
  }
  return text;
}
