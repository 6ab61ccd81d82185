import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { readOutcome } from '../../../../test/fixtures/policy/outcome.js';
import { smallPolicy } from '../../../../test/fixtures/policy/writer.js';
import { policyStats, readPolicy } from '../index.js';
import { PolicyReadError } from './errors.js';
import { scanPolicyFile, scanPolicyStats } from './scan.js';

const DEBIAN = '/etc/selinux/default/policy/policy.33';

describe('scanPolicyStats', () => {
  for (let version = 24; version <= 35; version++) {
    for (const mls of [true, false]) {
      it(`equals the reader's statistics at version ${version}${mls ? '' : ' (non-MLS)'}`, () => {
        const bytes = smallPolicy({ version, mls });
        expect(scanPolicyStats(bytes)).toEqual(policyStats(readPolicy(bytes)));
      });
    }
  }

  it.skipIf(!existsSync(DEBIAN))("equals the reader's statistics on the Debian policy", () => {
    const bytes = new Uint8Array(readFileSync(DEBIAN));
    const s = scanPolicyStats(bytes);
    expect(s).toEqual(policyStats(readPolicy(bytes)));
    expect(s.allow).toBeGreaterThan(50_000);
  });

  it('names the section and offset of a corrupt file', () => {
    const bytes = smallPolicy({ version: 33 }).slice();
    new DataView(bytes.buffer).setUint32(0, 0x12345678, true);
    expect(() => scanPolicyStats(bytes)).toThrow(PolicyReadError);
    expect(() => scanPolicyStats(bytes)).toThrow(/header.*offset 0|offset 0.*header|bad magic/);
  });

  describe('scanPolicyFile (through a window that moves along the file)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'porthole-scan-'));
    for (const version of [24, 29, 33, 35]) {
      it(`same statistics and the same errors as in memory, at version ${version}, every window size`, () => {
        const bytes = smallPolicy({ version });
        const file = join(dir, `policy.${version}`);
        writeFileSync(file, bytes);
        const want = scanPolicyStats(bytes);
        for (const window of [1, 3, 7, 12, 64, 1000, 65536]) expect(scanPolicyFile(file, window)).toEqual(want);
        // Truncated anywhere: the same error, naming the same section and offset.
        for (let len = 0; len < bytes.length; len += 7) {
          const cut = join(dir, `cut.${version}`);
          writeFileSync(cut, bytes.subarray(0, len));
          const mem = readOutcome(() => scanPolicyStats(bytes.subarray(0, len)));
          for (const window of [5, 64])
            expect(
              readOutcome(() => scanPolicyFile(cut, window)),
              `${len} bytes, window ${window}`,
            ).toEqual(mem);
        }
      });
    }
    it('reads what is not a regular file whole first (a pipe, /dev/stdin: test/cli/bin.test.ts)', () => {
      expect(() => scanPolicyFile('/dev/null')).toThrow(PolicyReadError);
    });
    it.skipIf(!existsSync(DEBIAN))('the Debian policy', () => {
      expect(scanPolicyFile(DEBIAN)).toEqual(scanPolicyStats(new Uint8Array(readFileSync(DEBIAN))));
    });
  });
});
