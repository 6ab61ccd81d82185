// The checks readPolicy and scanPolicyStats make alike: the header (and what
// to say when the file is a module, not a kernel policy), a symbol table's
// counts, and item by item the rules of the format, each with its one error
// message. The sizes and version conditions they use come from the format
// table (constants.ts). Checks whose message names a symbol (which only the
// reader decodes) stay with the reader.

import { fail } from '../../../base/diagnostic.js';
import type { HandleUnknown, Policy } from '../model.js';
import {
  ALLOW_UNKNOWN,
  AVTAB_SPEC_MASK,
  CEXPR,
  CEXPR_MAXDEPTH,
  COND,
  COND_EXPR_MAXDEPTH,
  CONFIG_UNKNOWN_MASK,
  DENY_UNKNOWN,
  layoutOf,
  MAX_VERSION,
  MIN_VERSION,
  MODULE_PACKAGE_MAGIC,
  PERM_SYMTAB_SIZE,
  POLICY_BASE,
  POLICYDB_MAGIC,
  POLICYDB_MOD_MAGIC,
  POLICYDB_MOD_STRING,
  POLICYDB_STRING,
  POLICYDB_STRING_MAX_LENGTH,
  POLICYDB_XEN_STRING,
  REJECT_UNKNOWN,
  SECTIONS,
  type Section,
  SYMBOL_TABLES,
  V,
  XPERMS_IOCTLFUNCTION,
  XPERMS_NLMSG,
} from './constants.js';
import type { Cursor } from './cursor.js';

/** The values each symbol table declares (nprim): what the value checks go by. */
export type SymbolCounts = Policy['nprim'];

export interface PolicyHeader {
  version: number;
  /** The config word: CONFIG_MLS and the handle_unknown bits. */
  config: number;
  handleUnknown: HandleUnknown;
}

/**
 * Reads and checks the header; leaves the cursor at the policy capabilities. A module package
 * or a policy module is a policy-is-module error, not a corrupt policy.
 */
export function readHeader(c: Cursor): PolicyHeader {
  c.section = 'header';
  const magic = c.u32();
  if (magic === MODULE_PACKAGE_MAGIC || magic === POLICYDB_MOD_MAGIC) notAKernelPolicy(c, magic);
  if (magic !== POLICYDB_MAGIC) c.fail(`bad magic 0x${magic.toString(16).padStart(8, '0')}, expected 0x${POLICYDB_MAGIC.toString(16)}`, 0, compressionNotes(magic));
  const slen = c.u32();
  if (slen === 0 || slen > POLICYDB_STRING_MAX_LENGTH) c.fail(`policy string length ${slen}`, 4);
  const ident = c.str(slen, 'policy string');
  if (ident === POLICYDB_XEN_STRING) c.fail('Xen policies are not supported', 8);
  if (ident !== POLICYDB_STRING) c.fail(`unknown policy string ${JSON.stringify(ident)}`, 8);
  const vat = c.pos;
  const version = c.u32();
  if (version < MIN_VERSION || version > MAX_VERSION) c.fail(`policy version ${version} not supported (${MIN_VERSION}..${MAX_VERSION})`, vat);
  const config = c.u32();
  const hu = config & CONFIG_UNKNOWN_MASK;
  const handleUnknown: HandleUnknown =
    hu === DENY_UNKNOWN ? 'deny' : hu === REJECT_UNKNOWN ? 'reject' : hu === ALLOW_UNKNOWN ? 'allow' : c.fail(`bad handle_unknown bits 0x${hu.toString(16)}`, vat + 4);
  const symNum = c.u32();
  const oNum = c.u32();
  const ocontexts = layoutOf(version).ocontexts.length;
  if (symNum !== SYMBOL_TABLES || oNum !== ocontexts) {
    c.fail(`table sizes (${symNum},${oNum}) do not match version ${version} (${SYMBOL_TABLES},${ocontexts})`, vat + 8);
  }
  return { version, config, handleUnknown };
}

/** The policy-is-module error for a file starting with `magic` (a module package's or a module's). */
function notAKernelPolicy(c: Cursor, magic: number): never {
  let kind = 'module package';
  let what = 'a SELinux module package (.pp)';
  if (magic === POLICYDB_MOD_MAGIC) {
    // checkmodule's output: the module string, then whether it is a base module or a module.
    kind = 'policy module';
    what = 'a SELinux policy module (.mod)';
    const len = POLICYDB_MOD_STRING.length;
    if (c.left >= 4 + len + 4 && c.u32() === len && c.str(len) === POLICYDB_MOD_STRING && c.u32() === POLICY_BASE) {
      kind = 'base policy module';
      what = 'a SELinux base policy module';
    }
  }
  const span = c.file === undefined ? undefined : { file: c.file, line: 0, offset: 0 };
  return fail('policy-is-module', `this is ${what}, not a kernel binary policy: give the compiled policy (policy.NN) or install the module first`, {
    span,
    data: { kind },
  });
}

