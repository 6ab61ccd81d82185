// seinfo's component listings (`seinfo POLICY -t`, `-a domain -x`, `--portcon 80`, ...)
// as setools 4.4 prints them, and the same data as plain objects for --json.
//
// What setools does, and is matched here (checked against seinfo 4.4.1):
// - Components always come in seinfo's fixed order (Booleans, Categories,
//   Classes, ..., Types, Type Attributes, Users), whatever the order of the flags;
//   each is `\n<Title>: <count>` then one `   <item>` line per result.
// - Items sort by their text (Python str order), categories and sensitivities
//   by value. `-x` prints each item's statement instead of its name; the
//   order stays the one of the names.
// - A name selects by exact match; types, categories and sensitivities also
//   match an alias (the primary name is printed). An unknown name gives
//   `<Title>: 0`, never an error. An empty name (`-t ''`) drops the component.
// - Type aliases come in libsepol hash-table order (not sorted); a type's
//   attributes in value order; role types, user roles (object_r left out),
//   attribute members and class/common permissions sorted.
// - Levels compact runs of consecutive categories (`s0:c0.c1023`, `s0:c1,c3.c5`);
//   a range whose ends are equal prints one level.
// - `--portcon N[-M]` lists portcons whose range contains N..M (any protocol);
//   a range containing port 0 selects everything (setools ignores it); a
//   non-numeric value is a usage error, a reversed or negative range an error.
// - `--nodecon ADDR[/PREFIX|/NETMASK]` selects the nodecons of exactly that
//   network (`10.0.0.0` alone is 10.0.0.0/32), as Python's ip_network reads it;
//   `--ibpkeycon PKEY[-PKEY]` (hex) those of exactly that range (seinfo 4.4
//   itself fails on a range); `--typebounds T` the bounds of child type T;
//   `--default CLASS` a class's default_* rules, `--constrain CLASS` and
//   `--validatetrans CLASS` its constraints (an unknown class is an error).
// - Constraint expressions print as setools prints them (constraintStatement.ts),
//   except that sets of several names are sorted (setools: Python set order).
import { fail } from '../../../base/diagnostic.js';
import { DEFAULT_RANGE_NAMES, FS_USE_NAMES } from '../binary/constants.js';
import type { Policy, TypeDef } from '../model.js';
import { constraintStatement } from './constraintStatement.js';
import { hexBytes, ipBytes, ipv6Text, prefixMask, prefixOf } from './ip.js';
import { byString, formatLevel, formatPolicyContext, formatRange, hashtabOrder, SYMTAB_INITIAL, symtabSize } from './listFormat.js';

export type ListingKind =
  | 'bool'
  | 'category'
  | 'class'
  | 'common'
  | 'constrain'
  | 'default'
  | 'fsUse'
  | 'genfscon'
  | 'ibendportcon'
  | 'ibpkeycon'
  | 'initialSid'
  | 'netifcon'
  | 'nodecon'
  | 'permissive'
  | 'polcap'
  | 'portcon'
  | 'role'
  | 'sensitivity'
  | 'typebounds'
  | 'type'
  | 'attribute'
  | 'user'
  | 'validatetrans';

export interface ListingSpec {
  kind: ListingKind;
  /** seinfo's header word(s). */
  title: string;
  /** Key of the listing in --json output. */
  jsonKey: string;
}

