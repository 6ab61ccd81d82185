// readPolicy: the kernel binary policy (policydb_read of libsepol, versions
// 24..35) into the plain-data model. Section by section, in file order; every
// count is checked against the bytes left before anything is allocated, so a
// truncated or corrupt file ends in a PolicyReadError naming the section and
// the offset.

import { PolicyIndex } from '../indexes.js';
import type {
  Bool,
  Category,
  ClassDef,
  Common,
  CondExpr,
  CondNode,
  Constraint,
  ConstraintExpr,
  Context,
  FilenameTransition,
  Genfs,
  Level,
  OContexts,
  Policy,
  Range,
  RangeTransition,
  Role,
  RoleAllow,
  RoleTransition,
  Sensitivity,
  TypeDef,
  TypeSet,
  User,
} from '../model.js';
import { ipv6Text } from '../query/ip.js';
import { TypeAttrMap, type TypeAttrSource, TypeDecl } from '../typeAttrMap.js';
import { AvTab } from './avtab.js';
import { condNode, constraintNode, OCON_MIN_SIZE, OCON_NAMES, symtabHeader } from './checks.js';
import { CEXPR, COND, CONFIG_MLS, EARLY_BITS, INITIAL_SID_NAMES, OCON, oconNum, PERM_SYMTAB_SIZE, POLCAP_NAMES, TYPEDATUM_PROPERTY_ATTRIBUTE, TYPEDATUM_PROPERTY_PRIMARY, V } from './constants.js';
import { Cursor, FileCursor } from './cursor.js';
import { checkEbitmap, readEbitmap, readEbitmapInto } from './ebitmap.js';
import { readHeader } from './header.js';
import { arenaColumnBytes, arenaIndexBytes, KERNEL_WINDOW, KernelArena } from './readerKernel.js';

/**
 * Reads a kernel binary policy (versions 24 to 35). Throws PolicyReadError on
 * anything it cannot read. The policy keeps `bytes` (some parts are decoded
 * when first used): do not change them afterwards.
 */
export function readPolicy(bytes: Uint8Array): Policy {
  return new Reader(new Cursor(bytes)).read();
}

/** readPolicy of the file at `path`, read through a small window (fs errors are thrown as they are). */
export function readPolicyFile(path: string, window?: number): Policy {
  return FileCursor.with(path, (c) => new Reader(c).read(), window);
}

/** The empty list that symbols without aliases share (never written to). */
const NO_NAMES: string[] = [];

class Reader {
  readonly c: Cursor;
  version = 0;
  mls = false;
  n = { commons: 0, classes: 0, roles: 0, types: 0, users: 0, bools: 0, levels: 0, cats: 0 };
  /** The constraints' name bitmaps, decoded when first used (NamesExpr). */
  readonly namesPool = new BytePool();
  /**
   * The WebAssembly kernel for the constraints and the type attribute map (undefined: JavaScript
   * only). Its memory grows for the map, read last: nothing else keeps views of it.
   */
  readonly kernel: KernelArena | undefined;
  /** Where the types find the type attribute map once it is read. */
  readonly attrSource: TypeAttrSource = {};
  /** The bytes of the constraints the kernel checked, decoded when a class's are first used. */
  readonly constraintPool = new BytePool();

  constructor(c: Cursor, kernel = true) {
    this.c = c;
    this.kernel = kernel ? KernelArena.create(0, true) : undefined;
  }

