// `porthole iface expand` and `iface for` on the real devel headers: the seed
// case of issue 16 (`for 'allow $1 ping_exec_t:file execute'` answers
// netutils_exec_ping first), and expansions checkmodule accepts: a module made
// of policy_module's expansion, the argument's declaration and our printed
// expansion of a call compiles with `checkmodule -M -m`, for a few chosen
// calls and a sample of one-argument interfaces and templates (every 150th of
// the index, in its order).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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

describeOracle('iface expand and iface for on the devel headers', () => {
  it("for 'allow $1 ping_exec_t:file execute' answers netutils_exec_ping($1) first", async () => {
    const r = await porthole(['iface', 'for', '--json', '-I', include(), 'allow $1 ping_exec_t:file execute']);
    expect(r.code).toBe(0);
    const first = JSON.parse(r.out.split('\n')[0] as string) as { call: string; passed: number };
    expect(first).toMatchObject({ call: 'netutils_exec_ping($1)', passed: 0 });
  }, 300_000);

  it('checkmodule accepts the expansions of chosen calls', () => {
    const calls: [string, string[]][] = [
      ['netutils_exec_ping', ['myapp_t']],
      ['kernel_read_messages', ['myapp_t']],
      ['apache_content_template', ['ifxweb']],
      ['files_tmp_filetrans', ['myapp_t', 'myapp_t', 'file']],
      ['corecmd_exec_bin', ['myapp_t']],
    ];
    expect(calls.map(([n, a]) => checkmoduleSays(n, a)).filter(Boolean)).toEqual([]);
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
