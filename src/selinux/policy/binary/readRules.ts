// The sections of a kernel policy after the symbol tables (their layouts:
// constants.ts): the avtab and the conditional lists (into AvTab columns,
// through the WebAssembly loops where they can), role transitions and allows, filename
// transitions, the object contexts of each kind the version has and genfscon,
// range transitions, and the type attribute map that ends the file. read.ts
// calls them in the table's order; contexts are its Reader.context().

import type { ClassDef, CondExpr, CondNode, FilenameTransition, Genfs, OContexts, RangeTransition, RoleAllow, RoleTransition } from '../model.js';
import { ipv6Text } from '../query/ip.js';
import { TypeAttrMap } from '../typeAttrMap.js';
import { AvTab } from './avtab.js';
import {
  checkCondEnd,
  checkCondHead,
  checkFilenameNewType,
  checkFilenameTransition,
  checkFilenameTransitionKey,
  checkIbEndport,
  checkInitialSid,
  checkPkeys,
  checkRangeTransition,
  checkRoleAllow,
  checkRoleTransition,
  condNode,
  sectionCount,
} from './checks.js';
import { COND, INITIAL_SID_NAMES, ITEMS, OCON, type Section } from './constants.js';
import type { Cursor } from './cursor.js';
import { readEbitmap, readEbitmapInto } from './ebitmap.js';
import { arenaColumnBytes, arenaIndexBytes, KERNEL_WINDOW, KernelArena } from './kernel/readerKernel.js';
import type { Reader } from './read.js';

export function readAvtabSection(r: Reader, s: Section): void {
  const c: Cursor = r.c;
  const nav = sectionCount(c, s);
  // Room for both tables and their indexes (see readerKernel.ts); what the conditional table
  // does not use is never touched.
  const condMax = Math.floor(Math.max(0, c.left - nav * s.minEntry) / ITEMS.conditionalRule.minBytes);
  const arena = KernelArena.create(arenaColumnBytes(nav) + arenaIndexBytes(nav) + arenaColumnBytes(condMax) + arenaIndexBytes(condMax));
  r.arena = arena;
  const avtab = new AvTab(nav, 0, arena);
  avtab.readItems(c, nav, r.version, false, r.n.types, r.n.classes);
  avtab.seal();
  r.avtab = avtab;
}

export function readConditionals(r: Reader, s: Section): void {
  const c: Cursor = r.c;
  // Room for every entry the bytes left could hold: no regrowth, and the pages never written cost nothing.
  const tab = new AvTab(Math.floor(c.left / ITEMS.conditionalRule.minBytes), 0, r.arena);
  const n = sectionCount(c, s);
  const out: CondNode[] = [];
  for (let i = 0; i < n; i++) {
    const at = c.pos;
    const state = c.u32();
    const nexpr = c.count(c.u32(), ITEMS.conditionalNode.minBytes, ITEMS.conditionalNode.what);
    checkCondHead(c, i, at, nexpr);
    const expr: CondExpr[] = [];
    let depth = 0;
    for (let j = 0; j < nexpr; j++) {
      const eat = c.pos;
      const type = c.u32();
      const b = c.u32();
      depth = condNode(c, i, eat, type, b, depth, r.n.bools);
      if (type === COND.BOOL) expr.push({ kind: 'bool', bool: b });
      else if (type === COND.NOT) expr.push({ kind: 'not' });
      else expr.push({ kind: (['or', 'and', 'xor', 'eq', 'neq'] as const)[type - COND.OR]! });
    }
    checkCondEnd(c, i, at, depth);
    const trueStart = tab.count;
    const nt = c.count(c.u32(), ITEMS.conditionalRule.minBytes, ITEMS.conditionalRule.what);
    tab.readItems(c, nt, r.version, true, r.n.types, r.n.classes);
    const trueEnd = tab.count;
    const nf = c.count(c.u32(), ITEMS.conditionalRule.minBytes, ITEMS.conditionalRule.what);
    tab.readItems(c, nf, r.version, true, r.n.types, r.n.classes);
    out.push({ expr, state: state !== 0, trueStart, trueEnd, falseStart: trueEnd, falseEnd: tab.count });
  }
  tab.seal();
  r.condAvtab = tab;
  r.conds = out;
}

export function readRoleTransitions(r: Reader, s: Section): void {
  const c: Cursor = r.c;
  const withClass = r.has.roleTransitionClass;
  const n = sectionCount(c, s);
  const out: RoleTransition[] = [];
  for (let i = 0; i < n; i++) {
    const at = c.pos;
    const role = c.u32();
    const type = c.u32();
    const newRole = c.u32();
    const tclass = withClass ? c.u32() : classValue(r.symbols.classes, 'process');
    checkRoleTransition(c, i, at, role, type, newRole, tclass, r.n);
    out.push({ role, type, tclass, newRole });
  }
  r.roleTransitions = out;
}

export function readRoleAllows(r: Reader, s: Section): void {
  const c: Cursor = r.c;
  const n = sectionCount(c, s);
  const out: RoleAllow[] = [];
  for (let i = 0; i < n; i++) {
    const at = c.pos;
    const role = c.u32();
    const newRole = c.u32();
    checkRoleAllow(c, i, at, role, newRole, r.n);
    out.push({ role, newRole });
  }
  r.roleAllows = out;
}

