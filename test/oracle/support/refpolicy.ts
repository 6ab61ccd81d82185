// The reference policy's modules as the m4 and te oracle tests walk them: layers in name order,
// modules in name order within a layer, and the fixed CI sample.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The modules the devel Makefile puts in base (the CI sample always holds them). */
export const REFPOLICY_BASE = ['corecommands', 'corenetwork', 'devices', 'domain', 'files', 'filesystem', 'kernel', 'mcs', 'mls', 'selinux', 'terminal', 'ubac'];

export interface RefpolicyModule {
  name: string;
  /** The module's `.te`. */
  path: string;
}

/** Every `.te` under `modulesDir` (the `policy/modules` folder of a refpolicy source tree). */
export function refpolicyModules(modulesDir: string): RefpolicyModule[] {
  return readdirSync(modulesDir)
    .sort()
    .flatMap((layer) =>
      readdirSync(join(modulesDir, layer))
        .filter((f) => f.endsWith('.te'))
        .sort()
        .map((f) => ({ name: f.slice(0, -3), path: join(modulesDir, layer, f) })),
    );
}

/** The fixed CI sample: every tenth module, the base modules and `also`; all with `full`. */
export function refpolicySample(modules: readonly RefpolicyModule[], full: boolean, also: readonly string[] = []): RefpolicyModule[] {
  return full ? [...modules] : modules.filter((m, i) => i % 10 === 0 || REFPOLICY_BASE.includes(m.name) || also.includes(m.name));
}
