import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { readOutcome } from '../../../../test/fixtures/policy/outcome.js';
import { Bytes, smallPolicy } from '../../../../test/fixtures/policy/writer.js';
import { defaultPolicyPath, policyStats, printSeinfoStats, readPolicy, readPolicyFile } from '../index.js';
import { PolicyLister, printSeinfoListings } from '../query/listings.js';
import { AVTAB } from './constants.js';
import { PolicyReadError } from './errors.js';

const VERSIONS = [24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35];

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

describe('readPolicy errors', () => {
  const good = smallPolicy({ version: 33 });
  const err = (b: Uint8Array): PolicyReadError => {
    try {
      readPolicy(b);
    } catch (e) {
      if (e instanceof PolicyReadError) return e;
      throw e;
    }
    throw new Error('no error');
  };

  it('rejects bad magic, module packages, versions and table sizes', () => {
    expect(err(new Uint8Array(4)).message).toMatch(/^header at byte 0: bad magic/);
    const mod = good.slice();
    mod[0] = 0x8d;
    expect(err(mod).message).toMatch(/policy module/);
    const v = good.slice();
    new DataView(v.buffer).setUint32(16, 23, true);
    expect(err(v).message).toMatch(/version 23 not supported/);
    const v36 = good.slice();
    new DataView(v36.buffer).setUint32(16, 36, true);
    expect(err(v36).message).toMatch(/version 36 not supported/);
    const t = good.slice();
    new DataView(t.buffer).setUint32(24, 9, true);
    expect(err(t).message).toMatch(/table sizes/);
  });

  it('names the section and offset of a truncation', () => {
    const e = err(good.subarray(0, good.length - 3));
    expect(e.section).toBe('type attribute map');
    expect(e.offset).toBeGreaterThan(good.length - 40);
    expect(err(good.subarray(0, 36)).section).toBe('policy capabilities');
  });

  it('rejects a count that cannot fit instead of allocating', () => {
    const b = new Bytes().u32(0xf97cff8c).str('SE Linux').u32(33, 0, 8, 9).ebitmap([]).ebitmap([]).u32(1, 0xffffffff).bytes();
    expect(err(b).message).toMatch(/commons at byte \d+: commons count 4294967295 cannot fit/);
  });

  it('rejects conditional xperm rules before version 34', () => {
    const b = smallPolicy({ version: 34 });
    new DataView(b.buffer).setUint32(16, 33, true);
    expect(err(b).message).toMatch(/version 33|conditional extended permissions/);
  });
});

describe('defaultPolicyPath', () => {
  it('prefers the loaded policy, else the highest policy.N of SELINUXTYPE', () => {
    const root = mkdtempSync(join(tmpdir(), 'porthole-pp-'));
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

const DEBIAN = '/etc/selinux/default/policy/policy.33';
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
});

/** Everything a reader produced that can be compared: the model as JSON (lazy parts decoded), and seinfo's listings. */
function snapshot(p: ReturnType<typeof readPolicy>): string {
  const listings = new PolicyLister(p).listings({
    type: true,
    attribute: true,
    role: true,
    user: true,
    bool: true,
    class: true,
    common: true,
    sensitivity: true,
    category: true,
    portcon: true,
    genfscon: true,
    fsUse: true,
    initialSid: true,
    polcap: true,
    permissive: true,
  });
  return JSON.stringify(p) + printSeinfoListings(listings, { expand: true, flat: false });
}

describe('readPolicyFile (through a window that moves along the file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-readfile-'));
  for (const version of [24, 29, 33, 35]) {
    it(`reads what readPolicy reads, and fails where it fails, at version ${version}`, () => {
      const bytes = smallPolicy({ version });
      const file = join(dir, `policy.${version}`);
      writeFileSync(file, bytes);
      const want = snapshot(readPolicy(bytes));
      for (const window of [1, 5, 12, 100, 65536]) expect(snapshot(readPolicyFile(file, window))).toBe(want);
      for (let len = 0; len < bytes.length; len += 11) {
        const cut = join(dir, `cut.${version}`);
        writeFileSync(cut, bytes.subarray(0, len));
        const mem = readOutcome(() => readPolicy(bytes.subarray(0, len)));
        expect(
          readOutcome(() => readPolicyFile(cut, 7)),
          `${len} bytes`,
        ).toEqual(mem);
      }
    });
  }
  it.skipIf(!existsSync(DEBIAN))('the Debian policy', () => {
    expect(snapshot(readPolicyFile(DEBIAN))).toBe(snapshot(readPolicy(new Uint8Array(readFileSync(DEBIAN)))));
  });
});
