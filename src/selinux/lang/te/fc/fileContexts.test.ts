// `.fc` lines after m4: the path, the optional file type, the context or
// <<none>>, each with its span; bad lines reported one by one.
import { describe, expect, it } from 'vitest';
import { expandM4, parseFileContextsText } from '../../../../index.js';

describe('parseFileContextsText', () => {
  it('reads specs with and without a file type, contexts with and without a range, <<none>>', () => {
    const text = [
      '# comment',
      '',
      '/usr/bin/myapp\t\t--\tsystem_u:object_r:myapp_exec_t:s0',
      'HOME_DIR/\\.myapp(/.*)?\tsystem_u:object_r:myapp_home_t',
      '/run/myapp(/.*)?  -d  system_u:object_r:myapp_run_t:s0 - s0:c0.c1023',
      '/run/myapp.sock -s system_u:object_r:myapp_run_t:s0-s0:c0.c255,c300',
      '/tmp/x\t<<none>>',
    ].join('\n');
    const r = parseFileContextsText({ name: 'myapp.fc', text });
    expect(r.diagnostics.map((d) => d.message)).toEqual(["too many fields: expected PATH [FILE-TYPE] CONTEXT, found '-' after the context"]);
    const e = r.ast.entries;
    expect(e.map((x) => [x.path.text, x.fileType?.text, x.context?.type.name ?? '<<none>>'])).toEqual([
      ['/usr/bin/myapp', '--', 'myapp_exec_t'],
      ['HOME_DIR/\\.myapp(/.*)?', undefined, 'myapp_home_t'],
      ['/run/myapp.sock', '-s', 'myapp_run_t'],
      ['/tmp/x', undefined, '<<none>>'],
    ]);
    expect(e[0]?.span).toEqual({ file: 'myapp.fc', line: 3, column: 1, endLine: 3, endColumn: 53 });
    expect(e[0]?.context?.type.span).toEqual({ file: 'myapp.fc', line: 3, column: 38, endLine: 3, endColumn: 50 });
    expect(e[2]?.context?.range?.high?.categories.map((c) => c.name)).toEqual(['c0.c255', 'c300']);
    expect(e[1]?.context?.range).toBeUndefined();
  });

  it('reports each bad line at its place and keeps the good ones', () => {
    const r = parseFileContextsText({ name: 'bad.fc', text: '/a\n/b -x system_u:object_r:t:s0\n/c system_u:object_r\n/d system_u:object_r:9t:s0\n/e system_u:object_r:e_t:s0\n' });
    expect(r.diagnostics.map((d) => `${d.span?.line}:${d.span?.column} ${d.code} ${d.message}`)).toEqual([
      "1:1 file-contexts-syntax '/a' has no context: expected PATH [FILE-TYPE] CONTEXT",
      "2:4 file-contexts-syntax unknown file type '-x': expected one of -- -d -c -b -s -l -p",
      "3:4 file-contexts-syntax 'system_u:object_r' is not a context (user:role:type[:range]) or <<none>>",
      "4:22 file-contexts-syntax the type '9t' is not a valid name",
    ]);
    expect(r.ast.entries.map((e) => e.path.text)).toEqual(['/e']);
  });

  it('maps through m4: gen_context expanded, the context at the line written', () => {
    const src = "define(`gen_context', `$1:s0')dnl\n/usr/bin/x\t--\tgen_context(system_u:object_r:x_exec_t, s0)\n";
    const m = expandM4([{ name: 'x.fc', text: src }], { origins: true });
    const r = parseFileContextsText({ name: 'x.mod.fc', text: m.output, origins: m.origins });
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.entries[0]?.context?.type.name).toBe('x_exec_t');
    expect(r.ast.entries[0]?.span).toMatchObject({ file: 'x.fc', line: 2, column: 1 });
  });
});