  read(): Policy {
    const c: Cursor = this.c;
    // ------------------------------------------------------------ header
    const { version, config, handleUnknown } = readHeader(c);
    this.version = version;
    this.mls = (config & CONFIG_MLS) !== 0;

    c.section = 'policy capabilities';
    const polcaps = readEbitmap(c, 1024);
    c.section = 'permissive types';
    const permissive = readEbitmap(c, EARLY_BITS);
    let neveraudit: number[] = [];
    if (version >= V.NEVERAUDIT) {
      c.section = 'neveraudit types';
      neveraudit = readEbitmap(c, EARLY_BITS);
    }

    // ------------------------------------------------------------ symbols
    const commons = this.symtab('commons', 17, () => this.common());
    const commonByName = new Map<string, Common>();
    for (const cm of commons.items) commonByName.set(cm.name, cm);
    const classes = this.symtab('classes', 25, () => this.classDef(commonByName));
    const roles = this.symtab('roles', 13 + 24, () => this.role());
    const types = this.types();
    const users = this.symtab('users', 13 + 12, () => this.user());
    const bools = this.symtab('booleans', 13, () => this.bool());
    const levels = this.symtab('sensitivities', 9 + 16, () => this.sens());
    const cats = this.categories();
    this.n = { commons: commons.nprim, classes: classes.nprim, roles: roles.nprim, types: types.nprim, users: users.nprim, bools: bools.nprim, levels: levels.nprim, cats: cats.nprim };

    const commonArr = byValue(c, 'commons', commons.items, commons.nprim);
    const classArr = byValue(c, 'classes', classes.items, classes.nprim);
    for (const cl of classArr) {
      if (!cl) continue;
      const cm = cl.common !== undefined ? commonByName.get(cl.common) : undefined;
      const all: (string | undefined)[] = cm ? cm.perms.slice() : [];
      cl.perms.forEach((p, i) => {
        if (p !== undefined) all[i] = p;
      });
      cl.allPerms = all;
    }
    const roleArr = byValue(c, 'roles', roles.items, roles.nprim);
    for (const r of roleArr) {
      if (r && r.name === 'object_r' && r.value !== 1) {
        c.section = 'roles';
        c.fail('role object_r must have value 1');
      }
    }
    const typeArr = types.items;
    const userArr = byValue(c, 'users', users.items, users.nprim);
    const boolArr = byValue(c, 'booleans', bools.items, bools.nprim);
    const sensArr = this.sensitivities(levels.items, levels.nprim);
    const catArr = cats.items;
    this.checkSymbolRefs(roleArr, userArr, typeArr);

    const setBits = (bits: number[], what: string, f: (t: TypeDef) => void): void => {
      for (const b of bits) {
        const t = b >= 1 ? typeArr[b - 1] : undefined;
        if (!t) {
          c.section = what;
          c.fail(`bit ${b} is not a type value`);
        }
        f(t);
      }
    };
    setBits(permissive, 'permissive types', (t) => (t.permissive = true));
    setBits(neveraudit, 'neveraudit types', (t) => (t.neveraudit = true));

    // ------------------------------------------------------------ rules
    c.section = 'avtab';
    const nav = c.count(c.u32(), 12, 'avtab entry');
    // Room for both tables and their indexes (see readerKernel.ts); what the conditional table
    // does not use is never touched.
    const condMax = Math.floor(Math.max(0, c.left - nav * 12) / 12);
    const arena = KernelArena.create(arenaColumnBytes(nav) + arenaIndexBytes(nav) + arenaColumnBytes(condMax) + arenaIndexBytes(condMax));
    const avtab = new AvTab(nav, 0, arena);
    avtab.readItems(c, nav, version, false, this.n.types, this.n.classes);
    avtab.seal();

    c.section = 'conditional rules';
    // Room for every entry the bytes left could hold: no regrowth, and the pages never written cost nothing.
    const condAvtab = new AvTab(Math.floor(c.left / 12), 0, arena);
    const conds = this.condList(condAvtab);
    condAvtab.seal();

    c.section = 'role transitions';
    const roleTransitions: RoleTransition[] = [];
    const nrt = c.count(c.u32(), version >= V.ROLETRANS ? 16 : 12, 'role_transition');
    for (let i = 0; i < nrt; i++) {
      const at = c.pos;
      const role = c.u32();
      const type = c.u32();
      const newRole = c.u32();
      const tclass = version >= V.ROLETRANS ? c.u32() : classValue(classArr, 'process');
      if (!inRange(role, this.n.roles) || !inRange(newRole, this.n.roles) || !inRange(type, this.n.types) || !inRange(tclass, this.n.classes)) {
        c.fail(`role_transition ${i}: value out of range`, at);
      }
      roleTransitions.push({ role, type, tclass, newRole });
    }

    c.section = 'role allows';
    const roleAllows: RoleAllow[] = [];
    const nra = c.count(c.u32(), 8, 'role allow');
    for (let i = 0; i < nra; i++) {
      const at = c.pos;
      const role = c.u32();
      const newRole = c.u32();
      if (!inRange(role, this.n.roles) || !inRange(newRole, this.n.roles)) c.fail(`role allow ${i}: role value out of range`, at);
      roleAllows.push({ role, newRole });
    }

    let filenameTransitions: FilenameTransition[] = [];
    if (version >= V.FILENAME_TRANS) {
      c.section = 'filename transitions';
      filenameTransitions = version >= V.COMP_FTRANS ? this.filenameTransCompact() : this.filenameTransOld();
    }

    // ------------------------------------------------------------ labeling
    const ocontexts = this.ocontexts();
    c.section = 'genfs';
    const genfs = this.genfs();

    c.section = 'range transitions';
    const rangeTransitions: RangeTransition[] = [];
    const nrange = c.count(c.u32(), 8 + 4 + 12, 'range_transition');
    for (let i = 0; i < nrange; i++) {
      const at = c.pos;
      const source = c.u32();
      const target = c.u32();
      const tclass = version >= V.RANGETRANS ? c.u32() : classValue(classArr, 'process');
      if (!inRange(source, this.n.types) || !inRange(target, this.n.types) || !inRange(tclass, this.n.classes)) {
        c.fail(`range_transition ${i}: value out of range`, at);
      }
      rangeTransitions.push({ source, target, tclass, range: this.range() });
    }

    // ------------------------------------------------------------ type -> attribute map
    c.section = 'type attribute map';
    const ntypes = this.n.types;
    c.count(ntypes, 12, 'type attribute map');
    const typeAttrMap = this.typeAttrMap(ntypes);
    this.attrSource.map = typeAttrMap;

    const policy = {
      version,
      target: 'selinux' as const,
      mls: this.mls,
      handleUnknown,
      polcaps,
      polcapNames: polcaps.map((b) => POLCAP_NAMES[b] ?? `polcap${b}`),
      nprim: this.n,
      commons: commonArr.filter((x): x is Common => x !== undefined),
      classes: classArr as ClassDef[],
      roles: roleArr as Role[],
      types: typeArr,
      users: userArr as User[],
      bools: boolArr as Bool[],
      sensitivities: sensArr,
      categories: catArr,
      avtab,
      condAvtab,
      conds,
      roleTransitions,
      roleAllows,
      filenameTransitions,
      ocontexts,
      genfs,
      rangeTransitions,
      typeAttrMap,
    } as Omit<Policy, 'index'> as Policy;
    let index: PolicyIndex | undefined;
    Object.defineProperty(policy, 'index', {
      enumerable: false,
      get: () => (index ??= new PolicyIndex(policy)),
    });
    return policy;
  }

