// Stage 2, the SELinux bodies: AVC and USER_AVC decisions (`avc:  denied
// { perms } for ... scontext=... tcontext=... tclass=...`) and SELINUX_ERR
// invalid contexts. Every name that will reach generated policy (user, role,
// type, class, permissions) is checked against the identifier grammar here: a
// record with a bad one is malformed, never a denial. Repeated kernel
// decisions are recognised by their bytes (decisions.ts) and skip all of it.
// Not here: record headers (record.ts), plain fields (fields.ts).

import { escapeControl } from '../../base/printDiagnostic.js';
import { parseContext, type SecurityContext } from '../../selinux/ir/context.js';
import { isClassName, isPermissionName, isRoleName, isTypeName, isUserName } from '../../selinux/ir/identifier.js';
import { ascii, IS_SPACE, indexOf, skipSpace, skipToken, startsWith, text } from './bytes.js';
import { bodyHash, type DecisionBytes } from './decisions.js';
import { findToken, Malformed, parseFields } from './fields.js';
import { ioctlRequestNumber } from './ioctlNames.js';
import type { AuditRecord, ParseOptions } from './record.js';

/** An AVC denial or grant, as the kernel or a userspace object manager logged it. */
export interface AvcMessage {
  verb: 'denied' | 'granted';
  perms: string[];
  scontext: SecurityContext;
  tcontext: SecurityContext;
  tclass: string;
  permissive?: boolean | undefined;
  /** The ioctl request number, when the denial was for an ioctl. */
  ioctlcmd?: number | undefined;
}

/** SELINUX_ERR `security_compute_sid: invalid context`: a role/type pair the policy lacks. */
export interface InvalidContextMessage {
  context: SecurityContext;
  scontext?: SecurityContext;
  tcontext?: SecurityContext;
  tclass?: string;
}

export const L_AVC = ascii('avc:');
export const L_COMPUTE_SID = ascii('security_compute_sid:');

/** A context string that is not a context: which part is not an identifier, or none when it is not `user:role:type[:level]` at all. */
interface BadContext {
  bad: 'user' | 'role' | 'type' | undefined;
  /** Where the bad part starts in the string (UTF-16 units). */
  at: number;
}

const contextCache = new Map<string, SecurityContext | BadContext>();

/**
 * Parses a context string and checks its user, role and type against the
 * identifier grammar, remembering the distinct ones: contexts repeat a lot in
 * logs, so each distinct one is checked once.
 */
function cachedContext(s: string): SecurityContext | BadContext {
  let c = contextCache.get(s);
  if (c === undefined) {
    c = checkedContext(s);
    if (contextCache.size > 100_000) contextCache.clear();
    contextCache.set(s, c);
  }
  return c;
}

function checkedContext(s: string): SecurityContext | BadContext {
  const c = parseContext(s);
  if (c === undefined) return { bad: undefined, at: 0 };
  if (!isUserName(c.user)) return { bad: 'user', at: 0 };
  if (!isRoleName(c.role)) return { bad: 'role', at: c.user.length + 1 };
  if (!isTypeName(c.type)) return { bad: 'type', at: c.user.length + c.role.length + 2 };
  return c;
}

function isBad(c: SecurityContext | BadContext): c is BadContext {
  return 'bad' in c;
}

/**
 * The context in field `key` (`scontext`, ...), or Malformed pointing at the
 * value (or at its bad part) with a reason naming the field and the value.
 */
function contextField(buf: Buffer, from: number, end: number, key: string, value: string): SecurityContext {
  const c = cachedContext(value);
  if (!isBad(c)) return c;
  const pos = valuePos(buf, from, end, key);
  if (c.bad === undefined) throw new Malformed(pos, `invalid ${key} '${escapeControl(value)}' (expected user:role:type[:level])`);
  const part = contextPart(value, c.bad);
  throw new Malformed(pos + Buffer.byteLength(value.slice(0, c.at)), `invalid ${c.bad} '${escapeControl(part)}' in ${key} '${escapeControl(value)}' (not an SELinux identifier)`);
}

function contextPart(value: string, part: 'user' | 'role' | 'type'): string {
  const c = parseContext(value)!;
  return c[part];
}

const L_DENIED = ascii('denied');
const L_GRANTED = ascii('granted');

