// Stage 1: bytes -> lines. Streams files, '-' (stdin) and .gz without holding
// more than one chunk plus one partial line in memory.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** A line that is longer than this is reported and skipped, not buffered. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Called for each line: `buf[start, end)` holds the line without its "\n"
 * (and without a trailing "\r"). `buf` is only valid during the call.
 */
export type LineSink = (buf: Buffer, start: number, end: number, line: number) => void;

/** Called instead of the sink for a line over MAX_LINE_BYTES. */
export type LongLineSink = (line: number, bytes: number) => void;

/** Splits a stream of chunks into lines, carrying partial lines across chunks. */
export class LineSplitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private skipping = false;
  private skippedBytes = 0;
  line = 0;

  constructor(
    private readonly sink: LineSink,
    private readonly onLongLine: LongLineSink = () => {},
  ) {}

  push(chunk: Buffer): void {
    let pos = 0;
    const len = chunk.length;
    while (pos < len) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        this.keep(chunk, pos, len);
        return;
      }
      if (this.skipping) {
        this.endSkip(nl - pos);
      } else if (this.carryBytes > 0) {
        this.keep(chunk, pos, nl);
        if (!this.skipping) {
          const joined = Buffer.concat(this.carry, this.carryBytes);
          this.carry = [];
          this.carryBytes = 0;
          this.emit(joined, 0, joined.length);
        } else {
          this.endSkip(0);
        }
      } else {
        this.emit(chunk, pos, nl);
      }
      pos = nl + 1;
    }
  }

  /** Flushes a last line that has no newline. */
  end(): void {
    if (this.skipping) {
      this.endSkip(0);
    } else if (this.carryBytes > 0) {
      const joined = Buffer.concat(this.carry, this.carryBytes);
      this.carry = [];
      this.carryBytes = 0;
      this.emit(joined, 0, joined.length);
    }
  }

  private emit(buf: Buffer, start: number, end: number): void {
    this.line++;
    if (end > start && buf[end - 1] === 13) end--;
    this.sink(buf, start, end, this.line);
  }

  private keep(chunk: Buffer, start: number, end: number): void {
    if (this.skipping) {
      this.skippedBytes += end - start;
      return;
    }
    if (end === start) return;
    this.carry.push(chunk.subarray(start, end));
    this.carryBytes += end - start;
    if (this.carryBytes > MAX_LINE_BYTES) {
      this.skipping = true;
      this.skippedBytes = this.carryBytes;
      this.carry = [];
      this.carryBytes = 0;
    }
  }

  private endSkip(extra: number): void {
    this.line++;
    this.onLongLine(this.line, this.skippedBytes + extra);
    this.skipping = false;
    this.skippedBytes = 0;
  }
}

/** Opens a log source: a path, '-' for stdin; `.gz` files are gunzipped. */
export function openSource(source: string, stdin?: Readable): Readable {
  if (source === '-') return stdin ?? process.stdin;
  const stream = createReadStream(source, { highWaterMark: 1024 * 1024 });
  return source.endsWith('.gz') ? stream.pipe(createGunzip()) : stream;
}

/** Feeds every line of a source to a sink; resolves when the source ends. */
export async function scanLines(source: string, sink: LineSink, opts: { stdin?: Readable; onLongLine?: LongLineSink } = {}): Promise<number> {
  const splitter = new LineSplitter(sink, opts.onLongLine);
  const stream = openSource(source, opts.stdin);
  for await (const chunk of stream) {
    splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  splitter.end();
  return splitter.line;
}

/** One line as a value, for callers that prefer iteration over speed. */
export interface Line {
  text: string;
  file: string;
  line: number;
}

/** Reads lines as an async iterable of decoded text. */
export async function* readLines(source: string, stdin?: Readable): AsyncIterable<Line> {
  const pending: Line[] = [];
  const splitter = new LineSplitter((buf, start, end, line) => {
    pending.push({ text: buf.toString('utf8', start, end), file: source, line });
  });
  const stream = openSource(source, stdin);
  for await (const chunk of stream) {
    splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    yield* pending.splice(0);
  }
  splitter.end();
  yield* pending.splice(0);
}