  // ================================================================ symbol tables

  symtab<T>(section: string, minEntry: number, one: () => T): { nprim: number; items: T[] } {
    const { nprim, nel } = symtabHeader(this.c, section, minEntry);
    const items: T[] = [];
    for (let i = 0; i < nel; i++) items.push(one());
    return { nprim, items };
  }

  perms(nprim: number, nel: number): (string | undefined)[] {
    const c: Cursor = this.c;
    c.count(nel, 9, 'permission');
    const out: (string | undefined)[] = [];
    for (let i = 0; i < nel; i++) {
      const at = c.pos;
      const len = c.u32();
      const value = c.u32();
      const name = c.str(len, 'permission name');
      if (!inRange(value, nprim)) c.fail(`permission ${name} has value ${value} outside 1..${nprim}`, at);
      if (out[value - 1] !== undefined) c.fail(`permission value ${value} used twice`, at);
      out[value - 1] = name;
    }
    return out;
  }

  common(): Common {
    const c: Cursor = this.c;
    const at = c.pos;
    const len = c.u32();
    const value = c.u32();
    const nprim = c.u32();
    const nel = c.u32();
    if (nprim > PERM_SYMTAB_SIZE) c.fail(`common has ${nprim} permissions (max ${PERM_SYMTAB_SIZE})`, at);
    const name = c.str(len, 'common name');
    return { name, value, perms: this.perms(nprim, nel) };
  }

  classDef(commons: Map<string, Common>): ClassDef {
    const c: Cursor = this.c;
    const at = c.pos;
    const len = c.u32();
    const len2 = c.u32();
    const value = c.u32();
    const nprim = c.u32();
    const nel = c.u32();
    const ncons = c.u32();
    if (nprim > PERM_SYMTAB_SIZE) c.fail(`class has ${nprim} permissions (max ${PERM_SYMTAB_SIZE})`, at);
    const name = c.str(len, 'class name');
    let common: string | undefined;
    if (len2) {
      const cat = c.pos;
      common = c.str(len2, 'common name');
      if (!commons.has(common)) c.fail(`class ${name} inherits unknown common ${common}`, cat);
    }
    const perms = this.perms(nprim, nel);
    c.count(ncons, 8, 'constraint');
    const constraints = this.constraintsLater(ncons, false);
    let validatetrans: Constraint[] | KeptConstraints = [];
    if (this.version >= V.VALIDATETRANS) {
      const n = c.count(c.u32(), 8, 'validatetrans');
      validatetrans = this.constraintsLater(n, true);
    }
    let defaultUser = 0;
    let defaultRole = 0;
    let defaultRange = 0;
    let defaultType = 0;
    if (this.version >= V.NEW_OBJECT_DEFAULTS) {
      const dat = c.pos;
      defaultUser = c.u32();
      defaultRole = c.u32();
      defaultRange = c.u32();
      if (defaultUser > 2 || defaultRole > 2 || defaultRange > 7) c.fail(`class ${name}: bad default_* values`, dat);
    }
    if (this.version >= V.DEFAULT_TYPE) {
      const dat = c.pos;
      defaultType = c.u32();
      if (defaultType > 2) c.fail(`class ${name}: bad default_type value ${defaultType}`, dat);
    }
    return new ClassDecl(name, value, common, perms, constraints, validatetrans, defaultUser, defaultRole, defaultType, defaultRange);
  }

  /**
   * `n` constraints (validatetrans: `vt`): checked now by the kernel and kept as bytes, decoded
   * when first used; read now (constraints()) when the kernel declines them (not whole in the
   * window, or wrong: the JavaScript then names what is wrong).
   */
  constraintsLater(n: number, vt: boolean): Constraint[] | KeptConstraints {
    const c: Cursor = this.c;
    const k = this.kernel;
    if (n === 0 || !k) return this.constraints(n, vt);
    // Most classes' constraints take a few hundred bytes: copy that much first, all in hand if not enough.
    const withTypeSet = this.version >= V.CONSTRAINT_NAMES ? 1 : 0;
    const all = Math.min(c.end - c.pos, KERNEL_WINDOW);
    let size = Math.min(all, 8192);
    c.copyOut(c.pos, c.pos + size, k.window(), 0);
    let used = k.kernel.readConstraints(0, size, n, vt ? 1 : 0, withTypeSet);
    if (used < 0 && size < all) {
      size = all;
      c.copyOut(c.pos, c.pos + size, k.window(), 0);
      used = k.kernel.readConstraints(0, size, n, vt ? 1 : 0, withTypeSet);
    }
    if (used < 0) return this.constraints(n, vt);
    const pool = this.constraintPool;
    const at = pool.length;
    pool.append(c, c.pos, c.pos + used);
    c.pos += used;
    return new KeptConstraints(pool, at, used, n, vt, this.version);
  }

