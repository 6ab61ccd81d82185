// The README stays true to the code: it lists every diagnostic code and links every example.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../src/base/diagnostic.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README.md', () => {
  it('lists every diagnostic code with its meaning', () => {
    const codes = Object.entries(DIAGNOSTIC_CODES);
    expect(codes.length).toBeGreaterThan(10);
    for (const [code, meaning] of codes) expect(README, code).toContain(`| \`${code}\` | ${meaning} |`);
  });

  it('links every example', () => {
    const examples = readdirSync(new URL('../../examples/', import.meta.url)).filter((f) => f.endsWith('.mjs'));
    expect(examples.length).toBeGreaterThan(3);
    for (const f of examples) expect(README, f).toContain(`(examples/${f})`);
  });
});
