// Definitions read from hand-made .if/.spt text: quote nesting, comments,
// dnl, doc blocks, templates, defines, places.
import { describe, expect, it } from 'vitest';
import { parseDocComment } from './doc.js';
import { parseDefinitions } from './parse.js';

const IF = `## <summary>Test module</summary>

########################################
## <summary>
##	Read the test's files (a lone ' in a comment).
## </summary>
## <param name="domain">
##	<summary>
##	Domain allowed access.
##	</summary>
## </param>
## <param name="role" optional="true">
##	<summary>
##	Role, <b>maybe</b>.
##	</summary>
## </param>
## <rolecap/>
#
interface(\`test_read',\`
	gen_require(\`
		type test_t; # inside quotes a # is text: interface(\`x', \`y') too
	')

	allow $1 test_t:file read;
')

dnl interface(\`not_this',\`x')
# interface(\`nor_this',\`x')

template(\`test_template',\`
	type $1_test_t;
	ifdef(\`x',\`nested(\`deep')',\`')
	allow $1_test_t $2:dir search;
')
interface(\`test_oneline',\`allow $1 self:process signal;')
`;

describe('parseDefinitions', () => {
  const { definitions, diagnostics } = parseDefinitions('test/test.if', IF);

  it('finds interfaces and templates at the top level, not in comments or after dnl', () => {
    expect(diagnostics).toEqual([]);
    expect(definitions.map((d) => [d.kind, d.name, d.line, d.column, d.endLine])).toEqual([
      ['interface', 'test_read', 19, 1, 25],
      ['template', 'test_template', 30, 1, 34],
      ['interface', 'test_oneline', 35, 1, 35],
    ]);
  });

  it('keeps the body without its quotes, where it starts, and its lines as written', () => {
    const d = definitions[0]!;
    expect(d.body.startsWith('\n\tgen_require(`')).toBe(true);
    expect(d.body.endsWith('allow $1 test_t:file read;\n')).toBe(true);
    expect([d.bodyLine, d.bodyColumn]).toEqual([19, 24]);
    expect(d.lines[0]).toEqual({ line: 19, text: "interface(`test_read',`" });
    expect(d.lines.at(-1)).toEqual({ line: 25, text: "')" });
    expect(definitions[2]!.body).toBe('allow $1 self:process signal;');
    expect([definitions[2]!.bodyLine, definitions[2]!.bodyColumn]).toEqual([35, 27]);
  });

  it('reads the doc comment right above: summary, parameters, rolecap', () => {
    const d = definitions[0]!;
    expect(d.comment[0]).toEqual({ line: 3, text: '########################################' });
    expect(d.comment.at(-1)).toEqual({ line: 18, text: '#' });
    expect(d.summary).toBe("Read the test's files (a lone ' in a comment).");
    expect(d.params).toEqual([
      { name: 'domain', summary: 'Domain allowed access.', optional: false, unused: false },
      { name: 'role', summary: 'Role, maybe .', optional: true, unused: false },
    ]);
    expect(d.doc.rolecap).toBe(true);
  });

  it('without a doc, the parameters are the $N the body uses', () => {
    const t = definitions[1]!;
    expect(t.comment).toEqual([]);
    expect(t.summary).toBe('');
    expect(t.params.map((p) => p.name)).toEqual(['$1', '$2']);
    expect(definitions[2]!.params.map((p) => p.name)).toEqual(['$1']);
  });

  it('reads defines, also inside an ifdef branch, but not ones whose name is a parameter', () => {
    const spt = [
      '# Permission sets',
      "define(`read_file_perms',`{ getattr open read }')",
      "ifdef(`distro_x',`",
      "define(`x_pattern',`",
      '\tallow $1 $2:file read_file_perms;',
      "')",
      "')",
      "define(`make_$1',`$1')",
      "define(`outer',`define(`$1_inner',`y')')",
    ].join('\n');
    const r = parseDefinitions('support/x.spt', spt);
    expect(r.diagnostics).toEqual([]);
    expect(r.definitions.map((d) => [d.kind, d.name, d.line, d.column, d.endLine])).toEqual([
      ['define', 'read_file_perms', 2, 1, 2],
      ['define', 'x_pattern', 4, 1, 6],
      ['define', 'outer', 9, 1, 9],
    ]);
    expect(r.definitions[0]!.comment).toEqual([{ line: 1, text: '# Permission sets' }]);
    expect(r.definitions[1]!.params.map((p) => p.name)).toEqual(['$1', '$2']);
  });

  it('nests parentheses outside quotes inside an argument list', () => {
    const r = parseDefinitions('a.if', "interface(`a',`x')(y)')\ninterface(`b', f(`,', (1,2)))\n");
    expect(r.definitions.map((d) => [d.name, d.body])).toEqual([
      ['a', 'x'],
      ['b', "f(`,', (1,2))"],
    ]);
  });

  it('reports an unterminated argument list where it starts, keeping what came before', () => {
    const r = parseDefinitions('bad.if', "interface(`ok',`x')\n\n  interface(`broken',`\n\tallow $1 self:file read;\n");
    expect(r.definitions.map((d) => d.name)).toEqual(['ok']);
    expect(r.diagnostics.map((d) => [d.code, d.span?.line, d.span?.column])).toEqual([['m4-error', 3, 3]]);
  });

  it('reports an unterminated quote outside any definition', () => {
    const r = parseDefinitions('bad.spt', "define(`a',`b')\n`never closed\n");
    expect(r.definitions.map((d) => d.name)).toEqual(['a']);
    expect(r.diagnostics.map((d) => [d.code, d.span?.line, d.span?.column])).toEqual([['m4-error', 2, 1]]);
  });
});

describe('parseDocComment', () => {
  it('reads <param> with unused, a <desc>, and ignores lines that are not ## lines', () => {
    const doc = parseDocComment([
      '## <summary>',
      '##\tOne',
      '##\ttwo.',
      '## </summary>',
      '# not doc <summary>no</summary>',
      '## <desc><p>Long.</p></desc>',
      '## <param name="domain" unused="true">',
      '##\t<summary>Unused.</summary>',
      '## </param>',
    ]);
    expect(doc).toEqual({ summary: 'One two.', description: 'Long.', rolecap: false, params: [{ name: 'domain', summary: 'Unused.', optional: false, unused: true }] });
  });
});