  constraints(ncons: number, validatetrans: boolean): Constraint[] {
    const c: Cursor = this.c;
    const out: Constraint[] = [];
    for (let i = 0; i < ncons; i++) {
      const perms = c.u32();
      const nexpr = c.count(c.u32(), 12, 'constraint expression');
      const expr: ConstraintExpr[] = [];
      let depth = -1;
      let mls = false;
      for (let j = 0; j < nexpr; j++) {
        const at = c.pos;
        const type = c.u32();
        const attr = c.u32();
        const op = c.u32();
        depth = constraintNode(c, at, type, attr, op, depth, validatetrans);
        if (attr >= CEXPR.L1L2 && (type === CEXPR.ATTR || type === CEXPR.NAMES)) mls = true;
        if (type === CEXPR.NOT) expr.push({ kind: 'not' });
        else if (type === CEXPR.AND || type === CEXPR.OR) expr.push({ kind: type === CEXPR.AND ? 'and' : 'or' });
        else if (type === CEXPR.ATTR) expr.push({ kind: 'attr', attr, op });
        else {
          // Checked now, decoded when first used: the Debian policy's constraints name ≈ 55,000
          // types, which only access decisions and listings read. The bitmaps are kept as bytes.
          const withTypeSet = this.version >= V.CONSTRAINT_NAMES;
          const pool = this.namesPool;
          const namesAt = pool.length;
          keepEbitmap(c, pool);
          if (withTypeSet) {
            keepEbitmap(c, pool);
            keepEbitmap(c, pool);
            pool.u32(c.u32());
          }
          expr.push(new NamesExpr(attr, op, pool, namesAt, withTypeSet));
        }
      }
      if (depth !== 0) c.fail('constraint expression does not reduce to one value');
      out.push({ perms, expr, mls });
    }
    return out;
  }

  role(): Role {
    const c: Cursor = this.c;
    const len = c.u32();
    const value = c.u32();
    const bounds = c.u32();
    const name = c.str(len, 'role name');
    const dominates = readEbitmap(c, EARLY_BITS, 1);
    const types = readEbitmap(c, EARLY_BITS, 1);
    return { name, value, bounds, dominates, types };
  }

