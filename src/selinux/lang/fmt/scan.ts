// The layout of a policy source (.te, .if, .fc) read as m4 reads it, line by
// line, for the formatter: how deep each line is nested, and which lines must
// be left exactly as written. m4's lexical rules are followed: ` and ' nest,
// `#` starts a comment only outside quotes, `dnl` outside quotes drops the
// rest of its line, and unquoted parentheses nest in argument lists. On top of
// that the module language's `{ }` blocks nest inside code.
//
// What nests (one tab each): a quoted macro argument whose opening quote ends
// its line (the body of `optional_policy(`, `gen_require(`, `interface(`,
// `ifdef(`, any macro written so), and `{ }`. A line that starts inside any
// other quoted string, or inside a macro's argument list outside a body, is
// text whose whitespace may matter (m4 keeps it in the argument): verbatim.
// Not here: what is changed on a line (format.ts, statement.ts).
import { type Diagnostic, diagnostic } from '../../../base/diagnostic.js';

type FrameKind = 'body' | 'text' | 'paren' | 'brace';

interface Frame {
  kind: FrameKind;
  /** Tabs this frame adds to the lines inside it. */
  indent: number;
  /** Where it opened (for diagnostics). */
  offset: number;
}

export interface ScannedLine {
  /** The line as written, without its newline. */
  text: string;
  /** Tabs of indentation the line gets (the depth at its start, less what its leading closers close). */
  depth: number;
  /** The line starts inside text (a quoted string, an argument list): keep it as written. */
  verbatim: boolean;
  /** The line starts in code, holds no quote or parenthesis and leaves its `{ }` balanced: a candidate for a statement's spacing. */
  flat: boolean;
}

export interface ScanResult {
  lines: ScannedLine[];
  /** Unbalanced quotes or parentheses: the formatter leaves such a file alone. */
  diagnostics: Diagnostic[];
}

const WORD_START = /[A-Za-z_]/;
const WORD = /[A-Za-z0-9_]/;