/** A note for a bad magic that is a compressor's (a .pp.bz2 given as it is shipped, say). */
function compressionNotes(magic: number): { message: string }[] {
  const b0 = magic & 0xff;
  const b1 = (magic >>> 8) & 0xff;
  const b2 = (magic >>> 16) & 0xff;
  const compressor = b0 === 0x42 && b1 === 0x5a && b2 === 0x68 ? 'bzip2' : b0 === 0x1f && b1 === 0x8b ? 'gzip' : magic === 0x587a37fd ? 'xz' : magic === 0xfd2fb528 ? 'zstd' : undefined;
  return compressor ? [{ message: `the file starts like ${compressor}-compressed data: decompress it first` }] : [];
}

/** The fewest bytes of a type attribute map entry: each declared type value takes one. */
const TYPE_ATTR_MAP_ENTRY = SECTIONS.find((s) => s.id === 'typeAttrMap')!.minEntry!;

/** Reads and checks a symbol table's header; sets the section. Returns its declared values and entries. */
export function symtabHeader(c: Cursor, s: Section): { nprim: number; nel: number } {
  c.section = s.name;
  const at = c.pos;
  const nprim = c.u32();
  const nel = c.u32();
  if (nel && !nprim) c.fail(`${nel} entries but no symbols declared`, at);
  c.count(nel, s.minEntry, s.what);
  // Every value has a primary entry, but a type value may have none (an unnamed attribute): it
  // still has its entry in the type attribute map.
  if (s.unnamedValues ? nprim > c.left / TYPE_ATTR_MAP_ENTRY : nprim > nel) c.fail(`${nprim} symbols declared but only ${nel} entries`, at);
  return { nprim, nel };
}

/** A section's u32 count of entries, checked against the bytes left. */
export function sectionCount(c: Cursor, s: Section): number {
  return c.count(c.u32(), s.minEntry, s.what);
}

/** A common's or class's number of permissions (`at`: the entry). */
export function checkPermissionCount(c: Cursor, what: 'common' | 'class', nprim: number, at: number): void {
  if (nprim > PERM_SYMTAB_SIZE) c.fail(`${what} has ${nprim} permissions (max ${PERM_SYMTAB_SIZE})`, at);
}

export function checkBoolState(c: Cursor, state: number, at: number): void {
  if (state > 1) c.fail(`boolean state ${state} is neither 0 nor 1`, at);
}

/**
 * The error for avtab entry `k` at `at` whose key failed the quick test of the
 * read loops (one rule-kind bit, declared type and class values): names what is wrong.
 */
export function badAvtabKey(c: Cursor, k: number, at: number, s: number, t: number, cl: number, spec: number, ntypes: number, nclasses: number): never {
  if ((spec & AVTAB_SPEC_MASK) === 0 || (spec & (spec - 1)) !== 0 || (spec & ~AVTAB_SPEC_MASK) !== 0) c.fail(`avtab entry ${k}: bad rule kind 0x${spec.toString(16)}`, at);
  if (s === 0 || s > ntypes || t === 0 || t > ntypes) c.fail(`avtab entry ${k}: type value out of range (${s}, ${t}; ${ntypes} types)`, at);
  return c.fail(`avtab entry ${k}: class value ${cl} out of range (${nclasses} classes)`, at);
}

/** A type rule's (type_transition, type_member, type_change) new type, at `at` (avtab entry `k`): a declared type value. */
export function checkNewType(c: Cursor, k: number, at: number, data: number, ntypes: number): void {
  if (data === 0 || data > ntypes) c.fail(`avtab entry ${k}: new type value ${data} out of range (${ntypes} types)`, at);
}

/** Checks an extended-permission avtab entry at `at` (42 bytes, already in hand) and its kind byte. */
export function checkXpermEntry(c: Cursor, k: number, at: number, version: number, conditional: boolean, specified: number): void {
  const has = layoutOf(version).has;
  if (!has.xperms) c.fail(`avtab entry ${k}: extended permissions need version ${V.XPERMS_IOCTL}`, at);
  if (conditional && !has.conditionalXperms) c.fail(`avtab entry ${k}: conditional extended permissions need version ${V.COND_XPERMS}`, at);
  if (specified < XPERMS_IOCTLFUNCTION || specified > XPERMS_NLMSG) c.fail(`avtab entry ${k}: unknown extended permission kind ${specified}`, at + 8);
}

