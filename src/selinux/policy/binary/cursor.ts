// A bounds-checked little-endian reader over the policy bytes. Every read
// checks the bytes left and throws a PortholeError (code policy-format) naming
// the current section and offset: nothing below this ever sees a RangeError.
//
// Positions (pos, end, size, error offsets) are offsets in the file. A Cursor
// holds all of it (base 0); a FileCursor holds a window of it that moves on
// as need() asks for more, so code that indexes `bytes` or `view` directly
// subtracts `base` and re-reads `bytes`/`view`/`base` after a need().
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type DiagnosticNote, diagnostic, PortholeError } from '../../../base/diagnostic.js';
import { readWholeFd } from '../../../base/source.js';

const latin1 = new TextDecoder('latin1');
type Latin1Slicer = { latin1Slice(start: number, end: number): string };

export class Cursor {
  bytes: Uint8Array;
  view: DataView;
  /** File offset of bytes[0]. */
  base = 0;
  /** File offset just past the bytes in hand. */
  end: number;
  /** Size of the whole input. */
  readonly size: number;
  pos = 0;
  /** The section being read, for error messages. */
  section = 'header';
  /** The file the bytes come from, as errors name it (undefined: bytes in memory). */
  file: string | undefined;

  /** Node's Buffer.latin1Slice is several times faster than TextDecoder for short names. */
  private slicer: Latin1Slicer | undefined;

  constructor(bytes: Uint8Array, size = bytes.byteLength) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.slicer = slicerOf(bytes);
    this.end = bytes.byteLength;
    this.size = size;
  }

  /** A new cursor over the same input, at its start (the same file, when there is one). */
  again(): Cursor {
    const c = new Cursor(this.bytes, this.size);
    c.file = this.file;
    return c;
  }

  /** Points the cursor at new bytes in hand (a FileCursor's window). */
  protected hold(bytes: Uint8Array, base: number, length: number): void {
    if (bytes !== this.bytes) {
      this.bytes = bytes;
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.slicer = slicerOf(bytes);
    }
    this.base = base;
    this.end = base + length;
  }

  get left(): number {
    return this.size - this.pos;
  }

  /**
   * Throws the policy-format error `SECTION at byte AT: DETAIL` (data: section and offset; the
   * span names the file when there is one).
   */
  fail(detail: string, at: number = this.pos, notes: readonly DiagnosticNote[] = []): never {
    // Names come from the file: control bytes (a line break, an escape sequence) are shown as
    // \xNN, so the error stays one line and prints nothing but text.
    detail = oneLine(detail);
    const section = oneLine(this.section);
    const span = this.file === undefined ? undefined : { file: this.file, line: 0, offset: at };
    throw new PortholeError(diagnostic('error', 'policy-format', `${section} at byte ${at}: ${detail}`, { span, notes, data: { section, offset: at } }));
  }

  need(n: number, what = 'data'): void {
    if (n > this.end - this.pos) this.more(n, what);
  }

  /** Makes n bytes from pos available, or fails: here they are all in hand already. */
  protected more(n: number, what: string): void {
    this.fail(`truncated ${what}: need ${n} bytes, ${this.size - this.pos} left`);
  }

  u32(): number {
    if (this.end - this.pos < 4) this.need(4);
    const v = this.view.getUint32(this.pos - this.base, true);
    this.pos += 4;
    return v;
  }

  /** A count of items that each take at least `minBytes`: rejected when the bytes left cannot hold them. */
  count(n: number, minBytes: number, what: string): number {
    // A product, not a quotient: no fraction, so no number object allocated per call in cold code.
    if (minBytes > 0 && n * minBytes > this.size - this.pos) {
      this.fail(`${what} count ${n} cannot fit in the ${this.size - this.pos} bytes left`, this.pos - 4);
    }
    return n;
  }

  /** A string of `len` bytes (names in policies are ASCII; bytes above 0x7f come out as latin1). */
  str(len: number, what = 'string'): string {
    if (len === 0) this.fail(`empty ${what}`, this.pos - 4);
    this.need(len, what);
    const at = this.pos - this.base;
    const s = this.slicer ? this.slicer.latin1Slice(at, at + len) : latin1.decode(this.bytes.subarray(at, at + len));
    this.pos += len;
    return s;
  }

  /** Length-prefixed string: u32 length then the bytes. */
  lstr(what = 'string', max = 0x7fffffff): string {
    const at = this.pos;
    const len = this.u32();
    if (len > max) this.fail(`${what} length ${len} exceeds ${max}`, at);
    return this.str(len, what);
  }

  /** Copies the bytes in hand from file offset `from` to `to` into `target` at `at`. */
  copyOut(from: number, to: number, target: Uint8Array, at: number): void {
    // TypedArray set() of a view: both builtins (Buffer.copy is JavaScript that gets optimized, at a cost).
    target.set(this.bytes.subarray(from - this.base, to - this.base), at);
  }

  /** The next n bytes (a view: valid until the next read of a FileCursor). */
  raw(n: number): Uint8Array {
    this.need(n);
    const at = this.pos - this.base;
    this.pos += n;
    return this.bytes.subarray(at, at + n);
  }
}

