// `porthole fmt`: a policy module's sources (.te, .if, .fc) laid out as
// refpolicy lays them out, without changing what m4 and checkmodule make of
// them. What changes is whitespace only: indentation (a tab per nesting
// level, scan.ts), trailing blanks, runs of blank lines (one kept; none at the
// start or the end; one newline at the end), the spacing of one-line
// statements (statement.ts) and the columns of .fc specs (fileContexts.ts).
// Comments and `dnl` lines keep their text (a run of comment lines starting in
// column 0, code commented out, keeps its indentation too). Lines inside quoted text or
// argument lists are kept as written. A file whose quotes or parentheses do
// not balance, or that changes m4's quotes or comments, is returned as it is
// with a diagnostic.
// Not here: reading or writing files (the CLI), m4 itself.
import { type Diagnostic, diagnostic } from '../../../base/diagnostic.js';
import { type FcSpec, layOutSpec, specColumns, splitSpec } from './fileContexts.js';
import { type ScannedLine, scanLayout } from './scan.js';
import { normalizeStatement } from './statement.js';

export type SourceKind = 'te' | 'if' | 'fc';

export interface FormatResult {
  /** The formatted text (the input itself when it could not be formatted). */
  text: string;
  /** Whether `text` differs from the input. */
  changed: boolean;
  /** Why the input was left alone (errors), if it was. */
  diagnostics: Diagnostic[];
}

/** The kind of source a file name says (`.te`, `.if`, `.fc`), or undefined. */
export function sourceKindOf(file: string): SourceKind | undefined {
  const m = /\.(te|if|fc)$/.exec(file);
  return m === null ? undefined : (m[1] as SourceKind);
}

const CHANGES_SYNTAX = /(?<![A-Za-z0-9_])(changequote|changecom|changeword)(?![A-Za-z0-9_])/;

/** Formats one source file's text; `file` names it in diagnostics. */
export function formatModuleSource(text: string, kind: SourceKind, file = '<string>'): FormatResult {
  const unchanged = (diagnostics: Diagnostic[]): FormatResult => ({ text, changed: false, diagnostics });
  const syntax = CHANGES_SYNTAX.exec(text);
  if (syntax !== null) {
    const line = text.slice(0, syntax.index).split('\n').length;
    return unchanged([
      diagnostic('error', 'fmt-unsupported', `${syntax[1]} changes how m4 reads the rest of the file; fmt does not follow it`, {
        span: { file, line, column: syntax.index - text.lastIndexOf('\n', syntax.index - 1) },
        notes: ['the file is left as it is'],
      }),
    ]);
  }
  const scan = scanLayout(file, text);
  if (scan.diagnostics.length > 0) return unchanged(scan.diagnostics);
  const out = layOut(scan.lines, kind);
  return { text: out, changed: out !== text, diagnostics: [] };
}

const BLANK = /^[ \t]*$/;

function layOut(lines: readonly ScannedLine[], kind: SourceKind): string {
  const fcColumns = kind === 'fc' ? specColumns(fcSpecs(lines)) : undefined;
  const out: string[] = [];
  // Whether the last line out is a blank line the formatter may drop.
  let lastBlank = true;
  // In a run of comment lines that starts in column 0 (code commented out, as refpolicy does it): keep their indentation.
  let commentedOut = false;
  for (const l of lines) {
    if (l.verbatim) {
      out.push(l.text);
      lastBlank = false;
      continue;
    }
    if (BLANK.test(l.text)) {
      if (!lastBlank) out.push('');
      lastBlank = true;
      continue;
    }
    lastBlank = false;
    const content = l.text.replace(/^[ \t]+|[ \t]+$/g, '');
    const comment = content.startsWith('#');
    commentedOut = comment && (commentedOut || l.text.startsWith('#'));
    if (commentedOut) {
      out.push(l.text.replace(/[ \t]+$/, ''));
      continue;
    }
    if (fcColumns !== undefined) {
      const spec = splitSpec(content);
      out.push(spec === undefined ? content : layOutSpec(spec, fcColumns));
      continue;
    }
    out.push('\t'.repeat(l.depth) + (l.flat ? withStatementSpacing(content) : content));
  }
  if (lastBlank && out[out.length - 1] === '') out.pop();
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** A line's statement spaced (statement.ts), its trailing comment kept with the blanks before it. */
function withStatementSpacing(content: string): string {
  const hash = content.indexOf('#');
  if (hash !== -1 && content.slice(0, hash).includes('"')) return content;
  const code = hash === -1 ? content : content.slice(0, hash).replace(/[ \t]+$/, '');
  const normalized = normalizeStatement(code);
  return normalized === undefined ? content : normalized + content.slice(code.length);
}

function fcSpecs(lines: readonly ScannedLine[]): FcSpec[] {
  const specs: FcSpec[] = [];
  for (const l of lines) {
    if (l.verbatim) continue;
    const spec = splitSpec(l.text.replace(/^[ \t]+|[ \t]+$/g, ''));
    if (spec !== undefined) specs.push(spec);
  }
  return specs;
}
