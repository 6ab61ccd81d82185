// One model for every problem Porthole reports: a Diagnostic has a severity, a
// stable code, a message, where it is (a Span) and notes (for sources expanded
// by m4, the chain of macro calls; for logs, counts and hints). Stages return
// diagnostics as data or throw a PortholeError that carries them; one printer
// (printDiagnostic.ts) turns them into text, `--json` prints them as they are.
// Nothing matches a problem by its message text: the code says what it is.
import type { Span } from './span.js';

export type Severity = 'error' | 'warning' | 'note';

/**
 * The stable codes, one per kind of problem, with what each means. Codes are
 * part of the interface (scripts match on them): add new ones, never reuse or
 * rename one.
 */
export const DIAGNOSTIC_CODES = {
  usage: 'the command line is wrong: an unknown option, a missing or conflicting argument, a bad value',
  'file-read': 'an input file or directory cannot be read (missing, a directory, no permission, truncated compression)',
  'file-write': 'an output file cannot be written',
  'malformed-record': 'a log line that looks like an audit record does not parse, or names something that is not a valid SELinux identifier',
  'no-selinux-records': 'the input holds no SELinux records (AVC, USER_AVC, SELINUX_ERR, policy loads)',
  'policy-not-found': 'no policy was named and none is installed where the tools look for one',
  'policy-format': 'a binary policy is corrupt, truncated or of an unsupported version (the message names the section and byte offset)',
  'policy-is-module': 'a module package (.pp) or policy module was given where a kernel binary policy is expected',
  'unknown-name': 'a name (type, attribute, role, user, class, permission, boolean, level) is not in the policy',
  'bad-query': 'a query value is not valid (a range, a port, an address, a context, a regular expression)',
  'context-invalid': 'a security context is not valid in the policy (the message says which part and why)',
  'module-build': 'checkmodule or semodule_package failed on a generated module',
  'bad-identifier': 'a name that is not a valid SELinux identifier (or module name, version, file name) would reach generated policy text',
  'cil-unsupported': "the module holds something CIL cannot express (an optional block's else branch); the CIL leaves it out, as libsepol's converter does",
  'malformed-event':
    'a Kubernetes audit log entry does not parse, is not an audit Event (or a List, EventList or Cloud Logging entry of them), or holds a value that cannot be in an RBAC rule (a verb or resource `*`, say)',
  'no-events': 'no Kubernetes audit event matched the subject (and namespace) asked for',
  'bad-manifest': 'an RBAC manifest does not parse, or holds an object that is not a valid Role, ClusterRole or binding',
  'file-contexts-syntax': 'a file_contexts line does not parse: a missing field, an unknown file type, non-ASCII bytes (libselinux refuses the file)',
  'file-contexts-regex': 'a file_contexts spec is not a regular expression PCRE2 compiles, or uses PCRE2 syntax Porthole cannot translate (the message says which)',
  'file-contexts-duplicate': 'a file_contexts spec repeats an earlier one for the same file types with a different context (libselinux accepts it; the later one wins)',
  'm4-error': 'm4 input is wrong where GNU m4 reports an error: an unterminated string, comment or argument list, an undefined builtin, a file include cannot open, a bad eval operator',
  'm4-warning': 'm4 input GNU m4 warns about and goes on: a wrong number of arguments, a non-numeric argument, a bad eval expression or regular expression, an undefined macro named in indir',
  'm4-limit': 'an m4 expansion went past a limit (macro calls nested too deep, too many calls, too much output): a macro that never stops expanding',
  'm4-unsupported': 'an m4 builtin Porthole does not run (syscmd, esyscmd, maketemp, mkstemp: policy sources cannot run commands or make files)',
  'm4-regex': 'a regular expression of regexp or patsubst that cannot be translated faithfully (alternation \\|, collating elements)',
  'input-too-large':
    'an input is over its size limit (a log after decompression, a policy, policy XML, file_contexts or RBAC manifest read whole); the message names the limit and the flag that raises it',
  'time-out-of-range': "a record's time stamp is outside the dates a program can show; the record is used and its raw stamp shown",
  'fc-unreachable': 'a .fc spec can never match: its path begins with the alias side of an equivalence rule, which lookups rewrite first (the message says what to write instead)',
  'no-label': "a path given where a file's label is needed gets none from file_contexts (no spec matches it, or the spec that does says <<none>>)",
  'fc-conflict': 'a .fc spec repeats a spec of the system file_contexts (same spec, overlapping file types) with a different context',
  'te-syntax':
    "a module's .te text does not parse as checkmodule's module language (after m4): an unrecognized character, a missing or unexpected token (the message says what was expected); the parser goes on after it, so every such error of a file is reported",
  'te-limit': 'a .te construct nested deeper than the parser follows (sets, boolean expressions, if and optional blocks), or more syntax errors in one file than are reported',
  'te-base-only':
    'a module holds a statement only a base policy may hold (class, sid, genfscon, fs_use_*, portcon, netifcon, nodecon, constraints, MLS declarations, policycap, default_*); checkmodule says `syntax error`',
  'te-conditional-declaration': 'a declaration (type, attribute, bool, role, ...) or an optional block inside an `if` block, where checkmodule takes rules and requires only (it says `syntax error`)',
  'te-duplicate-declaration':
    'a name declared twice where both declarations are in force (types, attributes and aliases share one name space; booleans and tunables another), as checkmodule reports it',
  'te-no-require': 'an `optional` block without a `require` (checkmodule: `This block has no require section.`)',
  'te-unknown-name':
    "a type, attribute, role, boolean, class or user a statement uses is neither declared nor required in its scope: the module's global block, or the optional block it stands in and the blocks around it (checkmodule: `unknown type X`, `type X is not within scope`); a sensitivity or category of a level, or the `process` class of a role_transition or range_transition without classes, that the module requires nowhere",
  'te-not-lowered':
    "a statement of a parsed module left out of the module IR because checkmodule would not take it as written (base-only statements, declarations inside `if`, '*', '~' or '-' where only names may stand, an empty optional else); the checks say what is wrong",
  'te-unknown-permission': 'a permission the module requires nowhere for its class (checkmodule: `permission X is not defined for class C`)',
  'te-attribute-as-type':
    'an attribute where checkmodule takes a type (given attributes by typeattribute, the new type of type_transition, type_member or type_change, typealias, typebounds, permissive), or a role attribute as the new role of role_transition (checkmodule: `unknown type X`, `attributes may not be permissive`, ...); the message names the interface or template call that passed it',
  'te-type-as-attribute':
    'a type or alias where checkmodule takes an attribute (the attributes of type and typeattribute, expandattribute), or a regular role where it takes a role attribute (checkmodule: `X is a type, not an attribute`, `X is a regular role, not an attribute`)',
  'te-self':
    '`self` where checkmodule refuses it: anywhere but among the target types of the access rules and of type_transition, type_member and type_change (checkmodule: `unknown type self`), excluded there (`-self is not supported`), or declared (`"self" is a reserved type name.`)',
  'te-set-operator':
    '`*`, `~` or `-` where checkmodule refuses it: `*` and `~` in type sets but those of neverallow, in role sets and in the roles of a user; any of them in classes or expandattribute; `-` in role sets and permissions (checkmodule: `* not allowed in this type of rule`, `unknown role -`, ...)',
  'te-kind-conflict':
    'a name required as a type (or role) and required or declared as an attribute (or role attribute) elsewhere in the module, or the other way round (checkmodule: `Identifier X used as both an attribute and a type`)',
  'te-dotted-name':
    'a boolean, tunable or type alias whose name holds a period, which only type and role names may (checkmodule: `boolean identifiers may not contain periods`); a type or role `x.y` whose bounding `x` the module does not have (checkmodule: `hoge unknown type x`)',
  'te-typebounds-conflict': 'a type given two bounding types, by typebounds or by its name (`x.y` is bounded by `x`) (checkmodule: `type X has inconsistent master {A,B}`)',
  'te-else-declaration':
    "a declaration or a require directly in an optional block's else branch, where checkmodule declares and requires nothing (`Could not declare type here`); an optional block inside the else may",
  'te-duplicate-transition':
    'a name transition (type_transition with an object name) or a role_transition for a source, target and class the module already gave one, in any block, even to the same new type (checkmodule: `duplicate filename transition for: ...`, `duplicate role transition for (...)`)',
  'te-xperm-operation': 'an extended permission rule whose operation is not `ioctl` (checkmodule: `only ioctl extended permissions are supported`)',
  'te-user-level': 'a user statement without `level ... range ...`, which checkmodule -M (MLS, as the devel Makefile runs it) requires (checkmodule: `no default level specified for user`)',
  'te-module-name': "a module's name differs from the base name of its output file (checkmodule -o: `Module name X is different than the output base filename Y`)",
  'fmt-unbalanced':
    'porthole fmt cannot read a policy source as m4 does: a quote ` or a parenthesis with no partner (the place is the one left open, or the closing one with none); the file is left as it is',
  'fmt-unsupported': 'a policy source uses changequote, changecom or changeword, after which porthole fmt cannot tell quotes and comments; the file is left as it is',
  'te-undefined-interface':
    'a call of an interface, template or macro that nothing defines: m4 leaves it as written and checkmodule says `syntax error`; the message names it, a note the nearest defined names',
  'te-interface-arguments':
    'an interface or template called with fewer arguments than its body uses (an error: each missing `$N` expands to nothing) or more than it takes (a warning: m4 drops them); the message names its parameters',
  'm4-refpolicy':
    "a warning or error refpolicy's support macros print through m4's errprint (refpolicywarn, refpolicyerr: a deprecated interface, a duplicate definition), as the devel Makefile shows it",
  'te-no-headers': 'a module written with refpolicy macros is built where the devel headers are missing (Debian: `apt install selinux-policy-dev`; or give the include tree with `-I DIR`)',
  'iface-argument': 'an argument of `iface expand` or an ACCESS of `iface for` that cannot be used: m4 quotes or a newline in an argument, an ACCESS that is neither an allow rule nor a type name',
  'lint-raw-allow-interface': 'a raw `allow` rule in a module whose access one refpolicy interface grants exactly (nothing more): the call to write instead is named',
  'trailing-garbage':
    'bytes after the last gzip member of a log that are not another member (gzip -d: "decompression OK, trailing garbage ignored"); the members before them are read, the rest is not (the message names the byte offset)',
  'lint-perm-order':
    'the permissions of an access rule, or of a class in a require block, are not in ascending byte order or repeat one, as written (selint C-005; the first pair out of order is named, and the sorted list)',
  'lint-unused-require':
    'a type, attribute or role a require block lists that nothing after it in the interface or template uses (selint W-003; *_stub interfaces skipped), or that a module (.te) uses nowhere outside its require blocks',
  'lint-missing-require': 'a type, attribute or role some module declares that an interface or template uses with no require block before it listing it (selint W-002; system_r excepted)',
  'lint-exec-without-fc': "a type a module's .te makes an executable or entry point (through an interface that gives it exec_type or entry_type) that no spec of the module's .fc labels",
  'fc-regex-escape':
    'a .fc path with a regular expression operator that is probably meant as the character: a `.` not escaped and not before `*`, `+` or `?`, a `*` or `+` after none of `.`, `)`, `]` (selint W-004)',
  'fc-type-foreign': "a module's .fc labels files with a type another module declares (selint S-002)",
  'fc-type-undeclared':
    "a module's .fc labels files with a type nothing declares: not the module, the templates it calls, another module read, nor a require block of the include tree (installing the module fails)",
  'fc-duplicate': 'a .fc spec given again with the same file type and context (redundant; with another context it is file-contexts-duplicate)',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** More about a diagnostic: a hint, a count, or a place it came through (an m4 expansion). */
export interface DiagnosticNote {
  message: string;
  span?: Span | undefined;
}

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  span?: Span | undefined;
  notes: DiagnosticNote[];
  /** Facts for scripts, by name (a policy section and byte offset, a count, the name that was not found). */
  data?: Record<string, string | number | boolean> | undefined;
}

