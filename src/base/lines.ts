// Stage 1: bytes -> lines. Chunks of a source (source.ts) are split into
// lines without holding more than one chunk plus one partial line in memory.

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

  /** A line has begun and not ended (its start is held, or skipped as too long). */
  get pending(): boolean {
    return this.carryBytes > 0 || this.skipping;
  }

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
