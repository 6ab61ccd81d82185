// expandInterfaceCall and buildAccessIndex over a small devel tree: nested calls
// and support macros resolved, requires merged, the build's call checks.
import { describe, expect, it } from 'vitest';
import { writeDevelTree } from '../../../../test/support/develTree.js';
import { tempDir } from '../../../../test/support/tempDir.js';
import { PortholeError } from '../../../base/diagnostic.js';
import { printCil } from '../../print/cil/cil.js';
import { printTe } from '../../print/te.js';
import { buildAccessIndex } from './accessIndex.js';
import { expandInterfaceCall } from './expand.js';

const dir = tempDir('iface-expand');
let tree: string | undefined;
const includeDir = (): string => {
  tree ??= writeDevelTree(dir.path);
  return tree;
};

describe('expandInterfaceCall', () => {
  it('resolves nested calls and support macros, one merged require first', () => {
    const r = expandInterfaceCall('netutils_exec_ping', ['myapp_t'], { includeDir: includeDir() });
    expect(r.diagnostics).toEqual([]);
    expect(r.call).toBe("netutils_exec_ping(`myapp_t')");
    expect(printTe(r.module)).toBe('require {\n\ttype ping_exec_t;\n\ttype usr_t;\n}\nallow myapp_t usr_t:dir { getattr search open };\nallow myapp_t ping_exec_t:file { read execute getattr };\n');
    expect(printCil(r.module)).toContain('(allow myapp_t usr_t (dir (getattr search open)))');
  });
  it('refuses an unknown name with the nearest names', () => {
    const e = (() => {
      try {
        expandInterfaceCall('netutils_exec_pin', ['x_t'], { includeDir: includeDir() });
      } catch (x) {
        return x as PortholeError;
      }
      return undefined;
    })();
    expect(e?.code).toBe('unknown-name');
    expect(e?.diagnostics[0]?.notes[0]?.message).toContain('netutils_exec_ping');
  });
  it('refuses too few arguments and warns of too many (the build rule)', () => {
    expect(() => expandInterfaceCall('domain_entry_file', ['a_t'], { includeDir: includeDir() })).toThrow(PortholeError);
    const r = expandInterfaceCall('files_search_usr', ['a_t', 'b_t'], { includeDir: includeDir() });
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['te-interface-arguments', 'warning']]);
  });
  it('refuses m4 quotes in an argument', () => {
    expect(() => expandInterfaceCall('files_search_usr', ["a')dnl"], { includeDir: includeDir() })).toThrow(/m4 quote/);
  });
  it('refuses a tree without the devel layout', () => {
    expect(() => expandInterfaceCall('x', [], { includeDir: dir.join('kernel') })).toThrow(/not a devel include tree/);
  });
});

describe('buildAccessIndex', () => {
  it('keeps what each interface grants with placeholder arguments, and counts the other statements', () => {
    const index = buildAccessIndex(includeDir());
    const byName = new Map(index.interfaces.map((e) => [e.name, e]));
    expect(byName.get('files_search_usr')).toMatchObject({ params: 1, other: 0, rules: [{ sources: ['porthole_arg1'], targets: ['usr_t'], classes: ['dir'], perms: ['getattr', 'search', 'open'] }] });
    expect(byName.get('kernel_read_messages')).toMatchObject({ rules: [], other: 1 });
    expect(byName.get('app_template')).toMatchObject({ kind: 'template', other: 1, rules: [{ sources: ['porthole_arg1_t'] }] });
    expect(index.interfaces.every((e) => e.broken === undefined)).toBe(true);
  });
});
