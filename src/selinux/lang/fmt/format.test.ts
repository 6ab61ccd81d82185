import { describe, expect, it } from 'vitest';
import { formatModuleSource } from './format.js';

const te = (s: string): string => formatModuleSource(s, 'te').text;
const fc = (s: string): string => formatModuleSource(s, 'fc').text;

describe('formatModuleSource', () => {
  it('indents the bodies of block macros and { } blocks with tabs', () => {
    expect(te("optional_policy(`\n  foo(a_t)\n    ifdef(`x',`\nbar(a_t)\n  ',`\nbaz(a_t)\n')\n')\n")).toBe(
      "optional_policy(`\n\tfoo(a_t)\n\tifdef(`x',`\n\t\tbar(a_t)\n\t',`\n\t\tbaz(a_t)\n\t')\n')\n",
    );
    expect(te('require {\ntype a_t;\n}\nif (b) {\n allow a_t b_t:file read;\n} else {\nallow a_t b_t:file write;\n}\n')).toBe(
      'require {\n\ttype a_t;\n}\nif (b) {\n\tallow a_t b_t:file read;\n} else {\n\tallow a_t b_t:file write;\n}\n',
    );
    expect(te("interface(`x',`\ngen_require(`\ntype a_t;\n')\nallow $1 a_t:file read;\n')\n")).toBe("interface(`x',`\n\tgen_require(`\n\t\ttype a_t;\n\t')\n\tallow $1 a_t:file read;\n')\n");
  });

  it('removes trailing blanks, collapses blank lines, ends with one newline', () => {
    expect(te('\n\ntype a_t;  \n\n\n\ntype b_t;\t\n\n\n')).toBe('type a_t;\n\ntype b_t;\n');
    expect(te('type a_t;')).toBe('type a_t;\n');
    expect(te('\n \n')).toBe('');
  });

  it('spaces one-line statements', () => {
    expect(te('allow  a_t  b_t : file {read   write} ;\n')).toBe('allow a_t b_t:file { read write };\n');
    expect(te('type a_t,domain;\n')).toBe('type a_t, domain;\n');
    expect(te('allow $1 self:file ~{ read };  # why\n')).toBe('allow $1 self:file ~{ read };  # why\n');
    expect(te('type_transition a_t b_t:file c_t  "ab";\n')).toBe('type_transition a_t b_t:file c_t "ab";\n');
    // A file name holding a blank is left alone.
    expect(te('type_transition a_t  b_t:file c_t "a b";\n')).toBe('type_transition a_t  b_t:file c_t "a b";\n');
  });

  it('keeps what m4 reads as arguments, quoted text, comments and dnl as written', () => {
    const kept = ['foo( a_t ,b_t )\n', 'allow a_t b_t:file read; dnl  x  \n', "gen_require(`type a_t;\n   type  b_t;')\n", 'foo(a,\n      b)\n', "define(`x', `  y')\n"];
    for (const k of kept) expect(te(k)).toBe(k.replace(/[ \t]+\n$/, '\n'));
    expect(te("optional_policy(`\n        # a comment  with  spaces\n')\n")).toBe("optional_policy(`\n\t# a comment  with  spaces\n')\n");
    // Code commented out in column 0 keeps its indentation.
    expect(te("optional_policy(`\n#\tfoo(a_t)\n#\t\tbar\n')\n")).toBe("optional_policy(`\n#\tfoo(a_t)\n#\t\tbar\n')\n");
    // ## doc comments: m4 comments, a lone quote in them does not count.
    expect(te("## <summary>Don't</summary>\ninterface(`x',`\nfoo($1)\n')\n")).toBe("## <summary>Don't</summary>\ninterface(`x',`\n\tfoo($1)\n')\n");
  });

  it('aligns .fc specs to the file columns with tabs, keeping tab-separated ones', () => {
    const text = '/a\t\t--\tgen_context(system_u:object_r:a_t,s0)\n/b\t\t\tgen_context(system_u:object_r:b_t,s0)\n/c -- gen_context(system_u:object_r:c_t, s0)\n/d  <<none>>\n';
    expect(fc(text)).toBe('/a\t\t--\tgen_context(system_u:object_r:a_t,s0)\n/b\t\t\tgen_context(system_u:object_r:b_t,s0)\n/c\t\t--\tgen_context(system_u:object_r:c_t, s0)\n/d\t\t\t<<none>>\n');
    expect(fc("ifdef(`x',`\n  /a -- a_u:b_r:c_t\n')\n")).toBe("ifdef(`x',`\n/a\t--\ta_u:b_r:c_t\n')\n");
  });

  it('is idempotent', () => {
    const inputs = ["optional_policy(`\n  allow a b:c {d e};\n\n\n  ')\n", '/x y\n/a -- gen_context(a:b:c,s0)\n'];
    for (const i of inputs)
      for (const k of ['te', 'fc'] as const) {
        const once = formatModuleSource(i, k).text;
        expect(formatModuleSource(once, k).text).toBe(once);
      }
  });

  it('leaves unbalanced input alone and says where', () => {
    for (const [text, line, column] of [
      ['optional_policy(`\nfoo(a)\n', 1, 17],
      ['foo(a\n\ntype  b;\n', 1, 4],
      ["type a_t;\nb'\n", 2, 2],
      ["optional_policy(`\n  foo(a\n')\n", 2, 6],
    ] as const) {
      const r = formatModuleSource(text, 'te', 'x.te');
      expect(r.text).toBe(text);
      expect(r.changed).toBe(false);
      expect(r.diagnostics.map((d) => [d.code, d.span?.file, d.span?.line, d.span?.column])).toEqual([['fmt-unbalanced', 'x.te', line, column]]);
    }
    const r = formatModuleSource('changequote([,])\ntype  a;\n', 'te');
    expect(r.diagnostics[0]?.code).toBe('fmt-unsupported');
    expect(r.text).toBe('changequote([,])\ntype  a;\n');
  });
});
