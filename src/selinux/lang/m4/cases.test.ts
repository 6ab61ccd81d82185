// The builtin cases of test/fixtures/m4/cases.txt (GNU m4's manual examples
// and corner cases), against the output /usr/bin/m4 gave for them
// (cases.json, made by test/fixtures/m4/regen.mjs).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandM4 } from '../../../index.js';

interface Case {
  name: string;
  sync: boolean;
  input: string;
  output: string;
  exitCode: number;
}

export const M4_CASES: Case[] = JSON.parse(readFileSync(new URL('../../../../test/fixtures/m4/cases.json', import.meta.url), 'latin1'));

describe('m4 builtins, against the output of GNU m4', () => {
  it.each(M4_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = expandM4([{ name: 'input.m4', text: c.input }], { syncLines: c.sync });
    expect(r.output).toBe(c.output);
    expect(r.exitCode).toBe(c.exitCode);
  });
});