/** The layout from version 33 on: per (name, target, class), the source types of each new type. */
export function readFilenameTransitionsCompact(r: Reader, s: Section): void {
  const c: Cursor = r.c;
  const ntypes = r.n.types;
  const n = sectionCount(c, s);
  const out: FilenameTransition[] = [];
  for (let i = 0; i < n; i++) {
    const name = c.lstr('file name');
    const at = c.pos;
    const ttype = c.u32();
    const tclass = c.u32();
    const ndatum = c.count(c.u32(), ITEMS.filenameTransitionDatum.minBytes, ITEMS.filenameTransitionDatum.what);
    checkFilenameTransitionKey(c, i, at, ttype, tclass, ndatum, r.n);
    for (let j = 0; j < ndatum; j++) {
      const stypes = readEbitmap(c, ntypes, 1);
      const oat = c.pos;
      const otype = c.u32();
      checkFilenameNewType(c, i, oat, otype, r.n);
      out.push({ name, ttype, tclass, otype, stypes });
    }
  }
  r.filenameTransitions = out;
}

/** The layout before version 33, one rule per source type: grouped as the compact layout groups them. */
export function readFilenameTransitions(r: Reader, s: Section): void {
  const c: Cursor = r.c;
  const n = sectionCount(c, s);
  const byKey = new Map<string, Map<number, { ft: FilenameTransition; stypes: Set<number> }>>();
  const seen = new Map<string, Set<number>>();
  const order: { ft: FilenameTransition; stypes: Set<number> }[] = [];
  for (let i = 0; i < n; i++) {
    const name = c.lstr('file name');
    const at = c.pos;
    const stype = c.u32();
    const ttype = c.u32();
    const tclass = c.u32();
    const otype = c.u32();
    checkFilenameTransition(c, i, at, stype, ttype, tclass, otype, r.n);
    const key = `${ttype}:${tclass}:${name}`;
    // libsepol ignores a second rule for the same (stype, key).
    let seenTypes = seen.get(key);
    if (!seenTypes) seen.set(key, (seenTypes = new Set()));
    if (seenTypes.has(stype)) continue;
    seenTypes.add(stype);
    let m = byKey.get(key);
    if (!m) byKey.set(key, (m = new Map()));
    let d = m.get(otype);
    if (!d) {
      d = { ft: { name, ttype, tclass, otype, stypes: [] }, stypes: new Set() };
      m.set(otype, d);
      order.push(d);
    }
    d.stypes.add(stype);
  }
  r.filenameTransitions = order.map((d) => ({ ...d.ft, stypes: [...d.stypes].sort((a, b) => a - b) }));
}

export function readRangeTransitions(r: Reader, s: Section): void {
  const c: Cursor = r.c;
  const withClass = r.has.rangeTransitionClass;
  const n = sectionCount(c, s);
  const out: RangeTransition[] = [];
  for (let i = 0; i < n; i++) {
    const at = c.pos;
    const source = c.u32();
    const target = c.u32();
    const tclass = withClass ? c.u32() : classValue(r.symbols.classes, 'process');
    checkRangeTransition(c, i, at, source, target, tclass, r.n);
    out.push({ source, target, tclass, range: r.range() });
  }
  r.rangeTransitions = out;
}

/**
 * The type attribute map (one ebitmap per type value), checked and kept as one list. The
 * WebAssembly loop reads what the window holds; a map it stops at (cut by the window's end,
 * or wrong: the JavaScript check then names what is wrong) is read here.
 */
export function readTypeAttrMap(r: Reader, s: Section): void {
  const c: Cursor = r.c;
  const ntypes = r.n.types;
  c.count(ntypes, s.minEntry, s.what);
  const scratch = new Int32Array(ntypes);
  // A map holds a type's attributes and itself: a few values per type, mostly. The list grows
  // when it needs to.
  const guess = 16 * ntypes + 4096;
  const arena = r.kernel?.grow(4 * (ntypes + 1) + 4 * guess) ? r.kernel : undefined;
  let map: TypeAttrMap;
  if (!arena) {
    const ends = new Int32Array(ntypes + 1);
    let values = new Int32Array(guess);
    let k = 0;
    for (let i = 0; i < ntypes; i++) {
      const n = readEbitmapInto(c, ntypes, 1, scratch);
      if (k + n > values.length) {
        const more = new Int32Array(Math.max(k + n, 2 * values.length));
        more.set(values.subarray(0, k));
        values = more;
      }
      values.set(scratch.subarray(0, n), k);
      k += n;
      ends[i + 1] = k;
    }
    map = new TypeAttrMap(ends, values.subarray(0, k));
  } else {
    const endsAt = arena.take(4 * (ntypes + 1));
    const listAt = arena.take(0);
    const kernel = arena.kernel;
    let i = 0;
    let k = 0;
    while (i < ntypes) {
      // Keep room for a map of 1024 nodes ahead: the loop stops short of the end of the room.
      if (arena.roomFrom(listAt) < 4 * (k + 65536) && !arena.grow(4 * (k + 65536))) c.fail('too many values to hold in memory');
      const cap = Math.floor(arena.roomFrom(listAt) / 4);
      const inHand = Math.min(c.end - c.pos, KERNEL_WINDOW);
      if (inHand >= 12) {
        c.copyOut(c.pos, c.pos + inHand, arena.window(), 0);
        const got = kernel.readMaps(0, inHand, ntypes - i, ntypes, endsAt + 4 * (i + 1), listAt, k, cap);
        c.pos += kernel.used.value;
        k = kernel.filled.value;
        i += got;
        if (got > 0) continue;
      }
      const n = readEbitmapInto(c, ntypes, 1, scratch);
      if (arena.roomFrom(listAt) < 4 * (k + n) && !arena.grow(4 * (k + n))) c.fail('too many values to hold in memory');
      new Int32Array(arena.buffer, listAt + 4 * k, n).set(scratch.subarray(0, n));
      k += n;
      new Int32Array(arena.buffer, endsAt, ntypes + 1)[++i] = k;
    }
    map = new TypeAttrMap(new Int32Array(arena.buffer, endsAt, ntypes + 1), new Int32Array(arena.buffer, listAt, k));
  }
  r.typeAttrMap = map;
  r.attrSource.map = map;
}

