// The eight symbol tables of a kernel policy (commons, classes, roles, types,
// users, booleans, sensitivities, categories; their layouts: constants.ts),
// read entry by entry into the model's symbols, then linked once the last is read:
// by value, aliases attached, and every value an entry or a set names checked
// against what the tables declare (a set may name a symbol of a later table).
// Constraints are readConstraints.ts's; the MLS levels and ranges, read.ts's.

import type { Bool, Category, ClassDef, Common, Level, Role, Sensitivity, TypeDef, User } from '../model.js';
import { TypeDecl } from '../typeAttrMap.js';
import { checkBoolState, checkPermissionCount, inRange, symtabHeader } from './checks.js';
import { EARLY_BITS, ITEMS, type Section, TYPEDATUM_PROPERTY_ATTRIBUTE, TYPEDATUM_PROPERTY_PRIMARY } from './constants.js';
import type { Cursor } from './cursor.js';
import { readEbitmap } from './ebitmap.js';
import type { Reader } from './read.js';
import { ClassDecl, constraintsLater, type KeptConstraints } from './readConstraints.js';

/** The empty list that symbols without aliases share (never written to). */
const NO_NAMES: string[] = [];

interface SensitivityEntry {
  name: string;
  isAlias: boolean;
  level: Level;
  at: number;
}

/** The symbols as read; by value (index value - 1) once linkSymbols has run. */
export class SymbolTables {
  commons: (Common | undefined)[] = [];
  readonly commonByName = new Map<string, Common>();
  classes: (ClassDef | undefined)[] = [];
  roles: (Role | undefined)[] = [];
  types: TypeDef[] = [];
  users: (User | undefined)[] = [];
  bools: (Bool | undefined)[] = [];
  sensitivityEntries: SensitivityEntry[] = [];
  sensitivities: Sensitivity[] = [];
  categories: Category[] = [];
  /** By table name: the offsets of its entries, in file order (what errors found when linking name). */
  readonly at = new Map<string, number[]>();
}

/** A symbol table: its header, then `one()` per entry; the offset of each entry in `r.symbols.at`, under the table's name. */
function symtab<T>(r: Reader, s: Section, one: () => T): { nprim: number; items: T[] } {
  const c = r.c;
  const { nprim, nel } = symtabHeader(c, s);
  const items: T[] = [];
  const at: number[] = [];
  for (let i = 0; i < nel; i++) {
    at.push(c.pos);
    items.push(one());
  }
  r.symbols.at.set(s.name, at);
  return { nprim, items };
}

export function readCommons(r: Reader, s: Section): void {
  const c: Cursor = r.c;
  const { nprim, items } = symtab(r, s, (): Common => {
    const at = c.pos;
    const len = c.u32();
    const value = c.u32();
    const nprim = c.u32();
    const nel = c.u32();
    checkPermissionCount(c, 'common', nprim, at);
    const name = c.str(len, 'common name');
    return { name, value, perms: perms(c, nprim, nel) };
  });
  r.n.commons = nprim;
  r.symbols.commons = items;
  for (const cm of items) r.symbols.commonByName.set(cm.name, cm);
}

export function readClasses(r: Reader, s: Section): void {
  const c: Cursor = r.c;
  const has = r.has;
  const commons = r.symbols.commonByName;
  const { nprim, items } = symtab(r, s, (): ClassDef => {
    const at = c.pos;
    const len = c.u32();
    const len2 = c.u32();
    const value = c.u32();
    const nprim = c.u32();
    const nel = c.u32();
    const ncons = c.u32();
    checkPermissionCount(c, 'class', nprim, at);
    const name = c.str(len, 'class name');
    let common: string | undefined;
    if (len2) {
      const cat = c.pos;
      common = c.str(len2, 'common name');
      if (!commons.has(common)) c.fail(`class ${name} inherits unknown common ${common}`, cat);
    }
    const permNames = perms(c, nprim, nel);
    c.count(ncons, ITEMS.constraint.minBytes, ITEMS.constraint.what);
    const constraints = constraintsLater(r, ncons, false);
    let validatetrans: ClassDef['validatetrans'] | KeptConstraints = [];
    if (has.validatetrans) {
      const n = c.count(c.u32(), ITEMS.validatetrans.minBytes, ITEMS.validatetrans.what);
      validatetrans = constraintsLater(r, n, true);
    }
    let defaultUser = 0;
    let defaultRole = 0;
    let defaultRange = 0;
    let defaultType = 0;
    if (has.classDefaults) {
      const dat = c.pos;
      defaultUser = c.u32();
      defaultRole = c.u32();
      defaultRange = c.u32();
      if (defaultUser > 2 || defaultRole > 2 || defaultRange > 7) c.fail(`class ${name}: bad default_* values`, dat);
    }
    if (has.defaultType) {
      const dat = c.pos;
      defaultType = c.u32();
      if (defaultType > 2) c.fail(`class ${name}: bad default_type value ${defaultType}`, dat);
    }
    return new ClassDecl(name, value, common, permNames, constraints, validatetrans, defaultUser, defaultRole, defaultType, defaultRange);
  });
  r.n.classes = nprim;
  r.symbols.classes = items;
}

