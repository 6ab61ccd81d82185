// `porthole iface expand` and `porthole iface for` over a small devel tree:
// .te, CIL and JSON, the call checks, the answers' line shape, --limit,
// the cache (written under $XDG_CACHE_HOME, read back, --no-cache) and exit statuses.
import { existsSync, readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { writeDevelTree } from '../support/develTree.js';
import { tempDir } from '../support/tempDir.js';

const dir = tempDir('iface-access-cli');
let tree: string | undefined;
const include = (): string => {
  tree ??= writeDevelTree(dir.join('tree'));
  return tree;
};

async function porthole(args: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ stdin: Readable.from([]), env: { XDG_CACHE_HOME: dir.join('cache'), ...env } });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('iface expand', () => {
  it('prints the rules a call grants as .te', async () => {
    const r = await porthole(['iface', 'expand', '-I', include(), 'netutils_exec_ping', 'myapp_t']);
    expect(r).toEqual({
      code: 0,
      err: '',
      out: 'require {\n\ttype ping_exec_t;\n\ttype usr_t;\n}\nallow myapp_t usr_t:dir { getattr search open };\nallow myapp_t ping_exec_t:file { read execute getattr };\n',
    });
  });
  it('prints CIL with --cil and the module as JSON with --json', async () => {
    const cil = await porthole(['iface', 'expand', '--cil', '-I', include(), 'files_search_usr', 'myapp_t']);
    expect(cil.out).toBe('(typeattributeset cil_gen_require usr_t)\n(allow myapp_t usr_t (dir (getattr search open)))\n');
    const json = await porthole(['iface', 'expand', '--json', '-I', include(), 'files_search_usr', 'myapp_t'], { SE_DEVEL_INCLUDE: include() });
    const j = JSON.parse(json.out) as { call: string; name: string; args: string[]; module: { rules: { rule: string }[] } };
    expect(j).toMatchObject({ call: "files_search_usr(`myapp_t')", name: 'files_search_usr', args: ['myapp_t'] });
    expect(j.module.rules.map((x) => x.rule)).toEqual(['require', 'allow']);
  });
  it('says the nearest names of an unknown one, and refuses too few arguments', async () => {
    const unknown = await porthole(['iface', 'expand', '-I', include(), 'files_search_us', 'x_t']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('error[unknown-name]');
    expect(unknown.err).toContain('did you mean files_search_usr');
    const few = await porthole(['iface', 'expand', '-I', include(), 'domain_entry_file', 'x_t']);
    expect(few.code).toBe(1);
    expect(few.err).toContain('error[te-interface-arguments]');
    expect(few.out).toBe('');
  });
});

describe('iface for', () => {
  it('answers one line per call, least excess first, and builds the cache once', async () => {
    const first = await porthole(['iface', 'for', '-I', include(), 'allow $1 ping_exec_t:file execute']);
    expect(first.code).toBe(0);
    expect(first.out).toBe(
      [
        'netutils_exec_ping($1)              # excess 5 (6 granted, 0 other statements) admin/netutils.if:11',
        'domain_entry_file($1, ping_exec_t)  # excess 3 (3 granted, 1 other statement) kernel/domain.if:16',
        '',
      ].join('\n'),
    );
    expect(first.err).toMatch(/^porthole: built the access index of .*tree \(kept in .*cache\/porthole\/iface-access-[0-9a-f]{32}\.json\)\n$/);
    const again = await porthole(['iface', 'for', '-I', include(), 'allow $1 ping_exec_t:file execute']);
    expect(again).toEqual({ ...first, err: '' });
    const none = await porthole(['iface', 'for', '--no-cache', '-I', include(), 'allow $1 ping_exec_t:file execute'], { XDG_CACHE_HOME: dir.join('nocache') });
    expect(none.out).toBe(first.out);
    expect(existsSync(dir.join('nocache'))).toBe(false);
    expect(readdirSync(dir.join('cache', 'porthole'))).toHaveLength(1);
  });
  it('prints JSON answers, honours --limit, and exits 1 when nothing grants the access', async () => {
    const json = await porthole(['iface', 'for', '--json', '--limit', '1', '-I', include(), 'ping_exec_t']);
    expect(
      json.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as object),
    ).toEqual([{ name: 'app_template', kind: 'template', file: 'apps/app.if', line: 11, call: 'app_template(<prefix>)', granted: 1, excess: 1, other: 1, bound: false, passed: 0 }]);
    const limited = await porthole(['iface', 'for', '--limit', '1', '-I', include(), 'ping_exec_t']);
    expect(limited.err).toBe('porthole: 1 more (--limit 0 shows all)\n');
    const nothing = await porthole(['iface', 'for', '-I', include(), 'allow $1 ping_exec_t:file write']);
    expect(nothing).toMatchObject({ code: 1, out: '' });
  });
  it('exits 2 for an ACCESS that is neither a rule nor a type', async () => {
    const r = await porthole(['iface', 'for', '-I', include(), 'allow $1 foo']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('error[iface-argument]');
  });
});

describe('check --suggest-calls', () => {
  it('suggests the call for a raw allow of a module named, saying when it built the index; nothing without the flag', async () => {
    const { writeFileSync } = await import('node:fs');
    const te = dir.join('myapp.te');
    writeFileSync(te, 'module myapp 1.0;\nrequire { type usr_t; class dir { getattr open search }; }\ntype myapp_t;\nallow myapp_t usr_t:dir { getattr open search };\n');
    const cache = dir.join('check-cache');
    const plain = await porthole(['check', '-I', include(), te], { XDG_CACHE_HOME: cache });
    expect(plain).toMatchObject({ code: 0, err: '' });
    const first = await porthole(['check', '--suggest-calls', '-I', include(), te], { XDG_CACHE_HOME: cache });
    expect(first.code).toBe(1);
    expect(first.err).toContain('porthole: built the access index of');
    expect(first.err).toContain(`${te}:4:1: warning[lint-raw-allow-interface]: this allow rule grants exactly what files_search_usr(myapp_t) grants: write the call`);
    const again = await porthole(['check', '--suggest-calls', '-I', include(), te], { XDG_CACHE_HOME: cache });
    expect(again.err).not.toContain('built the access index');
    expect(again.err).toContain('warning[lint-raw-allow-interface]');
  });
});
