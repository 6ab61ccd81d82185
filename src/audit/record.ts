// Stage 2: one line -> one audit record. Understands raw audit.log records
// (with node=/host= prefixes), syslog, dmesg and journal lines that carry
// `audit(...)` or `avc:`, USER_AVC, auditd's ENRICHED format and
// `ausearch -i` output. Works on bytes; only the fields a caller needs become
// strings.

import type { Span } from '../base/span.js';
import { parseContext, type SecurityContext } from '../selinux/ir/context.js';
import { ascii, decodeHex, GROUP_SEPARATOR, IS_SPACE, indexOf, isHex, parseUint, skipSpace, skipToken, startsWith, text, type WordMatcher } from './bytes.js';
import type { DecisionBytes, DecisionMemo } from './decisions.js';
import { recordTypeAt } from './types.js';

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

export interface AuditRecord {
  kind: 'record';
  /** Record type name ("AVC", "SYSCALL", ...); numeric types are mapped to names. */
  type: string;
  node?: string | undefined;
  /** The text inside `audit(...)`; absent on bare `avc:` syslog lines. */
  stamp?: string | undefined;
  /** Seconds since the epoch (raw stamps only; `ausearch -i` prints local time). */
  time?: number | undefined;
  serial?: number | undefined;
  /** True for `ausearch -i` output, whose values are already interpreted. */
  interpreted: boolean;
  /** Field values with quotes removed and hex decoded. Later keys win. */
  fields: Record<string, string>;
  /** ENRICHED format: the interpreted upper-case fields after the \x1d separator. */
  enriched?: Record<string, string> | undefined;
  avc?: AvcMessage | undefined;
  /** The decision's id in ParseOptions.decisions, when it was memoised there. */
  decisionId?: number | undefined;
  /** An `avc:` message that is not an access decision (policyload or setenforce notice). */
  avcNotice?: boolean | undefined;
  invalidContext?: InvalidContextMessage | undefined;
  /** audit2allow's header token (`audit(1.2:3):`), shown by `allow -e`. */
  header: string;
  loc: Span;
  /** The line as text; kept only when the caller asks for it. */
  text?: string | undefined;
}

export interface MalformedRecord {
  kind: 'malformed';
  loc: Span;
  /** 1-based byte column where parsing failed. */
  col: number;
  reason: string;
  type?: string;
}

export interface ParseOptions {
  /**
   * Parse every record type fully. When false, only the records that
   * SELinux policy generation reads are parsed; the rest are checked for a
   * valid header and returned as SKIPPED.
   */
  full: boolean;
  /** Keep the line's text on the record (for `allow -e`). */
  keepText: boolean;
  /** Store only these fields (all when absent): saves building strings nobody reads. */
  keys?: WordMatcher;
  /**
   * Recognise repeated kernel AVC decisions from their bytes. A record
   * recognised this way shares its `avc` with earlier ones, gets a
   * `decisionId`, and has no decision fields in `fields`.
   */
  decisions?: DecisionMemo;
  /**
   * Build the stamp, serial, time and header of each record (default). When
   * false the stamp is only checked: for callers that never group records.
   */
  stamps?: boolean;
}

/** A well-formed record of a type the caller did not ask to parse. */
export const SKIPPED = Object.freeze({ kind: 'skipped' as const });
export type ParseResult = AuditRecord | MalformedRecord | typeof SKIPPED | null;

const L_TYPE = ascii('type=');
const L_NODE = ascii('node=');
const L_HOST = ascii('host=');
const L_MSG_AUDIT = ascii('msg=audit(');
const L_AUDIT = ascii('audit(');
const L_MSG = ascii('msg');
const L_AVC = ascii('avc:');
const L_COMPUTE_SID = ascii('security_compute_sid:');

/** Record types whose fields policy generation reads. */
const SELINUX_TYPES = new Set(['AVC', 'USER_AVC', 'SELINUX_ERR', 'USER_SELINUX_ERR', 'MAC_POLICY_LOAD', 'DAEMON_START', 'AVC_PATH']);

/** Fields the kernel hex-encodes when the value holds a space, quote or control byte. */
const ENCODED = new Set(['comm', 'exe', 'name', 'path', 'cwd', 'proctitle', 'cmd', 'cmdline', 'key', 'data', 'dir', 'file', 'ocomm', 'root_dir', 'old-path', 'new-path', 'acct', 'old_prom']);

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

