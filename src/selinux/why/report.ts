// audit2why's text for one AVC record (audit2allow's __output_audit2why, with
// sepolgen's additions to the constraint data).

import { escapeLogText } from '../../base/printDiagnostic.js';
import { formatContext, type SecurityContext } from '../ir/context.js';
import type { AccessAnalysis } from '../policy/access/decide.js';

export interface WhyRecord {
  /** The log line as read (audit2why prints it as Python read it: with its newline, if it had one). */
  message: string;
  scontext: SecurityContext;
  tcontext: SecurityContext;
  /** Where the record is, its class, permissions and verb: for --json. */
  loc?: { file: string; line: number };
  tclass?: string;
  perms?: readonly string[];
  denied?: boolean;
}

/**
 * sepolgen's AVCMessage.analyze() adds to a CONSTRAINT result the parts of
 * the contexts that differ: user, role (unless the target's is object_r), level.
 */
export function constraintCauses(s: SecurityContext, t: SecurityContext): [string, string][] {
  const out: [string, string][] = [];
  if (s.user !== t.user) out.push([`user (${s.user})`, `user (${t.user})`]);
  if (s.role !== t.role && t.role !== 'object_r') out.push([`role (${s.role})`, `role (${t.role})`]);
  if ((s.level ?? null) !== (t.level ?? null)) out.push([`level (${s.level ?? 'None'})`, `level (${t.level ?? 'None'})`]);
  return out;
}

const MISMATCH =
  '\t\tPossible mismatch between this policy and the one under which the audit message was generated.\n\n' + '\t\tPossible mismatch between current in-memory boolean settings vs. permanent ones.\n\n';

/** The log line as audit2why prints it, its bytes escaped but its line end kept (escapeLogText). */
function logLine(message: string): string {
  const end = /\r?\n$/.exec(message)?.[0] ?? '';
  return escapeLogText(message.slice(0, message.length - end.length)) + end;
}

/** The text audit2why prints for one record; '' for the results it skips (negative codes). */
export function formatWhy(rec: WhyRecord, a: AccessAnalysis, describe?: (bool: string) => string): string {
  if (a.rc < 0) return '';
  let out = `${logLine(rec.message)}\n\tWas caused by:\n`;
  switch (a.code) {
    case 'ALLOW':
      return out + '\t\tUnknown - would be allowed by active policy\n' + MISMATCH;
    case 'DONTAUDIT':
      return out + "\t\tUnknown - should be dontaudit'd by active policy\n" + MISMATCH;
    case 'BOOLEAN': {
      const bools = a.booleans;
      if (bools.length > 1) {
        out += '\tOne of the following booleans was set incorrectly.\n';
        for (const [name, value] of bools) {
          if (describe) out += `\tDescription:\n\t${describe(name)}\n\n`;
          out += `\tAllow access by executing:\n\t# setsebool -P ${name} ${value}\n`;
        }
      } else {
        const [name, value] = bools[0]!;
        out += `\tThe boolean ${name} was set incorrectly. \n`;
        if (describe) out += `\tDescription:\n\t${describe(name)}\n\n`;
        out += `\tAllow access by executing:\n\t# setsebool -P ${name} ${value}\n`;
      }
      return out;
    }
    case 'TERULE':
      return out + '\t\tMissing type enforcement (TE) allow rule.\n\n\t\tYou can use audit2allow to generate a loadable module to allow this access.\n\n';
    case 'CONSTRAINT':
      out += '\n#Constraint rule:\n\n#\t' + a.constraint + '\n';
      for (const [src, tgt] of constraintCauses(rec.scontext, rec.tcontext)) out += `#\tPossible cause is the source ${src} and target ${tgt} are different.\n\n`;
      return out;
    case 'RBAC':
      return out + '\t\tMissing role allow rule.\n\n\t\tAdd an allow rule for the role pair.\n\n';
    case 'BOUNDS':
      return out + '\t\tTypebounds violation.\n\n\t\tAdd an allow rule for the parent type.\n\n';
    default:
      return out;
  }
}

/** What each result means, in a few words (--json's `explanation`). */
const EXPLANATION: Record<string, string> = {
  ALLOW: 'would be allowed by the active policy (the policy or the booleans may have changed since)',
  DONTAUDIT: 'should be dontaudited by the active policy',
  TERULE: 'missing type enforcement (TE) allow rule',
  BOOLEAN: 'a boolean is set to deny it',
  CONSTRAINT: 'constraint violation',
  RBAC: 'missing role allow rule',
  BOUNDS: 'typebounds violation',
  BADSCON: 'the source context is not valid in this policy',
  BADTCON: 'the target context is not valid in this policy',
  BADTCLASS: 'the class is not defined in this policy',
  BADPERM: 'a permission is not defined for the class in this policy',
  BADCOMPUTE: 'the policy could not compute a decision',
};

/**
 * One record's analysis as one line of JSON (`why --json`): where it is, what it asked, the
 * result code (audit2why's names) and what would allow it.
 */
export function formatWhyJson(rec: WhyRecord, a: AccessAnalysis, describe?: (bool: string) => string): string {
  const out: Record<string, unknown> = {
    loc: rec.loc ? `${rec.loc.file}:${rec.loc.line}` : undefined,
    message: rec.message.replace(/\r?\n$/, ''),
    denied: rec.denied,
    scontext: formatContext(rec.scontext),
    tcontext: formatContext(rec.tcontext),
    tclass: rec.tclass,
    perms: rec.perms,
    result: a.code,
    explanation: EXPLANATION[a.code] ?? a.code.toLowerCase(),
  };
  // What exactly the policy rejects (a context's part, the class, a permission).
  if ('reason' in a) out.reason = a.reason;
  if (a.code === 'BOOLEAN') {
    out.booleans = a.booleans.map(([name, value]) => ({ name, value, fix: `setsebool -P ${name} ${value}`, ...(describe ? { description: describe(name) } : {}) }));
  } else if (a.code === 'CONSTRAINT') {
    out.constraints = a.constraint.split('\n').filter((l) => l !== '');
    out.causes = constraintCauses(rec.scontext, rec.tcontext).map(([source, target]) => ({ source, target }));
  }
  return JSON.stringify(out) + '\n';
}
