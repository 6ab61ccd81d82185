// yaml.v2's line breaking (best_width 80), applied to the one-line-per-scalar
// YAML the `yaml` package writes for RBAC objects (lineWidth 0): yaml.v2 breaks
// a plain, single- or double-quoted value at a space once the line is past
// column 80 (not before it, as the `yaml` package folds), continuing two columns
// right of where the key (or the sequence dash) starts. The rules, from its
// write_*_scalar functions: a single space (not one of a run), not followed by
// a space for plain and single-quoted values, not the value's first or last
// character for quoted ones; a double-quoted break before a further space ends
// the new line's indentation with `\`. Columns count characters, not bytes.
// Keys are never broken (yaml.v2 writes them in simple-key context).

const WIDTH = 80;

/** The text with every line over 80 columns broken as yaml.v2 breaks it. */
export function foldLikeYamlV2(text: string): string {
  if (!hasLongLine(text)) return text;
  return text
    .split('\n')
    .map((line) => (columns(line) > WIDTH ? foldLine(line) : line))
    .join('\n');
}

function hasLongLine(text: string): boolean {
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    if (end - start > WIDTH && columns(text.slice(start, end)) > WIDTH) return true;
    if (nl < 0) return false;
    start = nl + 1;
  }
}

const columns = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** Where a line's value starts and how its continuation lines are indented; undefined for lines without a breakable value. */
function valuePlace(line: string): { at: number; indent: number } | undefined {
  let p = 0;
  while (line[p] === ' ') p++;
  let owner = p; // the column of the dash or the key the value belongs to
  while (line.startsWith('- ', p)) {
    owner = p;
    p += 2;
  }
  if (p === line.length || line[p] === '?') return undefined;
  const keyEnd = endOfKey(line, p);
  // No key: a sequence item's scalar (a plain scalar never ends with `:`; such a line opens a block).
  if (keyEnd === undefined) return p > owner && !line.endsWith(':') ? { at: p, indent: owner + 2 } : undefined;
  if (!line.startsWith(': ', keyEnd)) return undefined;
  return { at: keyEnd + 2, indent: p + 2 };
}

/** The end of a mapping key starting at p (plain, 'single' or "double" quoted), or undefined when the line holds no key there. */
function endOfKey(line: string, p: number): number | undefined {
  const q = line[p];
  if (q === "'") {
    for (let i = p + 1; i < line.length; i++) {
      if (line[i] !== "'") continue;
      if (line[i + 1] === "'") i++;
      else return line[i + 1] === ':' ? i + 1 : undefined;
    }
    return undefined;
  }
  if (q === '"') {
    for (let i = p + 1; i < line.length; i++) {
      if (line[i] === '\\') i++;
      else if (line[i] === '"') return line[i + 1] === ':' ? i + 1 : undefined;
    }
    return undefined;
  }
  const colon = line.indexOf(': ', p);
  return colon < 0 ? undefined : colon;
}

function foldLine(line: string): string {
  const v = valuePlace(line);
  if (!v) return line;
  const head = line.slice(0, v.at);
  const chars = [...line.slice(v.at)];
  const quote = chars[0] === "'" || chars[0] === '"' ? chars[0] : undefined;
  // The value's characters as written: inside the quotes for a quoted value.
  const first = quote ? 1 : 0;
  const last = quote ? chars.length - 2 : chars.length - 1;
  const pad = ' '.repeat(v.indent);
  let out = head;
  let col = columns(head);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const next = chars[i + 1];
    // A space of the value, not after another, past column 80; quoted: not the first or last character.
    const candidate = c === ' ' && i >= first && i <= last && chars[i - 1] !== ' ' && col > WIDTH && (quote === undefined || (i > first && i < last));
    if (candidate && (quote === '"' || next !== ' ')) {
      out += `\n${pad}`;
      col = v.indent;
      if (quote === '"' && next === ' ') {
        out += '\\';
        col++;
      }
      continue;
    }
    out += c;
    col++;
  }
  return out;
}
