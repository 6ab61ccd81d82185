// gzip data read as `gzip -d` reads it, streamed: members one after another,
// each a header (RFC 1952: magic, method 8, flags, time, FEXTRA, FNAME,
// FCOMMENT, FHCRC) parsed here, raw deflate data inflated by zlib (one
// InflateRaw per member, which stops where the deflate data ends) and a
// trailer (CRC-32, length mod 2^32) checked here. After a member: the end of
// the input or zero bytes to the end are fine; a byte that is neither zero nor
// the start of a member is trailing garbage, a warning (gzip: "decompression
// OK, trailing garbage ignored", exit 2) and the rest is not read; a lone byte
// at the end, or a member cut short or corrupt, is an error (gzip exits 1),
// after the data inflated before it. As gzip, zero bytes followed by anything
// else are garbage, and 1f 9e (gzip's old magic) starts a member. Members
// packed with pack, compress or LZH (1f 1e, 1f 9d, 1f a0), which gzip also
// unpacks after a gzip member, are an error here. Memory holds one slice of
// compressed input and zlib's output buffers, never a whole member or field.
import zlib, { createInflateRaw, type InflateRaw } from 'node:zlib';
import { type Diagnostic, diagnostic, fail } from '../diagnostic.js';

/** Compressed bytes are fed to zlib in slices of this size, so that an error's offset is this precise. */
export const GZIP_SLICE = 64 * 1024;

const TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

/** CRC-32 (zlib's, from Node 20.15; this table before). */
const crc32: (data: Uint8Array, value: number) => number =
  (zlib as { crc32?: (data: Uint8Array, value: number) => number }).crc32 ??
  ((data, value) => {
    let c = ~value;
    for (const b of data) c = TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
    return ~c >>> 0;
  });

/** The compressed bytes: read ahead as needed, given back when a member ends inside a slice. */
class Input {
  private buf: Buffer = Buffer.alloc(0);
  /** The compressed offset of buf[0]. */
  offset = 0;
  constructor(private readonly it: AsyncIterator<Buffer>) {}

  /** Whether at least n bytes are buffered (reading more if needed); false at the end of the input. */
  async has(n: number): Promise<boolean> {
    while (this.buf.length < n) {
      const r = await this.it.next();
      if (r.done) return false;
      this.buf = this.buf.length === 0 ? r.value : Buffer.concat([this.buf, r.value]);
    }
    return true;
  }

  /** The compressed offset of the end of what was read. */
  get end(): number {
    return this.offset + this.buf.length;
  }

  peek(i: number): number {
    return this.buf[i]!;
  }

  /** The next bytes, at most `max` of what is buffered. */
  take(max: number): Buffer {
    const b = this.buf.subarray(0, max);
    this.buf = this.buf.subarray(b.length);
    this.offset += b.length;
    return b;
  }

  unread(b: Buffer): void {
    this.buf = this.buf.length === 0 ? b : Buffer.concat([b, this.buf]);
    this.offset -= b.length;
  }
}

/** Gunzips every member of the stream; problems name the file and the compressed byte offset. */
export async function* gunzipMembers(input: AsyncIterable<Buffer>, name: string, warn: (d: Diagnostic) => void = () => undefined): AsyncGenerator<Buffer> {
  const it = input[Symbol.asyncIterator]();
  const src = new Input(it);
  const bad = (what: string, offset: number, end?: number): never =>
    fail(
      'file-read',
      `cannot read ${name}: not a valid gzip stream (${what}) ${end === undefined ? `at compressed byte ${offset}${what === EOF ? ' (the end)' : ''}` : `in compressed bytes ${offset}-${end}`}`,
      {
        data: { file: name, offset },
      },
    );
  const eof = (): never => bad(EOF, src.end);
  try {
    for (let member = 0; ; member++) {
      const start = src.offset;
      if (member > 0) {
        if (!(await src.has(1))) return;
        if (src.peek(0) === 0) {
          // Zero bytes to the end are padding; anything after them is garbage.
          for (;;) {
            if (!(await src.has(1))) return;
            const chunk = src.take(GZIP_SLICE);
            const i = chunk.findIndex((b) => b !== 0);
            if (i >= 0) break;
          }
        } else {
          if (!(await src.has(2))) return eof();
          const m = src.peek(1);
          if (src.peek(0) === 0x1f && (m === 0x1e || m === 0x9d || m === 0xa0)) {
            bad(`a member packed with ${m === 0x1e ? 'pack' : m === 0x9d ? 'compress' : 'LZH'}, which gzip -d unpacks and Porthole does not`, start);
          }
          if (src.peek(0) === 0x1f && (m === 0x8b || m === 0x9e)) {
            yield* member1(src, bad, eof);
            continue;
          }
        }
        warn(
          diagnostic('warning', 'trailing-garbage', `${name}: decompression OK, trailing garbage ignored: the bytes from compressed byte ${start} on are not gzip data`, {
            notes: [`the ${member} gzip member${member === 1 ? '' : 's'} before them ${member === 1 ? 'was' : 'were'} read whole, as gzip -d reads them`],
            data: { file: name, offset: start, members: member },
          }),
        );
        return;
      }
      yield* member1(src, bad, eof);
    }
  } finally {
    await it.return?.();
  }
}

