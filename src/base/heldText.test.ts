import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';

import { HeldText } from './heldText.js';

const tempDirs = (): string[] => readdirSync(tmpdir()).filter((d) => d.startsWith('porthole-held-'));

describe('HeldText', () => {
  it('gives back what it holds, in order, from memory or from its file', () => {
    for (const limit of [1 << 20, 10]) {
      const h = new HeldText(limit);
      const parts = Array.from({ length: 500 }, (_, i) => `record ${i}: é€😀\n`);
      for (const p of parts) h.push(p);
      const out: string[] = [];
      h.drain((t) => void out.push(t));
      expect(out.join('')).toBe(parts.join(''));
      // Drained means empty.
      const again: string[] = [];
      h.drain((t) => void again.push(t));
      expect(again).toEqual([]);
      h.close();
    }
  });

  it('forgets on clear(), also what went to the file', () => {
    const h = new HeldText(8);
    h.push('0123456789 before\n');
    h.push('more before\n');
    h.clear();
    h.push('after\n');
    const out: string[] = [];
    h.drain((t) => void out.push(t));
    expect(out.join('')).toBe('after\n');
    h.close();
  });

  it('hands the text out in pieces, not as one string', () => {
    const h = new HeldText(1 << 30);
    const line = 'x'.repeat(999) + '\n';
    for (let i = 0; i < 3000; i++) h.push(line);
    const sizes: number[] = [];
    h.drain((t) => void sizes.push(t.length));
    expect(sizes.length).toBeGreaterThan(1);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(3000 * 1000);
    h.close();
  });

  it('leaves no file behind, even while it holds text on disk', () => {
    const before = new Set(tempDirs());
    const h = new HeldText(4);
    h.push('spilled to disk\n');
    h.push('and more\n');
    expect(tempDirs().filter((d) => !before.has(d))).toEqual([]);
    const out: string[] = [];
    h.drain((t) => void out.push(t));
    expect(out.join('')).toBe('spilled to disk\nand more\n');
    h.close();
  });
});