class Malformed extends Error {
  constructor(
    readonly pos: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * Parses one line. Returns null when the line is not an audit record at all
 * (other syslog traffic, `----` separators): such lines are not ours.
 * `loc` is copied, never kept, so callers may reuse one object.
 */
export function parseRecord(buf: Buffer, start: number, end: number, loc: Span, opts: ParseOptions): ParseResult {
  let type: string | undefined;
  try {
    let p = skipSpace(buf, start, end);
    if (p === end) return null;
    let node: string | undefined;
    // node=HOST / host=HOST prefixes (auditd's name_format, remote logging).
    while (startsWith(buf, p, end, L_NODE) || startsWith(buf, p, end, L_HOST)) {
      const e = skipToken(buf, p, end);
      node = text(buf, p + 5, e);
      p = skipSpace(buf, e, end);
    }
    let bodyStart: number;
    let stamp: Stamp | undefined;
    let interpreted = false;
    let header = '';
    if (startsWith(buf, p, end, L_TYPE)) {
      // Raw audit.log: type=X msg=audit(S.MS:N): ...
      const e = skipToken(buf, p, end);
      if (e === p + 5) throw new Malformed(p + 5, 'expected a record type after type=');
      type = recordTypeAt(buf, p + 5, e);
      p = skipSpace(buf, e, end);
      if (!startsWith(buf, p, end, L_MSG_AUDIT)) {
        if (p === end) throw new Malformed(p, 'record ends after its type; expected msg=audit(SECONDS.MS:SERIAL):');
        throw new Malformed(p, 'expected msg=audit(SECONDS.MS:SERIAL): after the record type');
      }
      if (!opts.full && !SELINUX_TYPES.has(type)) {
        checkStamp(buf, p + 10, end);
        return SKIPPED;
      }
      stamp = readStamp(buf, p + 10, end, opts.stamps !== false);
      interpreted = stamp.interpreted;
      header = stamp.header;
      bodyStart = stamp.bodyStart;
    } else {
      // syslog / dmesg / journal: "... kernel: audit(...): avc: ..." or
      // "... audit: type=1400 audit(...): avc: ..." or a bare "avc: ...".
      const a = findToken(buf, L_AUDIT, p, end);
      if (a >= 0) {
        const t = findToken(buf, L_TYPE, p, a);
        if (t >= 0) type = recordTypeAt(buf, t + 5, skipToken(buf, t, a));
        stamp = readStamp(buf, a + 6, end, opts.stamps !== false);
        interpreted = stamp.interpreted;
        header = stamp.header;
        bodyStart = stamp.bodyStart;
      } else {
        // journald: "audit[PID]: TYPE fields" or "audit: TYPE fields", no stamp.
        const j = journalType(buf, p, end);
        if (j !== undefined) {
          type = j.type;
          bodyStart = j.bodyStart;
        } else {
          const v = findToken(buf, L_AVC, p, end);
          if (v < 0) return null;
          bodyStart = v;
          type = 'AVC';
        }
      }
      if (type === undefined) {
        const b = skipSpace(buf, bodyStart, end);
        if (startsWith(buf, b, end, L_AVC)) type = 'AVC';
        else if (startsWith(buf, b, end, L_COMPUTE_SID)) type = 'SELINUX_ERR';
        else type = 'UNKNOWN';
      }
      if (!opts.full && !SELINUX_TYPES.has(type)) return SKIPPED;
    }

    // A line without a stamp gets audit2allow's header all the same.
    if (stamp === undefined && opts.stamps !== false) header = pythonHeader(buf, start, end);

    // Every property is set here, in one order, so that all records share one
    // shape and property reads downstream stay monomorphic (fast).
    const rec: AuditRecord = {
      kind: 'record',
      type,
      node,
      stamp: stamp?.stamp || undefined,
      time: stamp !== undefined && !interpreted && stamp.stamp !== '' ? stamp.time : undefined,
      serial: stamp?.stamp ? stamp.serial : undefined,
      interpreted,
      fields: {},
      enriched: undefined,
      avc: undefined,
      decisionId: undefined,
      avcNotice: undefined,
      invalidContext: undefined,
      header,
      // A copy: callers may reuse one loc object for every line.
      loc: { file: loc.file, line: loc.line },
      text: opts.keepText ? text(buf, start, end) : undefined,
    };

    if (type === 'AVC' || type === 'USER_AVC') parseAvcBody(buf, bodyStart, end, rec, opts);
    else if (type === 'SELINUX_ERR' || type === 'USER_SELINUX_ERR') parseSelinuxErr(buf, bodyStart, end, rec, opts);
    else parseFields(buf, bodyStart, end, rec, type === 'EXECVE', opts);
    return rec;
  } catch (err) {
    if (!(err instanceof Malformed)) throw err;
    const m: MalformedRecord = { kind: 'malformed', loc: { file: loc.file, line: loc.line }, col: err.pos - start + 1, reason: err.reason };
    if (type !== undefined) m.type = type;
    return m;
  }
}

/** Convenience for callers holding a string. */
export function parseAuditRecord(line: string, loc: Span, opts: Partial<ParseOptions> = {}): ParseResult {
  const buf = Buffer.from(line, 'utf8');
  return parseRecord(buf, 0, buf.length, loc, { full: opts.full ?? true, keepText: opts.keepText ?? false });
}

const L_AUDIT_COLON = ascii('audit');

/** The record type of a journald audit line (`audit[123]: AVC ...`, `audit: SELINUX_ERR ...`). */
function journalType(buf: Buffer, from: number, end: number): { type: string; bodyStart: number } | undefined {
  for (let i = findToken(buf, L_AUDIT_COLON, from, end); i >= 0; i = findToken(buf, L_AUDIT_COLON, i + 5, end)) {
    let p = i + 5;
    if (buf[p] === 0x5b) {
      p++;
      while (p < end && buf[p]! >= 48 && buf[p]! <= 57) p++;
      if (buf[p] !== 0x5d) continue;
      p++;
    }
    if (buf[p] !== 0x3a || IS_SPACE[buf[p + 1]!] !== 1) continue;
    const ts = skipSpace(buf, p + 1, end);
    const te = skipToken(buf, ts, end);
    if (te === ts) return undefined;
    for (let k = ts; k < te; k++) {
      const c = buf[k]!;
      if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 0x5f)) return undefined;
    }
    return { type: recordTypeAt(buf, ts, te), bodyStart: te };
  }
  return undefined;
}

