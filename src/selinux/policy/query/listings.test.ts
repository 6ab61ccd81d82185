import { describe, expect, it } from 'vitest';
import { smallPolicy } from '../../../../test/fixtures/policy/writer.js';
import { thrownDiagnostic } from '../../../../test/fixtures/thrown.js';
import { PortholeError } from '../../../base/diagnostic.js';
import { readPolicy } from '../index.js';
import { LISTINGS, type ListingQueries, listingsJson, PolicyLister, parsePortQuery, printSeinfoListings } from './listings.js';

const policy = readPolicy(smallPolicy({ version: 33 }));
const lister = new PolicyLister(policy);
const all: ListingQueries = Object.fromEntries(LISTINGS.map((l) => [l.kind, true]));

describe('seinfo listings of a hand-built policy', () => {
  it('prints names, in seinfo order of components whatever the order asked', () => {
    const text = printSeinfoListings(lister.listings({ user: true, type: true, bool: true }));
    expect(text).toBe('\nBooleans: 1\n   b1\n\nTypes: 2\n   a_t\n   b_t\n\nUsers: 1\n   u_u\n');
  });

  it('prints statements with -x', () => {
    expect(printSeinfoListings(lister.listings(all), { expand: true })).toBe(
      [
        '',
        'Booleans: 1',
        '   bool b1 true;',
        '',
        'Categories: 2',
        '   category c0;',
        '   category c1 alias cat1;',
        '',
        'Classes: 2',
        '   class file',
        'inherits file_common',
        '{',
        '\texecute',
        '}',
        '   class process',
        '{',
        '\ttransition',
        '}',
        '',
        'Commons: 1',
        '   common file_common',
        '{',
        '\tread',
        '\twrite',
        '}',
        '',
        'Constraints: 2',
        '   constrain file execute (t1 == a_t); ',
        '   mlsconstrain process transition (l1 dom l2); ',
        '',
        'Default rules: 4',
        '   default_range process glblub;',
        '   default_role process target;',
        '   default_type process target;',
        '   default_user process source;',
        '',
        'Fs_use: 1',
        '   fs_use_xattr ext4 u_u:object_r:a_t:s0 - s0:c0.c1;',
        '',
        'Genfscon: 2',
        '   genfscon proc /  u_u:object_r:a_t:s0 - s0:c0.c1',
        '   genfscon proc /kmsg -- u_u:object_r:b_t:s0 - s0:c0.c1',
        '',
        'Ibendportcon: 1',
        '   ibendportcon mlx4 1 u_u:object_r:a_t:s0 - s0:c0.c1',
        '',
        'Ibpkeycon: 1',
        '   ibpkeycon fe80:: 0x1-0xffff u_u:object_r:a_t:s0 - s0:c0.c1',
        '',
        'Initial SIDs: 1',
        '   sid kernel u_u:object_r:a_t:s0 - s0:c0.c1',
        '',
        'Netifcon: 1',
        '   netifcon eth0 u_u:object_r:a_t:s0 - s0:c0.c1 u_u:object_r:a_t:s0 - s0:c0.c1',
        '',
        'Nodecon: 2',
        '   nodecon 127.0.0.1 255.255.255.255 u_u:object_r:a_t:s0 - s0:c0.c1',
        '   nodecon ::1 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff u_u:object_r:a_t:s0 - s0:c0.c1',
        '',
        'Permissive Types: 1',
        '   type b_t, x_attr;',
        '',
        'Polcap: 2',
        '   policycap cgroup_seclabel;',
        '   policycap open_perms;',
        '',
        'Portcon: 1',
        '   portcon tcp 22 u_u:object_r:a_t:s0 - s0:c0.c1',
        '',
        'Roles: 2',
        '   role object_r types {  };',
        '   role r_r types { a_t b_t };',
        '',
        'Sensitivities: 1',
        '   sensitivity s0 alias sens0;',
        '',
        'Typebounds: 1',
        '   typebounds a_t b_t;',
        '',
        'Types: 2',
        '   type a_t alias a_alias, x_attr;',
        '   type b_t, x_attr;',
        '',
        'Type Attributes: 1',
        '   attribute x_attr;',
        '\ta_t',
        '\tb_t',
        '',
        'Users: 1',
        '   user u_u roles r_r level s0 range s0 - s0:c0.c1;',
        '',
        'Validatetrans: 1',
        '   validatetrans file (u3 == u_u);',
        '',
      ].join('\n'),
    );
  });

  it('selects by name; types, categories and sensitivities also by alias', () => {
    const names = (q: ListingQueries): string[] => lister.listings(q).flatMap((l) => l.items.map((i) => `${l.title}: ${i.text}`));
    expect(names({ type: 'a_alias' })).toEqual(['Types: a_t']);
    expect(names({ category: 'cat1', sensitivity: 'sens0' })).toEqual(['Categories: c1', 'Sensitivities: s0']);
    expect(names({ attribute: 'a_t', type: 'x_attr' })).toEqual([]);
    expect(names({ permissive: 'a_t' })).toEqual([]);
    expect(names({ genfscon: 'proc', fsUse: 'ext4', initialSid: 'kernel', polcap: 'open_perms' })).toHaveLength(5);
    expect(printSeinfoListings(lister.listings({ type: 'nonexistent_t' }))).toBe('\nTypes: 0\n');
  });

  it('selects nodecons by network, pkeycons by range, defaults by class (an unknown class is an error)', () => {
    const count = (q: ListingQueries): number => lister.listings(q)[0]!.items.length;
    expect(count({ nodecon: '127.0.0.1' })).toBe(1);
    expect(count({ nodecon: '127.0.0.1/32' })).toBe(1);
    expect(count({ nodecon: '127.0.0.1/255.255.255.255' })).toBe(1);
    expect(count({ nodecon: '127.0.0.0/8' })).toBe(0);
    expect(count({ nodecon: '::1' })).toBe(1);
    expect(count({ nodecon: '0:0::1/128' })).toBe(1);
    expect(thrownDiagnostic(() => lister.listings({ nodecon: '127.0.0.1/8' }))).toMatchObject({ code: 'bad-query', message: '127.0.0.1/8 has host bits set' });
    for (const bad of ['bogus', '1.2.3', '1::2::3', '1.2.3.4/33', '::1/129', '1.2.3.4/255.0.255.0']) {
      expect(() => lister.listings({ nodecon: bad }), bad).toThrow(`'${bad}' does not appear to be an IPv4 or IPv6 network`);
    }
    expect(count({ ibpkeycon: '0x1-0xffff' })).toBe(1);
    expect(count({ ibpkeycon: '1' })).toBe(0);
    expect(() => lister.listings({ ibpkeycon: 'zz' })).toThrow(PortholeError);
    expect(thrownDiagnostic(() => lister.listings({ constrain: 'nofile' }))).toMatchObject({ code: 'unknown-name', message: 'nofile is not a valid class' });
    expect(count({ default: 'process' })).toBe(4);
    expect(count({ typebounds: 'b_t' })).toBe(1);
    expect(count({ typebounds: 'a_t' })).toBe(0);
    expect(() => lister.listings({ default: 'nosuch' })).toThrow('nosuch is not a valid class');
  });

  it('drops a component whose name is empty', () => {
    expect(lister.listings({ type: '', role: true }).map((l) => l.title)).toEqual(['Roles']);
  });

  it('prints --flat without headers or indentation', () => {
    expect(printSeinfoListings(lister.listings({ role: true, user: true }), { flat: true })).toBe('object_r\nr_r\nu_u\n');
  });

  it('selects portcons whose range holds the ports asked', () => {
    const count = (q: string): number => lister.listing('portcon', q).items.length;
    expect(count('22')).toBe(1);
    expect(count('22-22')).toBe(1);
    expect(count('21-22')).toBe(0);
    expect(count('0')).toBe(1); // setools ignores a range with a 0 in it
    expect(count('23')).toBe(0);
  });

  it('gives plain data for --json', () => {
    const json = listingsJson(lister.listings({ type: 'a_t', user: true, portcon: true }));
    expect(json).toEqual({
      portcon: [{ protocol: 'tcp', low: 22, high: 22, context: 'u_u:object_r:a_t:s0 - s0:c0.c1' }],
      types: [{ name: 'a_t', aliases: ['a_alias'], attributes: ['x_attr'], permissive: false }],
      users: [{ name: 'u_u', roles: ['r_r'], level: 's0', range: 's0 - s0:c0.c1' }],
    });
  });
});

describe('parsePortQuery', () => {
  it('reads N and N-M as Python int() does', () => {
    expect(parsePortQuery('80')).toEqual({ low: 80, high: 80 });
    expect(parsePortQuery(' 80 ')).toEqual({ low: 80, high: 80 });
    expect(parsePortQuery('1_000')).toEqual({ low: 1000, high: 1000 });
    expect(parsePortQuery('6000-6020')).toEqual({ low: 6000, high: 6020 });
    expect(parsePortQuery('0')).toBeUndefined();
    expect(parsePortQuery('0-80')).toBeUndefined();
  });
  it('rejects what seinfo rejects', () => {
    const err = (q: string): PortholeError => {
      try {
        parsePortQuery(q);
      } catch (e) {
        expect(e).toBeInstanceOf(PortholeError);
        return e as PortholeError;
      }
      throw new Error(`accepted ${q}`);
    };
    for (const q of ['http', '1-2-3', '80-', '0x50', '']) expect(err(q).code).toBe('usage');
    expect(err('8080-80').message).toBe('The low port must be smaller than the high port: 8080-80');
    expect(err('8080-80').code).toBe('bad-query');
  });
});
