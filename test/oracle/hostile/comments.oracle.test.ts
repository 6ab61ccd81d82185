// Text from a log cannot become policy: whatever bytes a process puts in its
// name, executable or path, the module `allow -v`/`-e` writes compiles
// (checkmodule, semodule_package, the pp-to-CIL converter) to exactly the
// statements of the module written without comments. Random byte strings in
// every field, a few hundred in CI, 10,000 with PORTHOLE_FUZZ=long, all in one
// module (one source type per case) so that checkmodule runs once. And where
// the log is benign (an ENRICHED line with its \x1d separator), audit2allow's
// comments and ours are the same bytes.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { fuzzRuns } from '../../support/fuzzRuns.js';
import { breakoutLog } from '../../support/hostileLogs.js';
import { tempDir } from '../../support/tempDir.js';
import { describeOracle, findOracles } from '../support/oracles.js';

const exec = promisify(execFile);
const dir = tempDir('hostile-comments');

async function porthole(args: string[]): Promise<string> {
  const io = memoryIo({ cwd: dir.path, stdin: Readable.from([]) });
  const code = await run(args, io);
  if (code !== 0) throw new Error(`porthole ${args.join(' ')}: exit ${code}: ${io.err.join('')}`);
  return io.out.join('');
}

/** The module's statements as semodule would install them: .te -> .mod -> .pp -> CIL (`name`: the module's, as checkmodule wants the file named). */
async function compiled(te: string, name: string): Promise<string> {
  writeFileSync(dir.join(`${name}.te`), te);
  await exec('checkmodule', ['-M', '-m', '-o', `${name}.mod`, `${name}.te`], { cwd: dir.path });
  await exec('semodule_package', ['-o', `${name}.pp`, '-m', `${name}.mod`], { cwd: dir.path });
  await exec(findOracles().pp, [`${name}.pp`, `${name}.cil`], { cwd: dir.path });
  return readFileSync(dir.join(`${name}.cil`), 'utf8');
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

/** One AVC per case, each with its own source type, its fields random bytes as the kernel writes them (hex). */
function randomLog(n: number, seed: number): string {
  const bytes = fc.uint8Array({ minLength: 1, maxLength: 40 });
  const cases = fc.sample(fc.record({ comm: bytes, exe: bytes, path: bytes, name: bytes }), { seed, numRuns: n });
  return cases
    .map(
      (c, i) =>
        `type=AVC msg=audit(1700000000.${String(i % 1000).padStart(3, '0')}:${i + 1}): avc:  denied  { read } for  pid=${i + 1} comm=${hex(c.comm)} exe=${hex(c.exe)} path=${hex(c.path)} name=${hex(c.name)} scontext=system_u:system_r:h${i}_t:s0 tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0\n` +
        `type=AVC_PATH msg=audit(1700000000.${String(i % 1000).padStart(3, '0')}:${i + 1}): path=${hex(c.path)}\n`,
    )
    .join('');
}

describeOracle('hostile logs: comments never change what a module grants', () => {
  it('the comment break-out of a hex-encoded comm compiles to nothing extra', async () => {
    writeFileSync(dir.join('breakout.log'), breakoutLog());
    const plain = await compiled(await porthole(['allow', '-i', 'breakout.log', '-m', 'hostile']), 'hostile');
    expect(plain).not.toContain('shadow_t');
    for (const flag of ['-v', '-e']) {
      const te = await porthole(['allow', '-i', 'breakout.log', '-m', 'hostile', flag]);
      expect(await compiled(te, 'hostile'), flag).toBe(plain);
    }
  });

  it(`random bytes in comm, exe, path and name: ${fuzzRuns()} cases, the same statements with -v, -e and without`, async () => {
    const n = fuzzRuns();
    writeFileSync(dir.join('random.log'), randomLog(n, 11));
    const plain = await compiled(await porthole(['allow', '-i', 'random.log', '-m', 'fuzz']), 'fuzz');
    expect(plain.match(/^\(allow /gm)?.length ?? 0).toBe(n);
    for (const flag of ['-v', '-e']) expect(await compiled(await porthole(['allow', '-i', 'random.log', '-m', 'fuzz', flag]), 'fuzz'), flag).toBe(plain);
    // CIL has no comments: -v and -e leave it as it is.
    const cil = await porthole(['allow', '-i', 'random.log', '-m', 'fuzz', '-C']);
    for (const flag of ['-v', '-e']) expect(await porthole(['allow', '-i', 'random.log', '-m', 'fuzz', '-C', flag]), flag).toBe(cil);
  }, 120_000);
}, ['env', 'policy', 'checkmodule', 'semodule_package', 'pp']);

describeOracle('hostile logs: where the log is benign, audit2allow writes the same comments', () => {
  it('an ENRICHED line (its \\x1d separator kept raw) with -v and -e', async () => {
    const o = findOracles();
    const line =
      'type=AVC msg=audit(1700000000.100:10): avc:  denied  { read } for  pid=1 comm="a" name="x" scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:shadow_t:s0 tclass=file permissive=0\u001dSAUID=root AUID=unset\n';
    writeFileSync(dir.join('enriched.log'), line);
    for (const flag of ['-v', '-e']) {
      const theirs = await exec(o.python, ['-s', o.audit2allow, '-p', o.policy, flag, '-i', 'enriched.log'], {
        cwd: dir.path,
        env: { PYTHONHASHSEED: '0', PATH: process.env.PATH ?? '/usr/bin:/bin' },
      });
      expect(await porthole(['allow', '-p', o.policy, flag, '-i', 'enriched.log']), flag).toBe(theirs.stdout);
    }
  });
}, ['env', 'policy', 'audit2allow', 'python']);
