// Syntax errors: each reported once, at the user's line and column, saying
// what was expected; the parser goes on after each, so one run reports every
// error of a file; nesting past the limit and error floods end in te-limit;
// inside macros, the error is at the call and the chain of calls is in notes.
import { describe, expect, it } from 'vitest';
import { expandM4, parseModuleText, printDiagnostics, te } from '../../../index.js';

function errors(text: string, name = 'bad.te'): string[] {
  const r = parseModuleText({ name, text });
  return r.diagnostics.map((d) => `${d.span?.line}:${d.span?.column} ${d.code} ${d.message}`);
}

describe('recovery', () => {
  it('reports every error of a file, each at its line and column, and keeps the statements around them', () => {
    const src = [
      'module m 1.0;',
      'type a_t',
      'allow a_t b_t:file read;',
      'allow a_t b_t file read;',
      'type $c_t;',
      'optional {',
      '  allow a b:c;',
      '  type d_t;',
      '}',
      'if (x && ) { allow a b:c d; }',
      'type e_t;',
      '}',
      'require { type f_t; klass g; type h_t; }',
      'allow a_t { b_t :file read;',
      'type i_t;',
    ].join('\n');
    expect(errors(src)).toEqual([
      "3:1 te-syntax expected ';' after the type declaration, found 'allow'",
      "4:15 te-syntax expected ':' between the target types and the classes, found 'file'",
      "5:6 te-syntax unrecognized character '$'",
      "7:14 te-syntax expected the permissions, found ';'",
      "10:10 te-syntax expected a boolean name, ! or (, found ')'",
      "12:1 te-syntax unexpected '}': no block is open here",
      "13:21 te-syntax expected type, attribute, role, attribute_role, user, bool, tunable, sensitivity, category or class in the require block, found 'klass'",
      "14:17 te-syntax expected a name or '}' in the set, found ':'",
    ]);
    const r = parseModuleText({ name: 'bad.te', text: src });
    expect(r.ast.statements.map((s) => s.kind)).toEqual(['allow', 'type', 'optional', 'type', 'require', 'type'].map((k) => (k === 'allow' ? 'avrule' : k)));
    const opt = r.ast.statements[2] as te.OptionalStatement;
    expect(opt.body.statements.map((s) => s.kind)).toEqual(['type']);
    const req = r.ast.statements[4] as te.RequireStatement;
    expect(req.items.map((i) => (i.kind === 'requireNames' ? i.names[0]?.name : ''))).toEqual(['f_t', 'h_t']);
  });

  it('says which block is not closed at the end of the file', () => {
    expect(errors('module m 1.0;\noptional {\n  type a_t;\n')).toEqual(["4:1 te-syntax missing '}' to close the optional block opened at line 2"]);
    expect(errors('module m 1.0;\nrequire { type a_t;')).toEqual(["2:20 te-syntax missing '}' to close the require block opened at line 2"]);
  });

  it('rejects what checkmodule rejects in the grammar: empty sets and requires, a keyword as a name, xperm complements inside sets', () => {
    expect(errors('allow a {}:c d;')).toEqual(["1:10 te-syntax expected a name in the set, found '}'"]);
    expect(errors('require { }')).toEqual(["1:11 te-syntax expected a declaration in the require block (type, class, role, ...), found '}'"]);
    expect(errors('type t1;')).toEqual(["1:6 te-syntax expected the type name, found 't1'"]);
    expect(errors('allowxperm a b:c ioctl { 1 ~2 };')).toEqual(["1:28 te-syntax expected an extended permission number (0x8910), found '~'"]);
    expect(errors('Allow a b:c d;')).toEqual(["1:1 te-syntax expected a statement (allow, type, require, ...), found 'Allow'"]);
    expect(errors('type_change a b:c d "name";')).toEqual(["1:21 te-syntax expected ';' after the new type, found '\"name\"'"]);
  });

  it('ends deep nesting with te-limit, not a stack overflow', () => {
    const deepSet = `allow ${'{ '.repeat(5000)}a${' }'.repeat(5000)} b:c d;\ntype ok_t;\n`;
    const r = parseModuleText(deepSet);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['te-limit']);
    expect(r.ast.statements.map((s) => s.kind)).toEqual(['type']);
    const deepIf = `${'optional { '.repeat(3000)}${'} '.repeat(3000)}\ntype ok_t;`;
    expect(parseModuleText(deepIf).diagnostics.map((d) => d.code)).toContain('te-limit');
    const deepCond = `if ${'('.repeat(5000)}x${')'.repeat(5000)} { }\ntype ok_t;`;
    const c = parseModuleText(deepCond);
    expect(c.diagnostics.map((d) => d.code)).toEqual(['te-limit']);
    expect(c.ast.statements.map((s) => s.kind)).toEqual(['type']);
  });

  it('reports the first errors of a flood and how many more there were', () => {
    const r = parseModuleText('allow ;\n'.repeat(300));
    expect(r.diagnostics).toHaveLength(te.MAX_ERRORS + 1);
    expect(r.diagnostics.at(-1)?.message).toBe(`200 more syntax errors not reported (${te.MAX_ERRORS} are)`);
  });
});

describe('errors inside macros', () => {
  it('points at the line the user wrote and lists the calls that produced the text', () => {
    const src = "define(`read_files', `allow $1 $2:file read')dnl\ndefine(`outer', `read_files($1, etc_t)')dnl\nmodule m 1.0;\n\n  outer(myapp_t)\ntype x_t;\n";
    const m = expandM4([{ name: 'myapp.te', text: src }], { origins: true });
    const r = parseModuleText({ name: 'myapp.tmp', text: m.output, origins: m.origins });
    expect(printDiagnostics(r.diagnostics)).toBe(["myapp.te:6:1: error[te-syntax]: expected ';' after the permissions, found 'type'", ''].join('\n'));
    const broken = "define(`read_files', `allow $1 $2 file read;')dnl\ndefine(`outer', `read_files($1, etc_t)')dnl\nmodule m 1.0;\n  outer(myapp_t)\n";
    const b = expandM4([{ name: 'myapp.te', text: broken }], { origins: true });
    const rb = parseModuleText({ name: 'myapp.tmp', text: b.output, origins: b.origins });
    expect(printDiagnostics(rb.diagnostics)).toBe(
      [
        "myapp.te:4:3: error[te-syntax]: expected ':' between the target types and the classes, found 'file'",
        '  myapp.te:4:3: note: in the expansion of read_files',
        '  myapp.te:4:3: note: in the expansion of outer',
        '',
      ].join('\n'),
    );
  });
});
