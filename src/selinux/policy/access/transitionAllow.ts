// A minimal TE allow lookup for the transition checks: which permissions the
// avtab grants a (source type, target type, class), the way the kernel's
// context_struct_compute_av reads the TE rules: every (attribute-or-self of
// the source, attribute-or-self of the target) key, unconditional allow
// entries plus the conditional ones whose branch is enabled by the boolean
// values. Constraints, typebounds and permissive domains are not looked at.
import { AVTAB } from '../binary/constants.js';
import type { CondExpr, Policy } from '../model.js';

/** Boolean values by bool value - 1: the policy's, with overrides by name applied. */
export function boolStates(policy: Policy, overrides: ReadonlyMap<string, boolean> = new Map()): boolean[] {
  const out: boolean[] = [];
  policy.bools.forEach((b, i) => {
    if (b) out[i] = overrides.get(b.name) ?? b.state;
  });
  for (const name of overrides.keys()) {
    if (!policy.index.boolValues.has(name)) throw new Error(`unknown boolean ${name}`);
  }
  return out;
}

/** Value of a postfix conditional expression (the kernel's cond_evaluate_expr); undefined when malformed. */
export function evalCondExpr(expr: readonly CondExpr[], states: readonly boolean[]): boolean | undefined {
  const stack: boolean[] = [];
  for (const n of expr) {
    if (n.kind === 'bool') {
      const v = states[n.bool - 1];
      if (v === undefined) return undefined;
      stack.push(v);
      continue;
    }
    if (n.kind === 'not') {
      if (stack.length < 1) return undefined;
      stack.push(!stack.pop()!);
      continue;
    }
    if (stack.length < 2) return undefined;
    const b = stack.pop()!;
    const a = stack.pop()!;
    switch (n.kind) {
      case 'or':
        stack.push(a || b);
        break;
      case 'and':
        stack.push(a && b);
        break;
      case 'xor':
        stack.push(a !== b);
        break;
      case 'eq':
        stack.push(a === b);
        break;
      case 'neq':
        stack.push(a !== b);
        break;
    }
  }
  return stack.length === 1 ? stack[0] : undefined;
}

/** For each conditional avtab entry: 1 when its branch is enabled under `states`. */
export function enabledCondEntries(policy: Policy, states: readonly boolean[]): Uint8Array {
  const out = new Uint8Array(policy.condAvtab.count);
  for (const c of policy.conds) {
    const v = evalCondExpr(c.expr, states) ?? c.state;
    if (v) out.fill(1, c.trueStart, c.trueEnd);
    else out.fill(1, c.falseStart, c.falseEnd);
  }
  return out;
}

/** One avtab entry: `cond` says which table. */
export interface RuleRef {
  cond: boolean;
  index: number;
}

/** Allow lookups over one policy under one set of boolean values. */
export class TeAllow {
  private readonly enabled: Uint8Array;

  constructor(
    readonly policy: Policy,
    states: readonly boolean[] = boolStates(policy),
  ) {
    this.enabled = enabledCondEntries(policy, states);
  }

  /** Keys under which rules apply to type `t`: itself and its attributes (values). */
  private keysOf(t: number): number[] {
    const td = this.policy.types[t - 1];
    if (!td) return [t];
    return td.isAttribute ? [t] : [t, ...td.attrs];
  }

  /** The allow entries (enabled ones only) that apply to (source, target, class), in table order. */
  allowRules(source: number, target: number, tclass: number): RuleRef[] {
    const idx = this.policy.index;
    const out: RuleRef[] = [];
    const tkeys = this.keysOf(target);
    for (const s of this.keysOf(source)) {
      for (const t of tkeys) {
        for (let i = idx.avtab.first(s, t, tclass); i >= 0; i = idx.avtab.after(i)) {
          if (this.policy.avtab.spec[i] === AVTAB.ALLOWED) out.push({ cond: false, index: i });
        }
        for (let i = idx.condAvtab.first(s, t, tclass); i >= 0; i = idx.condAvtab.after(i)) {
          if (this.policy.condAvtab.spec[i] === AVTAB.ALLOWED && this.enabled[i]) out.push({ cond: true, index: i });
        }
      }
    }
    return out;
  }

  /** Permission bits granted to (source, target, class). */
  allowed(source: number, target: number, tclass: number): number {
    let bits = 0;
    for (const r of this.allowRules(source, target, tclass)) bits |= (r.cond ? this.policy.condAvtab : this.policy.avtab).data[r.index]!;
    return bits >>> 0;
  }

  /** Is `perm` (a permission name of the class) granted? undefined when the class has no such permission. */
  allows(source: number, target: number, tclass: number, perm: string): boolean | undefined {
    const bit = this.policy.classes[tclass - 1]?.allPerms.indexOf(perm) ?? -1;
    if (bit < 0) return undefined;
    return (this.allowed(source, target, tclass) & (1 << bit)) !== 0;
  }

  /** The entries that grant `perm`. */
  grantingRules(source: number, target: number, tclass: number, perm: string): RuleRef[] {
    const bit = this.policy.classes[tclass - 1]?.allPerms.indexOf(perm) ?? -1;
    if (bit < 0) return [];
    return this.allowRules(source, target, tclass).filter((r) => ((r.cond ? this.policy.condAvtab : this.policy.avtab).data[r.index]! & (1 << bit)) !== 0);
  }
}
