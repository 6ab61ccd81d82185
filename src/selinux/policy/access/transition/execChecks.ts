// What an execve needs of the TE rules (selinux_bprm_creds_for_exec): the permissions the kernel
// checks between the old domain, the new one and the executable's type, each granted or not at
// the given boolean values, with the allow rules that grant it (teLookup.ts) or, when missing,
// the rule that would.
import { fail } from '../../../../base/diagnostic.js';
import { sameLevel } from '../../level.js';
import type { Context, Policy } from '../../model.js';
import { BoolValues } from '../boolValues.js';
import { ruleText } from '../ruleText.js';
import { TeLookup } from '../teLookup.js';

export interface ExecCheck {
  /** e.g. `process transition`. */
  what: string;
  source: number;
  target: number;
  tclass: number;
  perm: string;
  allowed: boolean;
  /** The allow rules granting it (setools text), or the rule that would. */
  rules: string[];
}

function ctxEq(a: Context, b: Context): boolean {
  return a.user === b.user && a.role === b.role && a.type === b.type && sameLevel(a.range.low, b.range.low) && sameLevel(a.range.high, b.range.high);
}

/**
 * The TE checks of an execve of a file of type `execType` by `source` into `newContext`
 * (selinux_bprm_creds_for_exec): with a new context, process transition (source -> new),
 * file entrypoint (new -> exec type) and file execute (source -> exec type), plus process
 * setexec (source -> source) when the new context was set explicitly (setexeccon); without a
 * change, file execute and execute_no_trans.
 */
export function execChecks(policy: Policy, source: Context, execType: number, newContext: Context, explicit: boolean, bools: BoolValues = BoolValues.ofFile(policy)): ExecCheck[] {
  const te = TeLookup.of(policy);
  const proc = policy.index.classValues.get('process');
  const file = policy.index.classValues.get('file');
  if (proc === undefined || file === undefined) fail('unknown-name', 'the policy has no process or file class', { data: { kind: 'class', name: proc === undefined ? 'process' : 'file' } });
  const want: [number, number, number, string][] = [];
  if (explicit) want.push([source.type, source.type, proc, 'setexec']);
  if (ctxEq(source, newContext)) want.push([source.type, execType, file, 'execute'], [source.type, execType, file, 'execute_no_trans']);
  else want.push([source.type, newContext.type, proc, 'transition'], [newContext.type, execType, file, 'entrypoint'], [source.type, execType, file, 'execute']);
  const tn = (v: number): string => policy.types[v - 1]?.name ?? `type${v}`;
  return want.map(([s, t, c, perm]) => {
    const bit = policy.classes[c - 1]!.allPerms.indexOf(perm);
    const rules = bit < 0 ? [] : te.entries(s, t, c, bools, undefined, 1 << bit);
    const cname = policy.classes[c - 1]!.name;
    return {
      what: `${cname} ${perm}`,
      source: s,
      target: t,
      tclass: c,
      perm,
      allowed: rules.length > 0,
      rules: rules.length ? rules.map((r) => ruleText(policy, r)) : [`allow ${tn(s)} ${tn(t)}:${cname} ${perm};`],
    };
  });
}
