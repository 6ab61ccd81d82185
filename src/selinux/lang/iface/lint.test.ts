// lintRawAllows on a small module: a raw allow that one interface grants
// exactly is reported at its span with the call; others are not.
import { describe, expect, it } from 'vitest';
import { writeDevelTree } from '../../../../test/support/develTree.js';
import { tempDir } from '../../../../test/support/tempDir.js';
import { buildModule } from '../build/build.js';
import { lintPolicy } from '../lint/lint.js';
import { lowerModule } from '../te/lower/lower.js';
import { parseModuleText } from '../te/parse.js';
import type { AccessIndex } from './accessIndex.js';
import { buildAccessIndex } from './accessIndex.js';
import { lintRawAllows, RAW_ALLOW_CODE, writtenRuleSpans } from './lint.js';

const INDEX: AccessIndex = {
  version: 1,
  includeDir: '/x',
  interfaces: [
    {
      name: 'files_search_usr',
      kind: 'interface',
      file: 'kernel/files.if',
      line: 7,
      params: 1,
      paramNames: ['domain'],
      rules: [{ sources: ['porthole_arg1'], targets: ['usr_t'], classes: ['dir'], perms: ['getattr', 'search', 'open'] }],
      other: 0,
    },
    {
      name: 'files_read_usr',
      kind: 'interface',
      file: 'kernel/files.if',
      line: 20,
      params: 1,
      paramNames: ['domain'],
      rules: [{ sources: ['porthole_arg1'], targets: ['usr_t'], classes: ['file'], perms: ['read', 'open'] }],
      other: 1,
    },
  ],
};

const TE = `module myapp 1.0;
require { type usr_t; class dir { getattr search open }; class file { read open }; }
type myapp_t;
allow myapp_t usr_t:dir { open getattr search };
allow myapp_t usr_t:dir { getattr search };
allow myapp_t usr_t:file { read open };
`;

describe('lintRawAllows', () => {
  it('suggests the call for an allow one interface grants exactly, at the allow', () => {
    const m = lowerModule(parseModuleText({ name: 'myapp.te', text: TE }).ast);
    const found = lintRawAllows(m, INDEX);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      code: 'lint-raw-allow-interface',
      severity: 'warning',
      span: { file: 'myapp.te', line: 4 },
      data: { interface: 'files_search_usr', call: 'files_search_usr(myapp_t)' },
    });
  });
  it('says nothing of a rule granting less, or one whose interface also does more', () => {
    const m = lowerModule(parseModuleText({ name: 'myapp.te', text: TE.replace('allow myapp_t usr_t:dir { open getattr search };\n', '') }).ast);
    expect(lintRawAllows(m, INDEX)).toEqual([]);
  });
});

describe('lintRawAllows on a module m4 expanded', () => {
  const dir = tempDir('iface-lint');
  it('reports the rules the user wrote, not those a call produced, nor calls of the own module', () => {
    const includeDir = writeDevelTree(dir.path);
    const index = buildAccessIndex(includeDir);
    const te = 'module myapp 1.0;\nrequire { class dir { getattr search open }; }\ntype myapp_t;\nallow myapp_t usr_t:dir { getattr search open };\nfiles_search_usr(myapp_t)\n';
    const b = buildModule({ te: { name: 'myapp.te', text: te } }, { includeDir });
    const m = lowerModule(b.module);
    const names = new Set(index.interfaces.map((e) => e.name));
    const found = lintRawAllows(m, index, { written: writtenRuleSpans(b.module, b.map, names) });
    expect(found.map((d) => [d.span?.line, d.data?.call])).toEqual([[4, 'files_search_usr(myapp_t)']]);
    // Without the written rules, the call's own rule is reported too.
    expect(lintRawAllows(m, index)).toHaveLength(2);
    // In the module that defines the interface (files), it is not suggested.
    expect(lintRawAllows({ ...m, name: 'files' }, index)).toEqual([]);
  });
});

describe('lint-raw-allow-interface through porthole check (lintPolicy)', () => {
  const dir = tempDir('iface-lint-check');
  const te = 'module myapp 1.0;\nrequire { class dir { getattr search open }; }\ntype myapp_t;\nallow myapp_t usr_t:dir { getattr search open };\nfiles_search_usr(myapp_t)\n';
  it('runs on the modules built when an index is given, once, and not without one', () => {
    const includeDir = writeDevelTree(dir.path);
    let loads = 0;
    const accessIndex = () => {
      loads++;
      return buildAccessIndex(includeDir);
    };
    const input = { file: 'myapp.te', text: te, named: true };
    const found = lintPolicy([input], { includeDir, accessIndex, build: 'named' }).filter((d) => d.code === RAW_ALLOW_CODE);
    expect(found.map((d) => [d.span?.line, d.data?.call])).toEqual([[4, 'files_search_usr(myapp_t)']]);
    expect(loads).toBe(1);
    expect(lintPolicy([input], { includeDir, build: 'named' }).filter((d) => d.code === RAW_ALLOW_CODE)).toEqual([]);
    expect(lintPolicy([input], { includeDir, accessIndex, build: 'none' }).filter((d) => d.code === RAW_ALLOW_CODE)).toEqual([]);
  });
});
