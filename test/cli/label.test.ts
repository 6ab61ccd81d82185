// `porthole label`: matchpathcon's output on the priority fixture
// (test/fixtures/labels/priority/: a file_contexts with .homedirs, .local,
// .subs and .subs_dist exercising each priority and equivalence rule;
// expected.txt is matchpathcon -m MODE -f file_contexts PATHS for each mode),
// stdin input, -n, --explain, --json, errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { withTempDir } from '../support/tempDir.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/labels/priority/', import.meta.url));
const FC = FIXTURE + 'file_contexts';
const PATHS = readFileSync(FIXTURE + 'paths.txt', 'utf8')
  .split('\n')
  .filter(Boolean);
const MODES = ['file', 'dir', 'lnk_file', 'chr_file', 'blk_file', 'sock_file', 'pipe'];

async function porthole(args: string[], stdin: string | Buffer = '') {
  const io = memoryIo({ cwd: FIXTURE, stdin: Readable.from([Buffer.from(stdin)]) });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('porthole label', () => {
  it("prints matchpathcon's answers for every priority and equivalence rule, in every mode", async () => {
    let out = '';
    for (const m of MODES) {
      const r = await porthole(['label', '-m', m, '-f', FC, ...PATHS]);
      expect([r.code, r.err]).toEqual([0, '']);
      out += `# -m ${m}\n${r.out}`;
    }
    expect(out).toBe(readFileSync(FIXTURE + 'expected.txt', 'utf8'));
  });

  it('reads paths from stdin with -, prints contexts alone with -n', async () => {
    const r = await porthole(['label', '-m', 'file', '-f', FC, '-n', '/srv/app/bin/tool', '-'], '/run/app.pid\n\n/srv/app/cache/x\n/legacy/x');
    expect(r).toEqual({ code: 0, err: '', out: 'system_u:object_r:local_tool_t:s0\nsystem_u:object_r:app_pid_t:s0\n<<none>>\nsystem_u:object_r:new_t:s0\n' });
  });

  it('lstats an existing path when no -m is given; a missing one matches every file type', async () => {
    await withTempDir('label-mode', async (dir) => {
      const r = await porthole(['label', '-f', FC, dir, '/no/such/path']);
      expect(r.out).toBe(`${dir}\tsystem_u:object_r:default_t:s0\n/no/such/path\tsystem_u:object_r:default_t:s0\n`);
    });
    const root = await porthole(['label', '-f', FC, '/', '/opt/sock']);
    expect(root.out).toBe('/\tsystem_u:object_r:root_t:s0\n/opt/sock\tsystem_u:object_r:sock_t:s0\n');
  });

  it('explains the answer: equivalence rules, the winning spec, the specs that lost', async () => {
    const r = await porthole(['label', '-m', 'file', '-f', FC, '--explain', '/legacy/x']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        '/legacy/x\tsystem_u:object_r:new_t:s0',
        '  path: /legacy/x, file type file',
        `  rewritten by /legacy -> /var/run2 (${FC}.subs:6, local equivalence)`,
        `  rewritten by /var/run2 -> /var/new (${FC}.subs_dist:3, distribution equivalence)`,
        '  looked up: /var/new/x',
        `  matched: /var/new(/.*)? system_u:object_r:new_t:s0 at ${FC}:24 (regex, base file)`,
        `  also matches: /.* system_u:object_r:default_t:s0 at ${FC}:2: lower priority`,
        '',
      ].join('\n'),
    );
    const tool = await porthole(['label', '-m', 'dir', '-f', FC, '--explain', '/srv/app/bin/tool']);
    expect(tool.out).toContain(`matched: /srv/app/bin/tool system_u:object_r:local_tool_t:s0 at ${FC}.local:2 (exact path (tried before every regex), local file)`);
    expect(tool.out).toContain(`also matches: /srv/app/bin/tool -d system_u:object_r:tool_dir_t:s0 at ${FC}:8: lower priority`);
    expect(tool.out).toContain(`also matches: /srv/app/bin(/.*)? -- system_u:object_r:local_exec_t:s0 at ${FC}.local:1: its file type is not the path’s`);
    const stem = await porthole(['label', '-f', FC, '--explain', '/zz/b']);
    expect(stem.out).toContain(`also matches: /opt/a|/zz/b system_u:object_r:leak_t:s0 at ${FC}:13: its stem is not the path’s (libselinux does not try it)`);
  });

  it('prints one JSON object per path with --json', async () => {
    const r = await porthole(['label', '-m', 'file', '-f', FC, '--json', '/srv/app/cache/x', '/web']);
    const [a, b] = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(a).toMatchObject({ path: '/srv/app/cache/x', mode: 'file', context: null, error: 'ENOENT', spec: { spec: '/srv/app/cache(/.*)?', context: '<<none>>', line: 4, origin: 'local' } });
    expect(b).toMatchObject({ path: '/web', context: 'system_u:object_r:srv_t:s0', lookedUp: '/srv', equivalences: [{ from: '/web', to: '/srv', kind: 'subs', line: 4 }] });
  });

  it('rejects an unknown -m (usage, exit 2) and fails an empty path (exit 1) but answers the others', async () => {
    const bad = await porthole(['label', '-m', 'fifo', '-f', FC, '/x']);
    expect([bad.code, bad.out]).toEqual([2, '']);
    expect(bad.err).toContain('error[usage]: -m fifo: want one of file, dir, lnk_file, chr_file, blk_file, sock_file, pipe');
    const empty = await porthole(['label', '-m', 'file', '-f', FC, '', '/srv']);
    expect([empty.code, empty.out]).toEqual([1, '/srv\tsystem_u:object_r:srv_t:s0\n']);
    expect(empty.err).toContain('error[bad-query]: an empty path has no label');
  });

  it('reads a file_contexts whole up to a limit: /dev/zero is an error, not all memory', async () => {
    const r = await porthole(['label', '-f', '/dev/zero', '/x']);
    expect([r.code, r.out]).toEqual([1, '']);
    expect(r.err).toContain('error[input-too-large]: /dev/zero is larger than 67108864 bytes');
  });

  it('names the file and line of a regex that does not compile, and of a bad line', async () => {
    await withTempDir('label-bad', async (dir) => {
      const fc = join(dir, 'fc');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(fc, '/ok(/.*)?\tu:r:t:s0\n/bad(\tu:r:t:s0\n/x\t-q\tu:r:t:s0\n/lonely\n');
      const r = await porthole(['label', '-f', fc, '/ok']);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`${fc}:2: error[file-contexts-regex]: regular expression /bad( does not compile: missing closing parenthesis`);
      expect(r.err).toContain(`${fc}:3: error[file-contexts-syntax]: invalid file type -q`);
      expect(r.err).toContain(`${fc}:4: error[file-contexts-syntax]: line is missing fields`);
      const missing = await porthole(['label', '-f', join(dir, 'nope'), '/ok']);
      expect([missing.code, missing.err]).toEqual([1, expect.stringContaining('error[file-read]: cannot read')]);
    });
  });
});

