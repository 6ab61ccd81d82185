// Stage 2, the SELinux bodies: AVC and USER_AVC decisions (`avc:  denied
// { perms } for ... scontext=... tcontext=... tclass=...`) and SELINUX_ERR
// invalid contexts. Every name that will reach generated policy (user, role,
// type, class, permissions) is checked against the identifier grammar here: a
// record with a bad one is malformed, never a denial. Repeated kernel
// decisions are recognised by their bytes (decisions.ts) and skip all of it.
// Not here: record headers (record.ts), plain fields (fields.ts).

import { parseContext, type SecurityContext } from '../selinux/ir/context.js';
import { ascii, IS_SPACE, indexOf, skipSpace, skipToken, startsWith, text } from './bytes.js';
import type { DecisionBytes } from './decisions.js';
import { findToken, Malformed, parseFields } from './fields.js';
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

const contextCache = new Map<string, SecurityContext | null>();

/** Parses a context string, remembering the distinct ones (they repeat a lot in logs). */
function cachedContext(s: string): SecurityContext | undefined {
  let c = contextCache.get(s);
  if (c === undefined) {
    c = parseContext(s) ?? null;
    if (contextCache.size > 100_000) contextCache.clear();
    contextCache.set(s, c);
  }
  return c ?? undefined;
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
  if (v > p) parseFields(buf, p, v - (buf[v - 1] === 0x27 ? 5 : 0), rec, false, opts);
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
  if (memo !== undefined && rec.type === 'AVC' && !rec.interpreted) {
    key = decisionBytes(buf, verb === 'granted', permsStart, permsEnd, q, end);
    const id = key === undefined ? -1 : memo.find(buf, key);
    if (id >= 0) {
      rec.avc = memo.messages[id];
      rec.decisionId = id;
      return;
    }
  }
  const perms: string[] = [];
  for (let i = permsStart; i < permsEnd; ) {
    const e = skipToken(buf, i, permsEnd);
    perms.push(text(buf, i, e));
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
  const scontext = cachedContext(sctx);
  if (!scontext) throw new Malformed(fieldPos(buf, q, end, 'scontext='), `invalid scontext '${sctx}' (expected user:role:type[:level])`);
  const tcontext = cachedContext(tctx);
  if (!tcontext) throw new Malformed(fieldPos(buf, q, end, 'tcontext='), `invalid tcontext '${tctx}' (expected user:role:type[:level])`);
  const permissive = f.permissive;
  const ioctl = f.ioctlcmd;
  const ioctlcmd = ioctl === undefined ? undefined : parseHexNumber(ioctl);
  const avc: AvcMessage = { verb, perms, scontext, tcontext, tclass, permissive: permissive === undefined ? undefined : permissive === '1', ioctlcmd };
  rec.avc = avc;
  if (key !== undefined && memo !== undefined && memoKeyHolds(buf, key)) {
    const id = memo.add(buf, key, avc);
    if (id >= 0) rec.decisionId = id;
  }
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

/**
 * Where the decision of a kernel AVC line is (see decisions.ts): undefined
 * when the line has no ` scontext=` near its end. A key is only added to the
 * memo once the full parse has shown that its tail holds the decision fields
 * (memoKeyHolds), so a hit needs no further checks.
 */
function decisionBytes(buf: Buffer, granted: boolean, permsStart: number, permsEnd: number, after: number, end: number): DecisionBytes | undefined {
  // Scan back from the end for " scontext=" (the kernel writes it last but three).
  const stop = Math.max(after, end - 1024);
  let sc = -1;
  for (let i = end - L_SCONTEXT.length; i >= stop; i--) {
    if (buf[i + 1] === 0x73 && buf[i] === 0x20 && startsWith(buf, i, end, L_SCONTEXT)) {
      sc = i;
      break;
    }
  }
  if (sc < 0) return undefined;
  const d: DecisionBytes = { granted, permsStart, permsEnd, tailStart: sc, tailEnd: end, ioctlStart: -1, ioctlEnd: -1 };
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

/** True when the tail of the key holds tcontext= and tclass= (values later in a line win). */
function memoKeyHolds(buf: Buffer, d: DecisionBytes): boolean {
  return indexOf(buf, L_TCONTEXT, d.tailStart, d.tailEnd) >= 0 && indexOf(buf, L_TCLASS, d.tailStart, d.tailEnd) >= 0;
}

function fieldPos(buf: Buffer, from: number, end: number, key: string): number {
  const i = findToken(buf, ascii(key), from, end);
  return i < 0 ? from : i + key.length;
}

const L_INVALID_CONTEXT = ascii('invalid context');

/**
 * SELINUX_ERR. Old kernels: `security_compute_sid:  invalid context CTX for
 * scontext=.. tcontext=.. tclass=..`; newer: `op=security_compute_sid
 * invalid_context="CTX" scontext=...`.
 */
export function parseSelinuxErr(buf: Buffer, p: number, end: number, rec: AuditRecord, opts: ParseOptions): void {
  const cs = findToken(buf, L_COMPUTE_SID, p, end);
  let ctxText: string | undefined;
  if (cs >= 0) {
    const ic = indexOf(buf, L_INVALID_CONTEXT, cs, end);
    if (ic >= 0) {
      const s = skipSpace(buf, ic + L_INVALID_CONTEXT.length, end);
      const e = skipToken(buf, s, end);
      ctxText = text(buf, s, e);
      parseFields(buf, e, end, rec, false, opts);
      if (ctxText === '') throw new Malformed(s, "expected a context after 'invalid context'");
    } else {
      parseFields(buf, cs + L_COMPUTE_SID.length, end, rec, false, opts);
    }
  } else {
    parseFields(buf, p, end, rec, false, opts);
    if (rec.fields.op === 'security_compute_sid') ctxText = rec.fields.invalid_context;
  }
  if (ctxText === undefined) return;
  const context = cachedContext(ctxText);
  if (!context) throw new Malformed(p, `invalid context '${ctxText}' (expected user:role:type[:level])`);
  const m: InvalidContextMessage = { context };
  const f = rec.fields;
  const s = f.scontext !== undefined ? cachedContext(f.scontext) : undefined;
  const t = f.tcontext !== undefined ? cachedContext(f.tcontext) : undefined;
  if (s) m.scontext = s;
  if (t) m.tcontext = t;
  if (f.tclass !== undefined) m.tclass = f.tclass;
  rec.invalidContext = m;
}