export function readOContexts(r: Reader): void {
  const c: Cursor = r.c;
  const o: OContexts = { initialSids: [], fs: [], ports: [], netifs: [], nodes: [], nodes6: [], fsUses: [], ibpkeys: [], ibendports: [] };
  for (const kind of r.layout.ocontexts) {
    c.section = `ocontexts/${kind.name}`;
    const n = c.count(c.u32(), kind.minEntry, kind.name);
    for (let j = 0; j < n; j++) {
      const at = c.pos;
      switch (kind.kind) {
        case OCON.ISID: {
          const sid = c.u32();
          checkInitialSid(c, at, sid);
          o.initialSids.push({ sid, name: INITIAL_SID_NAMES[sid] ?? `sid${sid}`, context: r.context() });
          break;
        }
        case OCON.FS:
        case OCON.NETIF: {
          const name = c.lstr('interface or file system name', 63);
          const a = r.context();
          const b = r.context();
          if (kind.kind === OCON.FS) o.fs.push({ name, context: a, defaultContext: b });
          else o.netifs.push({ name, context: a, packetContext: b });
          break;
        }
        case OCON.PORT: {
          const protocol = c.u32();
          const low = c.u32();
          const high = c.u32();
          o.ports.push({ protocol, low, high, context: r.context() });
          break;
        }
        case OCON.NODE: {
          // raw() views the bytes in hand: use each before the next read.
          const addr = c.raw(4).join('.');
          const mask = c.raw(4).join('.');
          o.nodes.push({ addr, mask, context: r.context() });
          break;
        }
        case OCON.FSUSE: {
          const behavior = c.u32();
          const fstype = c.lstr('file system name');
          o.fsUses.push({ behavior, fstype, context: r.context() });
          break;
        }
        case OCON.NODE6: {
          const addr = ipv6Text(c.raw(16));
          const mask = ipv6Text(c.raw(16));
          o.nodes6.push({ addr, mask, context: r.context() });
          break;
        }
        case OCON.IBPKEY: {
          const subnetPrefix = Buffer.from(c.raw(8)).toString('hex');
          const low = c.u32();
          const high = c.u32();
          checkPkeys(c, at, low, high);
          o.ibpkeys.push({ subnetPrefix, low, high, context: r.context() });
          break;
        }
        case OCON.IBENDPORT: {
          const len = c.u32();
          const port = c.u32();
          checkIbEndport(c, at, len, port);
          const device = c.str(len, 'ibendport device');
          o.ibendports.push({ device, port, context: r.context() });
          break;
        }
      }
    }
  }
  r.ocontexts = o;
}

export function readGenfs(r: Reader, s: Section): void {
  const c: Cursor = r.c;
  const n = sectionCount(c, s);
  const out: Genfs[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const at = c.pos;
    const fstype = c.lstr('genfs file system name');
    if (seen.has(fstype)) c.fail(`duplicate genfs file system ${fstype}`, at);
    seen.add(fstype);
    const m = c.count(c.u32(), ITEMS.genfscon.minBytes, ITEMS.genfscon.what);
    const entries: Genfs['entries'] = [];
    for (let j = 0; j < m; j++) {
      const path = c.lstr('genfs path');
      const cat = c.pos;
      const tclass = c.u32();
      if (tclass > r.n.classes) c.fail(`genfscon class value ${tclass} out of range`, cat);
      entries.push({ path, tclass, context: r.context() });
    }
    out.push({ fstype, entries });
  }
  r.genfs = out;
}

/** The value of the class named `name` (0: none), for the layouts that imply the process class. */
function classValue(classes: (ClassDef | undefined)[], name: string): number {
  for (const cl of classes) if (cl?.name === name) return cl.value;
  return 0;
}