/**
 * sepolgen's header: the value of the first token that is exactly `msg=X`,
 * or the first token starting `audit(` that is not a single key=value.
 */
function pythonHeader(buf: Buffer, start: number, end: number): string {
  for (let p = skipSpace(buf, start, end); p < end; ) {
    const e = skipToken(buf, p, end);
    let eq = -1;
    let count = 0;
    for (let i = p; i < e; i++) {
      if (buf[i] === 0x3d) {
        count++;
        if (eq < 0) eq = i;
      }
    }
    if (count === 1) {
      if (eq - p === 3 && startsWith(buf, p, e, L_MSG)) return text(buf, eq + 1, e);
    } else if (startsWith(buf, p, e, L_AUDIT)) {
      return text(buf, p, e);
    }
    p = skipSpace(buf, e, end);
  }
  return '';
}

/** Finds `lit` at the start of a token (after whitespace, '=' or a quote). */
function findToken(buf: Buffer, lit: Uint8Array, from: number, to: number): number {
  let i = from;
  for (;;) {
    const j = indexOf(buf, lit, i, to);
    if (j < 0) return -1;
    if (j === from || IS_SPACE[buf[j - 1]!] === 1 || buf[j - 1] === 0x3d || buf[j - 1] === 0x27) return j;
    i = j + 1;
  }
}

interface Stamp {
  stamp: string;
  serial: number;
  time: number;
  interpreted: boolean;
  header: string;
  bodyStart: number;
}

/** Validates `S.MS:N):` cheaply without building strings. */
function checkStamp(buf: Buffer, p: number, end: number): void {
  let i = p;
  while (i < end && buf[i] !== 0x29) i++;
  if (i === end) throw new Malformed(p, 'unterminated audit( stamp; expected SECONDS.MS:SERIAL)');
  const colon = buf.lastIndexOf(0x3a, i);
  if (colon < p || parseUint(buf, colon + 1, i) < 0) throw new Malformed(p, 'expected audit(SECONDS.MS:SERIAL)');
}

