// A memo of kernel AVC decisions keyed by their bytes. A large log repeats a
// few thousand distinct decisions (verb, permissions, contexts, class)
// millions of times; recognising a repeat from the bytes skips building its
// strings and parsing its contexts and, downstream, looking up its rule.
//
// The key of an AVC line is its record type (AVC or USER_AVC), its verb, its
// permission list, its ioctlcmd, and its tail: everything from ` scontext=` to
// the end of the line, where the kernel writes scontext, tcontext, tclass and
// permissive (and a userspace object manager those, then its exe and host). Only the tail and
// the permissions are hashed (in JS, the one pass over bytes); matches are
// confirmed with native comparisons, so no string is built on a hit.
import { type LineScanner, newLineScanner } from './lineScan.js';
import type { AvcMessage } from './record.js';

/** Where the parts of a decision key are in the line's buffer. */
export interface DecisionBytes {
  granted: boolean;
  /** A userspace decision (USER_AVC): never the same as a kernel one. */
  user: boolean;
  permsStart: number;
  permsEnd: number;
  tailStart: number;
  tailEnd: number;
  /** FNV-1a of the tail's bytes, last to first (computed while the tail is found). */
  tailHash: number;
  /** -1 when the line has no ioctlcmd. */
  ioctlStart: number;
  ioctlEnd: number;
}

interface Entry {
  id: number;
  granted: boolean;
  user: boolean;
  perms: Buffer;
  tail: Buffer;
  ioctl: Buffer | undefined;
}

export class DecisionMemo {
  /** The shared message of each decision, by id. */
  readonly messages: AvcMessage[] = [];
  private readonly table = new Map<number, Entry[]>();
  /** The fast reading loop taught this memo's kernel denials (null: no WebAssembly). */
  private loop: LineScanner | null | undefined;

  constructor(private readonly limit = 1_000_000) {}

  /** The id of the decision in `buf` at `d`, or -1. */
  find(buf: Buffer, d: DecisionBytes): number {
    const bucket = this.table.get(hash(buf, d));
    if (bucket === undefined) return -1;
    for (const e of bucket) {
      if (
        e.granted === d.granted &&
        e.user === d.user &&
        same(buf, d.tailStart, d.tailEnd, e.tail) &&
        same(buf, d.permsStart, d.permsEnd, e.perms) &&
        (d.ioctlStart < 0 ? e.ioctl === undefined : e.ioctl !== undefined && same(buf, d.ioctlStart, d.ioctlEnd, e.ioctl))
      ) {
        return e.id;
      }
    }
    return -1;
  }

  /** Remembers a decision; returns its id, or -1 when the memo is full. */
  add(buf: Buffer, d: DecisionBytes, msg: AvcMessage): number {
    if (this.messages.length >= this.limit) return -1;
    const id = this.messages.length;
    this.messages.push(msg);
    const entry: Entry = {
      id,
      granted: d.granted,
      user: d.user,
      perms: Buffer.from(buf.subarray(d.permsStart, d.permsEnd)),
      tail: Buffer.from(buf.subarray(d.tailStart, d.tailEnd)),
      ioctl: d.ioctlStart < 0 ? undefined : Buffer.from(buf.subarray(d.ioctlStart, d.ioctlEnd)),
    };
    const h = hash(buf, d);
    const bucket = this.table.get(h);
    if (bucket === undefined) this.table.set(h, [entry]);
    else bucket.push(entry);
    if (this.loop) teach(this.loop, entry);
    return id;
  }

  /**
   * The fast reading loop (lineScan.ts) that knows this memo's kernel denials, taught each new one
   * as it is added; undefined without WebAssembly.
   */
  scanner(): LineScanner | undefined {
    if (this.loop === undefined) {
      this.loop = newLineScanner() ?? null;
      if (this.loop) for (const bucket of this.table.values()) for (const e of bucket) teach(this.loop, e);
    }
    return this.loop ?? undefined;
  }
}

/** The loop reads kernel denials only (a grant or a USER_AVC is the parser's). */
function teach(loop: LineScanner, e: Entry): void {
  if (!e.granted && !e.user) loop.teach(e.perms, e.tail, e.ioctl, e.id);
}

/** buf[start, end) equals `bytes`: a JS loop, cheaper than a native compare for these few hundred bytes. */
function same(buf: Buffer, start: number, end: number, bytes: Buffer): boolean {
  if (end - start !== bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (buf[start + i] !== bytes[i]) return false;
  return true;
}

/** The tail's hash (DecisionBytes.tailHash) with the permissions folded in. */
function hash(buf: Buffer, d: DecisionBytes): number {
  let h = d.tailHash;
  for (let i = d.permsStart; i < d.permsEnd; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  // 30 bits: a small integer, which a Map hashes much faster than a double.
  return h & 0x3fffffff;
}
