import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '../../test/support/fuzzRuns.js';
import { diagnostic } from './diagnostic.js';
import { escapeControl, escapeLogText, printDiagnostic } from './printDiagnostic.js';

describe('escapeControl', () => {
  it('escapes C0, DEL, C1, line separators and bidirectional controls, keeps tab', () => {
    expect(escapeControl('a\u001b]0;t\u0007b\tc\u007f\u009b\u2028\u202e')).toBe('a\\x1b]0;t\\x07b\tc\\x7f\\x9b\\u{2028}\\u{202e}');
  });

  it('leaves printable text as it is, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const e = escapeControl(s);
        expect(e).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/);
        if (!/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/.test(s)) expect(e).toBe(s);
      }),
      { seed: 11, numRuns: fuzzRuns() },
    );
  });
});

describe('escapeLogText', () => {
  it('keeps tab and the group separator of ENRICHED logs, escapes line ends and terminal controls', () => {
    expect(escapeLogText('a\tb\u001dc\nd\re\u001b[2J')).toBe('a\tb\u001dc\\x0ad\\x0de\\x1b[2J');
  });

  it('never leaves a line break, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(escapeLogText(s)).not.toMatch(/[\n\r\u0085\u2028\u2029\u001b]/);
      }),
      { seed: 11, numRuns: fuzzRuns() },
    );
  });
});

describe('printDiagnostic', () => {
  it('keeps a diagnostic quoting log text on one line', () => {
    const d = diagnostic('warning', 'malformed-record', "invalid tclass 'a\nfake: error'", { span: { file: 'x\n.log', line: 1, column: 2 } });
    expect(printDiagnostic(d).split('\n')).toHaveLength(2);
  });
});