describe('porthole label --list', () => {
  it('lists the specs as semanage fcontext -l does: later files win, sorted, then the equivalence rules', async () => {
    const r = await porthole(['label', '--list', '-f', FC]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'SELinux fcontext                                   type               Context',
      '',
      '/                                                  directory          system_u:object_r:root_t:s0 ',
      '/.*                                                all files          system_u:object_r:default_t:s0 ',
    ]);
    expect(lines).toContain('/srv/app(/.*)?                                     all files          system_u:object_r:homedirs_app_t:s0 ');
    expect(lines).toContain('/srv/app/cache(/.*)?                               all files          <<None>>');
    expect(r.out).toContain('\nSELinux Distribution fcontext Equivalence \n\n/var/run2 = /var/new\n/var/run = /run\n');
    expect(r.out.endsWith('\nSELinux Local fcontext Equivalence \n\n/data = /srv/app/data\n/web = /srv\n/new = /\n/legacy = /var/run2\n')).toBe(true);
    const some = await porthole(['label', '--list', 'tool', '-f', FC]);
    expect(some.out.split('\n').filter((l) => l.startsWith('/'))).toEqual([
      '/srv/app/bin/t.ol                                  all files          system_u:object_r:tool_regex_t:s0 ',
      '/srv/app/bin/tool                                  all files          system_u:object_r:local_tool_t:s0 ',
      '/srv/app/bin/tool                                  directory          system_u:object_r:tool_dir_t:s0 ',
    ]);
    expect((await porthole(['label', '--list', '(', '-f', FC])).code).toBe(1);
    expect((await porthole(['label', '-f', FC])).code).toBe(2);
  });
});