/** The listings in the order seinfo prints them. */
export const LISTINGS: readonly ListingSpec[] = [
  { kind: 'bool', title: 'Booleans', jsonKey: 'booleans' },
  { kind: 'category', title: 'Categories', jsonKey: 'categories' },
  { kind: 'class', title: 'Classes', jsonKey: 'classes' },
  { kind: 'common', title: 'Commons', jsonKey: 'commons' },
  { kind: 'constrain', title: 'Constraints', jsonKey: 'constraints' },
  { kind: 'default', title: 'Default rules', jsonKey: 'defaults' },
  { kind: 'fsUse', title: 'Fs_use', jsonKey: 'fsUse' },
  { kind: 'genfscon', title: 'Genfscon', jsonKey: 'genfscon' },
  { kind: 'ibendportcon', title: 'Ibendportcon', jsonKey: 'ibendportcon' },
  { kind: 'ibpkeycon', title: 'Ibpkeycon', jsonKey: 'ibpkeycon' },
  { kind: 'initialSid', title: 'Initial SIDs', jsonKey: 'initialSids' },
  { kind: 'netifcon', title: 'Netifcon', jsonKey: 'netifcon' },
  { kind: 'nodecon', title: 'Nodecon', jsonKey: 'nodecon' },
  { kind: 'permissive', title: 'Permissive Types', jsonKey: 'permissiveTypes' },
  { kind: 'polcap', title: 'Polcap', jsonKey: 'polcaps' },
  { kind: 'portcon', title: 'Portcon', jsonKey: 'portcon' },
  { kind: 'role', title: 'Roles', jsonKey: 'roles' },
  { kind: 'sensitivity', title: 'Sensitivities', jsonKey: 'sensitivities' },
  { kind: 'typebounds', title: 'Typebounds', jsonKey: 'typebounds' },
  { kind: 'type', title: 'Types', jsonKey: 'types' },
  { kind: 'attribute', title: 'Type Attributes', jsonKey: 'attributes' },
  { kind: 'user', title: 'Users', jsonKey: 'users' },
  { kind: 'validatetrans', title: 'Validatetrans', jsonKey: 'validatetrans' },
];

export interface ListingItem {
  /** What seinfo prints without -x (str() of the item); also the sort key. */
  text: string;
  /** What seinfo prints with -x (the item's statement). */
  statement: string;
  /** The item as plain data. */
  data: Record<string, unknown>;
}

export interface Listing extends ListingSpec {
  items: ListingItem[];
}

/** Which listings to print: true for all items, a string to select by name (port range for portcon, file system for genfscon and fs_use). */
export type ListingQueries = Partial<Record<ListingKind, string | true>>;

const PROTOCOLS: Readonly<Record<number, string>> = { 6: 'tcp', 17: 'udp', 33: 'dccp', 132: 'sctp' };
const GENFS_FILETYPES: Readonly<Record<string, string>> = {
  blk_file: '-b',
  chr_file: '-c',
  dir: '-d',
  fifo_file: '-p',
  file: '--',
  lnk_file: '-l',
  sock_file: '-s',
};

const named = (t: TypeDef | undefined): t is TypeDef => t !== undefined && !t.name.startsWith('@');

/** Aliases of every type, sensitivity and category in setools' order (libsepol's hash tables). */
class AliasOrder {
  private readonly types = new Map<string, number>();
  private readonly levels = new Map<string, number>();
  private readonly cats = new Map<string, number>();

  constructor(p: Policy) {
    const rank = (out: Map<string, number>, all: string[], aliases: string[], initial: number): void => {
      if (aliases.length === 0) return;
      for (const [i, n] of hashtabOrder(all, symtabSize(all.length, initial)).entries()) out.set(n, i);
    };
    const typeNames: string[] = [];
    const typeAliases: string[] = [];
    for (const t of p.types) {
      if (!named(t)) continue;
      typeNames.push(t.name, ...t.aliases);
      typeAliases.push(...t.aliases);
    }
    rank(this.types, typeNames, typeAliases, SYMTAB_INITIAL.types);
    const sensAliases = p.sensitivities.flatMap((s) => s?.aliases ?? []);
    rank(
      this.levels,
      p.sensitivities.flatMap((s) => (s ? [s.name, ...s.aliases] : [])),
      sensAliases,
      SYMTAB_INITIAL.levels,
    );
    const catAliases = p.categories.flatMap((c) => c?.aliases ?? []);
    rank(
      this.cats,
      p.categories.flatMap((c) => (c ? [c.name, ...c.aliases] : [])),
      catAliases,
      SYMTAB_INITIAL.cats,
    );
  }

  private order(m: Map<string, number>, aliases: readonly string[]): string[] {
    return aliases.length < 2 ? [...aliases] : [...aliases].sort((a, b) => (m.get(a) ?? 0) - (m.get(b) ?? 0));
  }
  typeAliases(a: readonly string[]): string[] {
    return this.order(this.types, a);
  }
  sensAliases(a: readonly string[]): string[] {
    return this.order(this.levels, a);
  }
  catAliases(a: readonly string[]): string[] {
    return this.order(this.cats, a);
  }
}

