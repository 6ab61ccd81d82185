import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { policyError, policyErrorPlace } from '../../../../test/fixtures/policy/outcome.js';
import { Bytes, smallPolicy } from '../../../../test/fixtures/policy/writer.js';
import { isCI } from '../../../../test/oracle/support/oracles.js';
import type { PortholeError } from '../../../base/diagnostic.js';
import { printDiagnostic } from '../../../base/printDiagnostic.js';
import { defaultPolicyPath, policyStats, printSeinfoStats, readPolicy, readPolicyFile } from '../index.js';
import { AVTAB, layoutOf, MAX_VERSION, MIN_VERSION, OCONTEXTS, SECTIONS, SYMBOL_TABLES } from './constants.js';
import { useReaderKernel } from './kernel/readerKernel.js';
import { scanPolicyFile, scanPolicyStats } from './scan.js';

const VERSIONS = [24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35];
const DEBIAN = '/etc/selinux/default/policy/policy.33';

const tmp = mkdtempSync(join(tmpdir(), 'porthole-read-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The PortholeError `f` throws for bad bytes (fails when it throws nothing or something else). */
function errorOf(f: () => unknown): PortholeError {
  try {
    f();
  } catch (e) {
    const pe = policyError(e);
    if (pe) return pe;
    throw e;
  }
  throw new Error('no error');
}

describe('the format table', () => {
  it("gives each version libsepol's table sizes and the sections it has", () => {
    expect(SYMBOL_TABLES).toBe(8);
    for (let v = MIN_VERSION; v <= MAX_VERSION; v++) {
      const l = layoutOf(v);
      // policydb_compat[]: OCON_NODE6 + 1 kinds before version 31 (INFINIBAND), OCON_IBENDPORT + 1 from it.
      expect(l.ocontexts.length, `version ${v}`).toBe(v >= 31 ? 9 : 7);
      const ids = l.sections.map((s) => s.id);
      expect(ids.includes('neveraudit')).toBe(v >= 35);
      expect(ids.filter((id) => id.startsWith('filenameTransitions'))).toEqual(v >= 33 ? ['filenameTransitionsCompact'] : v >= 25 ? ['filenameTransitions'] : []);
      expect(l.sections.find((s) => s.id === 'roleTransitions')!.minEntry).toBe(v >= 26 ? 16 : 12);
      expect(l.has.classDefaults).toBe(v >= 27);
      expect(l.has.conditionalXperms).toBe(v >= 34);
    }
    expect(() => layoutOf(MAX_VERSION + 1)).toThrow(RangeError);
  });

  it('names every section and object-context kind once, in file order', () => {
    const ids = SECTIONS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.indexOf('categories')).toBeLessThan(ids.indexOf('avtab'));
    expect(ids.at(-1)).toBe('typeAttrMap');
    expect(OCONTEXTS.map((o) => o.kind)).toEqual(OCONTEXTS.map((_, i) => i));
  });
});

describe('readPolicy on hand-built policies', () => {
  for (const version of VERSIONS) {
    it(`reads every section at version ${version}`, () => {
      const p = readPolicy(smallPolicy({ version }));
      expect(p.version).toBe(version);
      expect(p.mls).toBe(true);
      expect(p.handleUnknown).toBe('deny');
      expect(p.polcapNames).toEqual(['open_perms', 'cgroup_seclabel']);
      expect(p.commons.map((c) => [c.name, c.perms])).toEqual([['file_common', ['read', 'write']]]);
      const file = p.classes[1]!;
      expect(file.name).toBe('file');
      expect(file.common).toBe('file_common');
      expect(file.perms).toEqual([undefined, undefined, 'execute']);
      expect(file.allPerms).toEqual(['read', 'write', 'execute']);
      expect(JSON.parse(JSON.stringify(file.constraints[0]!.expr))).toEqual([
        version >= 29 ? { kind: 'names', attr: 4, op: 1, names: [1], typeSet: { types: [1], negset: [], flags: 0 } } : { kind: 'names', attr: 4, op: 1, names: [1] },
      ]);
      expect(file.validatetrans).toHaveLength(1);
      const proc = p.classes[0]!;
      expect(proc.constraints[0]!.mls).toBe(true);
      expect(proc.defaultUser).toBe(version >= 27 ? 1 : 0);
      expect(proc.defaultType).toBe(version >= 28 ? 2 : 0);
      expect(proc.defaultRange).toBe(version >= 32 ? 7 : version >= 27 ? 3 : 0);
      expect(p.roles.map((r) => r.name)).toEqual(['object_r', 'r_r']);
      expect(p.roles[1]!.types).toEqual([1, 2]);
      expect(p.roles[1]!.dominates).toEqual([2]);
      const [a, b, x] = p.types;
      expect(a).toMatchObject({ name: 'a_t', aliases: ['a_alias'], isAttribute: false, attrs: [3], permissive: false, neveraudit: version >= 35 });
      expect(b).toMatchObject({ name: 'b_t', bounds: 1, permissive: true, attrs: [3] });
      expect(x).toMatchObject({ name: 'x_attr', isAttribute: true, attrs: [1, 2] });
      expect(p.users[0]).toMatchObject({ name: 'u_u', roles: [2], defaultLevel: { sens: 1, cats: [] } });
      expect(p.users[0]!.range.high.cats).toEqual([1, 2]);
      expect(p.bools).toEqual([{ name: 'b1', value: 1, state: true }]);
      expect(p.sensitivities).toEqual([{ name: 's0', value: 1, aliases: ['sens0'], level: { sens: 1, cats: [1, 2] } }]);
      expect(p.categories).toEqual([
        { name: 'c0', value: 1, aliases: [] },
        { name: 'c1', value: 2, aliases: ['cat1'] },
      ]);
      // avtab
      const ix = p.index;
      expect(ix.avtab.find(1, 2, 2, AVTAB.ALLOWED)).toBeGreaterThanOrEqual(0);
      expect(p.avtab.data[ix.avtab.find(1, 2, 2, AVTAB.ALLOWED)]).toBe(0b101);
      expect(p.avtab.data[ix.avtab.find(1, 2, 1, AVTAB.TRANSITION)]).toBe(2);
      const xi = ix.avtab.find(1, 2, 2, AVTAB.XPERMS_ALLOWED);
      if (version >= 30) {
        const xp = p.avtab.xpermOf(xi)!;
        expect(xp.specified).toBe(1);
        expect(xp.driver).toBe(0x12);
        expect(xp.perms[1]).toBe(1 << 20);
      } else expect(xi).toBe(-1);
      expect(ix.avtab.lookup(1, 2, 2)).toHaveLength(version >= 30 ? 3 : 2);
      // conditionals
      expect(p.conds).toHaveLength(1);
      const cn = p.conds[0]!;
      expect(cn.expr).toEqual([{ kind: 'bool', bool: 1 }]);
      expect(cn.trueEnd - cn.trueStart).toBe(1);
      expect(cn.falseEnd - cn.falseStart).toBe(version >= 34 ? 2 : 1);
      if (version >= 34) expect(p.condAvtab.xpermOf(cn.falseStart + 1)!.specified).toBe(2);
      expect(ix.condOf[cn.falseStart]).toBe(~0);
      expect(p.roleTransitions).toEqual([{ role: 2, type: 2, tclass: 1, newRole: 2 }]);
      expect(p.roleAllows).toEqual([{ role: 2, newRole: 1 }]);
      expect(p.filenameTransitions).toEqual(version >= 25 ? [{ name: 'name', ttype: 2, tclass: 2, otype: 1, stypes: [1] }] : []);
      const o = p.ocontexts;
      expect(o.initialSids.map((s) => s.name)).toEqual(['kernel']);
      expect(o.fs[0]!.name).toBe('ext9');
      expect(o.ports[0]).toMatchObject({ protocol: 6, low: 22, high: 22 });
      expect(o.netifs[0]!.name).toBe('eth0');
      expect(o.nodes[0]).toMatchObject({ addr: '127.0.0.1', mask: '255.255.255.255' });
      expect(o.nodes6[0]).toMatchObject({ addr: '::1', mask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' });
      expect(o.fsUses[0]).toMatchObject({ behavior: 1, fstype: 'ext4' });
      expect(o.ibpkeys).toEqual(version >= 31 ? [expect.objectContaining({ subnetPrefix: 'fe80000000000000', low: 1, high: 0xffff })] : []);
      expect(o.ibendports).toEqual(version >= 31 ? [expect.objectContaining({ device: 'mlx4', port: 1 })] : []);
      expect(p.genfs).toEqual([{ fstype: 'proc', entries: [expect.objectContaining({ path: '/', tclass: 0 }), expect.objectContaining({ path: '/kmsg', tclass: 2 })] }]);
      expect(p.rangeTransitions).toEqual([expect.objectContaining({ source: 1, target: 2, tclass: 1 })]);
      // indexes
      expect(ix.typeValues.get('a_alias')).toBe(1);
      expect(ix.covers(3, 1) && ix.covers(3, 2) && !ix.covers(1, 2)).toBe(true);
      expect(Array.from(ix.keysOf(1))).toEqual([1, 3]);
      // stats
      const s = policyStats(p);
      expect(s).toMatchObject({ types: 2, attributes: 1, permissions: 4, allow: 2, dontaudit: 1, auditallow: 1, typebounds: 1, permissives: 1, nodecon: 2, genfscon: 2 });
      expect(s.typeTrans).toBe(version >= 25 ? 2 : 1);
      expect(s.allowxperm).toBe(version >= 30 ? 1 : 0);
      expect(s.dontauditxperm).toBe(version >= 34 ? 1 : 0);
      expect(s.defaults).toBe(version >= 28 ? 4 : version >= 27 ? 3 : 0);
      expect(printSeinfoStats(p, 'x')).toContain(`Policy Version:             ${version} (MLS enabled)\n`);
    });
  }

  it('reads a non-MLS policy with handle_unknown allow', () => {
    const p = readPolicy(smallPolicy({ version: 33, mls: false, handleUnknown: 4 }));
    expect(p.mls).toBe(false);
    expect(p.handleUnknown).toBe('allow');
    expect(p.sensitivities).toEqual([]);
    expect(p.classes[0]!.constraints[0]!.mls).toBe(false);
    expect(printSeinfoStats(p, 'x')).toContain('(MLS disabled)');
  });
});

describe('scanPolicyStats', () => {
  for (let version = 24; version <= 35; version++) {
    for (const mls of [true, false]) {
      it(`equals the reader's statistics at version ${version}${mls ? '' : ' (non-MLS)'}`, () => {
        const bytes = smallPolicy({ version, mls });
        const s = scanPolicyStats(bytes);
        expect(s).toEqual(policyStats(readPolicy(bytes)));
        // The same keys in the same order: `policy info --json` prints them.
        expect(Object.keys(s)).toEqual(Object.keys(policyStats(readPolicy(bytes))));
      });
    }
  }
});

describe('errors', () => {
  const good = smallPolicy({ version: 33 });

  it('rejects bad magic, versions and table sizes', () => {
    expect(errorOf(() => readPolicy(new Uint8Array(4))).message).toMatch(/^header at byte 0: bad magic/);
    const v = good.slice();
    new DataView(v.buffer).setUint32(16, 23, true);
    expect(errorOf(() => readPolicy(v)).message).toMatch(/version 23 not supported/);
    const v36 = good.slice();
    new DataView(v36.buffer).setUint32(16, 36, true);
    expect(errorOf(() => readPolicy(v36)).message).toMatch(/version 36 not supported/);
    const t = good.slice();
    new DataView(t.buffer).setUint32(24, 9, true);
    expect(errorOf(() => readPolicy(t)).message).toBe('header at byte 24: table sizes (9,9) do not match version 33 (8,9)');
  });

  it('are policy-format diagnostics naming the section and offset (data too)', () => {
    const e = errorOf(() => readPolicy(good.subarray(0, good.length - 3)));
    expect(e.code).toBe('policy-format');
    expect(policyErrorPlace(e).section).toBe('type attribute map');
    expect(policyErrorPlace(e).offset).toBeGreaterThan(good.length - 40);
    expect(e.message.startsWith(`type attribute map at byte ${policyErrorPlace(e).offset}: `)).toBe(true);
    expect(e.diagnostics[0]!.span).toBeUndefined();
    expect(policyErrorPlace(errorOf(() => readPolicy(good.subarray(0, 36)))).section).toBe('policy capabilities');
    expect(errorOf(() => scanPolicyStats(good.subarray(0, 36))).code).toBe('policy-format');
  });

  it('name the file they come from, at line 0 and the offset', () => {
    const cut = join(tmp, 'cut.33');
    writeFileSync(cut, good.subarray(0, 500));
    for (const read of [readPolicyFile, scanPolicyFile]) {
      const e = errorOf(() => read(cut, { name: 'given/cut.33' }));
      const { offset } = policyErrorPlace(e);
      expect(e.diagnostics[0]!.span).toEqual({ file: 'given/cut.33', line: 0, offset });
      expect(printDiagnostic(e.diagnostics[0]!)).toMatch(/^given\/cut\.33: error\[policy-format\]: \S+.* at byte \d+: .+\n$/);
      expect(errorOf(() => read(cut)).diagnostics[0]!.span!.file).toBe(cut);
    }
  });

  it('rejects a count that cannot fit instead of allocating', () => {
    const b = new Bytes().u32(0xf97cff8c).str('SE Linux').u32(33, 0, 8, 9).ebitmap([]).ebitmap([]).u32(1, 0xffffffff).bytes();
    expect(errorOf(() => readPolicy(b)).message).toMatch(/commons at byte \d+: commons count 4294967295 cannot fit/);
  });

  it('rejects conditional xperm rules before version 34', () => {
    const b = smallPolicy({ version: 34 });
    new DataView(b.buffer).setUint32(16, 33, true);
    expect(errorOf(() => readPolicy(b)).message).toMatch(/version 33|conditional extended permissions/);
  });

  it('notes a compressed file', () => {
    const bz = new Bytes().text('BZh91AY&SY').u32(0, 0, 0).bytes();
    const e = errorOf(() => readPolicy(bz));
    expect(e.message).toBe('header at byte 0: bad magic 0x39685a42, expected 0xf97cff8c');
    expect(e.diagnostics[0]!.notes.map((n) => n.message)).toEqual(['the file starts like bzip2-compressed data: decompress it first']);
    expect(errorOf(() => readPolicy(new Uint8Array(16))).diagnostics[0]!.notes).toEqual([]);
  });
});

describe('references checked once at load, by the reader and the scan alike', () => {
  /** The offset of the `nth` (0-based) occurrence of `text` in `b`. */
  function find(b: Uint8Array, text: string, nth = 0): number {
    const needle = new TextEncoder().encode(text);
    let from = 0;
    for (;;) {
      const at = Buffer.from(b).indexOf(needle, from);
      if (at < 0) throw new Error(`${text} #${nth} not found`);
      if (nth-- === 0) return at;
      from = at + 1;
    }
  }
  function patched(edit: (b: Uint8Array, v: DataView) => void): Uint8Array {
    const b = smallPolicy({ version: 33 });
    edit(b, new DataView(b.buffer));
    return b;
  }
  /** What readPolicy says, which policy info's scan (in memory and through a file) must say too. */
  function rejection(b: Uint8Array): { message: string; offset: number } {
    const e = errorOf(() => readPolicy(b));
    expect(e.code).toBe('policy-format');
    expect(errorOf(() => scanPolicyStats(b)).message).toBe(e.message);
    const file = join(tmp, 'refs.33');
    writeFileSync(file, b);
    expect(errorOf(() => scanPolicyFile(file, { window: 7 })).message).toBe(e.message);
    expect(e.message).not.toMatch(/\n/);
    return { message: e.message, offset: policyErrorPlace(e).offset };
  }

  // Each of these was accepted by `policy info` (the scan) and rejected by `policy search`.
  it('a class naming a common that does not exist', () => {
    let at = 0;
    const b = patched((b) => {
      at = find(b, 'file_common', 1);
      b[at + 10] = 'N'.charCodeAt(0);
    });
    expect(rejection(b)).toEqual({ message: `classes at byte ${at}: class file inherits unknown common file_commoN`, offset: at });
  });

  it('a role value out of range', () => {
    let at = 0;
    const b = patched((b, v) => {
      at = find(b, 'r_r') - 12;
      v.setUint32(at + 4, 7, true);
    });
    expect(rejection(b)).toEqual({ message: `roles at byte ${at}: r_r has value 7 outside 1..2`, offset: at });
  });

  it('a role value used twice', () => {
    let at = 0;
    const b = patched((b, v) => {
      at = find(b, 'r_r') - 12;
      v.setUint32(at + 4, 1, true);
    });
    expect(rejection(b).message).toBe(`roles at byte ${at}: value 1 used by both object_r and r_r`);
  });

  it("a role's type set naming an undeclared type", () => {
    let at = 0;
    const b = patched((b, v) => {
      at = find(b, 'r_r') - 12;
      // r_r's dominance bitmap (one node), then its types bitmap: its first node's map gets bit 40.
      const types = at + 12 + 3 + 24;
      v.setUint32(types + 12 + 8, 1 << 8, true);
    });
    expect(rejection(b)).toEqual({ message: `roles/r_r at byte ${at}: value 41 out of range (3 declared)`, offset: at });
  });

  it('a user value out of range', () => {
    let at = 0;
    const b = patched((b, v) => {
      at = find(b, 'u_u') - 12;
      v.setUint32(at + 4, 2, true);
    });
    expect(rejection(b)).toEqual({ message: `users at byte ${at}: u_u has value 2 outside 1..1`, offset: at });
  });

  it("a user's default level naming an undeclared sensitivity", () => {
    let at = 0;
    const b = patched((b, v) => {
      at = find(b, 'u_u') - 12;
      // name, roles bitmap (one node), range (2 levels: u32 count, s0, s1, empty bitmap, one-node bitmap), then the default level.
      const level = at + 12 + 3 + 24 + 12 + 12 + 24;
      v.setUint32(level, 5, true);
    });
    expect(rejection(b)).toEqual({ message: `users/u_u at byte ${at}: value 5 out of range (1 declared)`, offset: at });
  });

  it('a sensitivity value used twice', () => {
    let at = 0;
    const b = patched((b, v) => {
      // sens0, an alias of s0, made a sensitivity of its own (with s0's value).
      at = find(b, 'sens0') - 8;
      v.setUint32(at + 4, 0, true);
    });
    expect(rejection(b)).toEqual({ message: `sensitivities at byte ${at}: sensitivity value 1 used twice`, offset: at });
  });

  it('aliases of undeclared types and categories', () => {
    let at = 0;
    const b = patched((b, v) => {
      at = find(b, 'a_alias') - 16;
      v.setUint32(at + 4, 3000, true);
    });
    expect(rejection(b)).toEqual({ message: `types at byte ${at}: alias a_alias of unknown type value 3000`, offset: at });
    const c = patched((b, v) => {
      at = find(b, 'cat1') - 12;
      v.setUint32(at + 4, 9, true);
    });
    expect(rejection(c)).toEqual({ message: `categories at byte ${at}: category alias cat1 of unknown category 9`, offset: at });
  });

  // libsepol's policydb_validate: constraint name sets and type rules' new types name declared values.
  it("a constraint's type name set naming an undeclared type", () => {
    let at = 0;
    const b = patched((b, v) => {
      // file's constraint: perms, node count, the names node (type, attr, op), then its map.
      at = find(b, 'execute') + 7 + 8 + 12;
      v.setUint32(at + 12 + 8, 1 << 8, true);
    });
    expect(rejection(b)).toEqual({ message: `classes at byte ${at}: constraint names type value 41 out of range (3 declared)`, offset: at });
  });

  it('a validatetrans user name set naming an undeclared user, and a role set an undeclared role', () => {
    let at = 0;
    const b = patched((b, v) => {
      at = find(b, 'execute') + 7 + 8 + 12 + 24 + 24 + 12 + 4 + 4 + 8 + 12;
      expect(v.getUint32(at - 8, true)).toBe(1 | 16);
      v.setUint32(at + 12 + 4, 1 << 3, true);
    });
    expect(rejection(b)).toEqual({ message: `classes at byte ${at}: constraint names user value 4 out of range (1 declared)`, offset: at });
    const c = patched((b, v) => {
      at = find(b, 'execute') + 7 + 8 + 12;
      v.setUint32(at - 8, 2, true);
      v.setUint32(at + 12 + 4, 1 << 2, true);
    });
    expect(rejection(c)).toEqual({ message: `classes at byte ${at}: constraint names role value 3 out of range (2 declared)`, offset: at });
  });

  it('a names node of no one kind', () => {
    const b = patched((b, v) => {
      const at = find(b, 'execute') + 7 + 8 + 12;
      v.setUint32(at - 8, 4 | 2, true);
    });
    expect(rejection(b).message).toMatch(/constraint: names of no one kind \(attribute 0x6\)$/);
  });

  it("a type rule's new type out of range (the WebAssembly loop and the JavaScript one alike)", () => {
    let at = 0;
    const b = patched((b, v) => {
      at = Buffer.from(b).indexOf(Buffer.from([1, 0, 2, 0, 1, 0, 0x10, 0, 2, 0, 0, 0]));
      v.setUint32(at + 8, 9, true);
    });
    expect(rejection(b)).toEqual({ message: `avtab at byte ${at}: avtab entry 2: new type value 9 out of range (3 types)`, offset: at });
    useReaderKernel(false);
    try {
      expect(errorOf(() => readPolicy(b)).message).toBe(`avtab at byte ${at}: avtab entry 2: new type value 9 out of range (3 types)`);
    } finally {
      useReaderKernel(true);
    }
  });

  it('control bytes in a name are shown as \\xNN: the error is one line', () => {
    const b = patched((b, v) => {
      const at = find(b, 'r_r');
      b[at + 1] = 0x0a;
      v.setUint32(at - 8, 7, true);
    });
    expect(rejection(b).message).toMatch(/: r\\x0ar has value 7 outside 1\.\.2$/);
  });
});

describe('a module package or a policy module given as a policy', () => {
  const MESSAGE = ', not a kernel binary policy: give the compiled policy (policy.NN) or install the module first';
  const expectModule = (e: PortholeError, what: string, kind: string): void => {
    expect(e.code).toBe('policy-is-module');
    expect(e.message).toBe(`this is ${what}${MESSAGE}`);
    expect(e.diagnostics[0]!.data).toEqual({ kind });
  };

  it('is a policy-is-module error, from the reader and the scan alike (synthetic files)', () => {
    // semodule_package: magic, version, number of sections, their offsets; then the module.
    const pp = new Bytes().u32(0xf97cff8f, 1, 1, 16).u32(0xf97cff8d).str('SE Linux Module').u32(2, 19, 0, 8, 9).bytes();
    const mod = new Bytes().u32(0xf97cff8d).str('SE Linux Module').u32(2, 19, 0, 8, 9).str('x').str('1.0').bytes();
    const base = new Bytes().u32(0xf97cff8d).str('SE Linux Module').u32(1, 19, 0, 8, 9).bytes();
    for (const read of [readPolicy, scanPolicyStats]) {
      expectModule(
        errorOf(() => read(pp)),
        'a SELinux module package (.pp)',
        'module package',
      );
      expectModule(
        errorOf(() => read(mod)),
        'a SELinux policy module (.mod)',
        'policy module',
      );
      expectModule(
        errorOf(() => read(base)),
        'a SELinux base policy module',
        'base policy module',
      );
      // The module magic alone (cut short, or with another string): still a module.
      expectModule(
        errorOf(() => read(mod.subarray(0, 6))),
        'a SELinux policy module (.mod)',
        'policy module',
      );
    }
    const file = join(tmp, 'x.pp');
    writeFileSync(file, pp);
    const e = errorOf(() => readPolicyFile(file, { name: 'x.pp' }));
    expect(printDiagnostic(e.diagnostics[0]!)).toBe(`x.pp: error[policy-is-module]: this is a SELinux module package (.pp)${MESSAGE}\n`);
  });

  const SHIPPED = '/usr/share/selinux/default';
  const shipped = existsSync(SHIPPED) ? readdirSync(SHIPPED).filter((f) => f.endsWith('.pp.bz2')) : [];
  const bunzip2 = ['/usr/bin/bunzip2', '/bin/bunzip2'].find((p) => existsSync(p));
  const haveShipped = shipped.length > 0 && bunzip2 !== undefined;
  if (!haveShipped && isCI()) {
    it('has a shipped module package (/usr/share/selinux/default/*.pp.bz2) and bunzip2', () => {
      throw new Error('no shipped .pp.bz2 or no bunzip2 (CI is set, so this fails instead of skipping): install the oracles (shared/tools/install-oracles.sh)');
    });
  }
  it.skipIf(!haveShipped)(`is a policy-is-module error for a shipped one (${SHIPPED}/*.pp.bz2, unpacked)${haveShipped ? '' : ' [skipped: none there, or no bunzip2]'}`, () => {
    const name = shipped.includes('acct.pp.bz2') ? 'acct.pp.bz2' : shipped[0]!;
    const dir = join(tmp, 'shipped');
    mkdirSync(dir);
    copyFileSync(join(SHIPPED, name), join(dir, name));
    // As shipped: compressed.
    const bz = errorOf(() => readPolicyFile(join(dir, name)));
    expect(bz.code).toBe('policy-format');
    expect(bz.diagnostics[0]!.notes[0]!.message).toContain('bzip2');
    execFileSync(bunzip2!, [join(dir, name)]);
    const pp = join(dir, name.replace(/\.bz2$/, ''));
    for (const read of [readPolicyFile, scanPolicyFile]) {
      const e = errorOf(() => read(pp));
      expectModule(e, 'a SELinux module package (.pp)', 'module package');
      expect(e.diagnostics[0]!.span).toEqual({ file: pp, line: 0, offset: 0 });
    }
  });

  const checkmodule = ['/usr/bin/checkmodule', '/bin/checkmodule'].find((p) => existsSync(p));
  it.skipIf(!checkmodule)(`is a policy-is-module error for checkmodule's .mod${checkmodule ? '' : ' [skipped: no checkmodule]'}`, () => {
    const dir = join(tmp, 'mod');
    mkdirSync(dir);
    writeFileSync(join(dir, 'x.te'), 'module x 1.0;\nrequire { type etc_t; class file read; }\ntype x_t;\nallow x_t etc_t:file read;\n');
    execFileSync(checkmodule!, ['-M', '-m', '-o', join(dir, 'x.mod'), join(dir, 'x.te')], { stdio: 'pipe' });
    expectModule(
      errorOf(() => readPolicyFile(join(dir, 'x.mod'))),
      'a SELinux policy module (.mod)',
      'policy module',
    );
  });
});

describe('defaultPolicyPath', () => {
  it('prefers the loaded policy, else the highest policy.N of SELINUXTYPE', () => {
    const root = join(tmp, 'root');
    mkdirSync(root);
    expect(defaultPolicyPath({ root })).toBeUndefined();
    mkdirSync(join(root, 'etc/selinux/mine/policy'), { recursive: true });
    writeFileSync(join(root, 'etc/selinux/config'), '# x\nSELINUX=enforcing\nSELINUXTYPE=mine\n');
    for (const n of [9, 31, 33, 'bak']) writeFileSync(join(root, `etc/selinux/mine/policy/policy.${n}`), '');
    expect(defaultPolicyPath({ root })).toBe(join(root, 'etc/selinux/mine/policy/policy.33'));
    mkdirSync(join(root, 'sys/fs/selinux'), { recursive: true });
    writeFileSync(join(root, 'sys/fs/selinux/policy'), '');
    expect(defaultPolicyPath({ root })).toBe(join(root, 'sys/fs/selinux/policy'));
  });
});

describe.skipIf(!existsSync(DEBIAN))('the installed Debian policy', () => {
  it('reads and indexes', () => {
    const p = readPolicy(new Uint8Array(readFileSync(DEBIAN)));
    p.index.buildAll();
    const s = policyStats(p);
    expect(s).toMatchObject({ classes: 134, types: 3936, attributes: 217, booleans: 291, allow: 104302, typeTrans: 9245 });
    const ix = p.index;
    const useradd = ix.typeValues.get('useradd_t')!;
    const usr = ix.typeValues.get('usr_t')!;
    const dir = ix.classValues.get('dir')!;
    // sesearch -A -s useradd_t -t usr_t: allow useradd_t usr_t:dir { getattr open search };
    const e = ix.avtab.find(useradd, usr, dir, AVTAB.ALLOWED);
    expect(e).toBeGreaterThanOrEqual(0);
    const perms = p.classes[dir - 1]!.allPerms.filter((_, i) => (p.avtab.data[e]! >>> i) & 1);
    expect(perms.sort()).toEqual(['getattr', 'open', 'search']);
  });

  it("scans the reader's statistics", () => {
    const bytes = new Uint8Array(readFileSync(DEBIAN));
    const s = scanPolicyStats(bytes);
    expect(s).toEqual(policyStats(readPolicy(bytes)));
    expect(s.allow).toBeGreaterThan(50_000);
  });
});
