import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { smallPolicy } from '../fixtures/policy/writer.js';
import { tempDir } from '../support/tempDir.js';

async function porthole(args: string[], cwd: string) {
  const io = memoryIo({ cwd, stdin: Readable.from([]) });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('porthole policy info', () => {
  const scratch = tempDir('cli-policy');
  let dir = '';
  beforeAll(() => {
    dir = scratch.path;
    const bytes = smallPolicy({ version: 33, mls: true });
    writeFileSync(scratch.join('policy.33'), bytes);
    writeFileSync(scratch.join('cut.33'), bytes.subarray(0, 200));
    // A module package's header (semodule_package): not a kernel policy.
    writeFileSync(scratch.join('x.pp'), new Uint8Array(new Uint32Array([0xf97cff8f, 1, 0]).buffer));
  });

  it('prints seinfo statistics and JSON', async () => {
    const r = await porthole(['policy', 'info', 'policy.33'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Statistics for policy file: policy\.33\nPolicy Version: {13}33 \(MLS enabled\)\n/);
    const json = JSON.parse((await porthole(['policy', 'info', '--json', 'policy.33'], dir)).out);
    expect(json).toMatchObject({ path: 'policy.33', version: 33, mls: true });
  });

  it('names the file, the section and offset of a corrupt file', async () => {
    for (const args of [['cut.33'], ['cut.33', '-t']]) {
      const r = await porthole(['policy', 'info', ...args], dir);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^cut\.33: error\[policy-format\]: \S.* at byte \d+: .+\n$/);
    }
    const json = await porthole(['policy', 'info', '--json', 'cut.33'], dir);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.err)).toMatchObject({ code: 'policy-format', span: { file: 'cut.33', line: 0 }, data: { section: expect.any(String), offset: expect.any(Number) } });
  });

  it('says a module package is not a kernel policy', async () => {
    const r = await porthole(['policy', 'info', 'x.pp'], dir);
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toBe('x.pp: error[policy-is-module]: this is a SELinux module package (.pp), not a kernel binary policy: give the compiled policy (policy.NN) or install the module first\n');
  });
});
