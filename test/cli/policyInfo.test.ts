import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { smallPolicy } from '../fixtures/policy/writer.js';
import { tempDir } from '../support/tempDir.js';

const scratch = tempDir('cli-info');
const dir = scratch.path;
const FILE = scratch.join('policy.33');
writeFileSync(FILE, smallPolicy({ version: 33 }));

async function info(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const io = memoryIo({ cwd: dir });
  const code = await run(['policy', 'info', ...args], io);
  return { out: io.out.join(''), err: io.err.join(''), code };
}

describe('porthole policy info listings', () => {
  it('takes the policy first, then a flag with or without a name', async () => {
    expect(await info(FILE, '-t')).toEqual({ out: '\nTypes: 2\n   a_t\n   b_t\n', err: '', code: 0 });
    expect((await info('policy.33', '-t', 'a_alias', '-x')).out).toBe('\nTypes: 1\n   type a_t alias a_alias, x_attr;\n');
    expect((await info(FILE, '--type=b_t', '--expand')).out).toBe('\nTypes: 1\n   type b_t, x_attr;\n');
    expect((await info(FILE, '-ta_t')).out).toBe('\nTypes: 1\n   a_t\n');
    expect((await info(FILE, '-t', '-x', '-r', 'r_r')).out).toBe('\nRoles: 1\n   role r_r types { a_t b_t };\n\nTypes: 2\n   type a_t alias a_alias, x_attr;\n   type b_t, x_attr;\n');
  });

  it('prints the statistics without a listing flag (and nothing with --flat alone)', async () => {
    expect((await info(FILE)).out).toMatch(/^Statistics for policy file: /);
    expect((await info(FILE, '-x')).out).toMatch(/^Statistics for policy file: /);
    expect((await info(FILE, '-t', '')).out).toMatch(/^Statistics for policy file: /);
    expect((await info(FILE, '--flat')).out).toBe('');
  });

  it('prints listings as JSON', async () => {
    const r = await info(FILE, '--json', '-b', '--polcap', 'open_perms');
    expect(JSON.parse(r.out)).toEqual({ booleans: [{ name: 'b1', state: true }], polcaps: [{ name: 'open_perms' }] });
  });

  it('--all: the statistics, then every listing (or, as JSON, both)', async () => {
    const all = await info(FILE, '--all');
    expect(all.out).toMatch(/^Statistics for policy file: .*\n[\s\S]*\nBooleans: 1\n[\s\S]*\nValidatetrans: 1\n/);
    expect((await info(FILE, '--all', '--flat')).out).not.toContain('Statistics');
    const json = JSON.parse((await info(FILE, '--all', '--json')).out);
    expect(json.statistics).toMatchObject({ path: FILE, types: 2 });
    expect(json.types).toHaveLength(2);
    expect(json.constraints).toHaveLength(2);
  });

  it('rejects bad port queries like seinfo (usage error 2, bad range 1)', async () => {
    const bad = await info(FILE, '--portcon', 'http');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('Enter a port number or range');
    const reversed = await info(FILE, '--portcon', '90-80');
    expect(reversed.code).toBe(1);
    expect(reversed.err).toBe('porthole: error[bad-query]: The low port must be smaller than the high port: 90-80\n');
    expect((await info(FILE, '--constrain', 'nofile')).err).toBe('porthole: error[unknown-name]: nofile is not a valid class\n');
  });

  it('reports a file that is not a policy as a policy-format error naming the section and offset', async () => {
    const bad = scratch.join('bad.33');
    writeFileSync(bad, 'not a policy at all');
    for (const args of [[bad], [bad, '-t']]) {
      const r = await info(...args);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^\/.*bad\.33: error\[policy-format\]: \S.* at byte \d+: .+\n$/);
    }
    const json = await info(bad, '-t', '--json');
    expect(JSON.parse(json.err)).toMatchObject({ code: 'policy-format', span: { file: bad, line: 0, offset: 0 }, data: { offset: 0, section: 'header' } });
  });
});
