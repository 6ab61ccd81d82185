import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { smallPolicy } from '../../test/fixtures/policy/writer.js';
import { tempDir } from '../../test/support/tempDir.js';
import { memoryIo } from './io.js';
import { run } from './main.js';

async function porthole(args: string[], cwd: string) {
  const io = memoryIo({ cwd, stdin: Readable.from([]) });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('porthole policy transition / paths', () => {
  const scratch = tempDir('cli-transition');
  const dir = scratch.path;
  writeFileSync(scratch.join('policy.33'), smallPolicy({ version: 33, mls: true }));

  it('computes the new context with type, role and range transitions', async () => {
    const r = await porthole(['policy', 'transition', 'policy.33', '--source', 'u_u:r_r:a_t:s0', '--target', 'b_t', '--json'], dir);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.newContext).toBe('u_u:r_r:b_t:s0-s0:c0,c1');
    expect(j.derivation.typeRule).toBe('type_transition a_t b_t:process b_t;');
    expect(j.checks.map((c: { check: string }) => c.check)).toEqual(['process transition', 'file entrypoint', 'file execute']);
  });

  it('rejects paths as targets and unknown names', async () => {
    expect((await porthole(['policy', 'transition', 'policy.33', '--source', 'u_u:r_r:a_t', '--target', '/bin/sh'], dir)).code).toBe(2);
    expect((await porthole(['policy', 'transition', 'policy.33', '--source', 'u_u:r_r:zz_t', '--target', 'b_t'], dir)).err).toMatch(/unknown type zz_t/);
    const p = await porthole(['policy', 'paths', 'policy.33', '--from', 'x_attr', '--to', 'b_t'], dir);
    expect([p.code, p.err]).toEqual([1, 'porthole: x_attr is not a valid type\n']);
  });

  it('prints sedta-style paths', async () => {
    const r = await porthole(['policy', 'paths', 'policy.33', '--from', 'a_t', '--to', 'b_t'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\n\d+ domain transition path\(s\) found\.\n$/);
  });

  it("takes sedta's other analyses: transitions, --reverse, --exclude, --all, --limit", async () => {
    const out = await porthole(['policy', 'paths', 'policy.33', '--from', 'a_t'], dir);
    expect([out.code, out.err]).toEqual([0, '']);
    expect(out.out).toMatch(/\n\d+ domain transition\(s\) found\.\n$/);
    const into = await porthole(['policy', 'paths', 'policy.33', '--from', 'b_t', '--reverse', '--json'], dir);
    expect(JSON.parse(into.out)).toMatchObject({ from: 'b_t', reverse: true, exclude: [] });
    const all = await porthole(['policy', 'paths', 'policy.33', '--from', 'a_t', '--to', 'b_t', '--all', '2', '--exclude', 'b_t', '-l', '1'], dir);
    expect(all.out).toBe('\n0 domain transition path(s) found.\n');
    expect(all.code).toBe(0);
    expect((await porthole(['policy', 'paths', 'policy.33', '--from', 'a_t', '--to', 'b_t', '--all', '0'], dir)).err).toBe('porthole: Maximum path length must be positive.\n');
    expect((await porthole(['policy', 'paths', 'policy.33', '--from', 'a_t', '--exclude', 'nosuch_t'], dir)).err).toBe('porthole: nosuch_t is not a valid type\n');
    expect((await porthole(['policy', 'paths', 'policy.33', '--from', 'a_t', '--shortest'], dir)).code).toBe(2);
    // sedta's own letters work too.
    expect((await porthole(['policy', 'paths', 'policy.33', '-s', 'a_t', '-t', 'b_t', '-A', '2', '-r', '-l', '3'], dir)).code).toBe(0);
    expect((await porthole(['policy', 'paths', 'policy.33', '--from', 'a_t', '--stats'], dir)).out).toMatch(/\n\nGraph statistics:\nGraph nodes: \d+\nGraph edges: \d+\n$/);
  });
});