/** A common's or class's permissions: names by value - 1. */
function perms(c: Cursor, nprim: number, nel: number): (string | undefined)[] {
  c.count(nel, ITEMS.permission.minBytes, ITEMS.permission.what);
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

export function readRoles(r: Reader, s: Section): void {
  const c: Cursor = r.c;
  const { nprim, items } = symtab(r, s, (): Role => {
    const len = c.u32();
    const value = c.u32();
    const bounds = c.u32();
    const name = c.str(len, 'role name');
    const dominates = readEbitmap(c, EARLY_BITS, 1);
    const types = readEbitmap(c, EARLY_BITS, 1);
    return { name, value, bounds, dominates, types };
  });
  r.n.roles = nprim;
  r.symbols.roles = items;
}

/** The types table: declarations by value (primary entries), aliases attached. */
export function readTypes(r: Reader, s: Section): void {
  const c: Cursor = r.c;
  const { nprim, nel } = symtabHeader(c, s);
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
    arr[value - 1] = new TypeDecl(name, value, (properties & TYPEDATUM_PROPERTY_ATTRIBUTE) !== 0, NO_NAMES, bounds, r.attrSource);
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
    arr[i] ??= new TypeDecl(`@ttr${String(i + 1).padStart(10, '0')}`, i + 1, true, NO_NAMES, 0, r.attrSource);
    if (arr[i]!.aliases.length > 1) arr[i]!.aliases.sort();
  }
  r.n.types = nprim;
  r.symbols.types = arr as TypeDef[];
}

export function readUsers(r: Reader, s: Section): void {
  const c: Cursor = r.c;
  const { nprim, items } = symtab(r, s, (): User => {
    const len = c.u32();
    const value = c.u32();
    const bounds = c.u32();
    const name = c.str(len, 'user name');
    const roles = readEbitmap(c, EARLY_BITS, 1);
    const range = r.range(false);
    const defaultLevel = r.level(false);
    return { name, value, bounds, roles, range, defaultLevel };
  });
  r.n.users = nprim;
  r.symbols.users = items;
}

export function readBooleans(r: Reader, s: Section): void {
  const c: Cursor = r.c;
  const { nprim, items } = symtab(r, s, (): Bool => {
    const at = c.pos;
    const value = c.u32();
    const state = c.u32();
    checkBoolState(c, state, at);
    const len = c.u32();
    const name = c.str(len, 'boolean name');
    return { name, value, state: state === 1 };
  });
  r.n.bools = nprim;
  r.symbols.bools = items;
}

export function readSensitivities(r: Reader, s: Section): void {
  const c: Cursor = r.c;
  const { nprim, items } = symtab(r, s, (): SensitivityEntry => {
    const at = c.pos;
    const len = c.u32();
    const isAlias = c.u32() !== 0;
    const name = c.str(len, 'sensitivity name');
    const level = r.level(false);
    return { name, isAlias, level, at };
  });
  r.n.levels = nprim;
  r.symbols.sensitivityEntries = items;
}

/** The categories table: declarations by value, aliases attached (no object per entry on the way). */
export function readCategories(r: Reader, s: Section): void {
  const c: Cursor = r.c;
  const { nprim, nel } = symtabHeader(c, s);
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
    const cat = inRange(e.value, nprim) ? arr[e.value - 1] : undefined;
    if (!cat) c.fail(`category alias ${e.name} of unknown category ${e.value}`, e.at);
    if (cat.aliases === NO_NAMES) cat.aliases = [e.name];
    else cat.aliases.push(e.name);
  }
  r.n.cats = nprim;
  r.symbols.categories = n === nprim ? (arr as Category[]) : arr.filter((x): x is Category => x !== undefined);
}

/**
 * After the last symbol table: the symbols by value, each class's permissions with its
 * common's, and the checks that need every table (object_r, the values sets name, the
 * permissive and neveraudit types).
 */
