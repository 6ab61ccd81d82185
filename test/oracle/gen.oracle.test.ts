// The generator checked against the real tools:
//  * its `ausearch -i` rendering is what ausearch 3.0.9 prints for its raw
//    rendering of the same seed (TZ=UTC);
//  * its name fixture was extracted from the installed policy.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { type GenOptions, generateLog, loadNames } from '../gen/index.js';
import { tempDir } from '../support/tempDir.js';
import { describeOracle, findOracles } from './support/oracles.js';

describeOracle('log generator vs ausearch -i', () => {
  const dir = tempDir('gen-oracle');
  const specs: GenOptions[] = [];
  for (let seed = 1; seed <= 12; seed++)
    specs.push({ seed, events: 40, missingRuleOnly: seed % 2 === 0, mix: seed % 3 === 0 ? { hex: 0.7, avcPath: 0.3, ioctlZero: 0.3, selinuxErr: 0.1, selinuxErrModern: 0.5 } : {} });
  for (const spec of specs) {
    it(`seed ${spec.seed}${spec.missingRuleOnly ? ' (missing-rule)' : ''}`, () => {
      const base = { ...spec, interleave: 0, mix: { ...spec.mix, truncate: 0, crlf: 0 } };
      const raw = generateLog({ ...base, format: 'raw' }).text;
      const mine = generateLog({ ...base, format: 'ausearch-i' }).text;
      const file = dir.join(`raw-${spec.seed}.log`);
      writeFileSync(file, raw);
      const r = spawnSync(findOracles().ausearch, ['-if', file, '-i'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TZ: 'UTC', LC_ALL: 'C' } });
      expect(r.status, r.stderr).toBe(0);
      expect(mine).toBe(r.stdout);
    });
  }
}, ['ausearch']);

describeOracle('log generator fixture', () => {
  it('was extracted from the installed policy (else rerun test/gen/extract-names.py)', () => {
    const names = loadNames();
    const policy = findOracles().policy;
    const sha = createHash('sha256').update(readFileSync(policy)).digest('hex');
    expect(sha, `fixture from ${names.source.policy} (${names.source.policySha256}), installed ${policy}`).toBe(names.source.policySha256);
  });
}, ['env', 'policy']);
