// lintRawAllows on a small module: a raw allow that one interface grants
// exactly is reported at its span with the call; others are not.
import { describe, expect, it } from 'vitest';
import { lowerModule } from '../te/lower/lower.js';
import { parseModuleText } from '../te/parse.js';
import type { AccessIndex } from './accessIndex.js';
import { lintRawAllows } from './lint.js';

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
