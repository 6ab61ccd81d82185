// The modules `build --all` finds: as `make all` with the devel Makefile finds them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { withTempDir } from '../../../../../test/support/tempDir.js';
import { findModules } from './modules.js';

const touch = (path: string): void => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '');
};

it('takes top-level modules first, then each layer in name order, skipping CVS, tmp and doc', async () => {
  await withTempDir('build-all-find', (dir) => {
    for (const f of ['z.te', 'z.fc', 'a.te', 'a.if', 'apps/b.te', 'apps/b.if', 'apps/b.fc', 'admin/c.te', 'tmp/t.te', 'doc/d.te', 'CVS/e.te', 'admin/notes.txt']) touch(join(dir, f));
    const t = findModules(dir);
    expect(t.dir).toBe(dir);
    expect(t.modules.map((m) => [m.name, m.te.slice(dir.length + 1), m.if?.slice(dir.length + 1), m.fc?.slice(dir.length + 1)])).toEqual([
      ['a', 'a.te', 'a.if', undefined],
      ['z', 'z.te', undefined, 'z.fc'],
      ['c', 'admin/c.te', undefined, undefined],
      ['b', 'apps/b.te', 'apps/b.if', 'apps/b.fc'],
    ]);
  });
});

it('reads a refpolicy source tree from its policy/modules folder', async () => {
  await withTempDir('build-all-find', (dir) => {
    touch(join(dir, 'policy/modules/kernel/k.te'));
    touch(join(dir, 'policy/support/x.spt'));
    const t = findModules(dir);
    expect(t.dir).toBe(join(dir, 'policy/modules'));
    expect(t.modules.map((m) => m.name)).toEqual(['k']);
  });
});