/** Reads the stamp after `audit(` and the ':' that ends the header; only checks it unless `build`. */
function readStamp(buf: Buffer, p: number, end: number, build: boolean): Stamp {
  let close = p;
  while (close < end && buf[close] !== 0x29) close++;
  if (close === end) throw new Malformed(p, 'unterminated audit( stamp; expected SECONDS.MS:SERIAL)');
  let colon = close - 1;
  while (colon >= p && buf[colon] !== 0x3a) colon--;
  if (colon < p || parseUint(buf, colon + 1, close) < 0) throw new Malformed(p, 'expected audit(SECONDS.MS:SERIAL)');
  const timeEnd = colon;
  let interpreted = false;
  // Raw: digits '.' digits. ausearch -i: "11/14/23 22:13:20.123".
  for (let i = p; i < timeEnd; i++) {
    const c = buf[i]!;
    if ((c < 48 || c > 57) && c !== 0x2e) {
      interpreted = true;
      break;
    }
  }
  if (timeEnd === p) throw new Malformed(p, 'expected audit(SECONDS.MS:SERIAL)');
  let q = close + 1;
  if (buf[q] === 0x3a) q++;
  else if (buf[q] === 0x20 && buf[q + 1] === 0x3a) q += 2;
  // Old auditd wrote `audit(...) auditd start, ...` without the colon.
  else if (q < end && IS_SPACE[buf[q]!] !== 1) throw new Malformed(q, "expected ':' after the audit(...) stamp");
  if (!build) return { stamp: '', serial: 0, time: NaN, interpreted, header: '', bodyStart: q };
  const stamp = text(buf, p, close);
  // audit2allow takes the header from the whitespace-split token, so an
  // interpreted stamp (which holds a space) is cut there; we keep it whole.
  const header = `audit(${stamp}):`;
  const serial = parseUint(buf, colon + 1, close);
  const time = interpreted ? NaN : Number(stamp.slice(0, timeEnd - p));
  return { stamp, serial, time, interpreted, header, bodyStart: q };
}

/**
 * Parses `key=value` fields into rec.fields. Quoted values lose their quotes;
 * hex-encoded untrusted strings are decoded; a single-quoted `msg='...'`
 * (userspace records) is parsed as more fields; after \x1d come ENRICHED
 * fields. In `ausearch -i` output values are not quoted and may hold spaces:
 * a word without '=' continues the previous value.
 */
export function parseFields(buf: Buffer, p: number, end: number, rec: AuditRecord, argvHex: boolean, opts: { keys?: WordMatcher } = {}): number {
  let into = rec.fields;
  let lastKey: string | undefined;
  while (p < end) {
    // Skip whitespace, switching maps at the ENRICHED separator.
    while (p < end && IS_SPACE[buf[p]!] === 1) {
      if (buf[p] === GROUP_SEPARATOR) {
        rec.enriched ??= {};
        into = rec.enriched;
        lastKey = undefined;
      }
      p++;
    }
    if (p >= end) break;
    const ks = p;
    while (p < end && buf[p] !== 0x3d && IS_SPACE[buf[p]!] !== 1) p++;
    if (p >= end || buf[p] !== 0x3d) {
      // A bare word: part of an interpreted value, or a closing quote.
      const word = text(buf, ks, p);
      // Only values that may hold spaces (those the kernel would hex-encode) continue.
      if (rec.interpreted && lastKey !== undefined && ENCODED.has(lastKey) && word !== "'") into[lastKey] += ' ' + word;
      continue;
    }
    const keys = opts.keys;
    const key = keys === undefined ? text(buf, ks, p) : keys.match(buf, ks, p);
    p++;
    let value: string;
    const q = buf[p];
    if (key === undefined && q !== 0x27) {
      // A field nobody asked for: skip its value without decoding it.
      if (q === 0x22) {
        while (++p < end && buf[p] !== 0x22);
        p++;
      } else p = skipToken(buf, p, end);
      lastKey = undefined;
      continue;
    }
    if (q === 0x22) {
      let e = p + 1;
      while (e < end && buf[e] !== 0x22) e++;
      value = text(buf, p + 1, e);
      p = e + 1;
    } else if (q === 0x27) {
      // msg='...': nested fields of a userspace record.
      p++;
      let e = end;
      for (let i = p; i < end; i++) {
        if (buf[i] === 0x27 && (i + 1 === end || IS_SPACE[buf[i + 1]!] === 1)) {
          e = i;
          break;
        }
      }
      parseFields(buf, p, e, rec, false, opts);
      p = e + 1;
      lastKey = undefined;
      continue;
    } else {
      const e = skipToken(buf, p, end);
      let ve = e;
      if (buf[ve - 1] === 0x27) ve--;
      if (!rec.interpreted && (ENCODED.has(key!) || (argvHex && /^a\d+$/.test(key!))) && isHex(buf, p, ve)) {
        value = decodeHex(buf, p, ve, key === 'proctitle');
      } else {
        value = text(buf, p, ve);
      }
      p = e;
    }
    into[key!] = value;
    lastKey = key;
  }
  return p;
}

/** Parses the body of an AVC or USER_AVC record: `avc:  denied  { perms } for  fields`. */
const L_DENIED = ascii('denied');
const L_GRANTED = ascii('granted');

function parseAvcBody(buf: Buffer, p: number, end: number, rec: AuditRecord, opts: ParseOptions): void {
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
function parseSelinuxErr(buf: Buffer, p: number, end: number, rec: AuditRecord, opts: ParseOptions): void {
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
