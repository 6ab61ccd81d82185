// `allow -p POLICY`: each denial is analysed against a binary policy, as
// audit2allow does through audit2why, and rules are split by verdict with the
// `#!!!!` notes sepolgen writes above them. Denials the policy rejects
// (audit2allow drops them) carry exactly why: the part of the context libsepol
// rejects and the reason, or the permissions the class lacks.
import type { Denial } from '../../audit/avc.js';
import { escapeControl } from '../../base/printDiagnostic.js';
import { formatContext, type SecurityContext } from '../ir/context.js';
import { type AccessAnalysis, type AccessCode, accessDecider } from '../policy/access/decide.js';
import type { Policy } from '../policy/model.js';

/** What the policy says about a denial. */
export interface Verdict {
  /** Rules are split by this key (sepolgen keys them by audit2why's code). */
  key: string;
  analysis: AccessAnalysis;
  /** For CONSTRAINT: the (source, target) pairs that differ, as sepolgen words them. */
  causes: Array<[string, string]>;
}

/**
 * The verdicts of denials the policy rejects: audit2allow drops these (sepolgen raises on
 * them); Porthole keeps their rules, with a note, where no other denial asks for the same.
 */
export const REJECTED: ReadonlySet<AccessCode> = new Set<AccessCode>(['BADSCON', 'BADTCON', 'BADPERM', 'BADCOMPUTE']);

export type Analyzer = (d: Denial) => Verdict;

/**
 * An analyser with a cache per distinct (scontext, tcontext, class, permissions), like sepolgen's
 * avcdict. Each distinct context gets a small number the first time it is seen (the record parser
 * shares one object per distinct context string), so the key is built from numbers, not formatted
 * contexts.
 */
export function policyAnalyzer(policy: Policy): Analyzer {
  // By object first (cheap), then by text, so that equal contexts in other objects share a number.
  const idOfObject = new WeakMap<SecurityContext, number>();
  const idOfText = new Map<string, number>();
  const contextId = (c: SecurityContext): number => {
    let id = idOfObject.get(c);
    if (id === undefined) {
      const text = formatContext(c);
      id = idOfText.get(text);
      if (id === undefined) idOfText.set(text, (id = idOfText.size));
      idOfObject.set(c, id);
    }
    return id;
  };
  const cache = new Map<string, Verdict>();
  const decider = accessDecider(policy);
  return (d) => {
    const key = `${contextId(d.scontext)} ${contextId(d.tcontext)} ${d.tclass} ${d.perms.join(' ')}`;
    let v = cache.get(key);
    if (v === undefined) {
      // audit2why has no NOPOLICY verdict for audit2allow: it counts as a missing rule.
      let analysis = decider.analyze(formatContext(d.scontext), formatContext(d.tcontext), d.tclass, d.perms);
      if (analysis.code === 'NOPOLICY') analysis = { code: 'TERULE', rc: 2 };
      const causes: Array<[string, string]> = [];
      if (analysis.code === 'CONSTRAINT') {
        const a = d.scontext;
        const b = d.tcontext;
        if (a.user !== b.user) causes.push([`user (${a.user})`, `user (${b.user})`]);
        if (a.role !== b.role && b.role !== 'object_r') causes.push([`role (${a.role})`, `role (${b.role})`]);
        if (a.level !== b.level) causes.push([`level (${a.level ?? 'None'})`, `level (${b.level ?? 'None'})`]);
      }
      v = { key: analysis.code, analysis, causes };
      cache.set(key, v);
    }
    return v;
  };
}

/** The lines sepolgen puts above a rule for its verdict (raw, with their '#'). */
export function verdictNotes(v: Verdict, hasXperms: boolean): string[] {
  const a = v.analysis;
  switch (a.code) {
    case 'ALLOW':
      return ['#!!!! This avc is allowed in the current policy', ...(hasXperms ? ['#!!!! This av rule may have been overridden by an extended permission av rule'] : [])];
    case 'DONTAUDIT':
      return ['#!!!! This avc has a dontaudit rule in the current policy'];
    case 'BOOLEAN':
      return a.booleans.length > 1
        ? ['#!!!! This avc can be allowed using one of the these booleans:', `#     ${a.booleans.map((b) => b[0]).join(', ')}`]
        : [`#!!!! This avc can be allowed using the boolean '${a.booleans[0]?.[0] ?? ''}'`];
    case 'CONSTRAINT': {
      const lines = ['#!!!! This avc is a constraint violation.  You would need to modify the attributes of either the source or target types to allow this access.', '#Constraint rule: '];
      // As sepolgen builds it: the constraint text (which ends with a newline), then each cause.
      let text = '#\t' + a.constraint;
      for (const [s, t] of v.causes) text += `\n#\tPossible cause is the source ${s} and target ${t} are different.`;
      lines.push(...text.split('\n'));
      return lines;
    }
    // Names and levels in the reason come from the log: escaped, they cannot end the comment.
    case 'BADSCON':
      return [`#!!!! Not in the policy: the source context of this avc is not valid: ${escapeControl(a.reason)}`];
    case 'BADTCON':
      return [`#!!!! Not in the policy: the target context of this avc is not valid: ${escapeControl(a.reason)}`];
    // sepolgen means to drop these but tests BADSCON twice instead, so it
    // keeps them, without a comment; we keep them with one.
    case 'BADTCLASS':
    case 'BADPERM':
      return [`#!!!! Not in the policy: ${escapeControl(a.reason)}`];
    default:
      return [];
  }
}
