// The oracle helpers themselves (no oracle needed).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withTempDir } from '../../support/tempDir.js';
import { isCI, missingOracles, oraclesOff, readOraclesEnv } from './oracles.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('isCI', () => {
  it('is set by CI=anything but "", "0" and "false"', () => {
    expect(isCI({ CI: 'true' })).toBe(true);
    expect(isCI({ CI: '1' })).toBe(true);
    expect(isCI({ CI: 'yes' })).toBe(true);
    for (const v of [undefined, '', '0', 'false', 'FALSE']) expect(isCI({ CI: v }), String(v)).toBe(false);
  });
});

describe('PORTHOLE_ORACLES=off', () => {
  it('is read from off, 0, false and no', () => {
    for (const v of ['off', 'OFF', '0', 'false', 'no']) expect(oraclesOff({ PORTHOLE_ORACLES: v }), v).toBe(true);
    for (const v of [undefined, '', 'on', '1']) expect(oraclesOff({ PORTHOLE_ORACLES: v }), String(v)).toBe(false);
  });

  it('makes every tool count as missing, whatever the machine has', () => {
    vi.stubEnv('PORTHOLE_ORACLES', 'off');
    expect(missingOracles(['env'])).toEqual(['every one (PORTHOLE_ORACLES=off)']);
    expect(missingOracles(['checkpolicy', 'python'])).toEqual(['every one (PORTHOLE_ORACLES=off)']);
  });

  it('without it, a tool that is nowhere is missing by name', () => {
    vi.stubEnv('PORTHOLE_ORACLES', '');
    vi.stubEnv('PATH', '/nonexistent');
    expect(missingOracles(['checkpolicy', 'seinfo'])).toEqual(['checkpolicy', 'seinfo']);
  });
});

describe('readOraclesEnv', () => {
  it('reads KEY=VALUE lines, one level of quotes removed, comments skipped', async () => {
    await withTempDir('oracles-env', (dir) => {
      const file = join(dir, 'oracles.env');
      writeFileSync(file, '# comment\nSE_POLICY=/p/policy.33\n\nSE_AUDIT2ALLOW="env A=1 /usr/bin/audit2allow"\nQ=\'x y\'\nnot a line\n');
      expect(readOraclesEnv(file)).toEqual({ SE_POLICY: '/p/policy.33', SE_AUDIT2ALLOW: 'env A=1 /usr/bin/audit2allow', Q: 'x y' });
      expect(readOraclesEnv(join(dir, 'missing.env'))).toEqual({});
    });
  });
});
