// lint-perm-order (selint C-005): the permissions of an access rule, or of a
// class in a require block, not in ascending byte order, or one repeated. As
// selint: the first pair out of order is reported, `~` and `-` are skipped,
// permission set macros (read_file_perms) sort as the words they are.
import { type Diagnostic, diagnostic } from '../../../../base/diagnostic.js';
import type { LintSource } from '../context.js';
import { avRule, declarations, walk } from '../statements.js';
import type { LintRule } from './rule.js';

/** The first pair of a list out of order or repeated, or undefined. */
export function unorderedPair(perms: readonly string[]): [string, string] | undefined {
  for (let k = 1; k < perms.length; k++) {
    const prev = perms[k - 1]!;
    const cur = perms[k]!;
    if (prev === '~' || cur === '-') continue;
    if (prev >= cur) return [prev, cur];
  }
  return undefined;
}

export const permOrder: LintRule = {
  code: 'lint-perm-order',
  severity: 'note',
  selint: 'C-005',
  source(s: LintSource): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const item of walk(s.items)) {
      // One permission cannot be out of order: only lists (`{ }`) are read.
      if (item.kind !== 'statement' || !item.tokens.includes('{')) continue;
      const av = avRule(item);
      const cls = av ? undefined : declarations(item, item.inRequire).find((d) => d.kind === 'class');
      const perms = av ? av.perms : cls?.attrs;
      const what = av ? (av.xperm ? 'extended permissions' : 'permissions') : `permissions of class ${cls?.name ?? ''}`;
      const pair = perms && unorderedPair(perms);
      if (!pair) continue;
      const [a, b] = pair;
      const sorted = [...new Set(perms.filter((p) => p !== '~' && p !== '-'))].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      out.push(
        diagnostic('note', 'lint-perm-order', a === b ? `${what} repeat ${a}` : `${what} not in order: ${a} before ${b}; write { ${sorted.join(' ')} }`, {
          span: { file: s.file, line: item.line },
          data: { first: a, second: b },
        }),
      );
    }
    return out;
  },
};
