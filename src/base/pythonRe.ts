// Python regular expressions (what audit2allow -t and sesearch -rs/-rt/... take) as JavaScript
// RegExps. Most syntax is shared; what differs is translated: named groups `(?P<n>...)` and
// `(?P=n)`, comments `(?#...)`, `\A` and `\Z`, a `]` first in a class, and global flags at the
// start (`(?i)`, `(?s)`, `(?m)`; `(?a)`, `(?u)` and `(?L)` change nothing for ASCII names).
// Verbose mode `(?x)` is refused rather than misread. (Python's `$` also matches before a final
// newline; policy names have none.)

/**
 * `pattern` as a RegExp that behaves like Python's `re.match` (mode 'match': anchored at the
 * start only) or `re.search` (mode 'search': anywhere). Throws SyntaxError on a bad pattern.
 */
export function pythonRegex(pattern: string, mode: 'match' | 'search' = 'match'): RegExp {
  let flags = '';
  let rest = pattern;
  for (let m = /^\(\?([aiLmsux]+)\)/.exec(rest); m; m = /^\(\?([aiLmsux]+)\)/.exec(rest)) {
    for (const f of m[1]!) {
      if (f === 'x') throw new SyntaxError('verbose mode (?x) is not supported');
      if ('ims'.includes(f) && !flags.includes(f)) flags += f;
    }
    rest = rest.slice(m[0].length);
  }
  const js = translate(rest);
  // No 'u' flag: it rejects escapes such as `\_` that Python accepts. re.match anchors at the
  // start of the string, even with (?m) (where `^` would also match after a newline).
  const start = flags.includes('m') ? '(?<![\\s\\S])' : '^';
  return new RegExp(mode === 'match' ? `${start}(?:${js})` : js, flags);
}

/** The body of a pattern, Python's spellings turned into JavaScript's; character classes are copied as they are. */
function translate(p: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      const n = p[i + 1];
      if (!inClass && n === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && n === 'Z') out += '(?![\\s\\S])';
      else out += c + (n ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A `]` right after `[` or `[^` is a literal in Python; JavaScript reads `[]` as an empty class.
      if (p[i + 1] === '^') out += p[++i];
      if (p[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (p.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    const back = /^\(\?P=([A-Za-z_]\w*)\)/.exec(p.slice(i));
    if (back) {
      out += `\\k<${back[1]}>`;
      i += back[0].length - 1;
      continue;
    }
    if (p.startsWith('(?#', i)) {
      const end = p.indexOf(')', i);
      if (end < 0) throw new SyntaxError('missing ), unterminated comment');
      i = end;
      continue;
    }
    out += c;
  }
  return out;
}