  /**
   * The type attribute map (one ebitmap per type value), checked and kept as one list. The
   * WebAssembly loop reads what the window holds; a map it stops at (cut by the window's end,
   * or wrong: the JavaScript check then names what is wrong) is read here.
   */
  typeAttrMap(ntypes: number): TypeAttrMap {
    const c: Cursor = this.c;
    const scratch = new Int32Array(ntypes);
    // A map holds a type's attributes and itself: a few values per type, mostly. The list grows
    // when it needs to.
    const guess = 16 * ntypes + 4096;
    const arena = this.kernel?.grow(4 * (ntypes + 1) + 4 * guess) ? this.kernel : undefined;
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
      return new TypeAttrMap(ends, values.subarray(0, k));
    }
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
    return new TypeAttrMap(new Int32Array(arena.buffer, endsAt, ntypes + 1), new Int32Array(arena.buffer, listAt, k));
  }

  /** The types table: declarations by value (primary entries), aliases attached. */
  types(): { nprim: number; items: TypeDef[] } {
    const c: Cursor = this.c;
    const { nprim, nel } = symtabHeader(c, 'types', 17);
    const arr: (TypeDef | undefined)[] = new Array<TypeDef | undefined>(nprim);
    // Aliases name a value that may come later in the table: attached at the end.
    const aliases: { name: string; value: number; at: number }[] = [];
    for (let i = 0; i < nel; i++) {
      const at = c.pos;
      const len = c.u32();
      const value = c.u32();
      const properties = c.u32();
      const bounds = c.u32();
      const name = c.str(len, 'type name');
      if ((properties & TYPEDATUM_PROPERTY_PRIMARY) === 0) {
        aliases.push({ name, value, at });
        continue;
      }
      if (!inRange(value, nprim)) c.fail(`type ${name} has value ${value} outside 1..${nprim}`, at);
      if (arr[value - 1]) c.fail(`type value ${value} used twice (${arr[value - 1]!.name}, ${name})`, at);
      if (bounds > nprim) c.fail(`type ${name} bounded by value ${bounds} outside 1..${nprim}`, at);
      // `aliases` is one shared empty array until a type gets its own (most types have no alias).
      arr[value - 1] = new TypeDecl(name, value, (properties & TYPEDATUM_PROPERTY_ATTRIBUTE) !== 0, NO_NAMES, bounds, this.attrSource);
    }
    for (let i = 0; i < aliases.length; i++) {
      const e = aliases[i]!;
      const t = inRange(e.value, nprim) ? arr[e.value - 1] : undefined;
      if (!t) c.fail(`alias ${e.name} of unknown type value ${e.value}`, e.at);
      if (t.aliases === NO_NAMES) t.aliases = [e.name];
      else t.aliases.push(e.name);
    }
    for (let i = 0; i < nprim; i++) {
      // A value without a name: setools names these attributes @ttrNNNNNNNNNN.
      arr[i] ??= new TypeDecl(`@ttr${String(i + 1).padStart(10, '0')}`, i + 1, true, NO_NAMES, 0, this.attrSource);
      if (arr[i]!.aliases.length > 1) arr[i]!.aliases.sort();
    }
    return { nprim, items: arr as TypeDef[] };
  }

  user(): User {
    const c: Cursor = this.c;
    const len = c.u32();
    const value = c.u32();
    const bounds = c.u32();
    const name = c.str(len, 'user name');
    const roles = readEbitmap(c, EARLY_BITS, 1);
    const range = this.range(false);
    const defaultLevel = this.level(false);
    return { name, value, bounds, roles, range, defaultLevel };
  }

  bool(): Bool {
    const c: Cursor = this.c;
    const at = c.pos;
    const value = c.u32();
    const state = c.u32();
    if (state > 1) c.fail(`boolean state ${state} is neither 0 nor 1`, at);
    const len = c.u32();
    const name = c.str(len, 'boolean name');
    return { name, value, state: state === 1 };
  }

  sens(): { name: string; isAlias: boolean; level: Level; at: number } {
    const c: Cursor = this.c;
    const at = c.pos;
    const len = c.u32();
    const isAlias = c.u32() !== 0;
    const name = c.str(len, 'sensitivity name');
    const level = this.level(false);
    return { name, isAlias, level, at };
  }

  sensitivities(entries: { name: string; isAlias: boolean; level: Level; at: number }[], nprim: number): Sensitivity[] {
    const c: Cursor = this.c;
    c.section = 'sensitivities';
    const arr: (Sensitivity | undefined)[] = new Array<Sensitivity | undefined>(nprim);
    for (const e of entries) {
      if (e.isAlias) continue;
      const v = e.level.sens;
      if (!inRange(v, nprim)) c.fail(`sensitivity ${e.name} has value ${v} outside 1..${nprim}`, e.at);
      if (arr[v - 1]) c.fail(`sensitivity value ${v} used twice`, e.at);
      arr[v - 1] = { name: e.name, value: v, aliases: [], level: e.level };
    }
    for (const e of entries) {
      if (!e.isAlias) continue;
      const s = inRange(e.level.sens, nprim) ? arr[e.level.sens - 1] : undefined;
      if (!s) c.fail(`sensitivity alias ${e.name} of unknown sensitivity ${e.level.sens}`, e.at);
      s.aliases.push(e.name);
    }
    return arr.filter((x): x is Sensitivity => x !== undefined);
  }

  /** The categories table: declarations by value, aliases attached (no object per entry on the way). */
  categories(): { nprim: number; items: Category[] } {
    const c: Cursor = this.c;
    const { nprim, nel } = symtabHeader(c, 'categories', 13);
    const arr: (Category | undefined)[] = new Array<Category | undefined>(nprim);
    const aliases: { name: string; value: number; at: number }[] = [];
    let n = 0;
    for (let i = 0; i < nel; i++) {
      const at = c.pos;
      const len = c.u32();
      const value = c.u32();
      const isAlias = c.u32() !== 0;
      const name = c.str(len, 'category name');
      if (isAlias) {
        aliases.push({ name, value, at });
        continue;
      }
      if (!inRange(value, nprim)) c.fail(`category ${name} has value ${value} outside 1..${nprim}`, at);
      if (arr[value - 1]) c.fail(`category value ${value} used twice`, at);
      arr[value - 1] = { name, value, aliases: NO_NAMES };
      n++;
    }
    for (let i = 0; i < aliases.length; i++) {
      const e = aliases[i]!;
      const s = inRange(e.value, nprim) ? arr[e.value - 1] : undefined;
      if (!s) c.fail(`category alias ${e.name} of unknown category ${e.value}`, e.at);
      if (s.aliases === NO_NAMES) s.aliases = [e.name];
      else s.aliases.push(e.name);
    }
    return { nprim, items: n === nprim ? (arr as Category[]) : arr.filter((x): x is Category => x !== undefined) };
  }

  /** Bits in users', roles' and levels' sets must name declared symbols (read before their tables were complete). */
  checkSymbolRefs(roles: (Role | undefined)[], users: (User | undefined)[], types: TypeDef[]): void {
    const c: Cursor = this.c;
    const bad = (what: string, set: number[], n: number): void => {
      if (set.length && set[set.length - 1]! > n) {
        c.section = what;
        c.fail(`value ${set[set.length - 1]} out of range (${n} declared)`);
      }
    };
    for (const r of roles) {
      if (!r) continue;
      bad(`roles/${r.name}`, r.dominates, this.n.roles);
      bad(`roles/${r.name}`, r.types, this.n.types);
      if (r.bounds > this.n.roles) bad(`roles/${r.name}`, [r.bounds], this.n.roles);
    }
    for (const u of users) {
      if (!u) continue;
      bad(`users/${u.name}`, u.roles, this.n.roles);
      if (u.bounds > this.n.users) bad(`users/${u.name}`, [u.bounds], this.n.users);
    }
    void types;
  }

  // ================================================================ MLS

  level(check = true): Level {
    const c: Cursor = this.c;
    const at = c.pos;
    const sens = c.u32();
    const cats = readEbitmap(c, check ? this.n.cats : EARLY_BITS, 1);
    if (check && sens > this.n.levels) c.fail(`sensitivity value ${sens} out of range`, at);
    return { sens, cats };
  }

  range(check = true): Range {
    const c: Cursor = this.c;
    const at = c.pos;
    const items = c.u32();
    if (items < 1 || items > 2) c.fail(`MLS range with ${items} levels`, at);
    const s0 = c.u32();
    const s1 = items > 1 ? c.u32() : s0;
    if (check && (s0 > this.n.levels || s1 > this.n.levels)) c.fail('sensitivity value out of range', at);
    const limit = check ? this.n.cats : EARLY_BITS;
    const c0 = readEbitmap(c, limit, 1);
    const c1 = items > 1 ? readEbitmap(c, limit, 1) : c0;
    return { low: { sens: s0, cats: c0 }, high: { sens: s1, cats: c1 } };
  }

  context(): Context {
    const c: Cursor = this.c;
    const at = c.pos;
    const user = c.u32();
    const role = c.u32();
    const type = c.u32();
    if (!inRange(user, this.n.users) || !inRange(role, this.n.roles) || !inRange(type, this.n.types)) {
      c.fail(`invalid security context (${user}, ${role}, ${type})`, at);
    }
    return { user, role, type, range: this.range() };
  }

  // ================================================================ conditionals

  condList(tab: AvTab): CondNode[] {
    const c: Cursor = this.c;
    const n = c.count(c.u32(), 16, 'conditional');
    const out: CondNode[] = [];
    for (let i = 0; i < n; i++) {
      const at = c.pos;
      const state = c.u32();
      const nexpr = c.count(c.u32(), 8, 'conditional expression');
      if (nexpr === 0) c.fail(`conditional ${i} has an empty expression`, at);
      const expr: CondExpr[] = [];
      let depth = 0;
      for (let j = 0; j < nexpr; j++) {
        const eat = c.pos;
        const type = c.u32();
        const b = c.u32();
        depth = condNode(c, i, eat, type, b, depth, this.n.bools);
        if (type === COND.BOOL) expr.push({ kind: 'bool', bool: b });
        else if (type === COND.NOT) expr.push({ kind: 'not' });
        else expr.push({ kind: (['or', 'and', 'xor', 'eq', 'neq'] as const)[type - COND.OR]! });
      }
      if (depth !== 1) c.fail(`conditional ${i}: expression does not reduce to one value`, at);
      const trueStart = tab.count;
      const nt = c.count(c.u32(), 12, 'conditional rule');
      tab.readItems(c, nt, this.version, true, this.n.types, this.n.classes);
      const trueEnd = tab.count;
      const nf = c.count(c.u32(), 12, 'conditional rule');
      tab.readItems(c, nf, this.version, true, this.n.types, this.n.classes);
      out.push({ expr, state: state !== 0, trueStart, trueEnd, falseStart: trueEnd, falseEnd: tab.count });
    }
    return out;
  }

  // ================================================================ filename transitions

  filenameTransCompact(): FilenameTransition[] {
    const c: Cursor = this.c;
    const n = c.count(c.u32(), 4 + 1 + 12 + 16, 'filename transition');
    const out: FilenameTransition[] = [];
    for (let i = 0; i < n; i++) {
      const name = c.lstr('file name');
      const at = c.pos;
      const ttype = c.u32();
      const tclass = c.u32();
      const ndatum = c.count(c.u32(), 16, 'filename transition datum');
      if (ndatum === 0) c.fail('filename transition without data', at);
      if (!inRange(ttype, this.n.types) || !inRange(tclass, this.n.classes)) c.fail(`filename transition ${i}: value out of range`, at);
      for (let j = 0; j < ndatum; j++) {
        const stypes = readEbitmap(c, this.n.types, 1);
        const oat = c.pos;
        const otype = c.u32();
        if (!inRange(otype, this.n.types)) c.fail(`filename transition ${i}: new type ${otype} out of range`, oat);
        out.push({ name, ttype, tclass, otype, stypes });
      }
    }
    return out;
  }

  filenameTransOld(): FilenameTransition[] {
    const c: Cursor = this.c;
    const n = c.count(c.u32(), 4 + 1 + 16, 'filename transition');
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
      if (!inRange(stype, this.n.types) || !inRange(ttype, this.n.types) || !inRange(tclass, this.n.classes) || !inRange(otype, this.n.types)) {
        c.fail(`filename transition ${i}: value out of range`, at);
      }
      const key = `${ttype}:${tclass}:${name}`;
      // libsepol ignores a second rule for the same (stype, key).
      let s = seen.get(key);
      if (!s) seen.set(key, (s = new Set()));
      if (s.has(stype)) continue;
      s.add(stype);
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
    return order.map((d) => ({ ...d.ft, stypes: [...d.stypes].sort((a, b) => a - b) }));
  }

  // ================================================================ object contexts

  ocontexts(): OContexts {
    const c: Cursor = this.c;
    const o: OContexts = { initialSids: [], fs: [], ports: [], netifs: [], nodes: [], nodes6: [], fsUses: [], ibpkeys: [], ibendports: [] };
    const num = oconNum(this.version);
    for (let i = 0; i < num; i++) {
      c.section = `ocontexts/${OCON_NAMES[i]}`;
      const n = c.count(c.u32(), OCON_MIN_SIZE[i]!, OCON_NAMES[i]!);
      for (let j = 0; j < n; j++) {
        const at = c.pos;
        switch (i) {
          case OCON.ISID: {
            const sid = c.u32();
            if (sid === 0 || sid === 0xffffffff) c.fail(`bad initial SID number ${sid}`, at);
            o.initialSids.push({ sid, name: INITIAL_SID_NAMES[sid] ?? `sid${sid}`, context: this.context() });
            break;
          }
          case OCON.FS:
          case OCON.NETIF: {
            const name = c.lstr('interface or file system name', 63);
            const a = this.context();
            const b = this.context();
            if (i === OCON.FS) o.fs.push({ name, context: a, defaultContext: b });
            else o.netifs.push({ name, context: a, packetContext: b });
            break;
          }
          case OCON.PORT: {
            const protocol = c.u32();
            const low = c.u32();
            const high = c.u32();
            o.ports.push({ protocol, low, high, context: this.context() });
            break;
          }
          case OCON.NODE: {
            // raw() views the bytes in hand: use each before the next read.
            const addr = c.raw(4).join('.');
            const mask = c.raw(4).join('.');
            o.nodes.push({ addr, mask, context: this.context() });
            break;
          }
          case OCON.FSUSE: {
            const behavior = c.u32();
            const fstype = c.lstr('file system name');
            o.fsUses.push({ behavior, fstype, context: this.context() });
            break;
          }
          case OCON.NODE6: {
            const addr = ipv6Text(c.raw(16));
            const mask = ipv6Text(c.raw(16));
            o.nodes6.push({ addr, mask, context: this.context() });
            break;
          }
          case OCON.IBPKEY: {
            const subnetPrefix = Buffer.from(c.raw(8)).toString('hex');
            const low = c.u32();
            const high = c.u32();
            if (low > 0xffff || high > 0xffff) c.fail(`pkey ${low}-${high} out of range`, at);
            o.ibpkeys.push({ subnetPrefix, low, high, context: this.context() });
            break;
          }
          case OCON.IBENDPORT: {
            const len = c.u32();
            const port = c.u32();
            if (len === 0 || len > 63) c.fail(`ibendport device name length ${len}`, at);
            if (port === 0 || port > 255) c.fail(`ibendport port ${port} out of range`, at);
            const device = c.str(len, 'ibendport device');
            o.ibendports.push({ device, port, context: this.context() });
            break;
          }
        }
      }
    }
    return o;
  }

  genfs(): Genfs[] {
    const c: Cursor = this.c;
    const n = c.count(c.u32(), 9, 'genfs file system');
    const out: Genfs[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const at = c.pos;
      const fstype = c.lstr('genfs file system name');
      if (seen.has(fstype)) c.fail(`duplicate genfs file system ${fstype}`, at);
      seen.add(fstype);
      const m = c.count(c.u32(), 4 + 1 + 4 + 24, 'genfscon');
      const entries: Genfs['entries'] = [];
      for (let j = 0; j < m; j++) {
        const path = c.lstr('genfs path');
        const cat = c.pos;
        const tclass = c.u32();
        if (tclass > this.n.classes) c.fail(`genfscon class value ${tclass} out of range`, cat);
        entries.push({ path, tclass, context: this.context() });
      }
      out.push({ fstype, entries });
    }
    return out;
  }
}

