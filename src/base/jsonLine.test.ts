import { describe, expect, it } from 'vitest';
import { jsonLine } from './jsonLine.js';

describe('jsonLine', () => {
  it('is one line of JSON that reads back as the value', () => {
    const value = { a: 'x\ny\r\u0000\u001b[2J', del: '\u007f', c1: '\u0085\u009b', seps: '\u2028\u2029', ok: 'é€😀', n: 1 };
    const line = jsonLine(value);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(line).toContain('\\u007f');
    expect(line).toContain('\\u0085\\u009b');
    expect(line).toContain('\\u2028\\u2029');
    expect(line).toContain('é€😀');
    expect(JSON.parse(line)).toEqual(value);
    // Python's splitlines() sees one line too.
    expect(line.slice(0, -1).split(/[\n\r\v\f\u001c-\u001e\u0085\u2028\u2029]/)).toHaveLength(1);
  });

  it('is JSON.stringify for plain text', () => {
    expect(jsonLine({ a: 'b' })).toBe('{"a":"b"}\n');
  });
});
