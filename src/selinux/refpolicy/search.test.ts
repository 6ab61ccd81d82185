// Searches and their text: matching lines, headings, show's text, JSON,
// close names, bad patterns.
import { describe, expect, it } from 'vitest';
import { PortholeError } from '../../base/diagnostic.js';
import { parseDefinitions } from './parse.js';
import { closeNames, definitionJson, definitionPattern, definitionsNamed, findDefinitions, formatDefinitions, formatMatches } from './search.js';

const IF = [
  '########################################', // 1
  '## <summary>Read ping.</summary>',
  '## <param name="domain">',
  '##\t<summary>Domain.</summary>',
  '## </param>',
  '#',
  "interface(`netutils_exec_ping',`", // 7
  '\tgen_require(`',
  '\t\ttype ping_exec_t;',
  "\t')",
  '\tcan_exec($1, ping_exec_t)',
  "')", // 12
  '',
  "template(`ping_template',`allow $1 ping_exec_t:file read;')", // 14
].join('\n');
const defs = parseDefinitions('admin/netutils.if', IF).definitions;

describe('findDefinitions and formatMatches', () => {
  it('gives each definition with a matching line, and those lines; the heading stands for the first line', () => {
    const m = findDefinitions(defs, definitionPattern('ping_exec'));
    expect(m.map((x) => [x.definition.name, x.lines.map((l) => l.line)])).toEqual([
      ['netutils_exec_ping', [9, 11]],
      ['ping_template', [14]],
    ]);
    expect(formatMatches(m)).toBe(
      [
        'admin/netutils.if: 7: netutils_exec_ping(domain)',
        'admin/netutils.if: 9: \t\ttype ping_exec_t;',
        'admin/netutils.if: 11: \tcan_exec($1, ping_exec_t)',
        'admin/netutils.if: 14: ping_template($1)',
        '',
      ].join('\n'),
    );
  });

  it('matches the name on the first line, and nothing when no line matches', () => {
    expect(findDefinitions(defs, /netutils_exec/).map((x) => x.lines.map((l) => l.line))).toEqual([[7]]);
    expect(findDefinitions(defs, /^nothing$/)).toEqual([]);
    expect(findDefinitions(defs, /PING/i).length).toBe(2);
    expect(findDefinitions(defs, /ping/g).length).toBe(2);
  });

  it('refuses a bad regular expression as bad-query naming the pattern', () => {
    try {
      definitionPattern('a(');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PortholeError);
      expect((e as PortholeError).diagnostics[0]).toMatchObject({ code: 'bad-query', data: { pattern: 'a(' } });
    }
  });
});

describe('show', () => {
  it('prints the place, the comment above and the definition as written', () => {
    expect(formatDefinitions(definitionsNamed(defs, 'netutils_exec_ping'))).toBe(`# admin/netutils.if:1\n${IF.split('\n').slice(0, 12).join('\n')}\n`);
    expect(formatDefinitions(definitionsNamed(defs, 'ping_template'))).toBe(`# admin/netutils.if:14\n${IF.split('\n')[13]}\n`);
  });

  it('gives JSON with the place, signature, doc and lines', () => {
    const j = definitionJson(defs[0]!);
    expect(j).toMatchObject({
      name: 'netutils_exec_ping',
      kind: 'interface',
      file: 'admin/netutils.if',
      line: 7,
      column: 1,
      endLine: 12,
      signature: 'netutils_exec_ping(domain)',
      summary: 'Read ping.',
    });
    expect(j.params).toEqual([{ name: 'domain', summary: 'Domain.', optional: false, unused: false }]);
    expect(j.lines.length).toBe(6);
    expect(j.comment?.length).toBe(6);
    const found = definitionJson(defs[0]!, [{ line: 9, text: '\t\ttype ping_exec_t;' }]);
    expect(found.lines).toEqual([{ line: 9, text: '\t\ttype ping_exec_t;' }]);
    expect(found.comment).toBeUndefined();
  });
});

describe('closeNames', () => {
  it('suggests near misses first, then names containing the one asked', () => {
    const names = ['kernel_read_messages', 'kernel_read_message_if', 'kernel_write_messages', 'dev_read_rand', 'read_file_perms'];
    expect(closeNames(names, 'kernel_read_message')).toEqual(['kernel_read_messages', 'kernel_read_message_if']);
    expect(closeNames(names, 'read_file_perm')).toEqual(['read_file_perms']);
    expect(closeNames(names, 'zzzz')).toEqual([]);
  });
});
