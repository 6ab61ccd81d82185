// develModuleSetFromInterfaces: the interface pass made in one place (build --all's main
// thread) and handed on as plain data gives the same module pass as develModuleSet.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEVEL_INCLUDE, develInterfaces, develModulePrefix, develModuleSet, develModuleSetFromInterfaces } from './devel.js';

const IFACE = {
  name: 'gravity.if',
  text: "## <summary>gravity</summary>\ninterface(`gravity_pull',`\n\tgen_require(`\n\t\ttype gravity_t;\n\t')\n\tallow $1 gravity_t:file read;\n')\n",
};
const TE = { name: 'apple.te', text: 'policy_module(apple, 1.0)\ntype apple_t;\ngravity_pull(apple_t)\n' };

describe.skipIf(!existsSync(DEFAULT_DEVEL_INCLUDE))('develModuleSetFromInterfaces', () => {
  it('expands a module as develModuleSet does, from a structured clone of the interface pass', () => {
    const ifs = structuredClone(develInterfaces([IFACE]));
    expect(ifs.conf).toContain('gravity_pull');
    const handed = develModuleSetFromInterfaces(ifs).expand(TE);
    const direct = develModuleSet([IFACE]).expand(TE);
    expect(handed.output).toContain('allow apple_t gravity_t:file read;');
    expect(handed.output).toBe(direct.output);
    expect(handed.exitCode).toBe(0);
  });

  it('begins the module pass before the interface pass is done (develModulePrefix), each set from the same state', () => {
    const prefix = develModulePrefix();
    const ifs = develInterfaces([IFACE]);
    const direct = develModuleSet([IFACE]).expand(TE).output;
    expect(prefix.withInterfaces(ifs).expand(TE).output).toBe(direct);
    // A second set does not read the interfaces over the first one's state.
    expect(prefix.withInterfaces(ifs).expand(TE).output).toBe(direct);
  });

  it('gives a set over the support files alone, before the interface pass, that leaves the prefix as it was', () => {
    const prefix = develModulePrefix();
    const supportOnly = prefix.supportOnly().expand(TE).output;
    // The interface the module calls is not defined there: m4 leaves the call as written.
    expect(supportOnly).toContain('gravity_pull(apple_t)');
    expect(supportOnly).toContain('module apple 1.0;');
    expect(prefix.withInterfaces(develInterfaces([IFACE])).expand(TE).output).toBe(develModuleSet([IFACE]).expand(TE).output);
  });
});