/** Parses the body of an AVC or USER_AVC record: `avc:  denied  { perms } for  fields`. */
export function parseAvcBody(buf: Buffer, p: number, end: number, rec: AuditRecord, opts: ParseOptions): void {
  // Kernel records start their body with avc:; look further only if not.
  const b = skipSpace(buf, p, end);
  const v = startsWith(buf, b, end, L_AVC) ? b : findToken(buf, L_AVC, p, end);
  if (v < 0) {
    // USER_AVC without an avc: message, or an AVC line cut short.
    parseFields(buf, p, end, rec, false, opts);
    if (rec.type === 'AVC') throw new Malformed(p, "expected 'avc:' in an AVC record");
    return;
  }
  // Fields before the message (a USER_AVC's pid=, subj=, ...): a decision is only memoised when
  // none of them is one the parse keeps, since its key is the bytes after `avc:`.
  let prefixKept = false;
  if (v > p) {
    parseFields(buf, p, v - (buf[v - 1] === 0x27 ? 5 : 0), rec, false, opts);
    for (const _ in rec.fields) prefixKept = true;
  }
  let q = skipSpace(buf, v + 4, end);
  const verbEnd = skipToken(buf, q, end);
  const verb = verbEnd - q === 6 && startsWith(buf, q, end, L_DENIED) ? 'denied' : verbEnd - q === 7 && startsWith(buf, q, end, L_GRANTED) ? 'granted' : text(buf, q, verbEnd);
  if (verb !== 'denied' && verb !== 'granted') {
    // "avc:  received policyload notice", "avc:  op=setenforce ...": valid, not an access decision.
    if (verb === 'received' || verb.startsWith('op=')) {
      rec.avcNotice = true;
      parseFields(buf, verb === 'received' ? verbEnd : q, end, rec, false, opts);
      return;
    }
    throw new Malformed(q, "expected 'denied' or 'granted' after 'avc:'");
  }
  q = skipSpace(buf, verbEnd, end);
  if (buf[q] !== 0x7b || (q + 1 < end && IS_SPACE[buf[q + 1]!] !== 1)) {
    throw new Malformed(q, `expected '{' and a permission list after 'avc: ${verb}'`);
  }
  const open = q;
  q = skipSpace(buf, q + 1, end);
  const permsStart = q;
  let permsEnd = q;
  for (;;) {
    if (q >= end) throw new Malformed(open, "unbalanced braces: no '}' closes the permission list");
    const e = skipToken(buf, q, end);
    if (e === q + 1 && buf[q] === 0x7d) {
      q = e;
      break;
    }
    if (buf[q] === 0x7b) throw new Malformed(q, "unbalanced braces: '{' inside the permission list");
    permsEnd = e;
    q = skipSpace(buf, e, end);
  }
  const memo = opts.decisions;
  let key: DecisionBytes | undefined;
  if (memo !== undefined && !rec.interpreted && !prefixKept) {
    key = decisionBytes(buf, verb === 'granted', rec.type === 'USER_AVC', permsStart, permsEnd, q, end);
    const id = key === undefined ? -1 : memo.find(buf, key);
    if (id >= 0) {
      rec.avc = memo.messages[id];
      rec.decisionId = id;
      return;
    }
  }
  const perms: string[] = [];
  let badPerm = -1;
  for (let i = permsStart; i < permsEnd; ) {
    const e = skipToken(buf, i, permsEnd);
    const perm = text(buf, i, e);
    if (badPerm < 0 && !isPermissionName(perm)) badPerm = i;
    perms.push(perm);
    i = skipSpace(buf, e, permsEnd);
  }
  if (perms.length === 0) throw new Malformed(open, 'empty permission list');
  parseFields(buf, q, end, rec, false, opts);
  const f = rec.fields;
  const sctx = f.scontext;
  const tctx = f.tcontext;
  const tclass = f.tclass;
  if (sctx === undefined) throw new Malformed(q, 'AVC record has no scontext=');
  if (tctx === undefined) throw new Malformed(q, 'AVC record has no tcontext=');
  if (tclass === undefined || tclass === '') throw new Malformed(q, 'AVC record has no tclass=');
  // Checked in the order of the rule they would make: allow S T:C { P }.
  const scontext = contextField(buf, q, end, 'scontext', sctx);
  const tcontext = contextField(buf, q, end, 'tcontext', tctx);
  if (!isClassName(tclass)) throw new Malformed(valuePos(buf, q, end, 'tclass'), `invalid tclass '${escapeControl(tclass)}' (not an SELinux identifier)`);
  if (badPerm >= 0) {
    const perm = text(buf, badPerm, skipToken(buf, badPerm, permsEnd));
    throw new Malformed(badPerm, `invalid permission '${escapeControl(perm)}' (not an SELinux identifier)`);
  }
  const permissive = f.permissive;
  const ioctl = f.ioctlcmd;
  const ioctlcmd = ioctl === undefined ? undefined : ioctlNumber(buf, q, end, ioctl, rec.interpreted);
  const avc: AvcMessage = { verb, perms, scontext, tcontext, tclass, permissive: permissive === undefined ? undefined : permissive === '1', ioctlcmd };
  rec.avc = avc;
  if (key !== undefined && memo !== undefined && memoKeyHolds(buf, key, avc)) {
    const id = memo.add(buf, key, avc);
    if (id >= 0) rec.decisionId = id;
  }
}

