// Stage 2: one line -> one audit record. Understands raw audit.log records
// (with node=/host= prefixes), syslog, dmesg and journal lines that carry
// `audit(...)` or `avc:`, USER_AVC, auditd's ENRICHED format and
// `ausearch -i` output. Works on bytes; only the fields a caller needs become
// strings. This file reads the header (prefixes, type, stamp) and hands the
// body on: plain fields to fields.ts, AVC and SELINUX_ERR bodies to
// selinuxRecord.ts.

import type { Span } from '../../base/span.js';
import { ascii, IS_SPACE, parseUint, skipSpace, skipToken, startsWith, text, type WordMatcher } from './bytes.js';
import type { DecisionMemo } from './decisions.js';
import { findToken, Malformed, parseFields } from './fields.js';
import { type AvcMessage, type InvalidContextMessage, L_AVC, L_COMPUTE_SID, parseAvcBody, parseSelinuxErr } from './selinuxRecord.js';
import { recordTypeAt } from './types.js';

export type { AvcMessage, InvalidContextMessage } from './selinuxRecord.js';

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
  /** Store only these fields (all when absent): saves building strings nobody reads. @internal */
  keys?: WordMatcher;
  /**
   * Recognise repeated AVC decisions from their bytes. A record
   * recognised this way shares its `avc` with earlier ones, gets a
   * `decisionId`, and has no decision fields in `fields`. A SELINUX_ERR
   * whose body was seen before shares its `invalidContext`, without fields.
   * A memo serves one set of `keys`.
   * @internal
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

/** Record types whose fields policy generation reads. */
const SELINUX_TYPES = new Set(['AVC', 'USER_AVC', 'SELINUX_ERR', 'USER_SELINUX_ERR', 'MAC_POLICY_LOAD', 'DAEMON_START', 'AVC_PATH']);

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
  // The serial: digits back from ')' to the ':' (a JS loop: cheaper than a native lastIndexOf call).
  let colon = i - 1;
  while (colon >= p && buf[colon] !== 0x3a) colon--;
  if (colon < p || parseUint(buf, colon + 1, i) < 0) throw new Malformed(p, 'expected audit(SECONDS.MS:SERIAL)');
}

/** The one Stamp readStamp fills: its values are copied out at once, so no object per record. */
const STAMP: Stamp = { stamp: '', serial: 0, time: NaN, interpreted: false, header: '', bodyStart: 0 };

/**
 * Reads the stamp after `audit(` and the ':' that ends the header; only checks it unless `build`.
 * The answer is overwritten by the next call.
 */
function readStamp(buf: Buffer, p: number, end: number, build: boolean): Stamp {
  // The common raw stamp `DIGITS.DIGITS:DIGITS):` read in one pass; anything else below.
  if (!build) {
    let i = p;
    while (i < end && ((buf[i]! >= 48 && buf[i]! <= 57) || buf[i] === 0x2e)) i++;
    if (i > p && buf[i] === 0x3a) {
      const s = ++i;
      while (i < end && buf[i]! >= 48 && buf[i]! <= 57) i++;
      if (i > s && i - s <= 15 && buf[i] === 0x29 && buf[i + 1] === 0x3a) {
        const st = STAMP;
        st.interpreted = false;
        st.bodyStart = i + 2;
        st.stamp = '';
        st.serial = 0;
        st.time = NaN;
        st.header = '';
        return st;
      }
    }
  }
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
  const st = STAMP;
  st.interpreted = interpreted;
  st.bodyStart = q;
  if (!build) {
    st.stamp = '';
    st.serial = 0;
    st.time = NaN;
    st.header = '';
    return st;
  }
  const stamp = text(buf, p, close);
  st.stamp = stamp;
  // audit2allow takes the header from the whitespace-split token, so an
  // interpreted stamp (which holds a space) is cut there; we keep it whole.
  st.header = `audit(${stamp}):`;
  st.serial = parseUint(buf, colon + 1, close);
  st.time = interpreted ? NaN : Number(stamp.slice(0, timeEnd - p));
  return st;
}
