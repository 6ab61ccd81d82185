import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { smallPolicy } from '../fixtures/policy/writer.js';
import { tempDir } from '../support/tempDir.js';

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
    const j = JSON.parse(r.out);
    expect(j.newContext).toBe('u_u:r_r:b_t:s0-s0:c0,c1');
    expect(j.derivation.typeRule).toBe('type_transition a_t b_t:process b_t;');
    expect(j.checks.map((c: { check: string }) => c.check)).toEqual(['process transition', 'file entrypoint', 'file execute']);
    // The exec is denied: exit 1, as for a failed check.
    expect([r.code, j.allowed, j.missing]).toEqual([1, false, ['allow a_t b_t:process transition;', 'allow b_t b_t:file entrypoint;']]);
    const text = await porthole(['policy', 'transition', 'policy.33', '--source', 'u_u:r_r:a_t:s0', '--target', 'b_t'], dir);
    expect([text.code, text.err]).toEqual([1, '']);
    expect(text.out).toContain('exec of b_t by a_t: denied\n  missing  process transition: allow a_t b_t:process transition;\n');
  });

  it('exits 0 when the new context is allowed, 1 when the policy rejects it', async () => {
    const file = await porthole(['policy', 'transition', 'policy.33', '--source', 'u_u:r_r:a_t:s0', '--target', 'b_t', '--class', 'file'], dir);
    expect([file.code, file.out]).toEqual([0, expect.stringMatching(/^new context: u_u:object_r:b_t:s0\n/)]);
    const invalid = await porthole(['policy', 'transition', 'policy.33', '--source', 'u_u:r_r:a_t:s0', '--target', 'b_t', '--setexec', 'u_u:object_r:b_t:s0-s0:c0.c1023'], dir);
    expect(invalid.code).toBe(1);
  });

  it('takes the label of a --target path from file_contexts, and says where it came from', async () => {
    writeFileSync(scratch.join('file_contexts'), '/.*\tu_u:object_r:a_t:s0\n/opt/b(/.*)?\t--\tu_u:object_r:b_t:s0\n/opt/none\t<<none>>\n');
    const args = ['policy', 'transition', 'policy.33', '--source', 'u_u:r_r:a_t:s0', '--target', '/opt/b/run', '-f', 'file_contexts'];
    const text = await porthole(args, dir);
    expect(text.out.split('\n').slice(0, 2)).toEqual([`target file: /opt/b/run: u_u:object_r:b_t:s0  (${scratch.join('file_contexts')}:2: /opt/b(/.*)?)`, 'new context: u_u:r_r:b_t:s0-s0:c0,c1']);
    const json = JSON.parse((await porthole([...args, '--json'], dir)).out);
    expect([json.target, json.targetFile]).toEqual(['u_u:object_r:b_t:s0', { path: '/opt/b/run', spec: '/opt/b(/.*)?', file: scratch.join('file_contexts'), line: 2 }]);
    // A path that gets no label: <<none>> (or no spec at all) is an error, not a guess.
    const none = await porthole(['policy', 'transition', 'policy.33', '--source', 'u_u:r_r:a_t:s0', '--target', '/opt/none', '-f', 'file_contexts'], dir);
    expect([none.code, none.out, none.err]).toEqual([
      1,
      '',
      `porthole: error[no-label]: /opt/none gets no label from ${scratch.join('file_contexts')}: no spec matches it as a regular file, or the one that does says <<none>>\n`,
    ]);
    // --file-contexts is only for a path.
    expect((await porthole(['policy', 'transition', 'policy.33', '--source', 'u_u:r_r:a_t', '--target', 'b_t', '-f', 'file_contexts'], dir)).code).toBe(2);
  });

  it('rejects unknown names', async () => {
    expect(await porthole(['policy', 'transition', 'policy.33', '--source', 'u_u:r_r:zz_t', '--target', 'b_t'], dir)).toEqual({
      code: 1,
      out: '',
      err: 'porthole: error[unknown-name]: unknown type zz_t\n',
    });
    expect((await porthole(['policy', 'transition', 'policy.33', '--source', 'u_u:r_r:a_t', '--target', 'b_t', '--bool', 'nob=on'], dir)).err).toBe(
      'porthole: error[unknown-name]: unknown boolean nob\n',
    );
    const p = await porthole(['policy', 'paths', 'policy.33', '--source', 'x_attr', '--target', 'b_t'], dir);
    expect([p.code, p.err]).toEqual([1, 'porthole: error[unknown-name]: x_attr is not a valid type\n']);
    const json = await porthole(['policy', 'paths', 'policy.33', '--source', 'x_attr', '--json'], dir);
    expect(JSON.parse(json.err)).toMatchObject({ code: 'unknown-name', message: 'x_attr is not a valid type', data: { name: 'x_attr' } });
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
    const zero = await porthole(['policy', 'paths', 'policy.33', '--from', 'a_t', '--to', 'b_t', '--all', '0'], dir);
    expect([zero.code, zero.err]).toEqual([2, 'porthole: error[usage]: Maximum path length must be positive.\n  note: run with --help for usage\n']);
    expect((await porthole(['policy', 'paths', 'policy.33', '--from', 'a_t', '--exclude', 'nosuch_t'], dir)).err).toBe('porthole: error[unknown-name]: nosuch_t is not a valid type\n');
    // --source / --target, as for `policy transition`; --from / --to and -s / -t stay.
    const named = await porthole(['policy', 'paths', 'policy.33', '--source', 'a_t', '--target', 'b_t'], dir);
    expect(named).toEqual(await porthole(['policy', 'paths', 'policy.33', '--from', 'a_t', '--to', 'b_t'], dir));
    expect(named).toEqual(await porthole(['policy', 'paths', 'policy.33', '-s', 'a_t', '-t', 'b_t'], dir));
    expect((await porthole(['policy', 'paths', 'policy.33'], dir)).code).toBe(2);
    expect((await porthole(['policy', 'paths', 'policy.33', '--from', 'a_t', '--shortest'], dir)).code).toBe(2);
    // sedta's own letters work too.
    expect((await porthole(['policy', 'paths', 'policy.33', '-s', 'a_t', '-t', 'b_t', '-A', '2', '-r', '-l', '3'], dir)).code).toBe(0);
    expect((await porthole(['policy', 'paths', 'policy.33', '--from', 'a_t', '--stats'], dir)).out).toMatch(/\n\nGraph statistics:\nGraph nodes: \d+\nGraph edges: \d+\n$/);
  });
});