const aliasClause = (aliases: readonly string[]): string => (aliases.length > 1 ? ` alias { ${aliases.join(' ')} }` : aliases.length === 1 ? ` alias ${aliases[0]}` : '');

const sorted = (names: Iterable<string>): string[] => [...names].sort(byString);

/** Parses `--portcon` text like seinfo: `N` or `N-M`, Python int() syntax. Undefined: no port criterion (setools ignores a range with a 0 in it). */
export function parsePortQuery(text: string): { low: number; high: number } | undefined {
  const parts = text.split('-');
  const nums = parts.map((s) => (/^\s*[+-]?\d+(?:_\d+)*\s*$/.test(s) ? Number(s.replace(/_/g, '').trim()) : NaN));
  if (nums.some((n) => Number.isNaN(n)) || nums.length > 2) fail('usage', 'Enter a port number or range, e.g. 22 or 6000-6020', { data: { portcon: text } });
  const low = nums[0]!;
  const high = nums.length === 2 ? nums[1]! : low;
  if (low === 0 || high === 0) return undefined;
  if (low < 1 || high < 1) fail('bad-query', `Port numbers must be positive: ${low}-${high}`, { data: { portcon: text } });
  if (low > high) fail('bad-query', `The low port must be smaller than the high port: ${low}-${high}`, { data: { portcon: text } });
  return { low, high };
}

/** `--ibpkeycon` text: `PKEY` or `PKEY-PKEY`, hexadecimal with or without 0x. */
function parsePkeyQuery(text: string): { low: number; high: number } {
  const nums = text.split('-').map((s) => (/^\s*(0x)?[0-9a-f]+\s*$/i.test(s) ? parseInt(s.trim(), 16) : NaN));
  if (nums.length > 2 || nums.some((n) => Number.isNaN(n))) fail('usage', 'Enter a pkey number or range, e.g. 0x22 or 0x6000-0x6020', { data: { ibpkeycon: text } });
  const low = nums[0]!;
  const high = nums[1] ?? low;
  if (low < 1 || high < 1) fail('bad-query', `Pkeys must be positive: 0x${low.toString(16)}-0x${high.toString(16)}`, { data: { ibpkeycon: text } });
  if (low > high) fail('bad-query', `The low pkey must be smaller than the high pkey: 0x${low.toString(16)}-0x${high.toString(16)}`, { data: { ibpkeycon: text } });
  return { low, high };
}

export interface Network {
  addr: Uint8Array;
  mask: Uint8Array;
}

/** `--nodecon` text as Python's ipaddress.ip_network reads it: ADDR, ADDR/PREFIX or ADDR/NETMASK; host bits must be clear. */
export function parseNetworkQuery(text: string): Network {
  const bad = (): never => fail('bad-query', `'${text}' does not appear to be an IPv4 or IPv6 network`, { data: { nodecon: text } });
  const [host, suffix, ...rest] = text.split('/');
  if (rest.length || host === undefined) return bad();
  const addr = ipBytes(host) ?? bad();
  const bits = addr.length * 8;
  let mask: Uint8Array;
  if (suffix === undefined) mask = prefixMask(bits, bits);
  else if (/^\d+$/.test(suffix) && Number(suffix) <= bits) mask = prefixMask(bits, Number(suffix));
  else if (addr.length === 4 && ipBytes(suffix)?.length === 4 && prefixOf(ipBytes(suffix)!) !== undefined) mask = ipBytes(suffix)!;
  else return bad();
  if (addr.some((b, i) => (b & ~mask[i]!) !== 0)) fail('bad-query', `${text} has host bits set`, { data: { nodecon: text } });
  return { addr, mask };
}

function sameNetwork(net: Network, addr: string, mask: string): boolean {
  const a = ipBytes(addr);
  const m = ipBytes(mask);
  return !!a && !!m && a.length === net.addr.length && a.every((b, i) => b === net.addr[i]) && m.every((b, i) => b === net.mask[i]);
}