/** Reads `text` (a file named `file`) as m4 does and says how each line nests. */
export function scanLayout(file: string, text: string): ScanResult {
  const stack: Frame[] = [];
  const diagnostics: Diagnostic[] = [];
  const rawLines = text.split('\n');
  const lines: ScannedLine[] = [];
  let lineStart = 0;

  const place = (offset: number): { line: number; column: number } => {
    const before = text.lastIndexOf('\n', offset - 1);
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    return { line, column: offset - before };
  };
  const unbalanced = (message: string, offset: number): void => {
    diagnostics.push(diagnostic('error', 'fmt-unbalanced', message, { span: { file, ...place(offset) }, notes: ['the file is left as it is'] }));
  };
  const depthOf = (): number => stack.reduce((n, f) => n + f.indent, 0);
  const quoteDepth = (): number => stack.filter((f) => f.kind === 'body' || f.kind === 'text').length;
  const inText = (): boolean => stack.some((f) => f.kind === 'text');
  /** Inside an argument list, with no body quote opened since: the argument's text is m4's, not code. */
  const inArgs = (): boolean => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const k = (stack[i] as Frame).kind;
      if (k === 'paren') return true;
      if (k === 'body') return false;
    }
    return false;
  };
  const closeQuote = (offset: number): void => {
    // m4 ends the innermost quote whatever parentheses are open inside it.
    while (stack.length > 0) {
      const f = stack.pop() as Frame;
      if (f.kind === 'body' || f.kind === 'text') return;
      if (f.kind === 'paren') unbalanced("'(' is not closed before the quoted text it stands in ends", f.offset);
    }
    unbalanced("a closing quote ' with no opening quote `", offset);
  };

  for (const raw of rawLines) {
    const startDepth = depthOf();
    const verbatim = inText() || inArgs();
    const startSize = stack.length;
    const frames = [...stack];
    let minDepth = startDepth;
    let leading = true;
    // A quote or a parenthesis on the line (m4's business: its spacing is kept).
    let touched = false;
    const n = raw.length;
    for (let i = 0; i < n; i++) {
      const ch = raw[i] as string;
      const at = lineStart + i;
      if (ch === ' ' || ch === '\t') continue;
      const top = stack[stack.length - 1];
      if (top?.kind === 'text') {
        // Quoted text: only quotes count.
        if (ch === '`') stack.push({ kind: 'text', indent: 0, offset: at });
        else if (ch === "'") closeQuote(at);
        leading = false;
        touched = true;
        continue;
      }
      if (ch === '`') {
        let j = i + 1;
        while (raw[j] === '`') j++;
        const endsLine = raw.slice(j).trim() === '';
        // `` at the end of a line in a macro's arguments: one body, the inner quotes add no tab.
        const body = endsLine && top?.kind === 'paren';
        stack.push({ kind: body ? 'body' : 'text', indent: body ? 1 : 0, offset: at });
        for (let k = i + 1; k < j; k++) stack.push({ kind: body ? 'body' : 'text', indent: 0, offset: lineStart + k });
        i = j - 1;
        leading = false;
        touched = true;
        continue;
      }
      if (ch === "'") {
        closeQuote(at);
        if (leading) minDepth = Math.min(minDepth, depthOf());
        touched = true;
        continue;
      }
      if (ch === '#') {
        if (quoteDepth() > 0) {
          // A comment of the module language inside quotes: m4 still sees its quotes.
          for (let k = i + 1; k < n; k++) {
            if (raw[k] === '`') stack.push({ kind: 'text', indent: 0, offset: lineStart + k });
            else if (raw[k] === "'" && quoteDepth() > 0) closeQuote(lineStart + k);
          }
        }
        break;
      }
      if (WORD_START.test(ch) && (i === 0 || !WORD.test(raw[i - 1] as string))) {
        let j = i + 1;
        while (j < n && WORD.test(raw[j] as string)) j++;
        if (raw.slice(i, j) === 'dnl') {
          if (quoteDepth() === 0) break;
          for (let k = j; k < n; k++) {
            if (raw[k] === '`') stack.push({ kind: 'text', indent: 0, offset: lineStart + k });
            else if (raw[k] === "'" && quoteDepth() > 0) closeQuote(lineStart + k);
          }
          break;
        }
        i = j - 1;
        leading = false;
        continue;
      }
      if (ch === '(') {
        stack.push({ kind: 'paren', indent: 0, offset: at });
        touched = true;
      } else if (ch === ')') {
        touched = true;
        // Blocks left open inside the argument list end with it.
        let k = stack.length - 1;
        while (k >= 0 && (stack[k] as Frame).kind === 'brace') k--;
        if (k >= 0 && (stack[k] as Frame).kind === 'paren') stack.length = k;
        else unbalanced("')' with no '(' before it", at);
      } else if (ch === '{') {
        stack.push({ kind: 'brace', indent: 1, offset: at });
      } else if (ch === '}') {
        if (top?.kind === 'brace') stack.pop();
      }
      if (leading && (ch === ')' || ch === '}')) minDepth = Math.min(minDepth, depthOf());
      else leading = false;
    }
    lines.push({ text: raw, depth: minDepth, verbatim, flat: !verbatim && !touched && stack.length === startSize && stack.every((f, k) => f === frames[k]) });
    lineStart += n + 1;
  }
  // The innermost open quote or list, as m4 names the one it was reading.
  for (const f of [...stack].reverse()) {
    if (f.kind === 'body' || f.kind === 'text') {
      unbalanced("end of file in a quoted string, which starts here (a quote ` with no closing quote ')", f.offset);
      break;
    }
    if (f.kind === 'paren') {
      unbalanced("end of file in an argument list: '(' is not closed", f.offset);
      break;
    }
  }
  return { lines, diagnostics };
}
