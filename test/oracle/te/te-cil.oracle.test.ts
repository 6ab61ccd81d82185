// The module compiler against the real route: for each reference policy
// module, compileModule's CIL equals what `make -f $SE_DEVEL_MAKEFILE NAME.pp`
// then `$SE_PP2CIL NAME.pp` give, byte for byte (the expected text is made
// here, in a scratch directory per module); and checkmodule -M -m compiles our
// `--te` text (the expanded, checked module) to the same bytes as make's m4
// output, tmp/NAME.tmp. Also: the fixture of the emitter's unit test is still what pp
// prints for it.
//
// CI: a fixed sample of 30 modules over the six layers (optionals, booleans
// and tunables, file contexts, aliases, generated attributes, neverallow,
// role and range transitions, a user). PORTHOLE_FULL_SWEEP=1: every module of
// $SE_REFPOLICY_SRC; the Makefile builds all but the 8 in MAKE_REFUSES (counts
// and times are printed).
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { compileModule, readBuildSources } from '../../../src/index.js';
import { withTempDir } from '../../support/tempDir.js';
import { describeOracle, findOracles } from '../support/oracles.js';
import { refpolicyModules } from '../support/refpolicy.js';

const run = promisify(execFile);
const FULL = process.env.PORTHOLE_FULL_SWEEP === '1';
const FIXTURES = fileURLToPath(new URL('../../fixtures/cil/', import.meta.url));

/** The fixed CI sample. */
const SAMPLE = [
  'aide',
  'acct',
  'logrotate',
  'netutils',
  'mozilla',
  'gpg',
  'java',
  'vmware',
  'domain',
  'mcs',
  'corecommands',
  'ubac',
  'staff',
  'sysadm',
  'unconfined',
  'xguest',
  'secadm',
  'abrt',
  'apache',
  'bind',
  'cron',
  'postgresql',
  'xserver',
  'ifplugd',
  'container',
  'authlogin',
  'init',
  'selinuxutil',
  'userdomain',
  'miscfiles',
];

/** Modules the devel Makefile does not build (checkmodule refuses them as m4 writes them: base-only statements; systemd: a missing require). */
const MAKE_REFUSES = ['corenetwork', 'devices', 'files', 'filesystem', 'kernel', 'selinux', 'systemd', 'terminal'];

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

const sortedLines = (text: string): string => text.split('\n').sort().join('\n');

describeOracle('build: our CIL is what make + pp give for each reference policy module', () => {
  const env = findOracles().env;
  const src = join(env.SE_REFPOLICY_SRC ?? '/usr/src/selinux-policy-src', 'policy/modules');
  const makefile = env.SE_DEVEL_MAKEFILE ?? '/usr/share/selinux/devel/Makefile';
  const pp = env.SE_PP2CIL ?? '/usr/libexec/selinux/hll/pp';
  const all = refpolicyModules(src);
  const modules = FULL ? all : all.filter((m) => SAMPLE.includes(m.name));

  it(`compiles ${modules.length} modules to the same CIL, and checkmodule takes our .te to the same module`, async () => {
    expect(modules.length).toBe(FULL ? all.length : SAMPLE.length);
    const refused: string[] = [];
    const sameSorted: string[] = [];
    const differ: string[] = [];
    const teDiffer: string[] = [];
    let ours = 0;
    const t0 = performance.now();
    await eachLimited(modules, 2, async (m) => {
      await withTempDir('te-cil', async (dir) => {
        for (const ext of ['.te', '.if', '.fc']) {
          const from = m.path.replace(/\.te$/, ext);
          if (existsSync(from)) copyFileSync(from, join(dir, `${m.name}${ext}`));
        }
        try {
          await run('make', ['-f', makefile, `${m.name}.pp`], { cwd: dir });
        } catch {
          refused.push(m.name);
          return;
        }
        await run(pp, [`${m.name}.pp`, `${m.name}.cil`], { cwd: dir });
        const expected = readFileSync(join(dir, `${m.name}.cil`), 'latin1');
        const a = performance.now();
        const r = compileModule(readBuildSources({ te: m.path }), { te: true });
        ours += performance.now() - a;
        const cil = r.cil ?? '';
        if (cil === expected) {
          /* byte-identical */
        } else if (sortedLines(cil) === sortedLines(expected)) sameSorted.push(m.name);
        else differ.push(m.name);
        // checkmodule wants the output named after the module.
        mkdirSync(join(dir, 'ours'));
        writeFileSync(join(dir, 'ours', `${m.name}.te`), r.te ?? '', 'latin1');
        try {
          await run('checkmodule', ['-M', '-m', '-o', `${m.name}.mod`, `${m.name}.te`], { cwd: join(dir, 'ours') });
          // make deletes its tmp/NAME.mod (an intermediate file) but keeps m4's output, tmp/NAME.tmp.
          await run('checkmodule', ['-M', '-m', '-o', `${m.name}.mod`, `${m.name}.tmp`], { cwd: join(dir, 'tmp') });
          if (!readFileSync(join(dir, 'ours', `${m.name}.mod`)).equals(readFileSync(join(dir, 'tmp', `${m.name}.mod`)))) teDiffer.push(m.name);
        } catch {
          teDiffer.push(`${m.name} (refused)`);
        }
      });
    });
    const built = modules.length - refused.length;
    process.stderr.write(
      `te cil sweep: make builds ${built} of ${modules.length}; our CIL byte-identical for ${built - sameSorted.length - differ.length}, identical as sorted lines for ${sameSorted.length} more, differs for ${differ.length}; checkmodule compiles our .te to the module of make's m4 output for ${built - teDiffer.length}; ${((performance.now() - t0) / 1000).toFixed(1)} s in all, compileModule ${(ours / 1000).toFixed(1)} s\n`,
    );
    expect(refused.sort()).toEqual(FULL ? MAKE_REFUSES : []);
    expect(differ).toEqual([]);
    expect(sameSorted).toEqual([]);
    expect(teDiffer).toEqual([]);
  }, 1_800_000);

  it("the emitter's fixture is still what checkmodule, semodule_package and pp give", async () => {
    await withTempDir('te-cil-fixture', async (dir) => {
      for (const ext of ['.te', '.fc']) copyFileSync(join(FIXTURES, `porthole_pp${ext}`), join(dir, `porthole_pp${ext}`));
      await run('checkmodule', ['-M', '-m', '-o', 'porthole_pp.mod', 'porthole_pp.te'], { cwd: dir });
      await run('semodule_package', ['-o', 'porthole_pp.pp', '-m', 'porthole_pp.mod', '-f', 'porthole_pp.fc'], { cwd: dir });
      const { stderr } = await run(pp, ['porthole_pp.pp', 'porthole_pp.cil'], { cwd: dir });
      expect(stderr).toContain("'else' blocks in optional statements are unsupported in CIL");
      expect(readFileSync(join(dir, 'porthole_pp.cil'), 'latin1')).toBe(readFileSync(join(FIXTURES, 'porthole_pp.cil'), 'latin1'));
    });
  }, 120_000);
}, ['env', 'checkmodule', 'semodule_package', 'm4', 'pp', 'devel-include', 'refpolicy-src']);
