// The name table: one id per distinct name whatever the collisions and
// growth, the keywords known from the start, the text sliced once a name.
import { describe, expect, it } from 'vitest';
import { hashStep, NameTable } from './nameTable.js';

function hashOf(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = hashStep(h, s.charCodeAt(i));
  return h;
}

/** The id of `name` where it stands in `text`. */
function idIn(t: NameTable, text: string, name: string): number {
  const at = text.indexOf(name);
  return t.id(text, at, at + name.length, hashOf(name));
}

describe('NameTable', () => {
  it('knows the keywords it was given, with their codes', () => {
    const t = new NameTable([
      ['allow', 7],
      ['ALLOW', 7],
    ]);
    expect(t.keywordCodes[idIn(t, 'x ALLOW y', 'ALLOW')]).toBe(7);
    expect(t.keywordCodes[idIn(t, 'Allow', 'Allow')]).toBe(0);
    expect(t.strings).toEqual(['allow', 'ALLOW', 'Allow']);
  });

  it('gives one id per distinct name through growth and colliding hashes', () => {
    const t = new NameTable([]);
    const names = Array.from({ length: 10_000 }, (_, i) => `n${i}_t`);
    const text = names.join(' ');
    const ids = names.map((n) => idIn(t, text, n));
    expect(new Set(ids).size).toBe(names.length);
    // Again, in another order: the same ids, nothing added.
    expect([...names].reverse().map((n) => idIn(t, text, n))).toEqual([...ids].reverse());
    expect(t.strings.length).toBe(names.length);
    // The same hash for two names: told apart by their characters.
    const u = new NameTable([]);
    const a = u.id('ab', 0, 2, 42);
    const b = u.id('cd', 0, 2, 42);
    expect(a).not.toBe(b);
    expect(u.id('xxab', 2, 4, 42)).toBe(a);
    expect(u.strings).toEqual(['ab', 'cd']);
  });
});
