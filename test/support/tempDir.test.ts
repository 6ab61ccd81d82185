import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, withTempDir } from './tempDir.js';

const made = (name: string): string[] => readdirSync(tmpdir()).filter((d) => d.startsWith(`porthole-${name}-`));

let used = '';

describe('tempDir', () => {
  const dir = tempDir('selftest-used');
  tempDir('selftest-unused');

  it('is made on first use, under os.tmpdir(), named after its user', () => {
    used = dir.path;
    expect(existsSync(used)).toBe(true);
    expect(dirname(used)).toBe(tmpdir());
    expect(basename(used)).toMatch(/^porthole-selftest-used-/);
    expect(dir.path).toBe(used);
    writeFileSync(dir.join('a.txt'), 'x');
    expect(existsSync(dir.join('a.txt'))).toBe(true);
  });

  it('is not made when nobody uses it', () => {
    expect(made('selftest-unused')).toEqual([]);
  });
});

describe('after the block that used it', () => {
  it('is gone, with what was in it', () => {
    expect(used).not.toBe('');
    expect(existsSync(used)).toBe(false);
  });
});

describe('withTempDir', () => {
  it('removes the directory when the function returns', async () => {
    let seen = '';
    const r = await withTempDir('selftest-with', (d) => {
      seen = d;
      writeFileSync(`${d}/f`, 'x');
      return 42;
    });
    expect(r).toBe(42);
    expect(seen).not.toBe('');
    expect(existsSync(seen)).toBe(false);
  });

  it('removes the directory when the function throws', async () => {
    let seen = '';
    await expect(
      withTempDir('selftest-throw', async (d) => {
        seen = d;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(seen)).toBe(false);
  });
});
