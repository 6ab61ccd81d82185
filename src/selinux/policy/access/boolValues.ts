// A set of boolean values and what it makes of the conditionals: the kernel's
// evaluate_cond_node over every CondNode (cond_evaluate_expr: 1 true, 0 false, -1 when the
// expression is malformed, which turns the rules of both lists off). A BoolValues never changes:
// other values are another BoolValues (with(), of()), so the policy's own values can be shared.
// Which avtab entries apply under the values is teLookup.ts's job.
import { fail } from '../../../base/diagnostic.js';
import type { CondExpr, Policy } from '../model.js';

/** cond_evaluate_expr over boolean values by value (index 0 unused, 1 on): 1, 0, or -1 when malformed. */
export function evalCondExpr(expr: readonly CondExpr[], bools: ArrayLike<number>): number {
  const st: number[] = [];
  for (const e of expr) {
    if (e.kind === 'bool') {
      st.push(bools[e.bool] ?? 0);
      continue;
    }
    if (e.kind === 'not') {
      if (st.length < 1) return -1;
      st[st.length - 1] = st[st.length - 1] ? 0 : 1;
      continue;
    }
    if (st.length < 2) return -1;
    const b = st.pop()!;
    const a = st.pop()!;
    switch (e.kind) {
      case 'or':
        st.push(a | b);
        break;
      case 'and':
        st.push(a & b);
        break;
      case 'xor':
        st.push(a ^ b);
        break;
      case 'eq':
        st.push(a === b ? 1 : 0);
        break;
      case 'neq':
        st.push(a !== b ? 1 : 0);
        break;
    }
  }
  return st.length === 1 ? st[0]! : -1;
}

/** By boolean value: the conditionals (CondNode indexes) whose expressions use it, built once per policy. */
function condsOfBool(policy: Policy): number[][] {
  const caches = policy.index.access;
  if (!caches.condsOfBool) {
    const by: number[][] = Array.from({ length: policy.bools.length + 1 }, () => []);
    policy.conds.forEach((c, k) => {
      for (const e of c.expr) if (e.kind === 'bool' && by[e.bool] && by[e.bool]!.at(-1) !== k) by[e.bool]!.push(k);
    });
    caches.condsOfBool = by;
  }
  return caches.condsOfBool;
}

export class BoolValues {
  /** with(value, !isOn(value)) by value, made on first use: audit2why's check flips the same booleans over and over. */
  private flipped?: (BoolValues | undefined)[];

  private constructor(
    readonly policy: Policy,
    /** By boolean value (index 0 unused): 1 on, 0 off. */
    private readonly bools: Uint8Array,
    /** By CondNode index: 1 true, 0 false, -1 malformed (the rules of both lists off). */
    readonly conds: Int8Array,
  ) {}

  private static make(policy: Policy, bools: Uint8Array): BoolValues {
    const conds = new Int8Array(policy.conds.length);
    for (let k = 0; k < conds.length; k++) conds[k] = evalCondExpr(policy.conds[k]!.expr, bools);
    return new BoolValues(policy, bools, conds);
  }

  /** The values in the policy file (shared: built once per policy). */
  static ofFile(policy: Policy): BoolValues {
    const caches = policy.index.access;
    if (!caches.fileBools) {
      const bools = new Uint8Array(policy.bools.length + 1);
      for (const b of policy.bools) if (b) bools[b.value] = b.state ? 1 : 0;
      caches.fileBools = BoolValues.make(policy, bools);
    }
    return caches.fileBools;
  }

  /** The file's values with some set by name; an unknown name is an `unknown-name` error. */
  static of(policy: Policy, overrides: ReadonlyMap<string, boolean> = new Map()): BoolValues {
    const file = BoolValues.ofFile(policy);
    if (overrides.size === 0) return file;
    const bools = file.bools.slice();
    for (const [name, on] of overrides) {
      const v = policy.index.boolValues.get(name);
      if (v === undefined) fail('unknown-name', `unknown boolean ${name}`, { data: { kind: 'boolean', name } });
      bools[v] = on ? 1 : 0;
    }
    return BoolValues.make(policy, bools);
  }

  /** Is boolean `value` on? */
  isOn(value: number): boolean {
    return this.bools[value] === 1;
  }

  /** These values with one boolean (by value) set; this one when it already has that value. */
  with(value: number, on: boolean): BoolValues {
    if (this.isOn(value) === on) return this;
    this.flipped ??= [];
    let other = this.flipped[value];
    if (other === undefined) {
      const bools = this.bools.slice();
      bools[value] = on ? 1 : 0;
      // Only the conditionals that use this boolean can change.
      const conds = this.conds.slice();
      for (const k of condsOfBool(this.policy)[value] ?? []) conds[k] = evalCondExpr(this.policy.conds[k]!.expr, bools);
      other = new BoolValues(this.policy, bools, conds);
      this.flipped[value] = other;
    }
    return other;
  }

  /** Is conditional avtab entry i on? `condOf` is policy.index.condOf (passed in: this runs per entry). */
  enabled(condOf: Int32Array, i: number): boolean {
    const k = condOf[i]!;
    return k >= 0 ? this.conds[k] === 1 : this.conds[~k] === 0;
  }
}
