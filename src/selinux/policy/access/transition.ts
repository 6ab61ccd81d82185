// The context of a new process or object, as the kernel's security_compute_sid
// (security/selinux/ss/services.c, what security_compute_create asks) derives
// it from a binary policy, and whether an exec into it is allowed.
//
// compute_sid(scontext, tcontext, tclass, AVTAB_TRANSITION, objname):
//  user:  default_user target ? target user : source user
//  role:  default_role source/target ? that role
//         : process class or a socket class ? source role : object_r
//  type:  default_type source/target ? that type
//         : process or socket class ? source type : target type;
//         then a type_transition with the exact key (source type, target type, class) in the
//         unconditional avtab, else the first enabled one in the conditional avtab (the kernel
//         does no attribute lookup here: libsepol expands type rules to types when it writes the
//         policy); then, with an object name, a filename transition (exact name, ttype, class,
//         source type in its stypes) overrides it
//  role:  role_transition (source role, target type, class) -> new role
//  range: (MLS only) range_transition (source type, target type, class) -> its range;
//         else default_range of the class; else process/socket class ? source range : source low
//  then the context must be valid (role authorized for type and user for role unless
//  object_r; range inside the user's range unless object_r; levels valid).
import { AVTAB, DEFAULT_SOURCE, DEFAULT_TARGET } from '../binary/constants.js';
import { sortedHas } from '../binary/ebitmap.js';
import { levelDominates, mlsNames, sameLevel } from '../level.js';
import type { Context, FilenameTransition, Level, Policy, Range } from '../model.js';
import { ruleText } from './dtaText.js';
import { boolStates, enabledCondEntries, type RuleRef, TeAllow } from './transitionAllow.js';

export class TransitionError extends Error {}

// ---------------------------------------------------------------- contexts

function findIn(map: Map<string, number>, name: string, what: string): number {
  const v = map.get(name);
  if (v === undefined) throw new TransitionError(`unknown ${what} ${name}`);
  return v;
}

/** Parses `s0`, `s0:c0,c3.c5` into a level. */
export function parseLevel(policy: Policy, text: string): Level {
  const { sens, cats } = mlsNames(policy);
  const [s, c] = text.split(':', 2) as [string, string | undefined];
  const level: Level = { sens: findIn(sens, s, 'sensitivity'), cats: [] };
  if (c !== undefined) {
    const set = new Set<number>();
    for (const part of c.split(',')) {
      const [a, b] = part.split('.', 2) as [string, string | undefined];
      const lo = findIn(cats, a, 'category');
      const hi = b === undefined ? lo : findIn(cats, b, 'category');
      if (hi < lo) throw new TransitionError(`bad category range ${part}`);
      for (let v = lo; v <= hi; v++) set.add(v);
    }
    level.cats = [...set].sort((x, y) => x - y);
  }
  return level;
}

export function parseRange(policy: Policy, text: string): Range {
  const dash = text.indexOf('-');
  const low = parseLevel(policy, dash < 0 ? text : text.slice(0, dash));
  const high = dash < 0 ? low : parseLevel(policy, text.slice(dash + 1));
  return { low, high: { sens: high.sens, cats: high.cats.slice() } };
}

/** user:role:type[:range] into values; the range defaults to the lowest sensitivity in an MLS policy. */
export function parseContextIn(policy: Policy, text: string): Context {
  const parts = text.split(':');
  if (parts.length < 3 || parts.slice(0, 3).some((p) => p === '')) throw new TransitionError(`bad context ${text} (want user:role:type[:range])`);
  const idx = policy.index;
  const type = findIn(idx.typeValues, parts[2]!, 'type');
  if (policy.types[type - 1]?.isAttribute) throw new TransitionError(`${parts[2]} is an attribute, not a type`);
  const ctx: Context = {
    user: findIn(idx.userValues, parts[0]!, 'user'),
    role: findIn(idx.roleValues, parts[1]!, 'role'),
    type,
    range: { low: { sens: 0, cats: [] }, high: { sens: 0, cats: [] } },
  };
  if (parts.length > 3) {
    if (!policy.mls) throw new TransitionError(`${text}: the policy is not MLS`);
    ctx.range = parseRange(policy, parts.slice(3).join(':'));
  } else if (policy.mls) ctx.range = { low: { sens: 1, cats: [] }, high: { sens: 1, cats: [] } };
  return ctx;
}

