// filecon lines as semodule's pp converter writes them (the store's CIL has these forms).
import { expect, it } from 'vitest';
import { fileconLines } from './filecon.js';

it('prints each spec with its file type, context and range, or () for <<none>>', () => {
  const s0 = { sensitivity: 's0' };
  expect(
    fileconLines([
      { path: '/usr/bin/ssh', fileType: '--', context: { user: 'system_u', role: 'object_r', type: 'ssh_exec_t', range: { low: s0 } } },
      { path: '/var/lib/x(/.*)?', context: { user: 'system_u', role: 'object_r', type: 'x_t', range: { low: s0, high: { sensitivity: 's0', categories: [['c0', 'c1023']] } } } },
      { path: '/run/.*', fileType: '-d' },
      { path: '/dev/x', fileType: '-c', context: { user: 'u', role: 'r', type: 't' } },
      { path: '/s', fileType: '-s' },
      { path: '/l', fileType: '-l' },
      { path: '/p', fileType: '-p' },
      { path: '/b', fileType: '-b' },
    ]),
  ).toBe(
    [
      '(filecon "/usr/bin/ssh" file (system_u object_r ssh_exec_t ((s0) (s0))))',
      '(filecon "/var/lib/x(/.*)?" any (system_u object_r x_t ((s0) (s0 (range c0 c1023)))))',
      '(filecon "/run/.*" dir ())',
      '(filecon "/dev/x" char (u r t))',
      '(filecon "/s" socket ())',
      '(filecon "/l" symlink ())',
      '(filecon "/p" pipe ())',
      '(filecon "/b" block ())',
      '',
    ].join('\n'),
  );
});
