// Differential test of the m4 engine against /usr/bin/m4 (GNU m4 1.4): every
// builtin case of test/fixtures/m4/cases.txt is run by the real m4 now (not
// read from the golden file) and by ours; stdout and the exit status must be
// the same (messages are ours: diagnostics, not m4's wording).
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandM4 } from '../../../src/index.js';
import { M4_CASES } from '../../fixtures/m4/cases.js';
import { tempDir } from '../../support/tempDir.js';
import { describeOracle } from '../support/oracles.js';

describeOracle('m4 builtins: ours == /usr/bin/m4', () => {
  const dir = tempDir('m4-builtins');
  it('is GNU m4 1.4', () => {
    expect(execFileSync('m4', ['--version'], { encoding: 'utf8' })).toMatch(/^m4 \(GNU M4\) 1\.4\./);
  });
  describe('each case', () => {
    it.each(M4_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      writeFileSync(dir.join('input.m4'), c.input, 'latin1');
      const real = spawnSync('m4', [...(c.sync ? ['-s'] : []), 'input.m4'], { cwd: dir.path, encoding: 'latin1' });
      const ours = expandM4([{ name: 'input.m4', text: c.input }], { syncLines: c.sync });
      expect(ours.output).toBe(real.stdout);
      expect(ours.exitCode).toBe(real.status);
    });
  });
}, ['m4']);
