// Rules printed the way setools prints them (sedta --full, sesearch):
// `allow S T:C { p1 p2 };`, `type_transition S T:C D;`, and for a
// conditional rule ` [ EXPR ]:True` / `:False`.
import { avtabKindName, isAvKind } from '../binary/avtab.js';
import { AVTAB } from '../binary/constants.js';
import type { CondExpr, Policy } from '../model.js';
import type { RuleRef } from './transitionAllow.js';

const OP_TEXT: Record<Exclude<CondExpr['kind'], 'bool'>, string> = { not: '!', or: '||', and: '&&', xor: '^', eq: '==', neq: '!=' };
const OP_PRECEDENCE: Record<Exclude<CondExpr['kind'], 'bool'>, number> = { not: 5, and: 4, xor: 3, or: 2, eq: 1, neq: 1 };

type Sub = string | Sub[];

function flatten(s: Sub, out: string[]): void {
  if (typeof s === 'string') out.push(s);
  else for (const x of s) flatten(x, out);
}

/**
 * A postfix boolean expression in setools' infix form: binary operands are
 * printed top of stack first; a sub-expression is parenthesized unless the
 * previous operator (in postfix order) binds tighter than this one.
 */
export function condExprText(policy: Policy, expr: readonly CondExpr[]): string {
  const stack: Sub[] = [];
  let prev = OP_PRECEDENCE.not;
  for (const n of expr) {
    if (n.kind === 'bool') {
      stack.push(policy.bools[n.bool - 1]?.name ?? `bool${n.bool}`);
      continue;
    }
    const prec = OP_PRECEDENCE[n.kind];
    if (n.kind === 'not') {
      stack.push([OP_TEXT.not, stack.pop() ?? '?']);
    } else {
      const a = stack.pop() ?? '?';
      const b = stack.pop() ?? '?';
      stack.push(prev > prec ? [a, OP_TEXT[n.kind], b] : ['(', a, OP_TEXT[n.kind], b, ')']);
    }
    prev = prec;
  }
  const out: string[] = [];
  for (const s of stack) flatten(s, out);
  return out.join(' ');
}

/** The permission names of a bit set, sorted as setools prints them. */
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
  if (isAvKind(spec)) {
    // dontaudit entries hold the permissions still audited.
    const perms = permNames(policy, tab.cls[i]!, spec === AVTAB.AUDITDENY ? ~tab.data[i]! : tab.data[i]!);
    text += perms.length === 1 ? `${perms[0]};` : `{ ${perms.join(' ')} };`;
  } else text += `${name(tab.data[i]!)};`;
  if (ref.cond) {
    const c = condOfEntry(policy, i);
    const node = c && policy.conds[c.node];
    if (c && node) text += ` [ ${condExprText(policy, node.expr)} ]:${c.branch ? 'True' : 'False'}`;
  }
  return text;
}
