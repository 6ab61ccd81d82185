// The published executable, dist/porthole.cjs (the bundled CLI, built by
// `npm run build`), run as a process: same output and exit codes as run(),
// with its code cache (src/cli/bin.ts) or without. Every run keeps its cache
// in the scratch folder (XDG_CACHE_HOME), not the user's.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { smallPolicy } from '../fixtures/policy/writer.js';
import { isCI } from '../oracle/support/oracles.js';
import { tempDir } from '../support/tempDir.js';

const BIN = resolve(import.meta.dirname, '../../dist/porthole.cjs');
// CI builds it (npm ci runs `prepare`); elsewhere the test needs `npm run build` first.
const built = existsSync(BIN);

describe.skipIf(!built && !isCI())('dist/porthole.cjs', () => {
  const scratch = tempDir('bin');
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  beforeAll(() => {
    dir = scratch.path;
    env = { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') };
    writeFileSync(join(dir, 'policy.33'), smallPolicy({ version: 33, mls: true }));
    writeFileSync(
      join(dir, 'denials.log'),
      'type=AVC msg=audit(1.000:1): avc:  denied  { read } for  pid=1 comm="a" scontext=system_u:system_r:a_t:s0 tcontext=system_u:object_r:b_t:s0 tclass=file permissive=0\n',
    );
  });

  const cases: string[][] = [
    ['--version'],
    ['policy', 'info', 'policy.33'],
    ['policy', 'info', 'policy.33', '-t'],
    ['policy', 'info', 'missing.33'],
    ['allow', '-i', 'denials.log'],
    ['allow', '--no-such-flag'],
  ];
  it('porthole policy info /dev/stdin (a pipe: read whole, then scanned)', () => {
    expect(built, 'dist/porthole.cjs is missing: run npm run build').toBe(true);
    // A shell pipe: Node's own stdin pipes are socket pairs, which /dev/stdin cannot open.
    const piped = spawnSync('sh', ['-c', `cat policy.33 | '${process.execPath}' '${BIN}' policy info /dev/stdin`], { cwd: dir, encoding: 'utf8', env, timeout: 20_000 });
    const file = spawnSync(process.execPath, [BIN, 'policy', 'info', 'policy.33'], { cwd: dir, encoding: 'utf8', env, timeout: 20_000 });
    expect(piped.status).toBe(0);
    expect(piped.stdout.replace('/dev/stdin', 'policy.33')).toBe(file.stdout);
  });

  it('stops quietly when the reader of its output goes away (`porthole ... | head -1`)', () => {
    expect(built, 'dist/porthole.cjs is missing: run npm run build').toBe(true);
    const line = readFileSync(join(dir, 'denials.log'), 'utf8');
    writeFileSync(join(dir, 'many.log'), line.repeat(50_000));
    const r = spawnSync('bash', ['-c', `'${process.execPath}' '${BIN}' avc many.log | head -1; echo "status \${PIPESTATUS[0]}" >&2`], { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });
    expect(r.stdout).toMatch(/^TIME +RESULT/);
    expect(r.stderr).toBe('status 141\n');
  });

  it('its launcher line runs check with one V8 background thread, build --all without V8 background threads, other commands with the default', () => {
    expect(built, 'dist/porthole.cjs is missing: run npm run build').toBe(true);
    writeFileSync(join(dir, 'm.te'), 'policy_module(m, 1.0)\ntype m_t;\n');
    // sh -x shows the command the launcher line executes.
    const traced = (args: string[]) => spawnSync('sh', ['-x', BIN, ...args], { cwd: dir, encoding: 'utf8', env, timeout: 20_000 });
    const check = traced(['check', '--no-build', 'm.te']);
    expect(check.stderr).toContain(`+ exec node --v8-pool-size=1 ${BIN} check --no-build m.te`);
    expect(check.status).toBe(0);
    // It exits as soon as its output is written (start.ts): with its findings, and their status.
    writeFileSync(join(dir, 'n.te'), 'policy_module(n, 1.0)\ntype n_t;\nallow n_t self:process { signal sigkill };\n');
    const found = spawnSync(BIN, ['check', '--no-build', 'n.te'], { cwd: dir, encoding: 'utf8', env, timeout: 20_000 });
    expect(found.stderr).toContain('n.te:3: note[lint-perm-order]: permissions not in order: signal before sigkill');
    expect(found.status).toBe(1);
    // build --all without -j: one busy thread per CPU, each compiling and collecting for itself.
    expect(traced(['build', '--all', '--help']).stderr).toContain(`+ exec node --single-threaded ${BIN} build --all --help`);
    expect(traced(['build', '--all', '-j', '1', '--help']).stderr).toContain(`+ exec node ${BIN} build --all -j 1 --help`);
    expect(traced(['build', '--help']).stderr).toContain(`+ exec node ${BIN} build --help`);
    const info = traced(['policy', 'info', 'policy.33']);
    expect(info.stderr).toContain(`+ exec node ${BIN} policy info policy.33`);
    expect(info.stdout).toContain('Statistics for policy file: policy.33');
  });

  it('run as a command (through its shell launcher line, via a symlink as npm installs it) it leaves out NODE_EXTRA_CA_CERTS', () => {
    expect(built, 'dist/porthole.cjs is missing: run npm run build').toBe(true);
    symlinkSync(BIN, join(dir, 'porthole'));
    // Node warns when it cannot load the named certificates: the warning shows whether it tried.
    const certs = { ...env, NODE_EXTRA_CA_CERTS: join(dir, 'no-such-certs.pem') };
    const cmd = spawnSync(join(dir, 'porthole'), ['policy', 'info', 'policy.33', '-t', 'a_t'], { cwd: dir, encoding: 'utf8', env: certs });
    const viaNode = spawnSync(process.execPath, [BIN, 'policy', 'info', 'policy.33', '-t', 'a_t'], { cwd: dir, encoding: 'utf8', env: certs });
    expect(cmd.status).toBe(0);
    expect(cmd.stderr).toBe('');
    expect(cmd.stdout).toBe(viaNode.stdout);
    expect(viaNode.stderr).toContain('extra certs');
  });

  for (const args of cases) {
    it(`porthole ${args.join(' ')}`, async () => {
      expect(built, 'dist/porthole.cjs is missing: run npm run build').toBe(true);
      const proc = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env });
      const io = memoryIo({ cwd: dir, stdin: Readable.from([]) });
      const code = await run(args, io);
      expect(proc.status).toBe(code);
      expect(proc.stdout).toBe(io.out.join(''));
      expect(proc.stderr).toBe(io.err.join(''));
    });
  }

  it("keeps each command's compiled code: written by the first run, read by the next, a damaged file replaced; PORTHOLE_CODE_CACHE=0 keeps none", () => {
    expect(built, 'dist/porthole.cjs is missing: run npm run build').toBe(true);
    const cache = join(dir, 'code-cache');
    const porthole = (more: NodeJS.ProcessEnv = {}) =>
      spawnSync(process.execPath, [BIN, 'allow', '-i', 'denials.log'], { cwd: dir, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cache, ...more } });
    const files = (): string[] => (existsSync(join(cache, 'porthole')) ? readdirSync(join(cache, 'porthole')) : []);
    // A usage error (a mistyped command) keeps nothing.
    const typo = spawnSync(process.execPath, [BIN, 'alow'], { cwd: dir, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cache } });
    expect(typo.status).toBe(2);
    expect(files()).toEqual([]);
    const off = porthole({ PORTHOLE_CODE_CACHE: '0' });
    expect(off.status).toBe(0);
    expect(off.stdout).toMatch(/allow a_t b_t:file read;/);
    expect(files()).toEqual([]);
    const first = porthole();
    expect([first.status, first.stdout, first.stderr]).toEqual([0, off.stdout, off.stderr]);
    const [file] = files();
    expect(file).toMatch(/^code-allow-[0-9a-f]{16}\.bin$/);
    const path = join(cache, 'porthole', file as string);
    const written = statSync(path).mtimeMs;
    // Read back, not written again.
    const second = porthole();
    expect([second.status, second.stdout, second.stderr]).toEqual([0, off.stdout, off.stderr]);
    expect(statSync(path).mtimeMs).toBe(written);
    // A damaged file: refused by V8 and removed, then made again by the run after.
    writeFileSync(path, 'not code');
    const damaged = porthole();
    expect([damaged.status, damaged.stdout, damaged.stderr]).toEqual([0, off.stdout, off.stderr]);
    expect(files()).toEqual([]);
    expect(porthole().stdout).toBe(off.stdout);
    expect(files()).toEqual([file]);
    expect(statSync(path).size).toBeGreaterThan(1000);
  });
});
