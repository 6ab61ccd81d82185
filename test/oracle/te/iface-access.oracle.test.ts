// `porthole iface expand` and `iface for` on the real devel headers: the seed
// case of issue 16 (`for 'allow $1 ping_exec_t:file execute'` answers
// netutils_exec_ping first), and expansions checkmodule accepts: a module made
// of policy_module's expansion, the argument's declaration and our printed
// expansion of a call compiles with `checkmodule -M -m`, for a few chosen
// calls and a sample of one-argument interfaces and templates (every 150th of
// the index, in its order). And the same rules as the real tools: a module
// calling several interfaces, built by the devel Makefile (GNU m4,
// checkmodule, semodule_package) and converted to CIL by libsepol's pp, gives
// the same CIL lines as policy_module's expansion followed by our printed
// expansions, built by the same tools (lists inside parentheses compared as
// sets: merged requires number some symbols in another order).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { expandDevelModule, expandInterfaceCall, loadAccessIndex, printTe } from '../../../src/index.js';
import { tempDir } from '../../support/tempDir.js';
import { describeOracle, findOracles } from '../support/oracles.js';

const dir = tempDir('iface-access-oracle');
const include = (): string => findOracles().env.SE_DEVEL_INCLUDE ?? '/usr/share/selinux/devel/include';

async function porthole(args: string[]) {
  const io = memoryIo({ stdin: Readable.from([]), env: { XDG_CACHE_HOME: dir.join('cache') } });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

/** Whether checkmodule -M -m takes policy_module's expansion, `type myapp_t;` and the call's expansion: '' or its message. */
function checkmoduleSays(name: string, args: string[]): string {
  const head = expandDevelModule({ name: 'ifx.te', text: 'policy_module(ifx, 1.0)\ntype myapp_t;\n' }, { includeDir: include() }).output;
  const x = expandInterfaceCall(name, args, { includeDir: include() });
  const te = dir.join('ifx.te');
  writeFileSync(te, head + printTe(x.module));
  try {
    execFileSync('checkmodule', ['-M', '-m', '-o', dir.join('ifx.mod'), te], { encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (e) {
    return `${name}(${args.join(', ')}): ${String((e as { stderr?: string }).stderr ?? e)}`;
  }
}

const CALLS: [string, string[]][] = [
  ['netutils_exec_ping', ['myapp_t']],
  ['kernel_read_messages', ['myapp_t']],
  ['apache_content_template', ['ifxweb']],
  ['files_tmp_filetrans', ['myapp_t', 'myapp_t', 'file']],
  ['corecmd_exec_bin', ['myapp_t']],
  ['unconfined_domain', ['myapp_t']],
  ['userdom_user_home_dir_filetrans_user_home_content', ['myapp_t', 'file']],
];

/** A module package's CIL, each parenthesised list of names sorted, lines sorted. */
function packageCil(cwd: string): string[] {
  const pp = findOracles().env.SE_PP2CIL ?? '/usr/libexec/selinux/hll/pp';
  const cil = execFileSync(pp, [join(cwd, 'ifx.pp')], { encoding: 'utf8' });
  const sortList = (_: string, inner: string): string => `(${inner.trim().split(/\s+/).sort().join(' ')})`;
  return cil
    .split('\n')
    .filter(Boolean)
    .map((l) => l.replace(/\(([^()]*)\)/g, sortList))
    .sort();
}

describeOracle('iface expand and iface for on the devel headers', () => {
  it("for 'allow $1 ping_exec_t:file execute' answers netutils_exec_ping($1) first", async () => {
    const r = await porthole(['iface', 'for', '--json', '-I', include(), 'allow $1 ping_exec_t:file execute']);
    expect(r.code).toBe(0);
    const first = JSON.parse(r.out.split('\n')[0] as string) as { call: string; passed: number };
    expect(first).toMatchObject({ call: 'netutils_exec_ping($1)', passed: 0 });
  }, 300_000);

  it('checkmodule accepts the expansions of chosen calls', () => {
    expect(CALLS.map(([n, a]) => checkmoduleSays(n, a)).filter(Boolean)).toEqual([]);
  });

  it('the printed expansions compile to the CIL the devel Makefile makes of the calls', () => {
    const head = 'policy_module(ifx, 1.0)\ntype myapp_t;\n';
    const real = dir.join('real');
    const ours = dir.join('ours');
    mkdirSync(real, { recursive: true });
    mkdirSync(ours, { recursive: true });
    writeFileSync(join(real, 'ifx.te'), head + CALLS.map(([n, a]) => `${n}(${a.join(', ')})\n`).join(''));
    const makefile = findOracles().env.SE_DEVEL_MAKEFILE ?? '/usr/share/selinux/devel/Makefile';
    execFileSync('make', ['-s', '-f', makefile, 'ifx.pp'], { cwd: real, stdio: 'pipe' });
    const text =
      expandDevelModule({ name: 'ifx.te', text: head }, { includeDir: include() }).output + CALLS.map(([n, a]) => printTe(expandInterfaceCall(n, a, { includeDir: include() }).module)).join('');
    writeFileSync(join(ours, 'ifx.te'), text);
    execFileSync('checkmodule', ['-M', '-m', '-o', 'ifx.mod', 'ifx.te'], { cwd: ours, stdio: 'pipe' });
    execFileSync('semodule_package', ['-o', 'ifx.pp', '-m', 'ifx.mod'], { cwd: ours, stdio: 'pipe' });
    const want = packageCil(real);
    expect(want.filter((l) => l.startsWith('(allow myapp_t')).length).toBeGreaterThan(10);
    expect(packageCil(ours)).toEqual(want);
  });

  it('checkmodule accepts the expansions of a sample of one-argument interfaces and templates', () => {
    const { index } = loadAccessIndex({ includeDir: include(), cacheDir: dir.join('cache') });
    const one = index.interfaces.filter((e) => e.params === 1 && e.broken !== true);
    const sample = one.filter((_, k) => k % 150 === 0);
    expect(sample.length).toBeGreaterThan(20);
    const said = sample.map((e) => checkmoduleSays(e.name, [e.kind === 'template' ? 'ifxt' : 'myapp_t'])).filter(Boolean);
    expect(said).toEqual([]);
  }, 300_000);
}, ['devel-include', 'module-tools']);
