import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { smallPolicy } from '../../../test/fixtures/policy/writer.js';
import { PolicyReadError } from './errors.js';
import { policyStats, readPolicy } from './index.js';
import { scanPolicyStats } from './scan.js';

describe('scanPolicyStats', () => {
  for (let version = 24; version <= 35; version++) {
    for (const mls of [true, false]) {
      it(`equals the reader's statistics at version ${version}${mls ? '' : ' (non-MLS)'}`, () => {
        const bytes = smallPolicy({ version, mls });
        expect(scanPolicyStats(bytes)).toEqual(policyStats(readPolicy(bytes)));
      });
    }
  }

  const DEBIAN = '/etc/selinux/default/policy/policy.33';
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
});
