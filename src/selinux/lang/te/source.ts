// From offsets in the text the parser reads to the place the user wrote:
// through the m4 stage's origins when the text comes with them (file, line,
// column and the chain of macro calls), else through the `#line N "FILE"`
// sync lines that `m4 -s` writes (file and line, as checkmodule counts them),
// else the text's own lines and columns. Not here: the tokens (lexer.ts).
import type { DiagnosticNote } from '../../../base/diagnostic.js';
import type { Span } from '../../../base/span.js';
import type { M4Expansion, M4Origin } from '../m4/engine.js';

/** Text to parse: its name (a file name, `<string>`), the text, and where m4 took it from (optional). */
export interface SourceText {
  name: string;
  text: string;
  /** The m4 stage's origins for this text (`M4Result.origins`, expanded with `origins: true`). */
  origins?: readonly M4Origin[] | undefined;
  /**
   * Spans are not worked out: every one is the text's name at line 0 (one object, frozen).
   * For a pass whose diagnostics are not shown, only counted (build --all's first pass).
   */
  placeless?: boolean | undefined;
}

/**
 * The last index whose value is <= `at` in an ascending list (the first value is <= `at`):
 * a few steps from `hint` when it is close, else a binary search.
 */
function nearest(list: ArrayLike<number>, at: number, hint: number, length = list.length): number {
  const n = length;
  let i = hint < n ? hint : n - 1;
  for (let step = 0; step < 8; step++) {
    if ((list[i] as number) > at) {
      if (i === 0) return 0;
      i--;
    } else if (i + 1 < n && (list[i + 1] as number) <= at) i++;
    else return i;
  }
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((list[mid] as number) <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A copy of `a` twice as long. */
export function grownInt32(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** Maps offsets of one text to spans. Build one per text; lookups are binary searches. */
export class SourceMap {
  readonly name: string;
  private readonly text: string;
  private readonly origins: readonly M4Origin[];
  /** The origins' offsets (for the searches). */
  private originOffsets: number[] | undefined;
  private lineStarts: Int32Array | undefined;
  // The sync lines as columns (the offsets grown by doubling, `syncCount` used): where the
  // line after each starts, its file (an index in `files`) and line, and the text's own line
  // there (-1 until first use when the caller did not say). Lines stay plain arrays: their
  // small integers then reach the spans as such, not as boxed doubles.
  private syncCount = 0;
  private syncOffsets = new Int32Array(16);
  private syncFileIds = new Int32Array(16);
  private readonly syncLines: number[] = [];
  private readonly syncTextLines: number[] = [];
  private readonly files: string[] = [];
  private syncFile: string;
  private syncFileId = -1;
  // Where the last lookups landed: the parser asks in nearly increasing order.
  private lineHint = 0;
  private originHint = 0;
  private syncHint = 0;

  private readonly nowhere: Span | undefined;

  constructor(src: SourceText) {
    this.nowhere = src.placeless === true ? Object.freeze({ file: src.name, line: 0 }) : undefined;
    this.name = src.name;
    this.text = src.text;
    this.origins = src.origins ?? [];
    this.syncFile = src.name;
  }

  /**
   * A sync line `#line N ["FILE"]` ending at `lineEnd` (the offset of its newline): the next
   * line is line N of FILE (of the last file named when it names none). `textLine`: the
   * text's own 1-based line at `lineEnd + 1`, when the caller knows it.
   */
  addSync(lineEnd: number, line: number, file?: string, textLine?: number): void {
    if (file !== undefined || this.syncFileId < 0) {
      if (file !== undefined) this.syncFile = file;
      if (this.files[this.files.length - 1] !== this.syncFile) this.files.push(this.syncFile);
      this.syncFileId = this.files.length - 1;
    }
    const i = this.syncCount++;
    if (i === this.syncOffsets.length) this.growSyncs();
    this.syncOffsets[i] = lineEnd + 1;
    this.syncFileIds[i] = this.syncFileId;
    this.syncLines.push(line);
    this.syncTextLines.push(textLine ?? -1);
  }

  private growSyncs(): void {
    const n = this.syncOffsets.length * 2;
    const o = new Int32Array(n);
    o.set(this.syncOffsets);
    this.syncOffsets = o;
    const f = new Int32Array(n);
    f.set(this.syncFileIds);
    this.syncFileIds = f;
  }

  /** Where each line of the text starts, when the caller (the lexer) found them: saves a pass over the text. */
  setLineStarts(starts: Int32Array): void {
    this.lineStarts ??= starts;
  }

  private starts(): Int32Array {
    if (this.lineStarts === undefined) {
      let s: Int32Array = new Int32Array(64);
      let n = 1;
      const t = this.text;
      for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) {
        if (n === s.length) s = grownInt32(s);
        s[n++] = i + 1;
      }
      this.lineStarts = s.subarray(0, n);
    }
    return this.lineStarts;
  }

  /** The 0-based line index of an offset in the text itself. */
  private lineIndex(offset: number): number {
    const lo = nearest(this.starts(), offset, this.lineHint);
    this.lineHint = lo;
    return lo;
  }

  /** The 1-based line and column of an offset in the text itself. */
  textPosition(offset: number): { line: number; column: number } {
    const lo = this.lineIndex(offset);
    return { line: lo + 1, column: offset - (this.starts()[lo] as number) + 1 };
  }

  private originIndex(offset: number): number {
    const o = this.origins;
    if (o.length === 0 || (o[0] as M4Origin).offset > offset) return -1;
    this.originOffsets ??= o.map((x) => x.offset);
    const i = nearest(this.originOffsets, offset, this.originHint);
    this.originHint = i;
    return i;
  }

  /** The index of the sync line that places `offset`, or -1 (before the first). */
  private syncIndex(offset: number): number {
    const so = this.syncOffsets;
    if (this.syncCount === 0 || offset < (so[0] as number)) return -1;
    const i = nearest(so, offset, this.syncHint, this.syncCount);
    this.syncHint = i;
    if ((this.syncTextLines[i] as number) < 0) this.syncTextLines[i] = nearest(this.starts(), so[i] as number, 0) + 1;
    return i;
  }

  /** The file's line of the text's line index `li` after sync line `i`. */
  private syncLine(i: number, li: number): number {
    return (this.syncLines[i] as number) + li + 1 - (this.syncTextLines[i] as number);
  }

  /** The file of sync line `i`. */
  private syncFileOf(i: number): string {
    return this.files[this.syncFileIds[i] as number] as string;
  }

  /** Where the character at `offset` was written: file, line, column. */
  position(offset: number): { file: string; line: number; column?: number | undefined } {
    if (this.origins.length > 0) {
      const i = this.originIndex(offset);
      if (i >= 0) return this.originPosition(i, offset);
    }
    const li = this.lineIndex(offset);
    const column = offset - (this.starts()[li] as number) + 1;
    const si = this.syncIndex(offset);
    if (si >= 0) return { file: this.syncFileOf(si), line: this.syncLine(si, li), column };
    return { file: this.name, line: li + 1, column };
  }

  /** position() of an offset placed by origin `i`. */
  private originPosition(i: number, offset: number): { file: string; line: number; column?: number | undefined } {
    const o = this.origins[i] as M4Origin;
    const site = o.site;
    // Text of a macro's body stands at the call; text copied from a file or an argument
    // is followed character by character from where it was written.
    if (o.expansion !== undefined && o.expansion.site === site) return site;
    if (site.column === undefined) return site;
    const li = this.lineIndex(offset);
    const lineStart = this.starts()[li] as number;
    if (lineStart <= o.offset) return { file: site.file, line: site.line, column: site.column + offset - o.offset };
    // Newlines between the origin and the offset: the lines between theirs.
    const lines = li - nearest(this.starts(), o.offset, 0);
    return { file: site.file, line: site.line + lines, column: offset - lineStart + 1 };
  }

  /** The span of `[start, end)`: where it starts, and where it ends when that is in the same file. */
  span(start: number, end: number): Span {
    if (this.nowhere !== undefined) return this.nowhere;
    if (this.origins.length === 0) return this.syncSpan(start, end);
    const a = this.position(start);
    const span: Span = { file: a.file, line: a.line, column: a.column };
    if (end > start) {
      const b = this.position(end - 1);
      if (b.file === a.file && b.column !== undefined && a.column !== undefined) {
        span.endLine = b.line;
        span.endColumn = b.column + 1;
      }
    }
    return span;
  }

  /** span() without origins (the text's own lines, moved by its sync lines): one object, no search when both ends share a line. */
  private syncSpan(start: number, end: number): Span {
    const starts = this.starts();
    const li = this.lineIndex(start);
    const lineStart = starts[li] as number;
    const si = this.syncIndex(start);
    const file = si >= 0 ? this.syncFileOf(si) : this.name;
    const line = si >= 0 ? this.syncLine(si, li) : li + 1;
    const column = start - lineStart + 1;
    if (end <= start) return { file, line, column };
    const last = end - 1;
    // Both ends on one line of the text (no sync line between them either: sync lines are lines).
    const next = li + 1 < starts.length ? (starts[li + 1] as number) : Number.POSITIVE_INFINITY;
    if (last < next) return { file, line, column, endLine: line, endColumn: last - lineStart + 2 };
    const b = this.position(last);
    if (b.file !== file) return { file, line, column };
    return { file, line, column, endLine: b.line, endColumn: (b.column as number) + 1 };
  }

  /** The m4 origin of the text at `offset` (where it was written, the call that produced it), when the text came with origins. */
  origin(offset: number): M4Origin | undefined {
    const i = this.originIndex(offset);
    return i < 0 ? undefined : this.origins[i];
  }

  /** The chain of macro calls that produced the text at `offset`, innermost first, as notes. */
  expansionNotes(offset: number): DiagnosticNote[] {
    const i = this.originIndex(offset);
    return i < 0 ? [] : expansionChainNotes((this.origins[i] as M4Origin).expansion);
  }
}

/** The chain of macro calls from `e` outwards, innermost first, as notes (at most 64). */
export function expansionChainNotes(e: M4Expansion | undefined): DiagnosticNote[] {
  const notes: DiagnosticNote[] = [];
  for (let p = e; p !== undefined && notes.length < 64; p = p.parent) {
    notes.push({ message: `in the expansion of ${p.macro}`, span: { file: p.site.file, line: p.site.line, column: p.site.column } });
  }
  return notes;
}
