// The warm-up module (warmUp.ts) a build --all thread builds while it waits for
// the interface pass: it builds without a diagnostic over the support files
// alone, and the set finished afterwards builds modules as one never warmed.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEVEL_INCLUDE, develInterfaces } from '../../m4/devel.js';
import { beginModuleSet } from './buildAll.js';
import { compileInSet, type ModuleSources } from './compile.js';
import { WARM_UP_MODULE } from './warmUp.js';

const IFACE = { name: 'gravity.if', text: "## <summary>gravity</summary>\ninterface(`gravity_pull',`\n\tgen_require(`\n\t\ttype gravity_t;\n\t')\n\tallow $1 gravity_t:file read;\n')\n" };
const APPLE: ModuleSources = { name: 'apple', te: { name: 'apple.te', text: "policy_module(apple, 1.0)\ntype apple_t;\ngravity_pull(apple_t)\noptional_policy(`\n\tgravity_pull(apple_t)\n')\n" } };

describe.skipIf(!existsSync(DEFAULT_DEVEL_INCLUDE))('the warm-up module', () => {
  it('builds over the support files alone, and leaves the set to finish as it was', () => {
    const init = { includeDir: DEFAULT_DEVEL_INCLUDE, headers: true };
    const warmed = beginModuleSet(init);
    expect(warmed.warmUp()).toBe(true);
    expect(warmed.warmUp()).toBe(true);
    const ifs = develInterfaces([IFACE]);
    const built = compileInSet(warmed.finish(ifs), APPLE, DEFAULT_DEVEL_INCLUDE);
    expect(built.cil).toContain('(allow apple_t gravity_t (file (read)))');
    expect(built).toEqual(compileInSet(beginModuleSet(init).finish(ifs), APPLE, DEFAULT_DEVEL_INCLUDE));
  });

  it('is not built without headers', () => {
    expect(beginModuleSet({ includeDir: '/nonexistent/include', headers: false }).warmUp()).toBe(false);
    expect(WARM_UP_MODULE.name).toBe('porthole_warmup');
  });
});
