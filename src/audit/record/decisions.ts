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
//
// The memo also holds SELINUX_ERR invalid contexts, keyed by the record's body
// (everything after its stamp): a large log repeats a few of them, and their
// parse (three contexts, the fields) is the same for the same bytes.
import { KEY_GRANT, KEY_INVALID_CONTEXT, KEY_KERNEL, KEY_USER, type LineScanner, newLineScanner } from './lineScan.js';
import type { AvcMessage, InvalidContextMessage } from './record.js';

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
  private readonly invalid = new Map<number, { body: Buffer; id: number }[]>();
  /** The memoised invalid contexts, by id. */
  readonly invalidContexts: InvalidContextMessage[] = [];
  /** The fast reading loop taught this memo's denials (null: no WebAssembly). */
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

  /** The invalid context of a SELINUX_ERR body buf[start, end) (hash: bodyHash), or undefined. */
  findInvalidContext(buf: Buffer, start: number, end: number, hash: number): InvalidContextMessage | undefined {
    const bucket = this.invalid.get(hash);
    if (bucket !== undefined) for (const e of bucket) if (same(buf, start, end, e.body)) return this.invalidContexts[e.id];
    return undefined;
  }

  /** Remembers the invalid context a SELINUX_ERR body parsed to (while the memo has room). */
  addInvalidContext(buf: Buffer, start: number, end: number, hash: number, message: InvalidContextMessage): void {
    if (this.invalidContexts.length >= this.limit) return;
    const entry = { body: Buffer.from(buf.subarray(start, end)), id: this.invalidContexts.push(message) - 1 };
    const bucket = this.invalid.get(hash);
    if (bucket === undefined) this.invalid.set(hash, [entry]);
    else bucket.push(entry);
    if (this.loop) teachInvalidContext(this.loop, entry);
  }

  /**
   * The fast reading loop (lineScan.ts) that knows this memo's denials, taught each new one as it
   * is added; undefined without WebAssembly.
   */
  scanner(): LineScanner | undefined {
    if (this.loop === undefined) {
      this.loop = newLineScanner(this.invalidContexts) ?? null;
      if (this.loop) {
        for (const bucket of this.table.values()) for (const e of bucket) teach(this.loop, e);
        for (const bucket of this.invalid.values()) for (const e of bucket) teachInvalidContext(this.loop, e);
      }
    }
    return this.loop ?? undefined;
  }
}

const EMPTY = new Uint8Array(0);

function teach(loop: LineScanner, e: Entry): void {
  loop.teach(e.perms, e.tail, e.ioctl, (e.user ? KEY_USER : KEY_KERNEL) | (e.granted ? KEY_GRANT : 0), e.id);
}

/** A SELINUX_ERR body is taught as a key with no permissions and the body as its tail. */
function teachInvalidContext(loop: LineScanner, e: { body: Buffer; id: number }): void {
  loop.teach(EMPTY, e.body, undefined, KEY_INVALID_CONTEXT, e.id);
}

/** buf[start, end) equals `bytes`: a JS loop, cheaper than a native compare for these few hundred bytes. */
function same(buf: Buffer, start: number, end: number, bytes: Buffer): boolean {
  if (end - start !== bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (buf[start + i] !== bytes[i]) return false;
  return true;
}

/** The hash findInvalidContext and addInvalidContext take: of buf[start, end). */
export function bodyHash(buf: Buffer, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h & 0x3fffffff;
}

/** The tail's hash (DecisionBytes.tailHash) with the permissions folded in. */
function hash(buf: Buffer, d: DecisionBytes): number {
  let h = d.tailHash;
  for (let i = d.permsStart; i < d.permsEnd; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  // 30 bits: a small integer, which a Map hashes much faster than a double.
  return h & 0x3fffffff;
}
