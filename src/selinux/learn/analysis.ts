// `allow -p POLICY`: each denial is analysed against a binary policy, as
// audit2allow does through audit2why, and rules are split by verdict with the
// `#!!!!` notes sepolgen writes above them. Denials the policy rejects
// (audit2allow drops them) carry exactly why: the part of the context libsepol
// rejects and the reason, or the permissions the class lacks.
import type { Denial } from '../../audit/avc.js';
import { escapeControl } from '../../base/printDiagnostic.js';
import { formatContext, type SecurityContext } from '../ir/context.js';
import { type AccessAnalysis, type AccessCode, AUDIT2WHY_CODES, accessDecider } from '../policy/access/decide.js';
import type { DContext } from '../policy/access/decideContext.js';
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

/** What the analyser keeps per distinct context: its number and what the policy makes of it. */
interface KnownContext {
  id: number;
  /** The resolved context, or why the policy rejects it. */
  resolved: Readonly<DContext> | string;
  /** The verdicts for a rejected context as source and as target, made on first use. */
  badSource?: Verdict;
  badTarget?: Verdict;
}

/** A cached verdict for one (source, target, class) and one set of permission bits; others chain on. */
interface Answer {
  av: number;
  verdict: Verdict;
  next: Answer | undefined;
}

/**
 * An analyser with a cache per distinct (scontext, tcontext, class, permissions), like sepolgen's
 * avcdict. Each distinct context gets a small number and its resolution the first time it is seen
 * (the record parser shares one object per distinct context string, so that is one lookup per
 * context), and the class and permissions become the class value and permission bits, so the key
 * is made of numbers, never formatted contexts. Verdicts without data are shared.
 */
export function policyAnalyzer(policy: Policy): Analyzer {
  const decider = accessDecider(policy);
  const tables = decider.contexts;
  // By object first (cheap), then by text, so that equal contexts in other objects share a number.
  const byObject = new WeakMap<SecurityContext, KnownContext>();
  const byText = new Map<string, KnownContext>();
  const known = (c: SecurityContext): KnownContext => {
    let k = byObject.get(c);
    if (k === undefined) {
      const text = formatContext(c);
      k = byText.get(text);
      if (k === undefined) byText.set(text, (k = { id: byText.size, resolved: tables.resolve(text) }));
      byObject.set(c, k);
    }
    return k;
  };
  // (source, target, class) as one exact number while the numbers fit (always, in practice).
  const answers = new Map<number, Answer>();
  // The rest, rare: classes and permissions the policy rejects, numbers past the packing.
  const others = new Map<string, Verdict>();
  const plain = new Map<AccessCode, Verdict>();
  const verdictOf = (analysis: AccessAnalysis, s: SecurityContext, t: SecurityContext): Verdict => {
    // audit2why has no NOPOLICY verdict for audit2allow: it counts as a missing rule.
    if (analysis.code === 'NOPOLICY') analysis = { code: 'TERULE', rc: 2 };
    if (analysis.code === 'CONSTRAINT') return { key: analysis.code, analysis, causes: constraintCauses(s, t) };
    if ('reason' in analysis || analysis.code === 'BOOLEAN') return { key: analysis.code, analysis, causes: [] };
    let v = plain.get(analysis.code);
    if (v === undefined) plain.set(analysis.code, (v = { key: analysis.code, analysis, causes: [] }));
    return v;
  };
  return (d) => {
    const s = known(d.scontext);
    if (typeof s.resolved === 'string') return (s.badSource ??= verdictOf({ code: 'BADSCON', rc: AUDIT2WHY_CODES.BADSCON, reason: s.resolved }, d.scontext, d.tcontext));
    const t = known(d.tcontext);
    if (typeof t.resolved === 'string') return (t.badTarget ??= verdictOf({ code: 'BADTCON', rc: AUDIT2WHY_CODES.BADTCON, reason: t.resolved }, d.scontext, d.tcontext));
    const tclass = decider.classValue(d.tclass);
    const av = tclass === undefined ? undefined : decider.permBits(tclass, d.perms);
    if (tclass === undefined || av === undefined || s.id >= 65536 || t.id >= 65536 || tclass >= 65536) {
      const key = `${s.id} ${t.id} ${d.tclass} ${d.perms.join(' ')}`;
      let v = others.get(key);
      if (v === undefined) others.set(key, (v = verdictOf(decider.analyzeResolved(s.resolved, t.resolved, d.tclass, d.perms), d.scontext, d.tcontext)));
      return v;
    }
    const key = (s.id * 65536 + t.id) * 65536 + tclass;
    const first = answers.get(key);
    for (let a = first; a !== undefined; a = a.next) if (a.av === av) return a.verdict;
    const verdict = verdictOf(decider.analyzeAv(s.resolved, t.resolved, tclass, av), d.scontext, d.tcontext);
    answers.set(key, { av, verdict, next: first });
    return verdict;
  };
}

/** For CONSTRAINT: the (source, target) pairs that differ, as sepolgen words them. */
function constraintCauses(a: SecurityContext, b: SecurityContext): Array<[string, string]> {
  const causes: Array<[string, string]> = [];
  if (a.user !== b.user) causes.push([`user (${a.user})`, `user (${b.user})`]);
  if (a.role !== b.role && b.role !== 'object_r') causes.push([`role (${a.role})`, `role (${b.role})`]);
  if (a.level !== b.level) causes.push([`level (${a.level ?? 'None'})`, `level (${b.level ?? 'None'})`]);
  return causes;
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