/** Checks node (type, b) at `at` of conditional `i`'s expression; returns the stack depth after it. */
export function condNode(c: Cursor, i: number, at: number, type: number, b: number, depth: number, nbools: number): number {
  switch (type) {
    case COND.BOOL:
      if (b < 1 || b > nbools) c.fail(`conditional ${i}: boolean value ${b} out of range`, at);
      if (depth + 1 > COND_EXPR_MAXDEPTH) c.fail(`conditional ${i}: expression too deep`, at);
      return depth + 1;
    case COND.NOT:
      if (depth < 1) c.fail(`conditional ${i}: "not" without an operand`, at);
      return depth;
    case COND.OR:
    case COND.AND:
    case COND.XOR:
    case COND.EQ:
    case COND.NEQ:
      if (depth < 2) c.fail(`conditional ${i}: binary operator without two operands`, at);
      return depth - 1;
    default:
      return c.fail(`conditional ${i}: unknown expression node type ${type}`, at);
  }
}

/** The head of conditional `i` at `at`: a non-empty expression. */
export function checkCondHead(c: Cursor, i: number, at: number, nexpr: number): void {
  if (nexpr === 0) c.fail(`conditional ${i} has an empty expression`, at);
}

/** The end of conditional `i`'s expression: one value left. */
export function checkCondEnd(c: Cursor, i: number, at: number, depth: number): void {
  if (depth !== 1) c.fail(`conditional ${i}: expression does not reduce to one value`, at);
}

/**
 * Checks node (type, attr, op) at `at` of a constraint expression; returns
 * the stack depth after it (a constraint's starts at -1 and must end at 0).
 */
export function constraintNode(c: Cursor, at: number, type: number, attr: number, op: number, depth: number, validatetrans: boolean): number {
  switch (type) {
    case CEXPR.NOT:
      if (depth < 0) c.fail('constraint: "not" without an operand', at);
      return depth;
    case CEXPR.AND:
    case CEXPR.OR:
      if (depth < 1) c.fail('constraint: binary operator without two operands', at);
      return depth - 1;
    case CEXPR.ATTR:
    case CEXPR.NAMES:
      if (type === CEXPR.NAMES && !validatetrans && (attr & CEXPR.XTARGET) !== 0) c.fail('constraint: u3/r3/t3 outside validatetrans', at);
      if (type === CEXPR.NAMES && namesKind(attr) === undefined) c.fail(`constraint: names of no one kind (attribute 0x${attr.toString(16)})`, at);
      if (depth === CEXPR_MAXDEPTH - 1) c.fail('constraint expression too deep', at);
      if (op < CEXPR.EQ || op > CEXPR.INCOMP) c.fail(`constraint: bad operator ${op}`, at);
      return depth + 1;
    default:
      return c.fail(`constraint: unknown expression node type ${type}`, at);
  }
}

/** The kind of symbol a names node's set holds (libsepol: user, role or type, of the source, target or xtarget); undefined for any other attribute. */
export function namesKind(attr: number): 'user' | 'role' | 'type' | undefined {
  if ((attr & (CEXPR.TARGET | CEXPR.XTARGET)) === (CEXPR.TARGET | CEXPR.XTARGET)) return undefined;
  const kind = attr & ~(CEXPR.TARGET | CEXPR.XTARGET);
  return kind === CEXPR.USER ? 'user' : kind === CEXPR.ROLE ? 'role' : kind === CEXPR.TYPE ? 'type' : undefined;
}

/**
 * The highest value the constraints' name sets name, per kind (a type set's maps are types),
 * and the offset of the map that names it. The classes come before the users, roles and
 * types: check() says whether every value is declared once their tables are read
 * (libsepol's policydb_validate).
 */
export class ConstraintNameTops {
  user = 0;
  userAt = 0;
  role = 0;
  roleAt = 0;
  type = 0;
  typeAt = 0;

  /** A map at `at` whose highest value is `value` (0: empty). */
  note(kind: 'user' | 'role' | 'type', value: number, at: number): void {
    if (kind === 'user') {
      if (value > this.user) [this.user, this.userAt] = [value, at];
    } else if (kind === 'role') {
      if (value > this.role) [this.role, this.roleAt] = [value, at];
    } else if (value > this.type) [this.type, this.typeAt] = [value, at];
  }

  /** The tops of a kernel readConstraints whose window starts at file offset `base`. */
  noteKernel(
    k: { topUser: { value: number }; topUserAt: { value: number }; topRole: { value: number }; topRoleAt: { value: number }; topType: { value: number }; topTypeAt: { value: number } },
    base: number,
  ): void {
    this.note('user', k.topUser.value, base + k.topUserAt.value);
    this.note('role', k.topRole.value, base + k.topRoleAt.value);
    this.note('type', k.topType.value, base + k.topTypeAt.value);
  }

