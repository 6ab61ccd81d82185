// Definitions in refpolicy sources, read from the text without running m4:
// `interface(`NAME',`BODY')` and `template(`NAME',`BODY')` at the top level
// of a .if file, and `define(`NAME',`BODY')` anywhere in a .spt file (the
// support files define some macros inside ifdef branches), each with its
// place, its lines and the comment block written right above it.
//
// m4's lexical rules are kept: ` and ' nest, `#` starts a comment only
// outside quotes (so the XML doc comments may hold a lone quote), `dnl`
// drops the rest of its line, and parentheses outside quotes nest inside an
// argument list. A define whose name is not a plain word (`$1' inside
// loadable_module.spt's own macros) is not a definition of the file.
// Not here: expanding anything (the m4 stage), the XML's meaning (doc.ts).
import { type Diagnostic, diagnostic } from '../../base/diagnostic.js';
import { type DocComment, parseDocComment } from './doc.js';

export type DefinitionKind = 'interface' | 'template' | 'define';

/** One line of a source file, as written (without its newline). */
export interface SourceLine {
  /** 1-based. */
  line: number;
  text: string;
}

/** A documented (or, without documentation, a used: `$1`, `$2`...) parameter. */
export interface DefinitionParam {
  name: string;
  summary: string;
  optional: boolean;
  /** `unused="true"` in the doc: the parameter is kept for compatibility. */
  unused: boolean;
}

/** An interface, template or support macro, where it is written. */
export interface PolicyDefinition {
  name: string;
  kind: DefinitionKind;
  /** The file as the caller named it (the include tree's loader gives LAYER/NAME.if, support/NAME.spt). */
  file: string;
  /** Line and column (1-based) of the keyword (`interface`, `template`, `define`). */
  line: number;
  column: number;
  /** The line of the closing parenthesis. */
  endLine: number;
  /** Line and column where the body argument's text starts (after its opening quote). */
  bodyLine: number;
  bodyColumn: number;
  /** The body argument without its outer quotes. */
  body: string;
  /** The lines from `line` to `endLine`, as written. */
  lines: SourceLine[];
  /** The comment lines right above the definition, as written (empty when there are none). */
  comment: SourceLine[];
  /** The XML doc comment's summary, whitespace collapsed ('' without one). */
  summary: string;
  /** The documented parameters; without a doc, `$1`...`$N` as far as the body uses them. */
  params: DefinitionParam[];
  /** The rest of the XML doc comment (description, rolecap). */
  doc: DocComment;
}

export interface ParsedDefinitions {
  definitions: PolicyDefinition[];
  /** An unterminated quote or argument list (the definitions before it are kept). */
  diagnostics: Diagnostic[];
}

