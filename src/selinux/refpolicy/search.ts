// Searching definitions and printing them: `iface find`/`defs` (every
// definition with a line matching a regular expression, and those lines),
// `iface show`/`def` (a definition by name, with its comment), as text and
// as JSON. Not here: reading the tree (tree.ts).
import { fail } from '../../base/diagnostic.js';
import type { DefinitionKind, DefinitionParam, PolicyDefinition, SourceLine } from './parse.js';

/** A definition with the lines of it that matched. */
export interface DefinitionMatch {
  definition: PolicyDefinition;
  lines: SourceLine[];
}

/** A regular expression from the command line (JavaScript syntax); a bad one is `bad-query` with its pattern. */
export function definitionPattern(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (e) {
    return fail('bad-query', `invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`, {
      data: { pattern },
    });
  }
}

/**
 * The definitions with a line (from the keyword's line to the closing
 * parenthesis's, the name's line included) that `re` matches, in order,
 * each with those lines.
 */
export function findDefinitions(definitions: readonly PolicyDefinition[], re: RegExp): DefinitionMatch[] {
  const test = new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
  const out: DefinitionMatch[] = [];
  for (const definition of definitions) {
    const lines = definition.lines.filter((l) => test.test(l.text));
    if (lines.length > 0) out.push({ definition, lines });
  }
  return out;
}

/** The definitions named `name`, in order (a support macro may be defined in more than one branch). */
export function definitionsNamed(definitions: readonly PolicyDefinition[], name: string): PolicyDefinition[] {
  return definitions.filter((d) => d.name === name);
}

/** Up to `max` names close to `name`: by edit distance, then those that contain it, nearest first. */
export function closeNames(names: Iterable<string>, name: string, max = 5): string[] {
  const limit = Math.max(2, Math.floor(name.length / 4));
  const scored: { n: string; score: number }[] = [];
  for (const n of new Set(names)) {
    if (n === name) continue;
    const d = Math.abs(n.length - name.length) <= limit ? editDistance(n, name, limit) : limit + 1;
    if (d <= limit) scored.push({ n, score: d });
    else if (name.length >= 4 && n.includes(name)) scored.push({ n, score: limit + 1 + n.length - name.length });
  }
  scored.sort((a, b) => a.score - b.score || (a.n < b.n ? -1 : a.n > b.n ? 1 : 0));
  return scored.slice(0, max).map((s) => s.n);
}

/** Levenshtein distance, giving up (limit + 1) once past `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length] ?? limit + 1;
}

/** `NAME(param, [optional], ...)`. */
export function definitionSignature(d: PolicyDefinition): string {
  return `${d.name}(${d.params.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(', ')})`;
}

/**
 * `find`'s text: per definition, `FILE: LINE: NAME(PARAMS)`, then each
 * matching line as `FILE: LINE: TEXT` (the text as written) but the
 * definition's first line, which the heading stands for.
 */
export function formatMatches(matches: readonly DefinitionMatch[]): string {
  let out = '';
  for (const { definition: d, lines } of matches) {
    out += `${d.file}: ${d.line}: ${definitionSignature(d)}\n`;
    for (const l of lines) if (l.line !== d.line) out += `${d.file}: ${l.line}: ${l.text}\n`;
  }
  return out;
}

/**
 * `show`'s text: per definition, `# FILE:LINE` (an m4 comment), then the
 * comment above it and the definition as written; definitions apart by an
 * empty line.
 */
export function formatDefinitions(definitions: readonly PolicyDefinition[]): string {
  return definitions
    .map((d) => {
      const first = d.comment[0]?.line ?? d.line;
      return `# ${d.file}:${first}\n${[...d.comment, ...d.lines].map((l) => `${l.text}\n`).join('')}`;
    })
    .join('\n');
}

/** A definition as JSON data: where, what, its doc, and `lines` (the matching ones for find, all for show). */
export interface DefinitionJson {
  name: string;
  kind: DefinitionKind;
  file: string;
  line: number;
  column: number;
  endLine: number;
  signature: string;
  summary: string;
  params: DefinitionParam[];
  lines: SourceLine[];
  comment?: SourceLine[];
}

export function definitionJson(d: PolicyDefinition, lines: readonly SourceLine[] = d.lines, withComment = lines === d.lines): DefinitionJson {
  const out: DefinitionJson = {
    name: d.name,
    kind: d.kind,
    file: d.file,
    line: d.line,
    column: d.column,
    endLine: d.endLine,
    signature: definitionSignature(d),
    summary: d.summary,
    params: d.params,
    lines: [...lines],
  };
  if (withComment) out.comment = d.comment;
  return out;
}
