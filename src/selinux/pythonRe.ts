// Python regular expressions (what audit2allow -t and sesearch -rs/-rt/... take) as JavaScript
// RegExps. The common syntax is shared; Python's named groups are translated.

/**
 * `pattern` as a RegExp that behaves like Python's `re.match` (mode 'match': anchored at the
 * start only) or `re.search` (mode 'search': anywhere). Throws SyntaxError on a bad pattern.
 */
export function pythonRegex(pattern: string, mode: 'match' | 'search' = 'match'): RegExp {
  const js = pattern.replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>').replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>');
  // No 'u' flag: it rejects escapes such as `\_` that Python accepts.
  return new RegExp(mode === 'match' ? `^(?:${js})` : js);
}
