// `porthole label --list`: the specs as `semanage fcontext -l` prints them,
// from the files alone: one row per (spec, file type), the later file winning
// (.homedirs over the base file, .local over both; a later line over an
// earlier one), sorted by spec then file type in words, in its columns
// (`%-50s %-18s %s `, `<<None>>` for no context), then the equivalence rules
// (distribution, then local) in file order.
import type { FileContexts } from './lookup.js';
import type { FileContextSpec } from './specs.js';
import type { SubstitutionRule } from './subs.js';

/** semanage's words for each file-type field. */
export const FILE_TYPE_WORDS: Readonly<Record<string, string>> = {
  '': 'all files',
  '--': 'regular file',
  '-d': 'directory',
  '-c': 'character device',
  '-b': 'block device',
  '-s': 'socket',
  '-l': 'symbolic link',
  '-p': 'named pipe',
};

const ORIGIN_RANK = { base: 0, homedirs: 1, local: 2 } as const;

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** Python's `dict` of equivalence rules: the first position of an alias, its last value. */
function equivalences(rules: readonly SubstitutionRule[]): Array<[string, string]> {
  const m = new Map<string, string>();
  for (const r of rules) m.set(r.src, r.dst);
  return [...m];
}

/**
 * The listing; `filter` keeps the rows (specs and equivalence rules) whose text it matches, as
 * `semanage fcontext -l | grep` would, but keeps the headings.
 */
export function formatFcontextList(fc: FileContexts, filter?: RegExp): string {
  const loadOrder = [...fc.specs].sort((a, b) => ORIGIN_RANK[a.origin] - ORIGIN_RANK[b.origin] || a.line - b.line);
  const rows = new Map<string, { expr: string; type: string; spec: FileContextSpec }>();
  for (const s of loadOrder) {
    const type = FILE_TYPE_WORDS[s.typeField ?? ''] ?? s.typeField ?? '';
    rows.set(`${s.regex}\0${type}`, { expr: s.regex, type, spec: s });
  }
  const sorted = [...rows.values()].sort((a, b) => (a.expr < b.expr ? -1 : a.expr > b.expr ? 1 : a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  const keep = (line: string): boolean => !filter || filter.test(line);
  let out = '';
  if (sorted.length > 0) {
    out += `${pad('SELinux fcontext', 50)} ${pad('type', 18)} Context\n\n`;
    for (const r of sorted) {
      const line = r.spec.context === '<<none>>' ? `${pad(r.expr, 50)} ${pad(r.type, 18)} <<None>>` : `${pad(r.expr, 50)} ${pad(r.type, 18)} ${r.spec.context} `;
      if (keep(line)) out += line + '\n';
    }
  }
  const dist = equivalences(fc.subsDist);
  if (dist.length > 0) {
    out += '\nSELinux Distribution fcontext Equivalence \n\n';
    for (const [a, b] of dist) if (keep(`${a} = ${b}`)) out += `${a} = ${b}\n`;
  }
  const local = equivalences(fc.subs);
  if (local.length > 0) {
    out += '\nSELinux Local fcontext Equivalence \n\n';
    for (const [a, b] of local) if (keep(`${a} = ${b}`)) out += `${a} = ${b}\n`;
  }
  return out;
}
