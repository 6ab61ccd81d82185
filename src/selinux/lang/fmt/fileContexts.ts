// The columns of a .fc file's specs (`PATH [FILE-TYPE] CONTEXT`), as
// refpolicy writes them: fields separated by tabs, the file type and the
// context each at one column of the file (tab stops of 8). The columns are
// the file's own: the ones most of its tab-separated specs use (so a file
// laid out its own way stays so). A spec already separated by tabs alone is
// kept as written; one with spaces between its fields is re-padded with tabs
// to the file's columns (one tab when its path reaches past them).
// Fields are cut m4-aware: `gen_context(system_u:object_r:x_t, s0)` is one.
// Not here: which lines are code (scan.ts).
import { FC_FILE_TYPES } from '../te/fc/fileContexts.js';

const TAB = 8;

/** A spec line's fields and the whitespace between them (m4 quotes and parentheses keep their blanks). */
export interface FcSpec {
  fields: string[];
  gaps: string[];
}

/** `line` (without indentation) cut into a spec's fields, or undefined when it is not a spec. */
export function splitSpec(line: string): FcSpec | undefined {
  if (line.includes('#') || /(?<![A-Za-z0-9_])dnl(?![A-Za-z0-9_])/.test(line)) return undefined;
  const fields: string[] = [];
  const gaps: string[] = [];
  let parens = 0;
  let quotes = 0;
  let start = 0;
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === '`') quotes++;
    else if (c === "'" && quotes > 0) quotes--;
    else if (quotes === 0 && c === '(') parens++;
    else if (quotes === 0 && c === ')') parens--;
    else if ((c === ' ' || c === '\t') && quotes === 0 && parens === 0) {
      fields.push(line.slice(start, i));
      let j = i;
      while (j < line.length && (line[j] === ' ' || line[j] === '\t')) j++;
      gaps.push(line.slice(i, j));
      start = j;
      i = j;
      continue;
    }
    i++;
  }
  if (parens !== 0 || quotes !== 0) return undefined;
  fields.push(line.slice(start));
  if (fields.length < 2 || fields.length > 3) return undefined;
  const context = fields[fields.length - 1] as string;
  if (!(context === '<<none>>' || context.startsWith('gen_context(') || /^[A-Za-z0-9_]+:[A-Za-z0-9_]+:[A-Za-z0-9_]+/.test(context))) return undefined;
  if (fields.length === 3 && !FC_FILE_TYPES.has(fields[1] as string)) return undefined;
  return { fields, gaps };
}

const tabOnly = (s: FcSpec): boolean => s.gaps.every((g) => /^\t+$/.test(g));

/** The column after `text` written from column `col` (tabs to stops of 8). */
function advance(col: number, text: string): number {
  let c = col;
  for (const ch of text) c = ch === '\t' ? (Math.floor(c / TAB) + 1) * TAB : c + 1;
  return c;
}

/** Tabs from column `col` to `target` (at least one). */
function pad(col: number, target: number): string {
  let c = advance(col, '\t');
  let out = '\t';
  while (c < target) {
    out += '\t';
    c = advance(c, '\t');
  }
  return out;
}

function mode(values: number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: number | undefined;
  let bestCount = 0;
  for (const [v, c] of counts) if (c > bestCount || (c === bestCount && v < (best as number))) [best, bestCount] = [v, c];
  return best;
}

/** The file type's and the context's columns of the file's tab-separated specs (the most common of each). */
export function specColumns(specs: readonly FcSpec[]): { typeCol: number; ctxCol: number } {
  const tabbed = specs.filter(tabOnly);
  const ctx: number[] = [];
  const type: number[] = [];
  for (const s of tabbed) {
    const [path, t] = s.fields as [string, string];
    const afterPath = advance(0, path + (s.gaps[0] as string));
    if (s.fields.length === 3) {
      type.push(afterPath);
      ctx.push(advance(afterPath, t + (s.gaps[1] as string)));
    } else ctx.push(afterPath);
  }
  let typeCol = mode(type);
  let ctxCol = mode(ctx);
  if (typeCol === undefined && ctxCol === undefined) {
    const longest = Math.max(0, ...specs.map((s) => (s.fields[0] as string).length));
    typeCol = (Math.floor(longest / TAB) + 1) * TAB;
  }
  typeCol ??= Math.max(TAB, (ctxCol as number) - TAB);
  ctxCol ??= typeCol + TAB;
  return { typeCol, ctxCol };
}

/** The spec laid out: as written when tabs alone separate its fields, else padded with tabs to the columns. */
export function layOutSpec(spec: FcSpec, cols: { typeCol: number; ctxCol: number }): string {
  if (tabOnly(spec)) return spec.fields.map((f, i) => f + (spec.gaps[i] ?? '')).join('');
  const [path, t] = spec.fields as [string, string];
  const context = spec.fields[spec.fields.length - 1] as string;
  let out = path;
  let col = advance(0, path);
  if (spec.fields.length === 3) {
    const p = pad(col, cols.typeCol);
    out += p + t;
    col = advance(col, p + t);
  }
  return out + pad(col, cols.ctxCol) + context;
}
