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
  });

  it('prints seinfo statistics and JSON', async () => {
    const r = await porthole(['policy', 'info', 'policy.33'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Statistics for policy file: policy\.33\nPolicy Version: {13}33 \(MLS enabled\)\n/);
    const json = JSON.parse((await porthole(['policy', 'info', '--json', 'policy.33'], dir)).out);
    expect(json).toMatchObject({ path: 'policy.33', version: 33, mls: true });
  });

  it('names the section and offset of a corrupt file', async () => {
    const r = await porthole(['policy', 'info', 'cut.33'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^porthole: .*cut\.33: \S.* at byte \d+: .+\n$/);
  });
});