// ================================================================ helpers

/**
 * A `names` constraint node whose sets are decoded from the policy bytes on
 * first use (the reader has already checked them).
 */
/** Constraints checked by the kernel, as bytes in a pool; decoded by the JavaScript reader when asked for. */
class KeptConstraints {
  constructor(
    private readonly pool: BytePool,
    private readonly at: number,
    private readonly size: number,
    private readonly n: number,
    private readonly vt: boolean,
    private readonly version: number,
  ) {}

  decode(): Constraint[] {
    const r = new Reader(new Cursor(this.pool.bytes.subarray(this.at, this.at + this.size)), false);
    r.version = this.version;
    return r.constraints(this.n, this.vt);
  }
}

/** A class read from a policy: ClassDef with its constraints decoded on first use. */
class ClassDecl implements ClassDef {
  allPerms: (string | undefined)[];
  #constraints: Constraint[] | KeptConstraints;
  #validatetrans: Constraint[] | KeptConstraints;

  constructor(
    public name: string,
    public value: number,
    public common: string | undefined,
    public perms: (string | undefined)[],
    constraints: Constraint[] | KeptConstraints,
    validatetrans: Constraint[] | KeptConstraints,
    public defaultUser: number,
    public defaultRole: number,
    public defaultType: number,
    public defaultRange: number,
  ) {
    this.allPerms = perms;
    this.#constraints = constraints;
    this.#validatetrans = validatetrans;
  }

