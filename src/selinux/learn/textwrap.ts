// Port of CPython 3.11 textwrap.wrap() with default options (expand_tabs,
// tabsize=8, replace_whitespace, break_long_words, drop_whitespace,
// break_on_hyphens; no fix_sentence_endings, no max_lines). audit2allow -e
// formats audit lines with it, so output must match Python exactly.
// Lengths and slices are in code points, as Python's len() counts them.

const TAB_SIZE = 8;

// textwrap only treats the ASCII whitespace set as breakable.
const WRAP_WHITESPACE = '\t\n\x0b\x0c\r ';

// Python str.isspace(): used by `chunk.strip() == ''`, so chunks made only of
// e.g. \x1d or \xa0 count as whitespace when dropping at line edges.
const PY_ISSPACE = /^[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/u;

// Python's Unicode-aware \w, \d-excluding "letter" and the textwrap classes.
const WORD = String.raw`[\p{L}\p{N}_]`;
const LETTER = String.raw`[\p{L}\p{Nl}\p{No}_]`; // [^\d\W]: \w minus Nd
const WORD_PUNCT = String.raw`[\p{L}\p{N}_!"'&.,?]`;
const WS = String.raw`[\t\n\x0b\x0c\r ]`;
const NON_WS = String.raw`[^\t\n\x0b\x0c\r ]`;

// TextWrapper.wordsep_re, verbatim apart from the spelled-out classes.
const WORDSEP_RE = new RegExp(
  '(' +
    `${WS}+` + // any whitespace
    `|(?<=${WORD_PUNCT})-{2,}(?=${WORD})` + // em-dash between words
    `|${NON_WS}+?(?:` + // word, possibly hyphenated
    `-(?:(?<=${LETTER}{2}-)|(?<=${LETTER}-${LETTER}-))(?=${LETTER}-?${LETTER})` + // hyphenated word
    `|(?=${WS}|$)` + // end of word
    `|(?<=${WORD_PUNCT})(?=-{2,}${WORD})` + // em-dash
    '))',
  'u',
);

function isPyBlank(s: string): boolean {
  return PY_ISSPACE.test(s);
}

function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

// str.expandtabs(8) followed by translating the wrap whitespace to spaces.
function mungeWhitespace(text: string): string {
  let out = '';
  let column = 0;
  for (const ch of text) {
    if (ch === '\t') {
      const pad = TAB_SIZE - (column % TAB_SIZE);
      out += ' '.repeat(pad);
      column += pad;
    } else if (ch === '\n' || ch === '\r') {
      out += ' ';
      column = 0;
    } else {
      out += WRAP_WHITESPACE.includes(ch) ? ' ' : ch;
      column++;
    }
  }
  return out;
}

// re.split with a capturing group, minus empty strings.
function splitChunks(text: string): string[] {
  return text.split(WORDSEP_RE).filter((c) => c !== '');
}

// Puts as much of the oversized top chunk on the current line as fits,
// preferring to break after its last hyphen.
function handleLongWord(reversedChunks: string[], curLine: string[], curLen: number, width: number): void {
  // An indent wider than the width still has to make progress.
  const spaceLeft = width < 1 ? 1 : width - curLen;
  const chunk = Array.from(reversedChunks[reversedChunks.length - 1]!);
  let end = spaceLeft;
  if (chunk.length > spaceLeft) {
    // chunk.rfind('-', 0, spaceLeft); Array#lastIndexOf treats -1 as "from the end".
    const hyphen = chunk.slice(0, spaceLeft).lastIndexOf('-');
    if (hyphen > 0 && chunk.slice(0, hyphen).some((c) => c !== '-')) end = hyphen + 1;
  }
  curLine.push(chunk.slice(0, end).join(''));
  reversedChunks[reversedChunks.length - 1] = chunk.slice(end).join('');
}

function wrapChunks(chunks: string[], width: number, initialIndent: string, subsequentIndent: string): string[] {
  if (!(width > 0)) throw new RangeError(`invalid width ${width} (must be > 0)`);
  const lines: string[] = [];
  const reversed = [...chunks].reverse();
  const top = (): string => reversed[reversed.length - 1]!;

  while (reversed.length > 0) {
    const curLine: string[] = [];
    let curLen = 0;
    const indent = lines.length > 0 ? subsequentIndent : initialIndent;
    const lineWidth = width - codePointLength(indent);

    // Leading whitespace is kept only at the very start of the text.
    if (lines.length > 0 && isPyBlank(top())) reversed.pop();
    // An empty remnant of a long word with no line emitted yet: Python loops
    // forever here (indent >= width and text starting with whitespace).
    else if (top() === '') reversed.pop();

    while (reversed.length > 0) {
      const len = codePointLength(top());
      if (curLen + len > lineWidth) break;
      curLine.push(reversed.pop()!);
      curLen += len;
    }

    if (reversed.length > 0 && codePointLength(top()) > lineWidth) {
      handleLongWord(reversed, curLine, curLen, lineWidth);
    }

    if (curLine.length > 0 && isPyBlank(curLine[curLine.length - 1]!)) curLine.pop();

    if (curLine.length > 0) lines.push(indent + curLine.join(''));
  }
  return lines;
}

export function wrapText(text: string, width: number, initialIndent = '', subsequentIndent = ''): string[] {
  return wrapChunks(splitChunks(mungeWhitespace(text)), width, initialIndent, subsequentIndent);
}