/**
 * Reads a file through a small window instead of holding all of it: for one
 * pass from start to end (scanPolicyStats). Fresh memory is what costs most
 * in a new process, and a 2 MB policy read whole costs several times more
 * than through a reused 64 KB buffer.
 */
export class FileCursor extends Cursor {
  private constructor(
    private readonly fd: number,
    size: number,
    private readonly window: number,
  ) {
    super(new Uint8Array(Math.min(window, size)), size);
    this.hold(this.bytes, 0, 0);
  }

  /**
   * Runs `use` on a cursor over the file at `path`, and closes the file. `name`: the file as errors
   * name it (default: the path); `window`: bytes read at a time (tests use tiny ones). What is not
   * a regular file (a pipe, /dev/stdin) has no size to go by: it is read whole first.
   */
  static with<T>(path: string, use: (c: Cursor) => T, opts: FileCursorOptions = {}): T {
    const name = opts.name ?? path;
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      // Node names the path it was given (often made absolute); errors name the file as typed.
      if (e instanceof Error && 'path' in e) e.path = name;
      throw e;
    }
    try {
      const st = fstatSync(fd);
      if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${name}'`), { code: 'EISDIR', path: name });
      const c = st.isFile() ? new FileCursor(fd, st.size, Math.max(1, opts.window ?? WINDOW)) : new Cursor(readWholeFd(fd, name, opts.maxBytes, NOT_REGULAR_HINT));
      c.file = name;
      return use(c);
    } finally {
      closeSync(fd);
    }
  }

  override again(): Cursor {
    const c = new FileCursor(this.fd, this.size, this.window);
    c.file = this.file;
    return c;
  }

  protected override more(n: number, what: string): void {
    if (n > this.size - this.pos) super.more(n, what);
    const keep = this.end - this.pos;
    let buf = this.bytes;
    const want = Math.min(Math.max(this.window, n), this.size - this.pos);
    if (want > buf.length) {
      const bigger = new Uint8Array(want);
      bigger.set(buf.subarray(this.pos - this.base, this.end - this.base));
      buf = bigger;
    } else buf.copyWithin(0, this.pos - this.base, this.end - this.base);
    let filled = keep;
    while (filled < want) {
      const got = readSync(this.fd, buf, filled, want - filled, this.pos + filled);
      if (got === 0) break;
      filled += got;
    }
    this.hold(buf, this.pos, filled);
    if (n > filled) this.fail(`truncated ${what}: the file ended while being read`);
  }
}

const WINDOW = 64 * 1024;

/** How a policy file is read: `name` as errors name it (default: its path), `window` bytes at a time (default 64 KB). */
const NOT_REGULAR_HINT = 'what is not a regular file (a pipe, a device) is read whole; a regular file is read in windows, with no such limit';

export interface FileCursorOptions {
  name?: string | undefined;
  window?: number | undefined;
  /** What is not a regular file is read whole, up to this many bytes (default MAX_WHOLE_FILE_BYTES); then an `input-too-large` error. */
  maxBytes?: number | undefined;
}

/** `s` with its control characters (C0, DEL, C1) written as \xNN. */
function oneLine(s: string): string {
  return /[\x00-\x1f\x7f-\x9f]/.test(s) ? s.replace(/[\x00-\x1f\x7f-\x9f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`) : s;
}

function slicerOf(bytes: Uint8Array): Latin1Slicer | undefined {
  const B = (globalThis as { Buffer?: { from(b: ArrayBufferLike, o: number, l: number): unknown } }).Buffer;
  const buf = B?.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as Partial<Latin1Slicer> | undefined;
  return typeof buf?.latin1Slice === 'function' ? (buf as Latin1Slicer) : undefined;
}
