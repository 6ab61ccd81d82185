// `porthole rbac --compat=audit2rbac` on audit2rbac's demo log: stdout and
// stderr byte for byte as audit2rbac writes them, for each demo subject.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.js';
import { run, VERSION } from '../../../src/cli/main.js';
import { sharedDirs } from '../support/oracles.js';

async function porthole(args: string[], cwd: string) {
  const io = memoryIo({ cwd, stdin: Readable.from([]) });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('porthole rbac --compat=audit2rbac on the demo log', () => {
  const dir = sharedDirs('audit2rbac demo', ['corpora/k8s']).get('corpora/k8s');
  if (!dir) return;
  const stderr = readFileSync(join(dir, 'demo-expected/stderr.txt'), 'utf8');
  for (const [file, flags] of [
    ['alice.yaml', ['--user', 'alice']],
    ['bob.yaml', ['--user', 'bob']],
    ['sa1.yaml', ['--serviceaccount', 'ns1:sa1']],
  ] as const) {
    it(`${flags.join(' ')}: ${file} and stderr.txt`, async () => {
      const r = await porthole(['rbac', '-f', 'audit2rbac_demo.log', ...flags, '--compat=audit2rbac'], dir);
      expect(r.code).toBe(0);
      expect(r.out).toBe(readFileSync(join(dir, 'demo-expected', file), 'utf8').replaceAll('$' + '{version}', VERSION));
      expect(r.err).toBe(stderr);
    });
  }

  it('same input, same bytes, every run', async () => {
    const a = await porthole(['rbac', '-f', 'audit2rbac_demo.log', '--all-subjects'], dir);
    const b = await porthole(['rbac', '-f', 'audit2rbac_demo.log', '--all-subjects'], dir);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    expect(a.out.split('\n---\n').length).toBe(6);
  });

  it('no event of the user: no-events, exit 1, nothing on stdout', async () => {
    const r = await porthole(['rbac', '-f', 'audit2rbac_demo.log', '--user', 'carol'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('error[no-events]: No audit events matched user carol');
  });
});
