// Differential test of the devel Makefile's m4 pipeline
// (expandDevelModule) against GNU m4 run as the Makefile runs it: for each
// module of the reference policy tree ($SE_REFPOLICY_SRC), our expansion of
// MODULE.te equals what `m4 $(M4PARAM) -s support/*.spt
// tmp/all_interfaces.conf MODULE.te` prints, byte for byte, sync lines
// included, with tmp/all_interfaces.conf made by the real Makefile (only the
// .te is copied, as a module of the headers). The command line is checked
// against `make -n` once.
//
// CI: every tenth module by name (41) and the 12 base modules of modules.conf (52 in all).
// PORTHOLE_FULL_SWEEP=1: all 408 (m4 takes about 0.4 s a module).
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { DEFAULT_DEVEL_INCLUDE, develTree, expandDevelModule } from '../../../src/index.js';
import { tempDir } from '../../support/tempDir.js';
import { describeOracle, findOracles } from '../support/oracles.js';
import { refpolicyModules, refpolicySample } from '../support/refpolicy.js';

const run = promisify(execFile);
const FULL = process.env.PORTHOLE_FULL_SWEEP === '1';

describeOracle('m4: the devel pipeline == the devel Makefile with GNU m4, on the reference policy', () => {
  const env = findOracles().env;
  const src = join(env.SE_REFPOLICY_SRC ?? '/usr/src/selinux-policy-src', 'policy/modules');
  const makefile = env.SE_DEVEL_MAKEFILE ?? '/usr/share/selinux/devel/Makefile';
  const include = env.SE_DEVEL_INCLUDE ?? DEFAULT_DEVEL_INCLUDE;
  const dir = tempDir('m4-refpolicy');
  const modules = refpolicyModules(src);
  const sample = refpolicySample(modules, FULL);
  let m4Args: (name: string) => string[] = () => [];

  beforeAll(() => {
    const first = modules[0] as { name: string; path: string };
    copyFileSync(first.path, dir.join(`${first.name}.te`));
    execFileSync('make', ['-s', '-f', makefile, 'tmp/all_interfaces.conf'], { cwd: dir.path, stdio: 'pipe' });
    const tree = develTree(include);
    m4Args = (name) => [...tree.defines.flatMap((d) => ['-D', d.value === '' ? d.name : `${d.name}=${d.value}`]), '-s', ...tree.support, 'tmp/all_interfaces.conf', `${name}.te`];
    const dry = execFileSync('make', ['-n', '-f', makefile, 'QUIET=n', `tmp/${first.name}.mod`], { cwd: dir.path, encoding: 'utf8' });
    const line = dry.split('\n').find((l) => l.startsWith('m4 ') && l.includes(' -s '));
    expect(line).toBe(`m4 ${m4Args(first.name).join(' ')} > tmp/${first.name}.tmp`);
  });

  it(`expands ${sample.length} modules as GNU m4 does`, async () => {
    const diffs: string[] = [];
    let i = 0;
    const worker = async (): Promise<void> => {
      for (let m = sample[i++]; m !== undefined; m = sample[i++]) {
        copyFileSync(m.path, dir.join(`${m.name}.te`));
        const real = await run('m4', m4Args(m.name), { cwd: dir.path, encoding: 'latin1', maxBuffer: 1 << 28 }).then(
          (r) => ({ out: r.stdout, code: 0 }),
          (e: { stdout: string; code: number }) => ({ out: e.stdout, code: e.code }),
        );
        const ours = expandDevelModule({ name: `${m.name}.te`, text: readFileSync(m.path, 'latin1') }, { includeDir: include });
        if (ours.output !== real.out || ours.exitCode !== real.code) diffs.push(m.name);
      }
    };
    await Promise.all([worker(), worker()]);
    expect(diffs).toEqual([]);
  }, 1_200_000);
}, ['env', 'm4']);
