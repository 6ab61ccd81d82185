import { describe, expect, it } from 'vitest';
import { stripSpans } from '../../../../../test/support/stripSpans.js';
import type { Diagnostic } from '../../../../base/diagnostic.js';
import { PortholeError } from '../../../../base/diagnostic.js';
import { printFileContexts } from '../../../print/fc.js';
import { parseFileContextsText } from '../fc/fileContexts.js';
import { lowerFileContexts } from './fileContexts.js';

const FC = [
  '# a comment',
  '/usr/bin/myapp\t--\tsystem_u:object_r:myapp_exec_t:s0',
  '/var/lib/myapp(/.*)?    system_u:object_r:myapp_var_lib_t:s0',
  '/run/myapp\\.sock -s system_u:object_r:myapp_runtime_t:s0:c1,c3.c5-s0:c0.c1023',
  '/home/[^/]+/\\.myapp -d <<none>>',
  '/opt/plain system_u:object_r:usr_t',
  '',
].join('\n');

describe('lowerFileContexts', () => {
  it('lowers each spec with its file type, context and range, at its line', () => {
    const specs = lowerFileContexts(parseFileContextsText({ name: 'm.fc', text: FC }).ast);
    expect(specs.map((s) => s.span?.line)).toEqual([2, 3, 4, 5, 6]);
    expect(stripSpans(specs)).toEqual([
      { path: '/usr/bin/myapp', fileType: '--', context: { user: 'system_u', role: 'object_r', type: 'myapp_exec_t', range: { low: { sensitivity: 's0' } } } },
      { path: '/var/lib/myapp(/.*)?', context: { user: 'system_u', role: 'object_r', type: 'myapp_var_lib_t', range: { low: { sensitivity: 's0' } } } },
      {
        path: '/run/myapp\\.sock',
        fileType: '-s',
        context: {
          user: 'system_u',
          role: 'object_r',
          type: 'myapp_runtime_t',
          range: { low: { sensitivity: 's0', categories: ['c1', ['c3', 'c5']] }, high: { sensitivity: 's0', categories: [['c0', 'c1023']] } },
        },
      },
      { path: '/home/[^/]+/\\.myapp', fileType: '-d' },
      { path: '/opt/plain', context: { user: 'system_u', role: 'object_r', type: 'usr_t' } },
    ]);
  });

  it('leaves out a spec whose range does not lower, with a warning', () => {
    const warnings: Diagnostic[] = [];
    const specs = lowerFileContexts(parseFileContextsText('/a u:r:t:s0:c0.c1.c2\n/b u:r:t\n').ast, { onDiagnostic: (d) => warnings.push(d) });
    expect(specs.map((s) => s.path)).toEqual(['/b']);
    expect(warnings.map((d) => [d.code, d.span?.line])).toEqual([['te-not-lowered', 1]]);
  });

  it('prints specs that parse and lower back to the same specs', () => {
    const specs = lowerFileContexts(parseFileContextsText(FC).ast);
    const printed = printFileContexts(specs);
    expect(printed.split('\n')[1]).toBe('/var/lib/myapp(/.*)?\tsystem_u:object_r:myapp_var_lib_t:s0');
    expect(printed.split('\n')[3]).toBe('/home/[^/]+/\\.myapp\t-d\t<<none>>');
    const again = parseFileContextsText(printed);
    expect(again.diagnostics).toEqual([]);
    expect(stripSpans(lowerFileContexts(again.ast))).toEqual(stripSpans(specs));
  });

  it('refuses to print what would not read back', () => {
    for (const spec of [
      { path: '/a b' },
      { path: '#x' },
      { path: '' },
      { path: '/a\n/b' },
      { path: '/a', context: { user: 'u;x', role: 'r', type: 't' } },
      { path: '/a', context: { user: 'u', role: 'r', type: 't', range: { low: { sensitivity: 's-0' } } } },
      { path: '/a', context: { user: 'u', role: 'r', type: 't', range: { low: { sensitivity: 's0', categories: [['c0.c1', 'c2'] as const] } } } },
    ]) {
      expect(() => printFileContexts([spec]), JSON.stringify(spec)).toThrow(PortholeError);
    }
  });
});
