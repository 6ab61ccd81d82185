import { describe, expect, it } from 'vitest';
import { loadNames } from '../../../test/gen/names.js';
import { PortholeError } from '../../base/diagnostic.js';
import { printCil } from '../print/cil/cil.js';
import { printTe } from '../print/te.js';
import { checkModuleNames, isClassName, isIdentifier, isMlsLevel, isMlsRange, isModuleVersion, isObjectName, isPermissionName, isRoleName, isTypeName, isUserName } from './identifier.js';
import type { Module } from './module.js';
import { isShared, markShared } from './statement.js';

describe('isIdentifier (checkpolicy IDENTIFIER)', () => {
  it('takes a letter, then letters, digits, _ and -, with single dots between', () => {
    for (const ok of ['a', 'a_t', 'httpd_sys_content_t', 'NetworkManager_t', 'my-app_t', 'x1', 'foo.process', 'a.b.c', 'a-.b', 'a._b', 'system_u', 'object_r', 'key_socket']) {
      expect(isIdentifier(ok), ok).toBe(true);
    }
  });

  it('refuses what could end or open a statement, and malformed dots', () => {
    for (const bad of ['', '1a', '_a', '-a', '.a', 'a.', 'a..b', 'a;allow', 'b)_t', 'a b', 'a{', 'a}', 'a(', 'a:b', 'a,b', 'a*', 'a~', 'a"', "a'", 'a\n', 'é_t', 'a\u0000', '(null)', '0x2']) {
      expect(isIdentifier(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('is the one grammar of every kind of name', () => {
    for (const check of [isTypeName, isRoleName, isUserName, isClassName, isPermissionName]) {
      expect(check('foo.bar_t')).toBe(true);
      expect(check('foo;bar')).toBe(false);
    }
  });

  it("passes every name of the Debian policy's fixture", () => {
    const n = loadNames();
    const names = [
      ...n.types,
      ...Object.keys(n.attrs),
      ...Object.keys(n.users),
      ...Object.values(n.users).flatMap((u) => u.roles),
      ...Object.keys(n.roleUser),
      ...Object.keys(n.classes),
      ...Object.values(n.classes).flat(),
      ...n.kernelSystemPerms,
      ...n.systemdSystemPerms,
    ];
    expect(names.length).toBeGreaterThan(1000);
    expect(names.filter((x) => !isIdentifier(x))).toEqual([]);
  });
});

describe('MLS levels and ranges', () => {
  it('takes the kernel forms', () => {
    for (const ok of ['s0', 's15', 's0:c0', 's0:c0.c1023', 's0:c1,c3.c7,c9', 'SystemLow']) expect(isMlsLevel(ok), ok).toBe(true);
    for (const ok of ['s0', 's0-s0', 's0-s0:c0.c1023', 's0:c1-s2:c1,c2', ...loadNames().sourceLevels, ...loadNames().targetLevels]) expect(isMlsRange(ok), ok).toBe(true);
  });

  it('refuses anything else', () => {
    for (const bad of ['', 's0-', '-s0', 's0:', 's0:c0.', 's0:c0..c1', 's0:c0,', 's0 - s0', 's0;', 's0)', 's0-s0-s0', '0s', 's0:c0.c1.c2']) {
      expect(isMlsRange(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(isMlsLevel('s0-s0')).toBe(false);
  });
});

describe('checkModuleNames: the printers refuse names that could inject policy', () => {
  const rule = (source: string, target: string, cls = 'file', perms = ['read']): Module['statements'][number] => ({
    kind: 'av',
    rule: 'allow',
    sources: [source],
    targets: [target],
    classes: [cls],
    perms,
  });
  const module = (statements: Module['statements'], name = 'm'): Module => ({ name, version: '1.0', require: { types: [], classes: [], roles: [] }, statements });

  it('passes a clean module', () => {
    const m = module([rule('a_t', 'b_t')]);
    expect(checkModuleNames(m)).toEqual([]);
    expect(printTe(m)).toContain('allow a_t b_t:file read;');
  });

  it('names each bad name, with its kind and the statement span, and printTe/printCil throw', () => {
    const bad = rule('a_t;allow', 'b)_t', 'file', ['read', 'x y']);
    bad.span = { file: 'x.log', line: 3 };
    const m = module([bad], 'm 1');
    expect(checkModuleNames(m).map((d) => [d.code, d.data?.kind, d.data?.name, d.span?.line])).toEqual([
      ['bad-identifier', 'module', 'm 1', undefined],
      ['bad-identifier', 'type', 'a_t;allow', 3],
      ['bad-identifier', 'type', 'b)_t', 3],
      ['bad-identifier', 'permission', 'x y', 3],
    ]);
    expect(() => printTe(m)).toThrow(PortholeError);
    expect(() => printCil(m)).toThrow(/"m 1" is not a valid module name/);
  });

  it('checks versions and file names', () => {
    expect(isModuleVersion('1.0')).toBe(true);
    expect(isModuleVersion('1.0;')).toBe(false);
    expect(isObjectName('cache.db')).toBe(true);
    expect(isObjectName('a"b')).toBe(false);
    expect(isObjectName('a\nb')).toBe(false);
  });
});

describe('checkModuleNames over shared statements', () => {
  /** A frozen require statement that counts how often its types are read. */
  const sharedRequire = (types: string[]): { st: Module['statements'][number]; reads: () => number } => {
    let reads = 0;
    const st = Object.freeze({
      kind: 'require' as const,
      get types() {
        reads++;
        return Object.freeze([...types]) as string[];
      },
      classes: Object.freeze([]) as never,
      roles: Object.freeze([]) as never,
    }) as Module['statements'][number];
    markShared(st);
    return { st, reads: () => reads };
  };

  it('checks the names of a shared statement once, after a module that has it passed', () => {
    const { st, reads } = sharedRequire(['a_t', 'b_t']);
    expect(isShared(st)).toBe(true);
    const m = (extra: string): Module => ({ layout: 'written', name: 'm', version: '1.0', statements: [st, { kind: 'type', name: extra }] });
    expect(checkModuleNames(m('c_t'))).toEqual([]);
    const after = reads();
    expect(after).toBeGreaterThan(0);
    expect(checkModuleNames(m('d_t'))).toEqual([]);
    expect(reads()).toBe(after);
    // The module's own names are still checked.
    expect(checkModuleNames(m('bad;name')).map((d) => d.data?.name)).toEqual(['bad;name']);
  });

  it("reports a shared statement's bad name every time", () => {
    const { st } = sharedRequire(['a_t', 'x)_t']);
    const m: Module = { layout: 'written', name: 'm', version: '1.0', statements: [st] };
    expect(checkModuleNames(m).map((d) => d.data?.name)).toEqual(['x)_t']);
    expect(checkModuleNames(m).map((d) => d.data?.name)).toEqual(['x)_t']);
  });

  it('refuses to mark a statement that is not frozen', () => {
    expect(() => markShared({ kind: 'type', name: 'a_t' } as never)).toThrow(/frozen/);
  });
});
