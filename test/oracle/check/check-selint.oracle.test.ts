// porthole check against selint on the reference policy: for the four rules
// both have (lint-perm-order = C-005, lint-missing-require = W-002,
// lint-unused-require = W-003, fc-regex-escape = W-004) the same findings,
// compared as (file, line, id), selint run as the issue runs it
// (`selint -s -r policy` in $SE_REFPOLICY_SRC, --full-path to name files as we
// do). Our lint-unused-require also reads modules' (.te) require blocks, which
// selint's W-003 leaves alone: those findings are listed apart (none on the
// reference policy, whose modules require through interfaces).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { LINT_RULES, lintPolicy, readLintInputs } from '../../../src/index.js';
import { describeOracle, findOracles } from '../support/oracles.js';

const SELINT_IDS = ['C-005', 'W-002', 'W-003', 'W-004'] as const;

describeOracle('check: the rules selint also has agree with selint on the reference policy', () => {
  const src = findOracles().env.SE_REFPOLICY_SRC ?? '/usr/src/selinux-policy-src';

  it('finds what selint finds for C-005, W-002, W-003 and W-004, line for line', () => {
    // selint exits 0 without -F; its findings go to stdout.
    const out = execFileSync('selint', ['-s', '-r', '--full-path', 'policy'], { cwd: src, encoding: 'utf8', maxBuffer: 64 << 20 });
    const theirs = new Map<string, Set<string>>(SELINT_IDS.map((id) => [id, new Set()]));
    for (const line of out.split('\n')) {
      const m = /^(.*?):\s*(\d+): \([A-Z]\): .* \(([A-Z]-\d+)\)$/.exec(line);
      if (m && theirs.has(m[3]!)) theirs.get(m[3]!)!.add(`${m[1]}:${m[2]}`);
    }
    const rules = LINT_RULES.filter((r) => r.selint !== undefined);
    expect(rules.map((r) => r.selint).sort()).toEqual([...SELINT_IDS]);
    const found = lintPolicy(readLintInputs(['policy'], src), { build: 'none', rules });
    const ours = new Map<string, Set<string>>(SELINT_IDS.map((id) => [id, new Set()]));
    const moduleOnly: string[] = [];
    for (const d of found) {
      const id = rules.find((r) => r.code === d.code)!.selint!;
      const key = `${d.span!.file}:${d.span!.line}`;
      if (d.code === 'lint-unused-require' && d.span!.file.endsWith('.te')) moduleOnly.push(key);
      else ours.get(id)!.add(key);
    }
    const counts: Record<string, string> = {};
    for (const id of SELINT_IDS) {
      const a = ours.get(id)!;
      const b = theirs.get(id)!;
      counts[id] = `${[...a].filter((k) => b.has(k)).length} agreed, ${[...a].filter((k) => !b.has(k)).length} ours only, ${[...b].filter((k) => !a.has(k)).length} selint only`;
      expect({ id, oursOnly: [...a].filter((k) => !b.has(k)).sort(), selintOnly: [...b].filter((k) => !a.has(k)).sort() }).toEqual({ id, oursOnly: [], selintOnly: [] });
      expect(b.size, `selint found no ${id}: the comparison would prove nothing`).toBeGreaterThan(0);
    }
    expect(moduleOnly).toEqual([]);
    process.stderr.write(`check vs selint: ${JSON.stringify(counts)}\n`);
  });

  it('the checkout has the tree selint reads', () => {
    expect(readLintInputs([join('policy', 'modules', 'kernel')], src).length).toBeGreaterThan(10);
  });
}, ['env', 'refpolicy-src', 'selint']);
