import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { parseSearchArgs } from '../../src/cli/policy/search.js';
import { smallPolicy } from '../fixtures/policy/writer.js';
import { tempDir } from '../support/tempDir.js';

const POLICY = tempDir('cli-search').join('policy.33');
writeFileSync(POLICY, smallPolicy({ version: 33 }));

async function search(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await run(['policy', 'search', ...args], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('porthole policy search', () => {
  it('parses sesearch command lines, two-letter options included', () => {
    const { query, file } = parseSearchArgs(['-A', '-T', '--role_trans', '-s', 'a_t', '-ds', '-dt', '-ep', '-Sp', '-eb', '-ex', '-c', 'file,dir', '-p', 'read', '-b', 'b1', '-x', '0x1', 'pol']);
    expect(file).toBe('pol');
    expect(query).toMatchObject({
      te: ['type_transition', 'allow', 'allowxperm'],
      rbac: ['role_transition'],
      source: 'a_t',
      sourceDirect: true,
      targetDirect: true,
      permsEqual: true,
      permsSubset: true,
      boolsEqual: true,
      xpermsEqual: true,
      classes: ['file', 'dir'],
      perms: ['read'],
      bools: ['b1'],
      xperms: '0x1',
    });
  });

  it('parses -rs, -rt, -rc, -rd, -rb; a class or boolean pattern is not split on commas', () => {
    const { query } = parseSearchArgs(['-A', '-s', 'a', '-rs', '-rt', '-rc', '-rd', '-rb', '-c', 'fi(le|x),dir', '-b', 'b1,b2', 'pol']);
    expect(query).toMatchObject({ sourceRegex: true, targetRegex: true, classRegex: true, defaultRegex: true, boolsRegex: true, classes: ['fi(le|x),dir'], bools: ['b1,b2'] });
    expect(parseSearchArgs(['-A', '-c', 'file,dir', 'pol']).query).toMatchObject({ classRegex: false, classes: ['file', 'dir'] });
    expect(() => parseSearchArgs(['-A', '-rx', 'pol'])).toThrow('unknown option -rx');
  });

  it('searches with patterns (found anywhere in the name, as re.search)', async () => {
    expect((await search('-A', '-s', '^a_', '-rs', '-c', 'il', '-rc', POLICY)).out).toBe('allow a_t b_t:file { execute read };\nallowxperm a_t b_t:file ioctl 0x1234;\n');
    expect((await search('-A', '-s', 'x_', '-rs', POLICY)).out).toBe('');
  });

  it('reports a bad pattern', async () => {
    expect(await search('-A', '-s', '(', '-rs', POLICY)).toEqual({ code: 2, out: '', err: 'porthole: error[bad-query]: invalid regular expression "(": Unterminated group\n' });
  });

  it('prints the rules', async () => {
    expect(await search('-A', '-s', 'a_t', POLICY)).toEqual({
      code: 0,
      out: 'allow a_t b_t:file { execute read };\nallowxperm a_t b_t:file ioctl 0x1234;\n',
      err: '',
    });
  });

  it('prints the results of the groups before a bad name, then the message; exit 1', async () => {
    expect(await search('-A', '--role_allow', '-s', 'a_t', POLICY)).toEqual({
      code: 1,
      out: 'allow a_t b_t:file { execute read };\nallowxperm a_t b_t:file ioctl 0x1234;\n',
      err: 'porthole: error[unknown-name]: a_t is not a valid role\n',
    });
    expect(await search('-A', '-s', 'nonexist_t', POLICY)).toEqual({ code: 1, out: '', err: 'porthole: error[unknown-name]: nonexist_t is not a valid type attribute\n' });
    // --json: the rules on stdout, the diagnostic as a JSON line on stderr.
    const json = await search('-A', '--role_allow', '-s', 'a_t', '--json', POLICY);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out).rules).toHaveLength(2);
    expect(JSON.parse(json.err)).toMatchObject({ severity: 'error', code: 'unknown-name', message: 'a_t is not a valid role', data: { kind: 'role', name: 'a_t' } });
  });

  it('wants a rule type', async () => {
    const r = await search('-s', 'a_t', POLICY);
    expect(r.code).toBe(2);
    expect(r.err).toContain('At least one rule type must be specified.');
  });

  it('--json', async () => {
    const r = await search('-T', '--json', POLICY);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { rules: { text: string; filename?: string }[] };
    expect(j.rules.map((x) => x.text)).toEqual(['type_transition a_t b_t:file a_t name;', 'type_transition a_t b_t:process b_t;']);
    expect(j.rules[0]!.filename).toBe('name');
  });
});
