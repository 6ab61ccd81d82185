// `porthole label --list -f $SE_FC` (from the files alone) against
// `semanage fcontext -l` (which reads the module store the files were built
// from): the same bytes, specs and equivalence rules.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { describeOracle, findOracles } from '../support/oracles.js';

describeOracle('file labels: --list against semanage fcontext -l', () => {
  const fc = findOracles().env.SE_FC ?? '/etc/selinux/default/contexts/files/file_contexts';
  it.runIf(existsSync(fc))('prints what semanage fcontext -l prints, and filters rows', { timeout: 120_000 }, async () => {
    const real = spawnSync('semanage', ['fcontext', '-l'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(real.status, real.stderr).toBe(0);
    const io = memoryIo({ stdin: Readable.from([]) });
    expect(await run(['label', '--list', '-f', fc], io)).toBe(0);
    expect(io.out.join('')).toBe(real.stdout);
    const grep = memoryIo({ stdin: Readable.from([]) });
    expect(await run(['label', '--list', 'sshd', '-f', fc], grep)).toBe(0);
    const rows = real.stdout.split('\n').filter((l) => l.includes('sshd'));
    expect(grep.out.join('')).toContain(rows.join('\n'));
  });
}, ['env', 'semanage']);
