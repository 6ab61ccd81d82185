// `porthole policy transition --target /PATH` on $SE_POLICY and $SE_FC: the
// label it takes for an executable is matchpathcon's (`-m file`), and the rest
// of the report is the one for that context given as the target.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { describeOracle, findOracles } from '../support/oracles.js';

async function porthole(args: string[]): Promise<{ code: number; out: string }> {
  const io = memoryIo({ stdin: Readable.from([]) });
  const code = await run(args, io);
  return { code, out: io.out.join('') };
}

describeOracle('policy transition --target PATH against matchpathcon', () => {
  const { env } = findOracles();
  const fc = env.SE_FC ?? '/etc/selinux/default/contexts/files/file_contexts';
  const policy = env.SE_POLICY ?? '';
  it.runIf(existsSync(fc) && existsSync(policy))('labels the executable as matchpathcon does', { timeout: 120_000 }, async () => {
    const source = 'system_u:system_r:init_t:s0';
    for (const path of ['/usr/sbin/sshd', '/usr/bin/passwd', '/usr/sbin/crond', '/usr/lib/systemd/systemd-logind', '/opt/nothing/here', '/bin/sh']) {
      const real = spawnSync('matchpathcon', ['-n', '-m', 'file', '-f', fc, path], { encoding: 'utf8' });
      expect(real.status, real.stderr).toBe(0);
      const context = real.stdout.trim();
      const byPath = await porthole(['policy', 'transition', policy, '--source', source, '--target', path, '-f', fc]);
      const byContext = await porthole(['policy', 'transition', policy, '--source', source, '--target', context]);
      const [first, ...rest] = byPath.out.split('\n');
      expect(first, path).toMatch(new RegExp(`^target file: ${path}: ${context.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}  \\(${fc}:\\d+: `));
      expect([byPath.code, rest.join('\n')], path).toEqual([byContext.code, byContext.out]);
    }
  });
}, ['env', 'matchpathcon']);
