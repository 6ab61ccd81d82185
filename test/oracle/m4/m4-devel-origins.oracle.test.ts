// The devel pipeline with origins (expandDevelModule / expandDevelFileContexts,
// `origins: true`): each module's pass forks one prefix kept per include
// directory, as the plain run does. Forks must not leak into each other: the
// same module expanded again, after another one, gives the same output and
// the same origins; the output is the plain run's, byte for byte (itself
// checked against GNU m4 by m4-refpolicy.oracle.test.ts); and systemd's
// missing require is placed at the user's .te lines through the origins, as
// through the sync lines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { checkModule, DEFAULT_DEVEL_INCLUDE, expandDevelFileContexts, expandDevelModule, parseModuleText } from '../../../src/index.js';
import { describeOracle, findOracles } from '../support/oracles.js';
import { refpolicyModules } from '../support/refpolicy.js';

describeOracle('m4: the devel pipeline with origins forks a kept prefix', () => {
  const env = findOracles().env;
  const src = join(env.SE_REFPOLICY_SRC ?? '/usr/src/selinux-policy-src', 'policy/modules');
  const include = env.SE_DEVEL_INCLUDE ?? DEFAULT_DEVEL_INCLUDE;
  const modules = refpolicyModules(src).filter((m) => m.name === 'systemd' || m.name === 'apache');

  it('gives each module the plain output and the same origins every time', () => {
    expect(modules.map((m) => m.name).sort()).toEqual(['apache', 'systemd']);
    const runs = [...modules, ...modules].map((m) => {
      const te = { name: `${m.name}.te`, text: readFileSync(m.path, 'latin1') };
      const fc = { name: `${m.name}.fc`, text: readFileSync(m.path.replace(/\.te$/, '.fc'), 'latin1') };
      return {
        name: m.name,
        te: expandDevelModule(te, { includeDir: include, origins: true }),
        plain: expandDevelModule(te, { includeDir: include }).output,
        fc: expandDevelFileContexts(fc, { includeDir: include, origins: true }),
        fcPlain: expandDevelFileContexts(fc, { includeDir: include }).output,
      };
    });
    for (const r of runs) {
      expect(r.te.output).toBe(r.plain);
      expect(r.te.origins.length).toBeGreaterThan(1000);
      expect(r.fc.output).toBe(r.fcPlain);
    }
    const [a, b] = [runs[0], runs[2]];
    expect(b?.te.origins).toEqual(a?.te.origins);
    expect(b?.fc.origins).toEqual(a?.fc.origins);
    const systemd = runs.find((r) => r.name === 'systemd');
    const parsed = parseModuleText({ name: 'tmp/systemd.tmp', text: systemd?.te.output ?? '', origins: systemd?.te.origins });
    const found = checkModule(parsed.ast, parsed.map).map((d) => `${d.span?.file}:${d.span?.line}:${d.span?.column} ${d.code}`);
    expect(found).toEqual(['systemd.te:510:27 te-unknown-name', 'systemd.te:1112:26 te-unknown-name']);
  }, 120_000);
});