function levelText(policy: Policy, l: Level): string {
  let o = policy.sensitivities[l.sens - 1]?.name ?? `s?${l.sens}`;
  const cat = (v: number): string => policy.categories[v - 1]?.name ?? `c?${v}`;
  const c = l.cats;
  let sep = ':';
  for (let i = 0; i < c.length; ) {
    let j = i;
    while (j + 1 < c.length && c[j + 1] === c[j]! + 1) j++;
    o += sep + cat(c[i]!);
    // The kernel's mls_sid_to_context: a run of 3+ as a.b, a run of 2 as a,b.
    if (j === i + 1) o += ',' + cat(c[j]!);
    else if (j > i + 1) o += '.' + cat(c[j]!);
    sep = ',';
    i = j + 1;
  }
  return o;
}

export function rangeText(policy: Policy, r: Range): string {
  const low = levelText(policy, r.low);
  return sameLevel(r.low, r.high) ? low : `${low}-${levelText(policy, r.high)}`;
}

export function contextText(policy: Policy, c: Context): string {
  const base = `${policy.users[c.user - 1]?.name}:${policy.roles[c.role - 1]?.name}:${policy.types[c.type - 1]?.name}`;
  return policy.mls ? `${base}:${rangeText(policy, c.range)}` : base;
}