const EOF = 'unexpected end of file';

type Bad = (what: string, offset: number, end?: number) => never;

/** One member: header, deflate data, trailer. The input is at its magic bytes. */
async function* member1(src: Input, bad: Bad, eof: () => never): AsyncGenerator<Buffer> {
  let hcrc = 0;
  const bytes = async (n: number): Promise<Buffer> => {
    if (!(await src.has(n))) eof();
    const b = src.take(n);
    hcrc = crc32(b, hcrc);
    return b;
  };
  /** Skips a zero-terminated field, however long, without holding it. */
  const skipString = async (): Promise<void> => {
    for (;;) {
      if (!(await src.has(1))) eof();
      const chunk = src.take(GZIP_SLICE);
      const z = chunk.indexOf(0);
      const used = z < 0 ? chunk : chunk.subarray(0, z + 1);
      hcrc = crc32(used, hcrc);
      if (z >= 0) {
        src.unread(chunk.subarray(z + 1));
        return;
      }
    }
  };
  const at = src.offset;
  // Byte by byte where gzip checks, so that a cut header fails as gzip's does.
  const method = (await bytes(3))[2]!;
  if (method !== 8) bad(`unknown compression method ${method}`, at + 2);
  const flags = (await bytes(1))[0]!;
  if (flags & 0xe0) bad(`header flags 0x${flags.toString(16)} not supported`, at + 3);
  await bytes(6);
  if (flags & 4) {
    const len = (await bytes(2)).readUInt16LE(0);
    for (let left = len; left > 0; ) left -= (await bytes(Math.min(left, GZIP_SLICE))).length;
  }
  if (flags & 8) await skipString();
  if (flags & 16) await skipString();
  if (flags & 2) {
    const want = hcrc & 0xffff;
    const got = (await bytes(2)).readUInt16LE(0);
    if (got !== want) bad(`header CRC 0x${got.toString(16)}, computed 0x${want.toString(16)}`, src.offset - 2);
  }
  let crc = 0;
  let size = 0;
  for await (const out of inflate(src, bad)) {
    crc = crc32(out, crc);
    size = (size + out.length) % 2 ** 32;
    yield out;
  }
  const tail = await bytes(8);
  if (tail.readUInt32LE(0) !== crc) bad(`CRC-32 0x${tail.readUInt32LE(0).toString(16)}, computed 0x${crc.toString(16)}`, src.offset - 8);
  if (tail.readUInt32LE(4) !== size) bad(`length ${tail.readUInt32LE(4)}, inflated ${size} (mod 2^32)`, src.offset - 4);
}

/** Inflates raw deflate data from the input; the bytes after its end are left in the input. */
async function* inflate(src: Input, bad: Bad): AsyncGenerator<Buffer> {
  const z: InflateRaw = createInflateRaw({ chunkSize: 64 * 1024 });
  let sliceStart = src.offset;
  let ended = false;
  const pump = (async () => {
    try {
      for (;;) {
        if (!(await src.has(1))) {
          ended = true;
          break;
        }
        sliceStart = src.offset;
        const slice = src.take(GZIP_SLICE);
        const before = z.bytesWritten;
        await new Promise<void>((ok, no) => z.write(slice, (e) => (e ? no(e) : ok())));
        const used = z.bytesWritten - before;
        if (used < slice.length) {
          // The deflate data ended inside this slice.
          src.unread(slice.subarray(used));
          break;
        }
      }
      z.end();
    } catch (e) {
      z.destroy(e as Error);
    }
  })();
  try {
    for await (const out of z) yield out as Buffer;
    await pump;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (!err.code?.startsWith('Z_')) throw e;
    const what = err.message.replace(/\.$/, '');
    if (ended && err.code === 'Z_BUF_ERROR') bad(EOF, src.offset);
    bad(what, sliceStart, src.offset);
  } finally {
    z.destroy();
  }
}
