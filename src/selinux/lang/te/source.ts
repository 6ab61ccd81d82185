// From offsets in the text the parser reads to the place the user wrote:
// through the m4 stage's origins when the text comes with them (file, line,
// column and the chain of macro calls), else through the `#line N "FILE"`
// sync lines that `m4 -s` writes (file and line, as checkmodule counts them),
// else the text's own lines and columns. Not here: the tokens (lexer.ts).
import type { DiagnosticNote } from '../../../base/diagnostic.js';
import type { Span } from '../../../base/span.js';
import type { M4Origin } from '../m4/engine.js';

/** Text to parse: its name (a file name, `<string>`), the text, and where m4 took it from (optional). */
export interface SourceText {
  name: string;
  text: string;
  /** The m4 stage's origins for this text (`M4Result.origins`, expanded with `origins: true`). */
  origins?: readonly M4Origin[] | undefined;
}

interface Sync {
  /** Where the line after the sync line starts. */
  offset: number;
  file: string;
  line: number;
  /** The line of the text `offset` is on (found on first use). */
  textLine?: number;
}

/**
 * The last index whose key is <= `at` in a list sorted by key (the first key is <= `at`):
 * a few steps from `hint` when it is close, else a binary search.
 */
function nearest<T>(list: readonly T[], at: number, hint: number, key: (x: T) => number): number {
  const n = list.length;
  let i = hint < n ? hint : n - 1;
  for (let step = 0; step < 8; step++) {
    if (key(list[i] as T) > at) {
      if (i === 0) return 0;
      i--;
    } else if (i + 1 < n && key(list[i + 1] as T) <= at) i++;
    else return i;
  }
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (key(list[mid] as T) <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Maps offsets of one text to spans. Build one per text; lookups are binary searches. */
export class SourceMap {
  readonly name: string;
  private readonly text: string;
  private readonly origins: readonly M4Origin[];
  private lineStarts: number[] | undefined;
  private readonly syncs: Sync[] = [];
  private syncFile: string;
  // Where the last lookups landed: the parser asks in nearly increasing order.
  private lineHint = 0;
  private originHint = 0;
  private syncHint = 0;

  constructor(src: SourceText) {
    this.name = src.name;
    this.text = src.text;
    this.origins = src.origins ?? [];
    this.syncFile = src.name;
  }

  /**
   * A sync line `#line N ["FILE"]` ending at `lineEnd` (the offset of its newline): the next
   * line is line N of FILE (of the last file named when it names none).
   */
  addSync(lineEnd: number, line: number, file?: string): void {
    if (file !== undefined) this.syncFile = file;
    this.syncs.push({ offset: lineEnd + 1, file: this.syncFile, line });
  }

  private starts(): number[] {
    if (this.lineStarts === undefined) {
      const s = [0];
      const t = this.text;
      for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) s.push(i + 1);
      this.lineStarts = s;
    }
    return this.lineStarts;
  }

  /** The 1-based line and column of an offset in the text itself. */
  textPosition(offset: number): { line: number; column: number } {
    const s = this.starts();
    const lo = nearest(s, offset, this.lineHint, (x) => x);
    this.lineHint = lo;
    return { line: lo + 1, column: offset - (s[lo] as number) + 1 };
  }

  private originIndex(offset: number): number {
    const o = this.origins;
    if (o.length === 0 || (o[0] as M4Origin).offset > offset) return -1;
    const i = nearest(o, offset, this.originHint, (x) => x.offset);
    this.originHint = i;
    return i;
  }

  /** Where the character at `offset` was written: file, line, column. */
  position(offset: number): { file: string; line: number; column?: number | undefined } {
    if (this.origins.length > 0) {
      const i = this.originIndex(offset);
      if (i >= 0) {
        const o = this.origins[i] as M4Origin;
        const site = o.site;
        // Text of a macro's body stands at the call; text copied from a file or an argument
        // is followed character by character from where it was written.
        if (o.expansion !== undefined && o.expansion.site === site) return site;
        if (site.column === undefined) return site;
        const lastNl = this.text.lastIndexOf('\n', offset - 1);
        if (lastNl < o.offset) return { file: site.file, line: site.line, column: site.column + offset - o.offset };
        let lines = 0;
        for (let k = this.text.indexOf('\n', o.offset); k !== -1 && k < offset; k = this.text.indexOf('\n', k + 1)) lines++;
        return { file: site.file, line: site.line + lines, column: offset - lastNl };
      }
    }
    const p = this.textPosition(offset);
    if (this.syncs.length > 0 && offset >= (this.syncs[0] as Sync).offset) {
      const lo = nearest(this.syncs, offset, this.syncHint, (x) => x.offset);
      this.syncHint = lo;
      const s = this.syncs[lo] as Sync;
      s.textLine ??= this.starts().length === 0 ? 1 : nearest(this.starts(), s.offset, 0, (x) => x) + 1;
      const base = s.textLine;
      return { file: s.file, line: s.line + p.line - base, column: p.column };
    }
    return { file: this.name, line: p.line, column: p.column };
  }

  /** The span of `[start, end)`: where it starts, and where it ends when that is in the same file. */
  span(start: number, end: number): Span {
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

  /** The m4 origin of the text at `offset` (where it was written, the call that produced it), when the text came with origins. */
  origin(offset: number): M4Origin | undefined {
    const i = this.originIndex(offset);
    return i < 0 ? undefined : this.origins[i];
  }

  /** The chain of macro calls that produced the text at `offset`, innermost first, as notes. */
  expansionNotes(offset: number): DiagnosticNote[] {
    const i = this.originIndex(offset);
    if (i < 0) return [];
    const notes: DiagnosticNote[] = [];
    for (let e = (this.origins[i] as M4Origin).expansion; e !== undefined && notes.length < 64; e = e.parent) {
      notes.push({ message: `in the expansion of ${e.macro}`, span: { file: e.site.file, line: e.site.line, column: e.site.column } });
    }
    return notes;
  }
}
