// `policy transition` as a library call: the context a new process or object gets from a source
// context, a target (type or context) and a class (computeCreate.ts), and for a process whether
// the exec is allowed (execChecks.ts); the report as text and as JSON.
import { fail } from '../../../../base/diagnostic.js';
import { rangeText } from '../../level.js';
import type { Context, Policy } from '../../model.js';
import { BoolValues } from '../boolValues.js';
import { contextInvalidReason } from '../decideContext.js';
import { type ComputedContext, computeCreate } from './computeCreate.js';
import { contextText, parseContextIn } from './contextText.js';
import { type ExecCheck, execChecks } from './execChecks.js';

export interface TransitionRequest {
  /** Context of the process: `user:role:type[:range]`. */
  source: string;
  /** The executable's (or parent object's) type, or its context; a type gets the source user, object_r and the source low level. */
  target: string;
  /** Class of the new object (default `process`). */
  class?: string;
  /** Object name, for filename type transitions. */
  name?: string;
  /** The exec context set explicitly (setexeccon): process setexec is checked and this context used. */
  setexec?: string;
  /** Boolean values by name for conditional rules; the others keep the policy's. */
  bools?: ReadonlyMap<string, boolean>;
  /** Where `target` came from when it is a file's label (file_contexts lookup): shown in the report. */
  targetFile?: TargetFile;
}

/** The executable a target context was looked up for, and the file_contexts spec that gave it. */
export interface TargetFile {
  path: string;
  /** The spec as written, and where. */
  spec: string;
  file: string;
  line: number;
}

export interface TransitionReport {
  source: Context;
  target: Context;
  className: string;
  name?: string;
  targetFile?: TargetFile;
  /** What security_compute_create gives, and how. */
  computed: ComputedContext;
  /** The context the new process runs in: the explicit one (setexec) or the computed one. */
  newContext: Context;
  explicit: boolean;
  /** Why the kernel would reject newContext; undefined when it is valid. */
  invalid: string | undefined;
  /** The exec's TE checks (process class only). */
  checks: ExecCheck[];
  /** Every check passes and the new context is valid. */
  allowed: boolean;
}

/** The transition a request asks about; names the policy lacks are `unknown-name` errors, bad contexts `bad-query` or `context-invalid`. */
export function computeTransition(policy: Policy, req: TransitionRequest): TransitionReport {
  const bools = BoolValues.of(policy, req.bools);
  const source = parseContextIn(policy, req.source);
  let target: Context;
  if (req.target.includes(':')) target = parseContextIn(policy, req.target);
  else {
    target = parseContextIn(policy, `${policy.users[source.user - 1]!.name}:object_r:${req.target}`);
    target.range = { low: source.range.low, high: source.range.low };
  }
  const className = req.class ?? 'process';
  const tclass = policy.index.classValues.get(className);
  if (tclass === undefined) fail('unknown-name', `unknown class ${className}`, { data: { kind: 'class', name: className } });
  const computed = computeCreate(policy, source, target, tclass, { ...(req.name !== undefined && { name: req.name }), bools });
  const explicit = req.setexec !== undefined ? parseContextIn(policy, req.setexec) : undefined;
  const newContext = explicit ?? computed.context;
  const checks = className === 'process' ? execChecks(policy, source, target.type, newContext, explicit !== undefined, bools) : [];
  const invalid = explicit ? contextInvalidReason(policy, explicit) : computed.invalid;
  return {
    source,
    target,
    className,
    ...(req.name !== undefined && { name: req.name }),
    ...(req.targetFile && { targetFile: req.targetFile }),
    computed,
    newContext,
    explicit: explicit !== undefined,
    invalid,
    checks,
    allowed: checks.every((c) => c.allowed) && invalid === undefined,
  };
}

const typeName = (policy: Policy, v: number): string => policy.types[v - 1]?.name ?? `type${v}`;

/** The report as `policy transition` prints it. */
export function formatTransition(policy: Policy, r: TransitionReport): string {
  const c = r.computed;
  const parts = c.context;
  let o = '';
  if (r.targetFile) o += `target file: ${r.targetFile.path}: ${contextText(policy, r.target)}  (${r.targetFile.file}:${r.targetFile.line}: ${r.targetFile.spec})\n`;
  o += `${r.explicit ? 'computed context' : 'new context'}: ${contextText(policy, c.context)}\n`;
  o += `  user:  ${policy.users[parts.user - 1]?.name}  (${c.user})\n`;
  o += `  role:  ${policy.roles[parts.role - 1]?.name}  (${c.role})\n`;
  o += `  type:  ${typeName(policy, parts.type)}  (${c.typeRule ?? c.type})\n`;
  if (policy.mls) o += `  range: ${rangeText(policy, parts.range)}  (${c.range})\n`;
  if (c.invalid) o += `  invalid: ${c.invalid}\n`;
  for (const rule of c.ignoredAttributeRules) o += `  note: the kernel does not match the attribute-keyed rule ${rule}\n`;
  if (r.explicit) o += `new context (setexec): ${contextText(policy, r.newContext)}\n`;
  if (r.checks.length) {
    o += `exec of ${typeName(policy, r.target.type)} by ${typeName(policy, r.source.type)}: ${r.allowed ? 'allowed' : 'denied'}\n`;
    for (const k of r.checks) o += `  ${k.allowed ? 'allowed' : 'missing'}  ${k.what}: ${k.allowed ? k.rules.join(' | ') : k.rules[0]}\n`;
  }
  return o;
}

/** The report as `policy transition --json` prints it (before JSON.stringify). */
export function transitionJson(policy: Policy, r: TransitionReport): Record<string, unknown> {
  const ctx = (x: Context): string => contextText(policy, x);
  const c = r.computed;
  return {
    source: ctx(r.source),
    target: ctx(r.target),
    ...(r.targetFile && { targetFile: r.targetFile }),
    class: r.className,
    ...(r.name !== undefined && { name: r.name }),
    computed: ctx(c.context),
    newContext: ctx(r.newContext),
    explicit: r.explicit,
    derivation: { user: c.user, role: c.role, type: c.type, ...(c.typeRule && { typeRule: c.typeRule }), ...(c.range && { range: c.range }) },
    valid: c.invalid === undefined,
    ...(c.invalid && { invalidReason: c.invalid }),
    ...(c.ignoredAttributeRules.length && { ignoredAttributeRules: c.ignoredAttributeRules }),
    checks: r.checks.map((k) => ({ check: k.what, source: typeName(policy, k.source), target: typeName(policy, k.target), allowed: k.allowed, rules: k.rules })),
    missing: r.checks.filter((k) => !k.allowed).map((k) => k.rules[0]),
    allowed: r.allowed,
  };
}