  get constraints(): Constraint[] {
    const v = this.#constraints;
    return v instanceof KeptConstraints ? (this.#constraints = v.decode()) : v;
  }
  set constraints(v: Constraint[]) {
    this.#constraints = v;
  }
  get validatetrans(): Constraint[] {
    const v = this.#validatetrans;
    return v instanceof KeptConstraints ? (this.#validatetrans = v.decode()) : v;
  }
  set validatetrans(v: Constraint[]) {
    this.#validatetrans = v;
  }

  toJSON(): ClassDef {
    const { name, value, common, perms, allPerms, constraints, validatetrans, defaultUser, defaultRole, defaultType, defaultRange } = this;
    return { name, value, ...(common !== undefined && { common }), perms, allPerms, constraints, validatetrans, defaultUser, defaultRole, defaultType, defaultRange };
  }
}

/** Bytes appended as they are read (the constraint bitmaps), for decoding later. */
class BytePool {
  bytes = new Uint8Array(4096);
  private view = new DataView(this.bytes.buffer);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const b = new Uint8Array(Math.max(this.length + n, this.bytes.length * 2));
    b.set(this.bytes.subarray(0, this.length));
    this.bytes = b;
    this.view = new DataView(b.buffer);
  }

  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  /** Appends the cursor's bytes in hand from file offset `from` to `to`. */
  append(c: Cursor, from: number, to: number): void {
    this.room(to - from);
    c.copyOut(from, to, this.bytes, this.length);
    this.length += to - from;
  }
}

/**
 * Checks one ebitmap (checkEbitmap) and appends its bytes to `pool`. The header is written
 * from what the check established: a window cursor may no longer hold the bytes it read it from.
 */
function keepEbitmap(c: Cursor, pool: BytePool): void {
  const start = c.pos;
  const nbits = checkEbitmap(c, EARLY_BITS);
  pool.u32(64);
  if (nbits === 0) {
    pool.u32(0);
    pool.u32(0);
    return;
  }
  // The nodes are in hand: checkEbitmap's last need() asked for them.
  const count = (c.pos - start - 12) / 12;
  pool.u32(c.view.getUint32(c.pos - 12 - c.base, true) + 64);
  pool.u32(count);
  pool.append(c, c.pos - count * 12, c.pos);
}

class NamesExpr {
  readonly kind = 'names' as const;
  private decoded?: { names: number[]; typeSet?: TypeSet };