/** Builds listings for a policy; one instance caches the alias order. */
export class PolicyLister {
  private aliasOrder?: AliasOrder;
  constructor(readonly policy: Policy) {}

  private get aliases(): AliasOrder {
    return (this.aliasOrder ??= new AliasOrder(this.policy));
  }

  /** The listings asked for, in seinfo's order. Components with an empty-string name are left out, as seinfo does. */
  listings(queries: ListingQueries): Listing[] {
    const out: Listing[] = [];
    for (const spec of LISTINGS) {
      const q = queries[spec.kind];
      if (q === undefined || q === '') continue;
      out.push(this.listing(spec.kind, q === true ? undefined : q));
    }
    return out;
  }

  /** One listing: every item, or those matching `name`. */
  listing(kind: ListingKind, name?: string): Listing {
    const spec = LISTINGS.find((s) => s.kind === kind)!;
    const items = this.items(kind, name);
    if (kind !== 'category' && kind !== 'sensitivity') items.sort((a, b) => byString(a.text, b.text));
    return { ...spec, items };
  }

  private typeItem(t: TypeDef): ListingItem {
    const p = this.policy;
    const aliases = this.aliases.typeAliases(t.aliases);
    const attrs = t.attrs
      .map((v) => p.types[v - 1])
      .filter(named)
      .map((a) => a.name);
    return {
      text: t.name,
      statement: `type ${t.name}${aliasClause(aliases)}${attrs.map((a) => `, ${a}`).join('')};`,
      data: { name: t.name, aliases, attributes: attrs, permissive: t.permissive },
    };
  }

