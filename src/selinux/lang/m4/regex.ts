// GNU regular expressions as m4's regexp and patsubst read them (GNU regex
// with RE_SYNTAX_EMACS, which is 0 in glibc: `\(` `\)` group, `*` `+` `?`
// repeat, `\{` is a plain brace, no character classes; `^` and `$` anchor
// only at the ends of the pattern or of a group or branch and match at
// newlines; `.` matches anything but a newline; `\w \W \s \S \< \> \b \B
// \` \'` and back-references `\1`-`\9`), translated into JavaScript regular
// expressions that match the same text.
// What cannot be translated faithfully is refused, not approximated:
// alternation (`\|`: GNU regex takes the longest match, JavaScript the first
// alternative) and collating elements (`[.` `[=` in brackets).

export type CompiledRegex = { re: RegExp; nsub: number } | { error: string; unsupported: boolean };

const cache = new Map<string, CompiledRegex>();

const SPECIAL = /[\\^$.|?*+()[\]{}/]/;

function lit(c: string): string {
  return SPECIAL.test(c) ? `\\${c}` : c;
}

/** Compiles a GNU (emacs syntax) regular expression; the JS RegExp has the `g` flag (set lastIndex to search from an offset). */
export function compileGnuRegex(pattern: string): CompiledRegex {
  let r = cache.get(pattern);
  if (r === undefined) {
    r = translate(pattern);
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, r);
  }
  return r;
}

function translate(p: string): CompiledRegex {
  // Each item: the JS text of one atom, and whether a repetition may follow it.
  const out: { js: string; repeatable: boolean; repeated: boolean }[] = [];
  const groupStarts: number[] = [];
  let nsub = 0;
  const closed = new Set<number>();
  const open: number[] = [];
  let atStart = true; // at the start of the pattern, a group or a branch
  let i = 0;
  const n = p.length;
  const push = (js: string, repeatable = true): void => {
    out.push({ js, repeatable, repeated: false });
    atStart = false;
  };
  while (i < n) {
    const c = p[i] as string;
    if (c === '\\') {
      const d = p[i + 1];
      i += 2;
      if (d === undefined) return { error: 'Trailing backslash', unsupported: false };
      switch (d) {
        case '(':
          nsub++;
          open.push(nsub);
          groupStarts.push(out.length);
          out.push({ js: '(', repeatable: false, repeated: false });
          atStart = true;
          continue;
        case ')': {
          const g = open.pop();
          const start = groupStarts.pop();
          if (g === undefined || start === undefined) return { error: 'Unmatched ) or \\)', unsupported: false };
          closed.add(g);
          const body = out
            .splice(start)
            .map((x) => x.js)
            .join('');
          push(`${body})`);
          continue;
        }
        case '|':
          return { error: 'alternation (\\|) is not supported', unsupported: true };
        case 'w':
          push('[A-Za-z0-9_]');
          continue;
        case 'W':
          push('[^A-Za-z0-9_]');
          continue;
        case 's':
          push('[ \\t\\n\\v\\f\\r]');
          continue;
        case 'S':
          push('[^ \\t\\n\\v\\f\\r]');
          continue;
        case '<':
          push('\\b(?=[A-Za-z0-9_])', false);
          continue;
        case '>':
          push('\\b(?<=[A-Za-z0-9_])', false);
          continue;
        case 'b':
          push('\\b', false);
          continue;
        case 'B':
          push('\\B', false);
          continue;
        case '`':
          push('(?<![\\s\\S])', false);
          continue;
        case "'":
          push('(?![\\s\\S])', false);
          continue;
        default:
          if (d >= '1' && d <= '9') {
            const k = d.charCodeAt(0) - 48;
            if (!closed.has(k)) return { error: 'Invalid back reference', unsupported: false };
            push(`\\${k}`);
            continue;
          }
          push(lit(d));
          continue;
      }
    }
    if (c === '*' || c === '+' || c === '?') {
      i++;
      const prev = out[out.length - 1];
      if (atStart || prev === undefined || !prev.repeatable) {
        push(lit(c));
        continue;
      }
      prev.js = prev.repeated ? `(?:${prev.js})${c}` : prev.js + c;
      prev.repeated = true;
      continue;
    }
    if (c === '^') {
      i++;
      if (atStart) push('(?<![^\\n])', false);
      else push('\\^');
      continue;
    }
    if (c === '$') {
      i++;
      const rest = p.slice(i);
      if (rest === '' || rest.startsWith('\\)') || rest.startsWith('\\|')) push('(?![^\\n])', false);
      else push('\\$');
      continue;
    }
    if (c === '.') {
      i++;
      push('[^\\n]');
      continue;
    }
    if (c === '[') {
      const b = bracket(p, i + 1);
      if ('error' in b) return b;
      i = b.end;
      push(b.js);
      continue;
    }
    i++;
    push(lit(c));
  }
  if (open.length > 0) return { error: 'Unmatched ( or \\(', unsupported: false };
  try {
    return { re: new RegExp(out.map((x) => x.js).join(''), 'g'), nsub };
  } catch (e) {
    return { error: String((e as Error).message), unsupported: true };
  }
}

/** A bracket expression starting after `[`: its JS class and where it ends. */
function bracket(p: string, start: number): { js: string; end: number } | { error: string; unsupported: boolean } {
  let i = start;
  let neg = false;
  if (p[i] === '^') {
    neg = true;
    i++;
  }
  const items: string[] = [];
  let first = true;
  for (;;) {
    const c = p[i];
    if (c === undefined) return { error: 'Unmatched [, [^, [:, [., or [=', unsupported: false };
    if (c === ']' && !first) {
      i++;
      break;
    }
    if (c === '[' && (p[i + 1] === '.' || p[i + 1] === '=')) return { error: 'collating elements ([. and [=) are not supported', unsupported: true };
    first = false;
    if (p[i + 1] === '-' && p[i + 2] !== undefined && p[i + 2] !== ']') {
      const lo = c.charCodeAt(0);
      const hi = (p[i + 2] as string).charCodeAt(0);
      if (lo <= hi) items.push(`${esc(lo)}-${esc(hi)}`);
      i += 3;
      continue;
    }
    items.push(esc(c.charCodeAt(0)));
    i++;
  }
  if (items.length === 0) return { js: neg ? '[\\s\\S]' : '[^\\s\\S]', end: i };
  return { js: `[${neg ? '^' : ''}${items.join('')}]`, end: i };
}

function esc(code: number): string {
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
