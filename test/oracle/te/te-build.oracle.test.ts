// The build pipeline with the devel headers: an undefined interface (and its
// "did you mean"), too few and too many arguments, each once at the user's
// line, and the errors a call given too few arguments causes not repeated.
import { expect, it } from 'vitest';
import { buildModule } from '../../../src/index.js';
import { describeOracle } from '../support/oracles.js';

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
});