export function linkSymbols(r: Reader): void {
  const c: Cursor = r.c;
  const t = r.symbols;
  t.commons = byValue(r, 'commons', t.commons as Common[], r.n.commons);
  t.classes = byValue(r, 'classes', t.classes as ClassDef[], r.n.classes);
  for (const cl of t.classes) {
    if (!cl) continue;
    const cm = cl.common !== undefined ? t.commonByName.get(cl.common) : undefined;
    const all: (string | undefined)[] = cm ? cm.perms.slice() : [];
    cl.perms.forEach((p, i) => {
      if (p !== undefined) all[i] = p;
    });
    cl.allPerms = all;
  }
  const roles = t.roles;
  t.roles = byValue(r, 'roles', t.roles as Role[], r.n.roles);
  for (let i = 0; i < roles.length; i++) {
    const role = roles[i]!;
    if (role.name === 'object_r' && role.value !== 1) {
      c.section = 'roles';
      c.fail('role object_r must have value 1', t.at.get('roles')?.[i]);
    }
  }
  const users = t.users;
  t.users = byValue(r, 'users', t.users as User[], r.n.users);
  t.bools = byValue(r, 'booleans', t.bools as Bool[], r.n.bools);
  t.sensitivities = sensitivitiesByValue(c, t.sensitivityEntries, r.n.levels);
  checkSymbolRefs(r, roles as Role[], users as User[]);
  r.nameTops.check(c, r.n);
  setTypeBits(r, r.permissive, 'permissive types', (type) => (type.permissive = true));
  setTypeBits(r, r.neveraudit, 'neveraudit types', (type) => (type.neveraudit = true));
}

function sensitivitiesByValue(c: Cursor, entries: SensitivityEntry[], nprim: number): Sensitivity[] {
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

/**
 * Bits in users' and roles' sets must name declared symbols (read before their tables were
 * complete); `roles` and `users` in file order (errors name the entry's offset).
 */
function checkSymbolRefs(r: Reader, roles: Role[], users: User[]): void {
  const c: Cursor = r.c;
  const n = r.n;
  const bad = (what: string, at: number | undefined, set: number[], max: number): void => {
    if (set.length && set[set.length - 1]! > max) {
      c.section = what;
      c.fail(`value ${set[set.length - 1]} out of range (${max} declared)`, at);
    }
  };
  const rolesAt = r.symbols.at.get('roles');
  for (let i = 0; i < roles.length; i++) {
    const role = roles[i]!;
    bad(`roles/${role.name}`, rolesAt?.[i], role.dominates, n.roles);
    bad(`roles/${role.name}`, rolesAt?.[i], role.types, n.types);
    if (role.bounds > n.roles) bad(`roles/${role.name}`, rolesAt?.[i], [role.bounds], n.roles);
  }
  const usersAt = r.symbols.at.get('users');
  for (let i = 0; i < users.length; i++) {
    const u = users[i]!;
    const what = `users/${u.name}`;
    bad(what, usersAt?.[i], u.roles, n.roles);
    if (u.bounds > n.users) bad(what, usersAt?.[i], [u.bounds], n.users);
    // Their MLS range and default level: declared sensitivities and categories.
    for (const l of [u.range.low, u.range.high, u.defaultLevel]) {
      bad(what, usersAt?.[i], [l.sens], n.levels);
      bad(what, usersAt?.[i], l.cats, n.cats);
    }
  }
  for (const e of r.symbols.sensitivityEntries) bad('sensitivities', e.at, e.level.cats, n.cats);
}

function setTypeBits(r: Reader, bits: number[], what: string, set: (t: TypeDef) => void): void {
  const types = r.symbols.types;
  for (const b of bits) {
    const t = b >= 1 ? types[b - 1] : undefined;
    if (!t) {
      r.c.section = what;
      r.c.fail(`bit ${b} is not a type value`);
    }
    set(t);
  }
}

/** The entries of table `section` (as its Section names it) by value - 1; a value out of range or used twice fails at its entry. */
function byValue<T extends { name: string; value: number }>(r: Reader, section: string, items: T[], nprim: number): (T | undefined)[] {
  const c: Cursor = r.c;
  const at = r.symbols.at.get(section);
  const arr: (T | undefined)[] = new Array<T | undefined>(nprim);
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (!inRange(it.value, nprim)) {
      c.section = section;
      c.fail(`${it.name} has value ${it.value} outside 1..${nprim}`, at?.[i]);
    }
    if (arr[it.value - 1]) {
      c.section = section;
      c.fail(`value ${it.value} used by both ${arr[it.value - 1]!.name} and ${it.name}`, at?.[i]);
    }
    arr[it.value - 1] = it;
  }
  return arr;
}
