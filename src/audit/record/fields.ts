// Stage 2, the parts every record shares: `key=value` fields (quotes removed,
// hex decoded, nested `msg='...'`, ENRICHED fields, `ausearch -i` values with
// spaces), token search, and how the parser says a line is malformed. Record
// headers are record.ts's, AVC and SELINUX_ERR bodies selinuxRecord.ts's.
import { decodeHex, GROUP_SEPARATOR, IS_SPACE, indexOf, isHex, skipToken, text, type WordMatcher } from './bytes.js';
import type { AuditRecord } from './record.js';

/**
 * Why a line is malformed and where (a byte offset in its buffer). Thrown
 * inside the parser only, and caught by parseRecord, which turns it into a
 * MalformedRecord: a malformed record is data, not an error. Not an Error, so
 * that a log full of bad lines costs no stack traces.
 */
export class Malformed {
  constructor(
    readonly pos: number,
    readonly reason: string,
  ) {}
}

/** Fields the kernel hex-encodes when the value holds a space, quote or control byte. */
const ENCODED = new Set(['comm', 'exe', 'name', 'path', 'cwd', 'proctitle', 'cmd', 'cmdline', 'key', 'data', 'dir', 'file', 'ocomm', 'root_dir', 'old-path', 'new-path', 'acct', 'old_prom']);

/** Finds `lit` at the start of a token (after whitespace, '=' or a quote). */
export function findToken(buf: Buffer, lit: Uint8Array, from: number, to: number): number {
  let i = from;
  for (;;) {
    const j = indexOf(buf, lit, i, to);
    if (j < 0) return -1;
    if (j === from || IS_SPACE[buf[j - 1]!] === 1 || buf[j - 1] === 0x3d || buf[j - 1] === 0x27) return j;
    i = j + 1;
  }
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
