// `porthole check FILE.fc`: specs hidden by equivalence rules, conflicts with
// the system file_contexts, duplicates, bad regexes, m4's gen_context().
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { expandFcMacros } from '../../src/selinux/labels/index.js';
import { tempDir } from '../support/tempDir.js';

const FC = fileURLToPath(new URL('../fixtures/labels/priority/file_contexts', import.meta.url));

// check keeps what each source gave in the cache folder: here, not the user's.
const cacheHome = tempDir('check-cache');

async function porthole(args: string[], cwd: string) {
  const io = memoryIo({ cwd, stdin: Readable.from([]), env: { XDG_CACHE_HOME: cacheHome.path } });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('porthole check FILE.fc', () => {
  const scratch = tempDir('check-fc');

  it('expands gen_context() and blanks m4-only lines, keeping line numbers', () => {
    expect(expandFcMacros("/a\t--\tgen_context(system_u:object_r:a_t,s0)\nifdef(`x',`\n/b gen_context(u:r:b_t,s0 - mls_systemhigh)\n')\n")).toBe(
      '/a\t--\tsystem_u:object_r:a_t:s0\n\n/b u:r:b_t:s0\n\n',
    );
  });

  it('reports specs under an alias (with what to write), conflicts, duplicates and bad regexes; exit 1', async () => {
    writeFileSync(
      scratch.join('app.fc'),
      [
        '/var/run/app\\.sock\t-s\tgen_context(system_u:object_r:app_sock_t,s0)',
        '/legacy/app(/.*)?\tgen_context(system_u:object_r:app_t,s0)',
        '/new/opt/x\tgen_context(system_u:object_r:app_t,s0)',
        '/srv/app/bin/tool\tgen_context(system_u:object_r:app_tool_t,s0)',
        '/opt/app\tgen_context(system_u:object_r:app_t,s0)',
        '/opt/app\tgen_context(system_u:object_r:other_t,s0)',
        '/opt/app(\tgen_context(system_u:object_r:app_t,s0)',
        '/run/app\\.sock\t-s\tgen_context(system_u:object_r:app_sock_t,s0)',
      ].join('\n'),
    );
    const r = await porthole(['check', '--file-contexts', FC, 'app.fc'], scratch.path);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.split('\n').filter((l) => !l.startsWith('  '))).toEqual([
      'app.fc:1: warning[fc-unreachable]: /var/run/app\\.sock can never match: lookups rewrite /var/run to /run first (distribution equivalence rule); write /run/app\\.sock',
      'app.fc:2: warning[fc-unreachable]: /legacy/app(/.*)? can never match: lookups rewrite /legacy to /var/run2 first (local equivalence rule); write /var/run2/app(/.*)?',
      'app.fc:3: warning[fc-unreachable]: /new/opt/x can never match: lookups rewrite /new to / first (local equivalence rule); write /opt/x',
      'app.fc:4: warning[fc-conflict]: /srv/app/bin/tool is also in the system file_contexts with context system_u:object_r:tool_exact_t:s0; which one a path gets depends on the order the policy lists them',
      'app.fc:4: warning[fc-conflict]: /srv/app/bin/tool is also in the system file_contexts with context system_u:object_r:tool_dir_t:s0; which one a path gets depends on the order the policy lists them',
      'app.fc:4: warning[fc-conflict]: /srv/app/bin/tool is also in the system file_contexts with context system_u:object_r:local_tool_t:s0; which one a path gets depends on the order the policy lists them',
      'app.fc:6: warning[file-contexts-duplicate]: /opt/app is also specified with a different context (system_u:object_r:app_t:s0); system_u:object_r:other_t:s0 is used where both apply',
      'app.fc:7: error[file-contexts-regex]: regular expression /opt/app( does not compile: missing closing parenthesis (at offset 9)',
      '',
    ]);
    expect(r.err).toContain(`  ${FC}.subs_dist:4: note: the rule /var/run /run\n`);
  });

  it('exits 0 on a clean file, 2 on a file that is not .fc, 1 on one that cannot be read', async () => {
    writeFileSync(scratch.join('ok.fc'), '/opt/ok(/.*)?\tgen_context(system_u:object_r:ok_t,s0)\n');
    expect(await porthole(['check', '--file-contexts', FC, 'ok.fc'], scratch.path)).toEqual({ code: 0, out: '', err: '' });
    expect((await porthole(['check', '--file-contexts', FC, 'ok.txt'], scratch.path)).code).toBe(2);
    expect((await porthole(['check', '--file-contexts', FC, 'missing.fc'], scratch.path)).code).toBe(1);
  });

  it('lints a module (.te, .if, .fc) and a folder of them, findings as JSON lines with --json; --subs adds rules', async () => {
    mkdirSync(scratch.join('mod'), { recursive: true });
    writeFileSync(scratch.join('mod/demo.te'), 'policy_module(demo, 1.0)\ntype demo_t;\nallow demo_t self:process { signal sigkill };\n');
    writeFileSync(scratch.join('mod/demo.if'), "interface(`demo_read',`\n\tallow $1 demo_t:file read;\n')\n");
    writeFileSync(scratch.join('mod/demo.fc'), '/legacy/demo\\.conf\t--\tgen_context(system_u:object_r:demo_t,s0)\n');
    writeFileSync(scratch.join('extra.subs'), '/legacy /opt\n');
    const r = await porthole(['check', '--no-build', '--json', '--subs', 'extra.subs', '--file-contexts', FC, 'mod'], scratch.path);
    expect(r.code).toBe(1);
    const found = r.err
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { code: string; span: { file: string; line: number } })
      .map((d) => `${d.span.file}:${d.span.line} ${d.code}`);
    expect(found).toEqual(['mod/demo.fc:1 fc-unreachable', 'mod/demo.if:2 lint-missing-require', 'mod/demo.te:3 lint-perm-order']);
    writeFileSync(scratch.join('mod/demo.te'), 'policy_module(demo, 1.0)\ntype demo_t;\nallow demo_t self:process { sigkill signal };\n');
    writeFileSync(scratch.join('mod/demo.if'), "interface(`demo_read',`\n\tgen_require(`\n\t\ttype demo_t;\n\t')\n\tallow $1 demo_t:file read;\n')\n");
    writeFileSync(scratch.join('mod/demo.fc'), '/opt/demo\\.conf\t--\tgen_context(system_u:object_r:demo_t,s0)\n');
    expect(await porthole(['check', '--no-build', '--subs', 'extra.subs', '--file-contexts', FC, 'mod'], scratch.path)).toEqual({ code: 0, out: '', err: '' });
  });

  it("builds a module whose .te is named: checkmodule's verdicts come with the lint rules'", async () => {
    writeFileSync(scratch.join('plain.te'), 'module plain 1.0;\nrequire {\n\ttype other_t;\n}\nallow plain_t self:process signal;\n');
    const r = await porthole(['check', 'plain.te'], scratch.path);
    expect(r.code).toBe(1);
    const codes = r.err
      .split('\n')
      .filter((l) => !l.startsWith('  ') && l !== '')
      .map((l) => /\[([a-z-]+)\]/.exec(l)?.[1]);
    expect([...new Set(codes)]).toEqual(['lint-unused-require', 'te-unknown-name']);
  });

  it('keeps what each source gave in the cache folder, and nothing with --no-cache', async () => {
    mkdirSync(scratch.join('kept'), { recursive: true });
    writeFileSync(scratch.join('kept', 'k.te'), 'policy_module(k, 1.0)\ntype k_t;\nallow k_t self:process { signal sigkill };\n');
    const home = (name: string) => scratch.join(`home-${name}`);
    const check = async (args: string[], name: string) => {
      const io = memoryIo({ cwd: scratch.path, stdin: Readable.from([]), env: { XDG_CACHE_HOME: home(name) } });
      return { code: await run(['check', '--no-build', ...args, 'kept'], io), err: io.err.join('') };
    };
    const first = await check([], 'a');
    expect(first.err).toMatch(/lint-perm-order/);
    expect(readdirSync(join(home('a'), 'porthole')).filter((f) => f.startsWith('check-'))).toHaveLength(1);
    expect(await check([], 'a')).toEqual(first);
    expect(await check(['--no-cache'], 'b')).toEqual(first);
    expect(existsSync(home('b'))).toBe(false);
  });
});