/** Why the kernel would reject the context (policydb_context_isvalid), or undefined when valid. */
export function contextInvalidReason(policy: Policy, c: Context): string | undefined {
  const role = policy.roles[c.role - 1];
  const user = policy.users[c.user - 1];
  const type = policy.types[c.type - 1];
  if (!role || !user || !type) return 'undefined user, role or type';
  const objectR = policy.index.roleValues.get('object_r') ?? 1;
  if (c.role !== objectR) {
    if (!sortedHas(role.types, c.type) && !type.attrs.some((a) => sortedHas(role.types, a))) return `role ${role.name} is not authorized for type ${type.name}`;
    if (!user.roles.includes(c.role)) return `user ${user.name} is not authorized for role ${role.name}`;
  }
  if (policy.mls) {
    for (const l of [c.range.low, c.range.high]) {
      const s = policy.sensitivities[l.sens - 1];
      if (!s) return `undefined sensitivity ${l.sens}`;
      if (!l.cats.every((x) => sortedHas(s.level.cats, x))) return `level ${levelText(policy, l)} has categories not allowed with ${s.name}`;
    }
    if (!levelDominates(c.range.high, c.range.low)) return `high level does not dominate low level in ${rangeText(policy, c.range)}`;
    if (c.role !== objectR && !(levelDominates(c.range.low, user.range.low) && levelDominates(user.range.high, c.range.high))) {
      return `range ${rangeText(policy, c.range)} is outside user ${user.name}'s range ${rangeText(policy, user.range)}`;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- compute_sid

/** The kernel's security_is_socket_class, by the class's common (every socket class inherits `socket`). */
function isSocketClass(policy: Policy, tclass: number): boolean {
  const c = policy.classes[tclass - 1];
  return !!c && (c.common === 'socket' || c.name === 'socket' || c.name.endsWith('_socket'));
}

const defaultEnabled = new WeakMap<Policy, Uint8Array>();
const filenameIndexes = new WeakMap<Policy, Map<string, FilenameTransition[]>>();

/** Enabled conditional entries under the policy's booleans (cached) or the overrides. */
function enabledFor(policy: Policy, bools?: ReadonlyMap<string, boolean>): Uint8Array {
  if (bools?.size) return enabledCondEntries(policy, boolStates(policy, bools));
  let e = defaultEnabled.get(policy);
  if (!e) defaultEnabled.set(policy, (e = enabledCondEntries(policy, boolStates(policy))));
  return e;
}

/** Filename transitions by `ttype:tclass:name`, in file order. */
function filenameIndex(policy: Policy): Map<string, FilenameTransition[]> {
  let m = filenameIndexes.get(policy);
  if (!m) {
    m = new Map();
    for (const ft of policy.filenameTransitions) {
      const k = `${ft.ttype}:${ft.tclass}:${ft.name}`;
      const l = m.get(k);
      if (l) l.push(ft);
      else m.set(k, [ft]);
    }
    filenameIndexes.set(policy, m);
  }
  return m;
}

const copyLevel = (l: Level): Level => ({ sens: l.sens, cats: l.cats.slice() });

export interface ComputeOptions {
  /** Object name for filename transitions (the last path component). */
  name?: string;
  /** Boolean overrides by name; the others keep the policy's values. */
  bools?: ReadonlyMap<string, boolean>;
}

export interface ComputedContext {
  context: Context;
  /** Where each part came from, readable. */
  user: string;
  role: string;
  type: string;
  range?: string;
  /** The type rule used, setools-style, when one was. */
  typeRule?: string;
  /** Set when the kernel would reject the new context. */
  invalid?: string | undefined;
  /** Attribute-keyed type_transition entries that would match through attributes (the kernel ignores them). */
  ignoredAttributeRules: string[];
}

/** security_compute_sid(source, target, class, AVTAB_TRANSITION[, name]). */
export function computeCreate(policy: Policy, source: Context, target: Context, tclass: number, opts: ComputeOptions = {}): ComputedContext {
  const cls = policy.classes[tclass - 1];
  if (!cls) throw new TransitionError(`undefined class ${tclass}`);
  const procClass = policy.index.classValues.get('process');
  const procLike = tclass === procClass || isSocketClass(policy, tclass);
  const objectR = policy.index.roleValues.get('object_r') ?? 1;
  const tn = (v: number): string => policy.types[v - 1]?.name ?? `type${v}`;
  const out: ComputedContext = { context: { user: 0, role: 0, type: 0, range: source.range }, user: '', role: '', type: '', ignoredAttributeRules: [] };
  const nc = out.context;

  if (cls.defaultUser === DEFAULT_TARGET) {
    nc.user = target.user;
    out.user = 'target user (default_user target)';
  } else {
    nc.user = source.user;
    out.user = cls.defaultUser === DEFAULT_SOURCE ? 'source user (default_user source)' : 'source user';
  }

  if (cls.defaultRole === DEFAULT_SOURCE) [nc.role, out.role] = [source.role, 'source role (default_role source)'];
  else if (cls.defaultRole === DEFAULT_TARGET) [nc.role, out.role] = [target.role, 'target role (default_role target)'];
  else if (procLike) [nc.role, out.role] = [source.role, 'source role'];
  else [nc.role, out.role] = [objectR, 'object_r (object class)'];

  if (cls.defaultType === DEFAULT_SOURCE) [nc.type, out.type] = [source.type, 'source type (default_type source)'];
  else if (cls.defaultType === DEFAULT_TARGET) [nc.type, out.type] = [target.type, 'target type (default_type target)'];
  else if (procLike) [nc.type, out.type] = [source.type, 'source type (no type_transition)'];
  else [nc.type, out.type] = [target.type, 'target type (no type_transition)'];

  const idx = policy.index;
  let rule: RuleRef | undefined;
  const u = idx.avtab.find(source.type, target.type, tclass, AVTAB.TRANSITION);
  if (u >= 0) rule = { cond: false, index: u };
  else {
    const enabled = enabledFor(policy, opts.bools);
    for (let i = idx.condAvtab.first(source.type, target.type, tclass); i >= 0; i = idx.condAvtab.after(i)) {
      if (policy.condAvtab.spec[i] === AVTAB.TRANSITION && enabled[i]) {
        rule = { cond: true, index: i };
        break;
      }
    }
  }
  if (rule) {
    nc.type = (rule.cond ? policy.condAvtab : policy.avtab).data[rule.index]!;
    out.typeRule = ruleText(policy, rule);
    out.type = 'type_transition';
  } else {
    // Diagnostics only: rules keyed by attributes, which the kernel would not match.
    const keys = (t: number): number[] => [t, ...(policy.types[t - 1]?.attrs ?? [])];
    for (const s of keys(source.type)) {
      for (const t of keys(target.type)) {
        if (s === source.type && t === target.type) continue;
        for (const [tab, ix] of [
          [policy.avtab, idx.avtab],
          [policy.condAvtab, idx.condAvtab],
        ] as const) {
          for (let i = ix.first(s, t, tclass); i >= 0; i = ix.after(i)) {
            if (tab.spec[i] === AVTAB.TRANSITION) out.ignoredAttributeRules.push(ruleText(policy, { cond: tab === policy.condAvtab, index: i }));
          }
        }
      }
    }
  }

  if (opts.name !== undefined) {
    for (const ft of filenameIndex(policy).get(`${target.type}:${tclass}:${opts.name}`) ?? []) {
      if (ft.stypes.includes(source.type)) {
        nc.type = ft.otype;
        out.type = 'filename type_transition';
        out.typeRule = `type_transition ${tn(source.type)} ${tn(ft.ttype)}:${cls.name} ${tn(ft.otype)} ${ft.name};`;
        break;
      }
    }
  }

  const rt = policy.roleTransitions.find((r) => r.role === source.role && r.type === target.type && r.tclass === tclass);
  if (rt) {
    nc.role = rt.newRole;
    out.role = `role_transition ${policy.roles[rt.role - 1]?.name} ${tn(rt.type)}:${cls.name} ${policy.roles[rt.newRole - 1]?.name};`;
  }

  if (policy.mls) {
    const rr = policy.rangeTransitions.find((r) => r.source === source.type && r.target === target.type && r.tclass === tclass);
    const low = (c: Context): Range => ({ low: copyLevel(c.range.low), high: copyLevel(c.range.low) });
    const high = (c: Context): Range => ({ low: copyLevel(c.range.high), high: copyLevel(c.range.high) });
    const both = (c: Context): Range => ({ low: copyLevel(c.range.low), high: copyLevel(c.range.high) });
    if (rr) {
      nc.range = both({ ...nc, range: rr.range });
      out.range = `range_transition ${tn(rr.source)} ${tn(rr.target)}:${cls.name} ${rangeText(policy, rr.range)};`;
    } else {
      switch (cls.defaultRange) {
        case 1:
          [nc.range, out.range] = [low(source), 'source low (default_range source low)'];
          break;
        case 2:
          [nc.range, out.range] = [high(source), 'source high (default_range source high)'];
          break;
        case 3:
          [nc.range, out.range] = [both(source), 'source range (default_range source low-high)'];
          break;
        case 4:
          [nc.range, out.range] = [low(target), 'target low (default_range target low)'];
          break;
        case 5:
          [nc.range, out.range] = [high(target), 'target high (default_range target high)'];
          break;
        case 6:
          [nc.range, out.range] = [both(target), 'target range (default_range target low-high)'];
          break;
        case 7: {
          // glblub (kernel mls_context_glblub): the greater low sensitivity, the lesser high one, categories intersected.
          const sr = source.range;
          const tr = target.range;
          const and = (a: Level, b: Level): number[] => a.cats.filter((c) => b.cats.includes(c));
          nc.range = { low: { sens: Math.max(sr.low.sens, tr.low.sens), cats: and(sr.low, tr.low) }, high: { sens: Math.min(sr.high.sens, tr.high.sens), cats: and(sr.high, tr.high) } };
          out.range = 'glblub of source and target (default_range glblub)';
          break;
        }
        default:
          if (procLike) [nc.range, out.range] = [both(source), 'source range'];
          else [nc.range, out.range] = [low(source), 'source low level (object class)'];
      }
    }
  } else nc.range = { low: { sens: 0, cats: [] }, high: { sens: 0, cats: [] } };

  out.invalid = contextInvalidReason(policy, nc);
  return out;
}

// ---------------------------------------------------------------- exec checks

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
export function execChecks(policy: Policy, source: Context, execType: number, newContext: Context, explicit: boolean, bools?: ReadonlyMap<string, boolean>): ExecCheck[] {
  const te = new TeAllow(policy, boolStates(policy, bools));
  const proc = policy.index.classValues.get('process');
  const file = policy.index.classValues.get('file');
  if (proc === undefined || file === undefined) throw new TransitionError('the policy has no process or file class');
  const want: [number, number, number, string][] = [];
  if (explicit) want.push([source.type, source.type, proc, 'setexec']);
  if (ctxEq(source, newContext)) want.push([source.type, execType, file, 'execute'], [source.type, execType, file, 'execute_no_trans']);
  else want.push([source.type, newContext.type, proc, 'transition'], [newContext.type, execType, file, 'entrypoint'], [source.type, execType, file, 'execute']);
  const tn = (v: number): string => policy.types[v - 1]?.name ?? `type${v}`;
  return want.map(([s, t, c, perm]) => {
    const rules = te.grantingRules(s, t, c, perm);
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
