// A bounds-checked little-endian reader over the policy bytes. Every read
// checks the bytes left and throws PolicyReadError naming the current
// section and offset: nothing below this ever sees a RangeError.
import { PolicyReadError } from './errors.js';

const latin1 = new TextDecoder('latin1');
type Latin1Slicer = { latin1Slice(start: number, end: number): string };

export class Cursor {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly end: number;
  pos = 0;
  /** The section being read, for error messages. */
  section = 'header';

  /** Node's Buffer.latin1Slice is several times faster than TextDecoder for short names. */
  private readonly slicer: Latin1Slicer | undefined;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    const B = (globalThis as { Buffer?: { from(b: ArrayBufferLike, o: number, l: number): unknown } }).Buffer;
    const buf = B?.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as Partial<Latin1Slicer> | undefined;
    this.slicer = typeof buf?.latin1Slice === 'function' ? (buf as Latin1Slicer) : undefined;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.end = bytes.byteLength;
  }

  get left(): number {
    return this.end - this.pos;
  }

  fail(detail: string, at: number = this.pos): never {
    throw new PolicyReadError(this.section, at, detail);
  }

  need(n: number, what = 'data'): void {
    if (n > this.end - this.pos) this.fail(`truncated ${what}: need ${n} bytes, ${this.end - this.pos} left`);
  }

  u32(): number {
    if (this.end - this.pos < 4) this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u16(): number {
    if (this.end - this.pos < 2) this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  u8(): number {
    if (this.end - this.pos < 1) this.need(1);
    return this.bytes[this.pos++]!;
  }

  /** A count of items that each take at least `minBytes`: rejected when the bytes left cannot hold them. */
  count(n: number, minBytes: number, what: string): number {
    if (minBytes > 0 && n > (this.end - this.pos) / minBytes) {
      this.fail(`${what} count ${n} cannot fit in the ${this.end - this.pos} bytes left`, this.pos - 4);
    }
    return n;
  }

  /** A string of `len` bytes (names in policies are ASCII; bytes above 0x7f come out as latin1). */
  str(len: number, what = 'string'): string {
    if (len === 0) this.fail(`empty ${what}`, this.pos - 4);
    this.need(len, what);
    const s = this.slicer ? this.slicer.latin1Slice(this.pos, this.pos + len) : latin1.decode(this.bytes.subarray(this.pos, this.pos + len));
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

  raw(n: number): Uint8Array {
    this.need(n);
    const b = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
}