  constructor(
    readonly attr: number,
    readonly op: number,
    private readonly pool: BytePool,
    private readonly at: number,
    private readonly withTypeSet: boolean,
  ) {}

  get names(): number[] {
    return (this.decoded ??= this.decode()).names;
  }

  get typeSet(): TypeSet | undefined {
    return (this.decoded ??= this.decode()).typeSet;
  }

  private decode(): { names: number[]; typeSet?: TypeSet } {
    const c = new Cursor(this.pool.bytes.subarray(0, this.pool.length));
    c.pos = this.at;
    const names = readEbitmap(c, EARLY_BITS, 1);
    if (!this.withTypeSet) return { names };
    const types = readEbitmap(c, EARLY_BITS, 1);
    const negset = readEbitmap(c, EARLY_BITS, 1);
    return { names, typeSet: { types, negset, flags: c.u32() } };
  }

  toJSON(): object {
    return { kind: this.kind, attr: this.attr, op: this.op, names: this.names, ...(this.withTypeSet ? { typeSet: this.typeSet } : {}) };
  }
}

function inRange(v: number, n: number): boolean {
  return v >= 1 && v <= n;
}

function classValue(classes: (ClassDef | undefined)[], name: string): number {
  for (const cl of classes) if (cl?.name === name) return cl.value;
  return 0;
}

function byValue<T extends { name: string; value: number }>(c: Cursor, section: string, items: T[], nprim: number): (T | undefined)[] {
  const arr: (T | undefined)[] = new Array<T | undefined>(nprim);
  for (const it of items) {
    if (!inRange(it.value, nprim)) {
      c.section = section;
      c.fail(`${it.name} has value ${it.value} outside 1..${nprim}`);
    }
    if (arr[it.value - 1]) {
      c.section = section;
      c.fail(`value ${it.value} used by both ${arr[it.value - 1]!.name} and ${it.name}`);
    }
    arr[it.value - 1] = it;
  }
  return arr;
}