/**
 * The request number of `ioctlcmd=`: hex as the kernel writes it, or, in
 * `ausearch -i` output, the name ausearch printed for it. A name ausearch does
 * not print (so not from ausearch) makes the record malformed: kept without
 * its number, the denial would give `allow ... ioctl` without the allowxperm
 * rule the raw log gives, which grants every ioctl request. In a raw log a
 * value that is not hex is ignored, as audit2allow ignores it.
 */
function ioctlNumber(buf: Buffer, from: number, end: number, value: string, interpreted: boolean): number | undefined {
  const n = parseHexNumber(value);
  // The kernel logs 16 bits (ioctlcmd=0x%hx): a larger number is not from it, and no xperm rule can hold it.
  if (n !== undefined && n > 0xffff) throw new Malformed(valuePos(buf, from, end, 'ioctlcmd'), `ioctl request '${escapeControl(value)}' in ioctlcmd is out of range (16 bits: 0 to 0xffff)`);
  if (n !== undefined || !interpreted) return n;
  const named = ioctlRequestNumber(value);
  if (named === undefined)
    throw new Malformed(valuePos(buf, from, end, 'ioctlcmd'), `unknown ioctl request name '${escapeControl(value)}' in ioctlcmd (not one ausearch prints; read the raw log instead)`);
  return named;
}

/**
 * A hex number as Python's int(s, 16) reads it (optional 0x, underscores
 * between digits, surrounding blanks); undefined for anything else, such as
 * the ioctl names `ausearch -i` prints (`ioctlcmd=FIONBIO`).
 */