/** Builds a diagnostic; `notes` may be plain strings. */
export function diagnostic(severity: Severity, code: DiagnosticCode, message: string, opts: DiagnosticOptions = {}): Diagnostic {
  const d: Diagnostic = { severity, code, message, notes: (opts.notes ?? []).map((n) => (typeof n === 'string' ? { message: n } : n)) };
  if (opts.span) d.span = opts.span;
  if (opts.data) d.data = opts.data;
  return d;
}

export interface DiagnosticOptions {
  span?: Span | undefined;
  notes?: readonly (string | DiagnosticNote)[];
  data?: Record<string, string | number | boolean>;
}

/**
 * The one error type of the library: thrown for user input that cannot be used
 * (a bad file, an unknown name, a bad command line). It carries diagnostics;
 * its message is the first one's.
 */
export class PortholeError extends Error {
  override readonly name = 'PortholeError';
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: Diagnostic | readonly Diagnostic[]) {
    const list = Array.isArray(diagnostics) ? (diagnostics as readonly Diagnostic[]) : [diagnostics as Diagnostic];
    super(list[0]?.message ?? 'error');
    this.diagnostics = list;
  }

  /** The code of the first diagnostic. */
  get code(): DiagnosticCode {
    return this.diagnostics[0]?.code ?? 'usage';
  }
}

/** Throws a PortholeError with one error diagnostic. */
export function fail(code: DiagnosticCode, message: string, opts: DiagnosticOptions = {}): never {
  throw new PortholeError(diagnostic('error', code, message, opts));
}

/** What a failed file operation means, for the errno codes people meet. */
const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EEXIST: 'file exists',
};

/**
 * A Node file-system or zlib error as a diagnostic naming the file and what
 * went wrong (`cannot read FILE: no such file or directory`).
 */
export function fileErrorDiagnostic(e: NodeJS.ErrnoException, op: 'read' | 'write', file?: string): Diagnostic {
  const path = file ?? e.path ?? '?';
  const zlib = e.code?.startsWith('Z_') === true;
  const reason = zlib ? `not a valid gzip stream (${e.message.replace(/\.$/, '')})` : (FS_REASONS[e.code ?? ''] ?? e.message);
  return diagnostic('error', op === 'read' ? 'file-read' : 'file-write', `cannot ${op} ${path}: ${reason}`);
}

/** Whether a thrown value is a Node error about a file or stream (an errno code, or zlib's). */
export function isFileError(e: unknown): e is NodeJS.ErrnoException {
  const code = e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' && (/^E[A-Z0-9]+$/.test(code) || code.startsWith('Z_'));
}
