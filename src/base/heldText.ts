// Output held back until the end of the input decides whether it is printed
// (audit2why prints nothing when one denial has no permissions; with -l a
// later policy load forgets what came before: `why -l`, `avc -l`). Up to `limit` characters stay
// in memory; past that they go to a temporary file, so holding the
// explanations of a 1 GB log costs disk, not memory (one string of it all
// would not even fit in a JavaScript string). The file is unlinked once
// open, so nothing is left behind.
import { closeSync, ftruncateSync, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

const CHUNK = 1 << 20;

export class HeldText {
  private parts: string[] = [];
  private size = 0;
  private file: { fd: number; bytes: number } | undefined;

  constructor(private readonly limit = 16 << 20) {}

  push(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size > this.limit) this.spill();
  }

  /** Forgets everything held. */
  clear(): void {
    this.parts = [];
    this.size = 0;
    if (this.file) {
      ftruncateSync(this.file.fd, 0);
      this.file.bytes = 0;
    }
  }

  /** Hands everything held, in order and in pieces of about a megabyte, to `write`; then forgets it. */
  drain(write: (text: string) => void): void {
    for (const text of this.pieces()) write(text);
    this.clear();
  }

  /**
   * The same, waiting after each piece for the promise `pause` returns (if
   * any): a slow reader of the output (a pipe) holds the drain back, so that
   * the held text is not all buffered in memory at once.
   */
  async drainPaced(write: (text: string) => void, pause: () => Promise<unknown> | undefined): Promise<void> {
    for (const text of this.pieces()) {
      write(text);
      const wait = pause();
      if (wait) await wait;
    }
    this.clear();
  }

  private *pieces(): Generator<string> {
    if (this.file && this.file.bytes > 0) {
      this.spill();
      const buf = Buffer.allocUnsafe(CHUNK);
      const decoder = new StringDecoder('utf8');
      for (let pos = 0; pos < this.file.bytes; ) {
        const n = readSync(this.file.fd, buf, 0, Math.min(CHUNK, this.file.bytes - pos), pos);
        if (n === 0) break;
        pos += n;
        const text = decoder.write(buf.subarray(0, n));
        if (text) yield text;
      }
      const tail = decoder.end();
      if (tail) yield tail;
    }
    for (let i = 0; i < this.parts.length; ) {
      // Join a megabyte or so at a time: one write per record would be slow, one string of all too big.
      let n = 0;
      let j = i;
      while (j < this.parts.length && n < CHUNK) n += this.parts[j++]!.length;
      yield this.parts.slice(i, j).join('');
      i = j;
    }
  }

  /** Lets go of the temporary file, if there is one. */
  close(): void {
    if (!this.file) return;
    closeSync(this.file.fd);
    this.file = undefined;
  }

  private spill(): void {
    if (this.parts.length === 0) return;
    if (!this.file) {
      // Unlinked as soon as it is open: nothing is left behind, even if the process is killed.
      const dir = mkdtempSync(join(tmpdir(), 'porthole-held-'));
      const path = join(dir, 'out');
      const fd = openSync(path, 'w+', 0o600);
      unlinkSync(path);
      rmdirSync(dir);
      this.file = { fd, bytes: 0 };
    }
    for (let i = 0; i < this.parts.length; ) {
      let n = 0;
      let j = i;
      while (j < this.parts.length && n < CHUNK) n += this.parts[j++]!.length;
      const b = Buffer.from(this.parts.slice(i, j).join(''), 'utf8');
      for (let off = 0; off < b.length; ) {
        const w = writeSync(this.file.fd, b, off, b.length - off, this.file.bytes);
        off += w;
        this.file.bytes += w;
      }
      i = j;
    }
    this.parts = [];
    this.size = 0;
  }
}