const KEYWORDS: ReadonlySet<string> = new Set(['interface', 'template', 'define']);
/** A quote, a comment's start, or a whole word that may start a definition (or is dnl). */
const NEXT = /[`'#]|(?<![A-Za-z0-9_])(interface|template|define|dnl)(?![A-Za-z0-9_])/g;
/** What ends or nests inside an argument list. */
const ARG_SPECIAL = /[`'(),#]/g;
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Arg {
  /** Offsets of the argument's text (leading whitespace skipped). */
  start: number;
  end: number;
}

/** Parses the definitions of one .if or .spt file. */
export function parseDefinitions(file: string, text: string): ParsedDefinitions {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const textLines = text.split('\n');
  const lineText = (line: number): string => textLines[line - 1] ?? '';
  const place = (offset: number): { line: number; column: number } => {
    const line = lineOf(offset);
    return { line, column: offset - (lineStarts[line - 1] ?? 0) + 1 };
  };

  const definitions: PolicyDefinition[] = [];
  const diagnostics: Diagnostic[] = [];
  let depth = 0;
  let i = 0;
  let quoteStart = 0;
  // The next character that matters: a quote, a comment's start, or a word
  // that may start a definition (found by the regex engine, not char by char).
  const next = new RegExp(NEXT.source, 'g');
  while (i < text.length) {
    next.lastIndex = i;
    const m = next.exec(text);
    if (m === null) break;
    i = m.index;
    const c = text.charCodeAt(i);
    const word = m[1];
    if (word === undefined) {
      if (c === 0x60) {
        if (depth === 0) quoteStart = i;
        depth++;
      } else if (c === 0x27) {
        if (depth > 0) depth--;
      } else if (depth === 0) {
        // #: a comment, to the end of the line.
        i = endOfLine(text, i);
        continue;
      }
      i++;
    } else {
      const j = i + word.length;
      if (word === 'dnl' && depth === 0) {
        i = endOfLine(text, j) + 1;
        continue;
      }
      const kind = KEYWORDS.has(word) && text[j] === '(' && (depth === 0 || word === 'define') ? (word as DefinitionKind) : undefined;
      if (kind === undefined) {
        i = j;
        continue;
      }
      const args = readArgs(text, j + 1);
      if ('error' in args) {
        const at = place(i);
        diagnostics.push(
          diagnostic('warning', 'm4-error', `end of file in the argument list of ${word}(, which starts here`, {
            span: { file, ...at },
            notes: ['the definitions after it are not read'],
          }),
        );
        return { definitions, diagnostics };
      }
      const [nameArg, bodyArg] = args.args;
      const name = nameArg === undefined ? '' : unquote(text.slice(nameArg.start, nameArg.end));
      if (PLAIN_NAME.test(name) && bodyArg !== undefined) {
        const quoted = text[bodyArg.start] === '`' && text[bodyArg.end - 1] === "'";
        const bodyStart = quoted ? bodyArg.start + 1 : bodyArg.start;
        const body = text.slice(bodyStart, quoted ? bodyArg.end - 1 : bodyArg.end);
        const at = place(i);
        const endLine = lineOf(args.close);
        const bodyAt = place(bodyStart);
        const lines: SourceLine[] = [];
        for (let l = at.line; l <= endLine; l++) lines.push({ line: l, text: lineText(l) });
        const comment = commentAbove(at.line, lineText);
        const doc = parseDocComment(comment.map((l) => l.text));
        const params = doc.params.length > 0 ? doc.params : usedParams(body);
        definitions.push({
          name,
          kind,
          file,
          line: at.line,
          column: at.column,
          endLine,
          bodyLine: bodyAt.line,
          bodyColumn: bodyAt.column,
          body,
          lines,
          comment,
          summary: doc.summary,
          params,
          doc,
        });
      }
      // A define's body may itself define macros (support files do, inside
      // ifdef branches); an interface's body is not searched for more.
      i = kind === 'define' && bodyArg !== undefined ? bodyArg.start : args.close + 1;
    }
  }
  if (depth > 0) {
    diagnostics.push(diagnostic('warning', 'm4-error', 'end of file in a quoted string, which starts here', { span: { file, ...place(quoteStart) } }));
  }
  return { definitions, diagnostics };
}

function endOfLine(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl === -1 ? text.length : nl;
}

function unquote(s: string): string {
  return s.startsWith('`') && s.endsWith("'") ? s.slice(1, -1) : s;
}

/**
 * The arguments of a call whose `(` is just before `from`: m4's rules
 * (quotes nest, parentheses outside quotes nest, comments outside quotes).
 */
function readArgs(text: string, from: number): { args: Arg[]; close: number } | { error: true } {
  const args: Arg[] = [];
  const skipSpace = (k: number): number => {
    while (k < text.length && /\s/.test(text[k] as string)) k++;
    return k;
  };
  const special = new RegExp(ARG_SPECIAL.source, 'g');
  let i = skipSpace(from);
  let start = i;
  let quotes = 0;
  let parens = 0;
  while (i < text.length) {
    special.lastIndex = i;
    const m = special.exec(text);
    if (m === null) break;
    i = m.index;
    const c = text.charCodeAt(i);
    if (c === 0x60) quotes++;
    else if (c === 0x27) {
      if (quotes > 0) quotes--;
    } else if (quotes === 0) {
      if (c === 0x23) {
        i = endOfLine(text, i);
        continue;
      }
      if (c === 0x28) parens++;
      else if (c === 0x29 && parens > 0) parens--;
      else if (parens === 0) {
        // , or ) ending an argument.
        args.push({ start, end: i });
        if (c === 0x29) return { args, close: i };
        i = skipSpace(i + 1);
        start = i;
        continue;
      }
    }
    i++;
  }
  return { error: true };
}

/** The comment lines (starting with `#`) right above `line`, top down. */
function commentAbove(line: number, lineText: (l: number) => string): SourceLine[] {
  const out: SourceLine[] = [];
  for (let l = line - 1; l >= 1; l--) {
    const t = lineText(l);
    if (!t.trimStart().startsWith('#')) break;
    out.push({ line: l, text: t });
  }
  return out.reverse();
}

/** `$1`...`$N` for the highest N the body uses (`$*` and `$@` add none). */
function usedParams(body: string): DefinitionParam[] {
  let max = 0;
  for (const m of body.matchAll(/\$([1-9])/g)) max = Math.max(max, Number(m[1]));
  return Array.from({ length: max }, (_, k) => ({ name: `$${k + 1}`, summary: '', optional: false, unused: false }));
}
