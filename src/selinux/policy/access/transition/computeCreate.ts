// The context of a new process or object, as the kernel's security_compute_sid
// (security/selinux/ss/services.c, what security_compute_create asks) derives
// it from a binary policy. Whether an exec into it is allowed: execChecks.ts.
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
//  then the context must be valid (context_is_valid: decideContext.ts says why not).
import { fail } from '../../../../base/diagnostic.js';
import { AVTAB, DEFAULT_SOURCE, DEFAULT_TARGET } from '../../binary/constants.js';
import { rangeText } from '../../level.js';
import type { Context, Level, Policy, Range } from '../../model.js';
import { BoolValues } from '../boolValues.js';
import { contextInvalidReason } from '../decideContext.js';
import { ruleText } from '../ruleText.js';
import type { RuleRef } from '../teLookup.js';

/** The kernel's security_is_socket_class, by the class's common (every socket class inherits `socket`). */
function isSocketClass(policy: Policy, tclass: number): boolean {
  const c = policy.classes[tclass - 1];
  return !!c && (c.common === 'socket' || c.name === 'socket' || c.name.endsWith('_socket'));
}

const copyLevel = (l: Level): Level => ({ sens: l.sens, cats: l.cats.slice() });

export interface ComputeOptions {
  /** Object name for filename transitions (the last path component). */
  name?: string;
  /** Boolean values for conditional type rules (default: the policy's). */
  bools?: BoolValues;
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
  if (!cls) fail('unknown-name', `undefined class ${tclass}`, { data: { kind: 'class', value: tclass } });
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
    const values = opts.bools ?? BoolValues.ofFile(policy);
    for (let i = idx.condAvtab.first(source.type, target.type, tclass); i >= 0; i = idx.condAvtab.after(i)) {
      if (policy.condAvtab.spec[i] === AVTAB.TRANSITION && values.enabled(idx.condOf, i)) {
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
    for (const ft of idx.filenameTransitions(target.type, tclass, opts.name)) {
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
