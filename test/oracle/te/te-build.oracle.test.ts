// The build pipeline with the devel headers: an undefined interface (and its
// "did you mean"), too few and too many arguments, each once at the user's
// line, and the errors a call given too few arguments causes not repeated.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { buildModule, readBuildSources } from '../../../src/index.js';
import { withTempDir } from '../../support/tempDir.js';
import { describeOracle, findOracles } from '../support/oracles.js';
import { refpolicyModules, refpolicySample } from '../support/refpolicy.js';

describeOracle('build: interface calls checked against the devel headers', () => {
  it('reports undefined interfaces and wrong argument counts at the call', () => {
    const text = ['policy_module(g, 1.0)', 'type g_t;', 'files_read_etc_file(g_t)', 'logging_send_syslog_msg(g_t, g_t)', 'corecmd_exec_bin()', ''].join('\n');
    const r = buildModule({ te: { name: 'g.te', text } }, { outputName: 'g' });
    expect(r.diagnostics.map((d) => `${d.span?.line} ${d.severity} ${d.code} ${d.data?.name}`)).toEqual([
      '3 error te-undefined-interface files_read_etc_file',
      '4 warning te-interface-arguments logging_send_syslog_msg',
      '5 error te-interface-arguments corecmd_exec_bin',
    ]);
    expect(r.diagnostics[0]?.data?.suggestions).toContain('files_read_etc_files');
  }, 120_000);

  it('checks the module name against the output name', () => {
    const r = buildModule({ te: { name: 'g.te', text: 'policy_module(g, 1.0)\n' } }, { outputName: 'other' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['te-module-name']);
  }, 120_000);

  it('an undefined interface: checkmodule refuses the expanded module too (syntax error)', async () => {
    const r = buildModule({ te: { name: 'u.te', text: 'policy_module(u, 1.0)\ntype u_t;\nfiles_read_etc_file(u_t)\n' } }, { outputName: 'u' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['te-undefined-interface']);
    await withTempDir('te-build', (dir) => {
      const file = join(dir, 'u.te');
      writeFileSync(file, r.text, 'latin1');
      expect(spawnSync('checkmodule', ['-M', '-m', file], { encoding: 'utf8' }).status).not.toBe(0);
    });
  }, 120_000);

  // No false alarm from the call checks on the reference policy (CI: the fixed sample; all 408
  // with PORTHOLE_FULL_SWEEP=1): only the base-only statements and systemd's missing require.
  it('finds no undefined interface and no wrong argument count in the reference policy', () => {
    const src = join(findOracles().env.SE_REFPOLICY_SRC ?? '/usr/src/selinux-policy-src', 'policy/modules');
    const sample = refpolicySample(refpolicyModules(src), process.env.PORTHOLE_FULL_SWEEP === '1', ['systemd']);
    const found = new Set<string>();
    for (const m of sample) for (const d of buildModule(readBuildSources({ te: m.path })).diagnostics) found.add(d.code);
    expect([...found].sort()).toEqual(['te-base-only', 'te-unknown-name']);
  }, 1_200_000);
}, ['env', 'checkmodule', 'devel-include', 'refpolicy-src']);