export function parseHexNumber(s: string): number | undefined {
  const m = /^\s*(0[xX]_?)?([0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)\s*$/.exec(s);
  return m ? Number.parseInt(m[2]!.replaceAll('_', ''), 16) : undefined;
}

const L_SCONTEXT = ascii(' scontext=');
const L_TCONTEXT = ascii(' tcontext=');
const L_TCLASS = ascii(' tclass=');
const L_IOCTLCMD = ascii(' ioctlcmd=');
const L_IOCTL = ascii('ioctl');
const L_PERMISSIVE = ascii(' permissive=');

/** The one DecisionBytes decisionBytes fills (read before the next line is parsed). */
const KEY: DecisionBytes = { granted: false, user: false, permsStart: 0, permsEnd: 0, tailStart: 0, tailEnd: 0, tailHash: 0, ioctlStart: -1, ioctlEnd: -1 };

/**
 * Where the decision of an AVC line is (see decisions.ts): undefined when the line has no
 * ` scontext=` near its end. A key is only added to the memo once the full parse has shown that
 * its bytes decide the message (memoKeyHolds), so a hit needs no further checks. The answer is
 * overwritten by the next call.
 */
function decisionBytes(buf: Buffer, granted: boolean, user: boolean, permsStart: number, permsEnd: number, after: number, end: number): DecisionBytes | undefined {
  // Scan back from the end for " scontext=" (the kernel writes it last but three), hashing the
  // tail on the way: the one pass over its bytes before the memo's comparison.
  const stop = Math.max(after, end - 1024);
  let sc = -1;
  let h = 0x811c9dc5;
  for (let i = end - 1; i >= stop; i--) {
    const c = buf[i]!;
    h = Math.imul(h ^ c, 0x01000193);
    if (c === 0x20 && buf[i + 1] === 0x73 && startsWith(buf, i, end, L_SCONTEXT)) {
      sc = i;
      break;
    }
  }
  if (sc < 0) return undefined;
  const d = KEY;
  d.granted = granted;
  d.user = user;
  d.permsStart = permsStart;
  d.permsEnd = permsEnd;
  d.tailStart = sc;
  d.tailEnd = end;
  d.tailHash = h;
  d.ioctlStart = -1;
  d.ioctlEnd = -1;
  // Only ioctl denials carry an ioctlcmd; look for it only then.
  if (indexOf(buf, L_IOCTL, permsStart, permsEnd) >= 0) {
    const io = indexOf(buf, L_IOCTLCMD, after - 1, end);
    if (io >= 0) {
      d.ioctlStart = io + L_IOCTLCMD.length;
      d.ioctlEnd = skipToken(buf, d.ioctlStart, end);
    }
  }
  return d;
}

/**
 * True when the key's bytes decide `avc` (values later in a line win): its tail holds tcontext=
 * and tclass=, and permissive= when the line has one; an ioctlcmd is in the key (only ioctl
 * denials carry one; any other line with an ioctlcmd is not memoised).
 */
function memoKeyHolds(buf: Buffer, d: DecisionBytes, avc: AvcMessage): boolean {
  if (indexOf(buf, L_TCONTEXT, d.tailStart, d.tailEnd) < 0 || indexOf(buf, L_TCLASS, d.tailStart, d.tailEnd) < 0) return false;
  if (avc.permissive !== undefined && indexOf(buf, L_PERMISSIVE, d.tailStart, d.tailEnd) < 0) return false;
  if (avc.ioctlcmd !== undefined && d.ioctlStart < 0) return false;
  return true;
}

/** Where the value of the last `key=` at or after `from` starts (after a quote), or `from`. */
function valuePos(buf: Buffer, from: number, end: number, key: string): number {
  const lit = ascii(`${key}=`);
  let at = -1;
  for (let i = findToken(buf, lit, from, end); i >= 0; i = findToken(buf, lit, i + lit.length, end)) at = i;
  if (at < 0) return from;
  const v = at + lit.length;
  return buf[v] === 0x22 ? v + 1 : v;
}

const L_INVALID_CONTEXT = ascii('invalid context');

/**
 * SELINUX_ERR. Old kernels: `security_compute_sid:  invalid context CTX for
 * scontext=.. tcontext=.. tclass=..`; newer: `op=security_compute_sid
 * invalid_context="CTX" scontext=...`.
 */
export function parseSelinuxErr(buf: Buffer, p: number, end: number, rec: AuditRecord, opts: ParseOptions): void {
  // A body seen before parses to the same invalid context (its fields are then not set: nobody reads them).
  const memo = rec.interpreted ? undefined : opts.decisions;
  const hash = memo === undefined ? 0 : bodyHash(buf, p, end);
  const known = memo?.findInvalidContext(buf, p, end, hash);
  if (known !== undefined) {
    rec.invalidContext = known;
    return;
  }
  const cs = findToken(buf, L_COMPUTE_SID, p, end);
  let ctxText: string | undefined;
  let ctxPos = p;
  if (cs >= 0) {
    const ic = indexOf(buf, L_INVALID_CONTEXT, cs, end);
    if (ic >= 0) {
      const s = skipSpace(buf, ic + L_INVALID_CONTEXT.length, end);
      const e = skipToken(buf, s, end);
      ctxText = text(buf, s, e);
      ctxPos = s;
      parseFields(buf, e, end, rec, false, opts);
      if (ctxText === '') throw new Malformed(s, "expected a context after 'invalid context'");
    } else {
      parseFields(buf, cs + L_COMPUTE_SID.length, end, rec, false, opts);
    }
  } else {
    parseFields(buf, p, end, rec, false, opts);
    if (rec.fields.op === 'security_compute_sid') {
      ctxText = rec.fields.invalid_context;
      ctxPos = valuePos(buf, p, end, 'invalid_context');
    }
  }
  if (ctxText === undefined) return;
  const context = cachedContext(ctxText);
  if (isBad(context)) {
    const what = context.bad === undefined ? '(expected user:role:type[:level])' : `(its ${context.bad} '${escapeControl(contextPart(ctxText, context.bad))}' is not an SELinux identifier)`;
    throw new Malformed(ctxPos, `invalid context '${escapeControl(ctxText)}' ${what}`);
  }
  const m: InvalidContextMessage = { context };
  const f = rec.fields;
  // scontext= and tcontext= that are not contexts at all are left out, as before; names that are not identifiers are not.
  if (f.scontext !== undefined && parseContext(f.scontext) !== undefined) m.scontext = contextField(buf, p, end, 'scontext', f.scontext);
  if (f.tcontext !== undefined && parseContext(f.tcontext) !== undefined) m.tcontext = contextField(buf, p, end, 'tcontext', f.tcontext);
  if (f.tclass !== undefined) {
    if (!isClassName(f.tclass)) throw new Malformed(valuePos(buf, p, end, 'tclass'), `invalid tclass '${escapeControl(f.tclass)}' (not an SELinux identifier)`);
    m.tclass = f.tclass;
  }
  rec.invalidContext = m;
  memo?.addInvalidContext(buf, p, end, hash, m);
}
