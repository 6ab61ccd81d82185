// The builtin cases of test/fixtures/m4/cases.txt (GNU m4's manual examples
// and corner cases), against the output /usr/bin/m4 gave for them
// (cases.json, made by test/fixtures/m4/regen.mjs).
import { describe, expect, it } from 'vitest';
import { M4_CASES } from '../../../../test/fixtures/m4/cases.js';
import { expandM4 } from '../../../index.js';

describe('m4 builtins, against the output of GNU m4', () => {
  it.each(M4_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = expandM4([{ name: 'input.m4', text: c.input }], { syncLines: c.sync });
    expect(r.output).toBe(c.output);
    expect(r.exitCode).toBe(c.exitCode);
  });
});
