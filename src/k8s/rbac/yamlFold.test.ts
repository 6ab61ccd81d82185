// yaml.v2's 80-column line breaking, worked out by hand from its rules.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { objectYaml } from './yaml.js';
import { foldLikeYamlV2 } from './yamlFold.js';

const words = (n: number): string => Array.from({ length: n }, () => 'aaaaaaaaa').join(' ');

describe('foldLikeYamlV2', () => {
  it('breaks a plain value at the first space past column 80, two columns right of its key', () => {
    const value = words(20); // 199 characters, a space every 10th
    const text = objectYaml({ metadata: { annotations: { 'porthole.dev/note': value } } });
    // The value starts at column 23; the space at value index 59 is the first written past column 80.
    expect(text).toBe(['metadata:', '  annotations:', `    porthole.dev/note: ${value.slice(0, 59)}`, `      ${value.slice(60, 139)}`, `      ${value.slice(140)}`, ''].join('\n'));
    expect(parse(text).metadata.annotations['porthole.dev/note']).toBe(value);
  });

  it('continues a double-quoted value with \\ when the break comes before a second space', () => {
    const value = `\t${'b'.repeat(70)}  ccccc d`;
    const text = objectYaml({ metadata: { annotations: { 'porthole.dev/n': value } } });
    expect(text.split('\n').slice(2)).toEqual([`    porthole.dev/n: "\\t${'b'.repeat(70)}`, '      \\ ccccc d"', '']);
    expect(parse(text).metadata.annotations['porthole.dev/n']).toBe(value);
  });

  it('never breaks a quoted value at its first or last character, nor a plain one before a second space', () => {
    // Single-quoted (a leading *): the first space past column 80 is the value's last character.
    const single = `*${'c'.repeat(90)} `;
    expect(objectYaml({ name: single })).toBe(`name: '${single}'\n`);
    const plain = `${'d'.repeat(85)}  e f`;
    // The space at 85 is followed by a space; the one at 86 follows a space; the one at 88 is the first breakable.
    expect(objectYaml({ name: plain })).toBe(`name: ${'d'.repeat(85)}  e\n  f\n`);
  });

  it('indents a sequence item two columns right of its dash, and leaves keys, short lines and unbroken values alone', () => {
    const value = words(12);
    const text = objectYaml({ rules: [{ resourceNames: [value] }] });
    expect(text).toBe(['rules:', '- resourceNames:', `  - ${value.slice(0, 79)}`, `    ${value.slice(80)}`, ''].join('\n'));
    const long = 'x'.repeat(200);
    expect(objectYaml({ name: long })).toBe(`name: ${long}\n`);
    expect(foldLikeYamlV2('a: b\n')).toBe('a: b\n');
  });

  it('counts characters, not bytes', () => {
    const value = `${'é'.repeat(79)} é é`;
    // Column 85 at the first space (6 + 79): broken there, though 79 é are 158 bytes.
    expect(objectYaml({ name: value })).toBe(`name: ${'é'.repeat(79)}\n  é é\n`);
  });
});
