// The lexer's corners, pinned as checkpolicy's scanner cuts them (and as the
// regular-expression lexer before the typed-array columns did): keywords in
// lowercase or uppercase only, names with single dots, the rules a letter or
// a digit can start, quoted names and paths; sync lines, including the ones
// that are not (a carriage return, a leading zero read as a number, a name
// holding a quote, a line number past 2^53).
import { describe, expect, it } from 'vitest';
import { parseModuleText, te } from '../../../index.js';

function tokens(text: string): string[] {
  return te.lex(text).tokens.map((t) => `${t.type}:${t.text}${t.value === '' ? '' : `=${t.value}`}`);
}

describe('lex', () => {
  it('cuts names, keywords and the other rules as the scanner does', () => {
    expect(tokens('ALLOW Allow allow and OR Xor t1 T1 low-high LOW-HIGH a..b a. c0.c1023')).toEqual([
      'kw:ALLOW=allow',
      'id:Allow',
      'kw:allow=allow',
      '&&:and=and',
      '||:OR=or',
      'id:Xor',
      'kw:t1=t1',
      'kw:T1=t1',
      'kw:low-high=low-high',
      'kw:LOW-HIGH=low-high',
      'id:a',
      '.:.',
      '.:.',
      'id:b',
      'id:a',
      '.:.',
      'id:c0.c1023',
      'eof:',
    ]);
    expect(tokens('fe80::1 ab:cd:: 9p 1.0 127.0.0.1 0x1f "a b" "/p q" == != && || ! ^ ~ * - . [ ]')).toEqual([
      'ipv6:fe80::1',
      'ipv6:ab:cd::',
      'filesystem:9p',
      'version:1.0',
      'ipv4:127.0.0.1',
      'number:0x1f',
      'filename:"a b"',
      'qpath:"/p q"',
      '==:==',
      '!=:!=',
      '&&:&&',
      '||:||',
      '!:!',
      '^:^',
      '~:~',
      '*:*',
      '-:-',
      '.:.',
      '[:[',
      ']:]',
      'eof:',
    ]);
  });

  it('reports a quote that opens no file name or path, and goes on', () => {
    const r = te.lex('"a/b" ""');
    expect(r.tokens.map((t) => `${t.type}:${t.text}`)).toEqual(['id:a', 'path:/b"', 'eof:']);
    expect(r.offsets).toEqual([0, 6, 7]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['te-syntax', 'te-syntax', 'te-syntax']);
  });

  it('gives the same name the same text however often it comes', () => {
    const r = parseModuleText('type a_t;\ntype b_t;\ntypeattribute a_t b_t, a_t;\n');
    const s = r.ast.statements[2];
    expect(s?.kind === 'typeattribute' ? [s.subject.name, ...s.attributes.map((a) => a.name)] : []).toEqual(['a_t', 'b_t', 'a_t']);
  });
});

describe('sync lines', () => {
  it('moves lines and files as checkmodule does, and only for a line that is one', () => {
    const text = [
      'module m 1.0;',
      '#line 7',
      'type a_t;',
      '#line 1 "x.te"',
      '',
      'type b_t;',
      '#line 1 "y"z"',
      'type c_t;',
      '#line 07',
      'type d_t;',
      '#line 5\r',
      'type e_t;',
      '#line 99999999999999999999',
      'type f_t;',
      '#line x',
      'type g_t;',
    ].join('\n');
    const r = parseModuleText({ name: 'm.te', text });
    expect(r.diagnostics).toEqual([]);
    const at = r.ast.statements.map((s) => (s.kind === 'type' ? `${s.name.name} ${s.span.file}:${s.span.line}:${s.span.column}-${s.span.endLine}:${s.span.endColumn}` : s.kind));
    expect(at).toEqual([
      'a_t m.te:7:1-7:10',
      'b_t x.te:2:1-2:10',
      'c_t y"z:1:1-1:10',
      'd_t y"z:7:1-7:10',
      'e_t y"z:9:1-9:10',
      'f_t y"z:100000000000000000000:1-100000000000000000000:10',
      'g_t y"z:100000000000000000000:1-100000000000000000000:10',
    ]);
  });

  it('places a node that spans lines at both ends, and a sync line at the end of the text', () => {
    const r = parseModuleText({ name: 'm.te', text: 'module m 1.0;\n#line 1 "t.te"\nallow a_t {\n b_t }:file read;\n#line 3' });
    expect(r.ast.statements[0]?.span).toEqual({ file: 't.te', line: 1, column: 1, endLine: 2, endColumn: 18 });
    // The whole file starts in m.te and ends in t.te: no end.
    expect(r.ast.span).toEqual({ file: 'm.te', line: 1, column: 1 });
    // `#line N "FILE"` with N other than 1 is not a sync line (m4 -s writes the file only with line 1).
    expect(parseModuleText({ name: 'm.te', text: '#line 20 "t.te"\ntype a_t;' }).ast.statements[0]?.span).toEqual({ file: 'm.te', line: 2, column: 1, endLine: 2, endColumn: 10 });
  });
});