  private items(kind: ListingKind, name: string | undefined): ListingItem[] {
    const p = this.policy;
    const ctx = (c: Parameters<typeof formatPolicyContext>[1]): string => formatPolicyContext(p, c);
    const want = (n: string): boolean => name === undefined || n === name;
    switch (kind) {
      case 'bool':
        return p.bools.filter((b) => b && want(b.name)).map((b) => ({ text: b.name, statement: `bool ${b.name} ${b.state};`, data: { name: b.name, state: b.state } }));
      case 'category':
        return p.categories
          .filter((c) => c && (want(c.name) || c.aliases.includes(name!)))
          .map((c) => {
            const aliases = this.aliases.catAliases(c.aliases);
            return { text: c.name, statement: `category ${c.name}${aliasClause(aliases)};`, data: { name: c.name, aliases } };
          });
      case 'sensitivity':
        return p.sensitivities
          .filter((s) => s && (want(s.name) || s.aliases.includes(name!)))
          .map((s) => {
            const aliases = this.aliases.sensAliases(s.aliases);
            return { text: s.name, statement: `sensitivity ${s.name}${aliasClause(aliases)};`, data: { name: s.name, aliases, level: formatLevel(p, s.level) } };
          });
      case 'class':
        return p.classes
          .filter((c) => c && want(c.name))
          .map((c) => {
            const perms = sorted(c.perms.filter((x): x is string => x !== undefined));
            let st = `class ${c.name}\n`;
            if (c.common !== undefined) st += `inherits ${c.common}\n`;
            if (perms.length) st += `{\n\t${perms.join('\n\t')}\n}`;
            return { text: c.name, statement: st, data: { name: c.name, common: c.common ?? null, perms } };
          });
      case 'common':
        return p.commons
          .filter((c) => c && want(c.name))
          .map((c) => {
            const perms = sorted(c.perms.filter((x): x is string => x !== undefined));
            return { text: c.name, statement: `common ${c.name}\n{\n\t${perms.join('\n\t')}\n}`, data: { name: c.name, perms } };
          });
      case 'constrain':
      case 'validatetrans': {
        if (name !== undefined && !p.classes.some((c) => c?.name === name)) fail('unknown-name', `${name} is not a valid class`, { data: { kind: 'class', name } });
        const vt = kind === 'validatetrans';
        return p.classes
          .filter((c) => c && want(c.name))
          .flatMap((c) =>
            (vt ? c.validatetrans : c.constraints).map((k) => {
              const st = constraintStatement(p, c, k, vt);
              return { text: st, statement: st, data: { rule: st.slice(0, st.indexOf(' ')), class: c.name, mls: k.mls, statement: st.trimEnd() } };
            }),
          );
      }
      case 'default': {
        if (name !== undefined && !p.classes.some((c) => c?.name === name)) fail('unknown-name', `${name} is not a valid class`, { data: { kind: 'class', name } });
        const out: ListingItem[] = [];
        const side = ['', 'source', 'target'];
        for (const c of p.classes) {
          if (!c || !want(c.name)) continue;
          const add = (what: string, value: string): void => {
            const st = `default_${what} ${c.name} ${value};`;
            out.push({ text: st, statement: st, data: { rule: `default_${what}`, class: c.name, default: value } });
          };
          if (c.defaultUser) add('user', side[c.defaultUser]!);
          if (c.defaultRole) add('role', side[c.defaultRole]!);
          if (c.defaultType) add('type', side[c.defaultType]!);
          // setools writes the range part with an underscore: `source low_high`.
          if (c.defaultRange) add('range', (DEFAULT_RANGE_NAMES[c.defaultRange] ?? String(c.defaultRange)).replace('low-high', 'low_high'));
        }
        return out;
      }
      case 'ibendportcon':
        return p.ocontexts.ibendports
          .filter((o) => want(o.device))
          .map((o) => {
            const st = `ibendportcon ${o.device} ${o.port} ${ctx(o.context)}`;
            return { text: st, statement: st, data: { device: o.device, port: o.port, context: ctx(o.context) } };
          });
      case 'ibpkeycon': {
        const range = name === undefined ? undefined : parsePkeyQuery(name);
        return p.ocontexts.ibpkeys
          .filter((o) => !range || (o.low === range.low && o.high === range.high))
          .map((o) => {
            const subnet = ipv6Text(hexBytes(o.subnetPrefix.padEnd(32, '0')));
            const hex = (n: number): string => `0x${n.toString(16)}`;
            const pkeys = o.low === o.high ? hex(o.low) : `${hex(o.low)}-${hex(o.high)}`;
            const st = `ibpkeycon ${subnet} ${pkeys} ${ctx(o.context)}`;
            return { text: st, statement: st, data: { subnetPrefix: subnet, low: o.low, high: o.high, context: ctx(o.context) } };
          });
      }
      case 'netifcon':
        return p.ocontexts.netifs
          .filter((o) => want(o.name))
          .map((o) => {
            const st = `netifcon ${o.name} ${ctx(o.context)} ${ctx(o.packetContext)}`;
            return { text: st, statement: st, data: { device: o.name, context: ctx(o.context), packetContext: ctx(o.packetContext) } };
          });
      case 'nodecon': {
        const net = name === undefined ? undefined : parseNetworkQuery(name);
        const nodes = [...p.ocontexts.nodes.map((o) => ({ ...o, v6: false })), ...p.ocontexts.nodes6.map((o) => ({ ...o, v6: true }))];
        return nodes
          .filter((o) => !net || sameNetwork(net, o.addr, o.mask))
          .map((o) => {
            const st = `nodecon ${o.addr} ${o.mask} ${ctx(o.context)}`;
            return { text: st, statement: st, data: { address: o.addr, netmask: o.mask, ipv6: o.v6, context: ctx(o.context) } };
          });
      }
      case 'typebounds':
        return p.types
          .filter((t) => named(t) && !t.isAttribute && t.bounds !== 0 && want(t.name))
          .map((t) => {
            const parent = p.types[t.bounds - 1]?.name ?? `<type ${t.bounds}>`;
            const st = `typebounds ${parent} ${t.name};`;
            return { text: st, statement: st, data: { parent, child: t.name } };
          });
      case 'fsUse':
        return p.ocontexts.fsUses
          .filter((f) => want(f.fstype))
          .map((f) => {
            const behavior = FS_USE_NAMES[f.behavior] ?? String(f.behavior);
            const st = `${behavior} ${f.fstype} ${ctx(f.context)};`;
            return { text: st, statement: st, data: { behavior, fs: f.fstype, context: ctx(f.context) } };
          });
      case 'genfscon':
        return p.genfs
          .filter((g) => want(g.fstype))
          .flatMap((g) =>
            g.entries.map((e) => {
              const cls = e.tclass ? p.classes[e.tclass - 1]?.name : undefined;
              const filetype = (cls !== undefined && GENFS_FILETYPES[cls]) || '';
              const st = `genfscon ${g.fstype} ${e.path} ${filetype} ${ctx(e.context)}`;
              return { text: st, statement: st, data: { fs: g.fstype, path: e.path, filetype, class: cls ?? null, context: ctx(e.context) } };
            }),
          );
      case 'initialSid':
        return p.ocontexts.initialSids
          .filter((s) => want(s.name))
          .map((s) => ({ text: s.name, statement: `sid ${s.name} ${ctx(s.context)}`, data: { name: s.name, sid: s.sid, context: ctx(s.context) } }));
      case 'polcap':
        return p.polcapNames.filter(want).map((n) => ({ text: n, statement: `policycap ${n};`, data: { name: n } }));
      case 'portcon': {
        const range = name === undefined ? undefined : parsePortQuery(name);
        return p.ocontexts.ports
          .filter((o) => !range || (o.low <= range.low && range.high <= o.high))
          .map((o) => {
            const protocol = PROTOCOLS[o.protocol] ?? String(o.protocol);
            const ports = o.low === o.high ? `${o.low}` : `${o.low}-${o.high}`;
            const st = `portcon ${protocol} ${ports} ${ctx(o.context)}`;
            return { text: st, statement: st, data: { protocol, low: o.low, high: o.high, context: ctx(o.context) } };
          });
      }
      case 'role':
        return p.roles
          .filter((r) => r && want(r.name))
          .map((r) => {
            const types = sorted(r.types.map((v) => p.types[v - 1]?.name ?? `<type ${v}>`));
            const st = types.length === 1 ? `role ${r.name} types ${types[0]};` : `role ${r.name} types { ${types.join(' ')} };`;
            return { text: r.name, statement: st, data: { name: r.name, types } };
          });
      case 'type':
        return p.types.filter((t) => named(t) && !t.isAttribute && (want(t.name) || t.aliases.includes(name!))).map((t) => this.typeItem(t));
      case 'permissive':
        return p.types.filter((t) => named(t) && !t.isAttribute && t.permissive && want(t.name)).map((t) => this.typeItem(t));
      case 'attribute':
        return p.types
          .filter((t) => named(t) && t.isAttribute && want(t.name))
          .map((a) => {
            const types = sorted(a.attrs.map((v) => p.types[v - 1]?.name ?? `<type ${v}>`));
            return {
              text: a.name,
              statement: `attribute ${a.name};\n\t${types.length ? types.join('\n\t') : '<empty attribute>'}`,
              data: { name: a.name, types },
            };
          });
      case 'user':
        return p.users
          .filter((u) => u && want(u.name))
          .map((u) => {
            const roles = sorted(u.roles.map((v) => p.roles[v - 1]?.name ?? `<role ${v}>`).filter((r) => r !== 'object_r'));
            let st = `user ${u.name} roles ${roles.length === 1 ? roles[0] : `{ ${roles.join(' ')} }`}`;
            const data: Record<string, unknown> = { name: u.name, roles };
            if (p.mls) {
              const level = formatLevel(p, u.defaultLevel);
              const range = formatRange(p, u.range);
              st += ` level ${level} range ${range};`;
              Object.assign(data, { level, range });
            } else st += ';';
            return { text: u.name, statement: st, data };
          });
    }
  }
}

/** The listings as seinfo prints them (`--flat`: no headers, no indentation). */
export function printSeinfoListings(listings: readonly Listing[], opts: { expand?: boolean; flat?: boolean } = {}): string {
  let out = '';
  for (const l of listings) {
    if (!opts.flat) out += `\n${l.title}: ${l.items.length}\n`;
    const indent = opts.flat ? '' : '   ';
    for (const it of l.items) out += `${indent}${opts.expand ? it.statement : it.text}\n`;
  }
  return out;
}

/** The listings as one plain object: `{ types: [...], portcon: [...] }`, in seinfo's order. */
export function listingsJson(listings: readonly Listing[]): Record<string, Record<string, unknown>[]> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const l of listings) out[l.jsonKey] = l.items.map((i) => i.data);
  return out;
}