  /** Fails (section classes, at the map) when a value is not a declared one. */
  check(c: Cursor, n: SymbolCounts): void {
    const bad = (kind: string, value: number, at: number, declared: number): void => {
      if (value <= declared) return;
      c.section = 'classes';
      c.fail(`constraint names ${kind} value ${value} out of range (${declared} declared)`, at);
    };
    bad('user', this.user, this.userAt, n.users);
    bad('role', this.role, this.roleAt, n.roles);
    bad('type', this.type, this.typeAt, n.types);
  }
}

/** The end of a constraint's expression: one value left. */
export function checkConstraintEnd(c: Cursor, depth: number): void {
  if (depth !== 0) c.fail('constraint expression does not reduce to one value');
}

/** Role transition `i` at `at`. */
export function checkRoleTransition(c: Cursor, i: number, at: number, role: number, type: number, newRole: number, tclass: number, n: SymbolCounts): void {
  if (!inRange(role, n.roles) || !inRange(newRole, n.roles) || !inRange(type, n.types) || !inRange(tclass, n.classes)) c.fail(`role_transition ${i}: value out of range`, at);
}

/** Role allow `i` at `at`. */
export function checkRoleAllow(c: Cursor, i: number, at: number, role: number, newRole: number, n: SymbolCounts): void {
  if (!inRange(role, n.roles) || !inRange(newRole, n.roles)) c.fail(`role allow ${i}: role value out of range`, at);
}

/** Filename transition `i` at `at`, in the layout before version 33 (one per source type). */
export function checkFilenameTransition(c: Cursor, i: number, at: number, stype: number, ttype: number, tclass: number, otype: number, n: SymbolCounts): void {
  if (!inRange(stype, n.types) || !inRange(ttype, n.types) || !inRange(tclass, n.classes) || !inRange(otype, n.types)) c.fail(`filename transition ${i}: value out of range`, at);
}

/** The key of filename transition `i` at `at`, in the compact layout (version 33 on): some data, declared values. */
export function checkFilenameTransitionKey(c: Cursor, i: number, at: number, ttype: number, tclass: number, ndatum: number, n: SymbolCounts): void {
  if (ndatum === 0) c.fail('filename transition without data', at);
  if (!inRange(ttype, n.types) || !inRange(tclass, n.classes)) c.fail(`filename transition ${i}: value out of range`, at);
}

/** The new type of filename transition `i`, at `at`, in the compact layout: a declared type value. */
export function checkFilenameNewType(c: Cursor, i: number, at: number, otype: number, n: SymbolCounts): void {
  if (!inRange(otype, n.types)) c.fail(`filename transition ${i}: new type ${otype} out of range (${n.types} types)`, at);
}

/** Range transition `i` at `at` (its range is checked as it is read). */
export function checkRangeTransition(c: Cursor, i: number, at: number, source: number, target: number, tclass: number, n: SymbolCounts): void {
  if (!inRange(source, n.types) || !inRange(target, n.types) || !inRange(tclass, n.classes)) c.fail(`range_transition ${i}: value out of range`, at);
}

/** The user, role and type of a security context at `at` (its range is checked as it is read). */
export function checkContext(c: Cursor, at: number, user: number, role: number, type: number, n: SymbolCounts): void {
  if (!inRange(user, n.users) || !inRange(role, n.roles) || !inRange(type, n.types)) c.fail(`invalid security context (${user}, ${role}, ${type})`, at);
}

/** An MLS range at `at` has one or two levels. */
export function checkRangeLevels(c: Cursor, at: number, items: number): void {
  if (items < 1 || items > 2) c.fail(`MLS range with ${items} levels`, at);
}

/** An MLS range's sensitivities are declared ones. */
export function checkRangeSensitivities(c: Cursor, at: number, s0: number, s1: number, nlevels: number): void {
  if (s0 > nlevels || s1 > nlevels) c.fail('sensitivity value out of range', at);
}

/** An initial SID's number. */
export function checkInitialSid(c: Cursor, at: number, sid: number): void {
  if (sid === 0 || sid === 0xffffffff) c.fail(`bad initial SID number ${sid}`, at);
}

/** An ibpkeycon's pkey range (16-bit pkeys). */
export function checkPkeys(c: Cursor, at: number, low: number, high: number): void {
  if (low > 0xffff || high > 0xffff) c.fail(`pkey ${low}-${high} out of range`, at);
}

/** An ibendportcon's device name length and port. */
export function checkIbEndport(c: Cursor, at: number, len: number, port: number): void {
  if (len === 0 || len > 63) c.fail(`ibendport device name length ${len}`, at);
  if (port === 0 || port > 255) c.fail(`ibendport port ${port} out of range`, at);
}

/** Is v a declared value of a table of n (values are 1..n)? */
export function inRange(v: number, n: number): boolean {
  return v >= 1 && v <= n;
}
