// The symbol tables for scanPolicyStats (scan.ts): each table's entries
// walked and checked, their names skipped, what seinfo counts counted
// (permissions, constraints and their MLS kind, defaults, types and
// attributes, permissive types). Their layouts: constants.ts.

import { checkBoolState, checkConstraintEnd, checkPermissionCount, constraintNode, inRange, namesKind, symtabHeader } from './checks.js';
import { CEXPR, EARLY_BITS, ITEMS, type Section, TYPEDATUM_PROPERTY_ATTRIBUTE, TYPEDATUM_PROPERTY_PRIMARY } from './constants.js';
import { checkEbitmap, lastEbitmapTop } from './ebitmap.js';
import type { Scanner } from './scan.js';

/**
 * Walks one symbol table: `one` per entry. Returns its values declared (nprim) and entries (nel).
 * (A loop in each table's function would do as well, but V8 would then compile the bigger
 * functions on the side while the file is read: a callback per entry costs less in a cold start.)
 */
function symtab(w: Scanner, sec: Section, one: (nprim: number) => void): { nprim: number; nel: number } {
  const { nprim, nel } = symtabHeader(w.c, sec);
  for (let i = 0; i < nel; i++) one(nprim);
  return { nprim, nel };
}

/**
 * Marks `value` as declared in `seen` (by value; sized nprim + 1 on the first entry): out of
 * 1..nprim or used twice fails, as the reader's linking of the table does.
 */
function declare(w: Scanner, seen: Uint8Array, value: number, nprim: number, at: number): void {
  if (!inRange(value, nprim)) w.c.fail(`value ${value} outside 1..${nprim}`, at);
  if (seen[value]) w.c.fail(`value ${value} used twice`, at);
  seen[value] = 1;
}

export function scanCommons(w: Scanner, sec: Section): void {
  const { c, s } = w;
  let seen = new Uint8Array(0);
  w.n.commons = symtab(w, sec, (nprimCommons) => {
    if (seen.length !== nprimCommons + 1) seen = new Uint8Array(nprimCommons + 1);
    const at = c.pos;
    const len = c.u32();
    const value = c.u32();
    const nprim = c.u32();
    const nel = c.u32();
    checkPermissionCount(c, 'common', nprim, c.pos - 16);
    declare(w, seen, value, nprimCommons, at);
    // Kept: classes name their common (a few per policy).
    w.commonNames.add(c.str(len, 'common name'));
    s.permissions += perms(w, nprim, nel);
  }).nprim;
}

export function scanClasses(w: Scanner, sec: Section): void {
  const { c, s, has } = w;
  let seen = new Uint8Array(0);
  const t = symtab(w, sec, (nprimClasses) => {
    if (seen.length !== nprimClasses + 1) seen = new Uint8Array(nprimClasses + 1);
    const at = c.pos;
    const len = c.u32();
    const len2 = c.u32();
    const value = c.u32();
    const nprim = c.u32();
    const nel = c.u32();
    const ncons = c.u32();
    checkPermissionCount(c, 'class', nprim, at);
    declare(w, seen, value, nprimClasses, at);
    // The layouts before role transitions had a class imply the process class: its value.
    if (len === 7) {
      if (c.str(len, 'class name') === 'process' && (w.processClass === 0 || value < w.processClass)) w.processClass = value;
    } else w.skipStr(len, 'class name');
    if (len2) {
      const cat = c.pos;
      if (!w.commonNames.has(c.str(len2, 'common name'))) c.fail('class inherits an unknown common', cat);
    }
    s.permissions += perms(w, nprim, nel);
    c.count(ncons, ITEMS.constraint.minBytes, ITEMS.constraint.what);
    const mls = constraints(w, ncons, false);
    s.mlsConstrain += mls;
    s.constraints += ncons - mls;
    if (has.validatetrans) {
      const n = c.count(c.u32(), ITEMS.validatetrans.minBytes, ITEMS.validatetrans.what);
      const vmls = constraints(w, n, true);
      s.mlsValidatetrans += vmls;
      s.validatetrans += n - vmls;
    }
    if (has.classDefaults) {
      const dat = c.pos;
      const u = c.u32();
      const r = c.u32();
      const g = c.u32();
      if (u > 2 || r > 2 || g > 7) c.fail('bad default_* values', dat);
      s.defaults += (u ? 1 : 0) + (r ? 1 : 0) + (g ? 1 : 0);
    }
    if (has.defaultType) {
      const dat = c.pos;
      const d = c.u32();
      if (d > 2) c.fail(`bad default_type value ${d}`, dat);
      s.defaults += d ? 1 : 0;
    }
  });
  s.classes = t.nel;
  w.n.classes = t.nprim;
}

export function scanRoles(w: Scanner, sec: Section): void {
  const c = w.c;
  let seen = new Uint8Array(0);
  const t = symtab(w, sec, (nprim) => {
    if (seen.length !== nprim + 1) seen = new Uint8Array(nprim + 1);
    const at = c.pos;
    const len = c.u32();
    const value = c.u32();
    const bounds = c.u32();
    declare(w, seen, value, nprim, at);
    if (bounds > nprim) c.fail(`role bounded by value ${bounds} outside 1..${nprim}`, at);
    if (len === 8) {
      if (c.str(len, 'role name') === 'object_r' && value !== 1) c.fail('role object_r must have value 1', at);
    } else w.skipStr(len, 'role name');
    // Dominated roles are of this table; types are checked once the types table is read.
    checkEbitmap(c, nprim);
    checkEbitmap(c, EARLY_BITS);
    w.roleTypesTop = Math.max(w.roleTypesTop, lastEbitmapTop());
  });
  w.s.roles = t.nel;
  w.n.roles = t.nprim;
}

/** Types and attributes counted apart; then the permissive types, which are types (not attributes). */
export function scanTypes(w: Scanner, sec: Section): void {
  const { c, s } = w;
  // Type values: 1 primary type, 2 primary attribute, 0 none (yet).
  let kinds = new Uint8Array(0);
  // Alias values, checked once every primary entry is read.
  const aliases: number[] = [];
  const { nprim } = symtab(w, sec, (nprim) => {
    if (kinds.length !== nprim + 1) kinds = new Uint8Array(nprim + 1);
    const at = c.pos;
    const len = c.u32();
    const value = c.u32();
    const properties = c.u32();
    const bounds = c.u32();
    w.skipStr(len, 'type name');
    if ((properties & TYPEDATUM_PROPERTY_PRIMARY) === 0) {
      aliases.push(value, at);
      return;
    }
    if (value < 1 || value > nprim) c.fail(`type has value ${value} outside 1..${nprim}`, at);
    if (kinds[value] !== 0) c.fail(`type value ${value} used twice`, at);
    if (bounds > nprim) c.fail(`type bounded by value ${bounds} outside 1..${nprim}`, at);
    const attr = (properties & TYPEDATUM_PROPERTY_ATTRIBUTE) !== 0;
    kinds[value] = attr ? 2 : 1;
    if (attr) s.attributes++;
    else {
      s.types++;
      if (bounds) s.typebounds++;
    }
  });
  w.n.types = nprim;
  for (let i = 0; i < aliases.length; i += 2) {
    const v = aliases[i]!;
    if (!inRange(v, nprim) || kinds[v] === 0) c.fail(`alias of unknown type value ${v}`, aliases[i + 1]);
  }
  if (w.roleTypesTop >= nprim) {
    c.section = 'roles';
    c.fail(`a role's type value ${w.roleTypesTop + 1} out of range (${nprim} declared)`);
  }
  for (const v of w.neveraudit) {
    if (v < 1 || v > nprim) {
      c.section = 'neveraudit types';
      c.fail(`bit ${v} is not a type value`);
    }
  }
  for (const v of w.permissive) {
    if (v < 1 || v > nprim) {
      c.section = 'permissive types';
      c.fail(`bit ${v} is not a type value`);
    }
    // Values without a name are attributes (readPolicy's @ttr ones).
    if (kinds[v] === 1) s.permissives++;
  }
}

export function scanUsers(w: Scanner, sec: Section): void {
  const c = w.c;
  let seen = new Uint8Array(0);
  const t = symtab(w, sec, (nprim) => {
    if (seen.length !== nprim + 1) seen = new Uint8Array(nprim + 1);
    const at = c.pos;
    const len = c.u32();
    const value = c.u32();
    const bounds = c.u32();
    declare(w, seen, value, nprim, at);
    if (bounds > nprim) c.fail(`user bounded by value ${bounds} outside 1..${nprim}`, at);
    w.skipStr(len, 'user name');
    checkEbitmap(c, w.n.roles);
    w.range(false);
    w.level();
  });
  w.s.users = t.nel;
  w.n.users = t.nprim;
}

export function scanBooleans(w: Scanner, sec: Section): void {
  const c = w.c;
  let seen = new Uint8Array(0);
  const t = symtab(w, sec, (nprim) => {
    if (seen.length !== nprim + 1) seen = new Uint8Array(nprim + 1);
    const at = c.pos;
    declare(w, seen, c.u32(), nprim, at);
    checkBoolState(c, c.u32(), at);
    w.skipStr(c.u32(), 'boolean name');
  });
  w.s.booleans = t.nel;
  w.n.bools = t.nprim;
}

export function scanSensitivities(w: Scanner, sec: Section): void {
  const { c, s } = w;
  let seen = new Uint8Array(0);
  const aliases: number[] = [];
  const nprim = symtab(w, sec, (nprim) => {
    if (seen.length !== nprim + 1) seen = new Uint8Array(nprim + 1);
    const at = c.pos;
    const len = c.u32();
    const alias = c.u32() !== 0;
    w.skipStr(len, 'sensitivity name');
    const sens = w.level();
    if (alias) aliases.push(sens, at);
    else {
      declare(w, seen, sens, nprim, at);
      s.sensitivities++;
    }
  }).nprim;
  for (let i = 0; i < aliases.length; i += 2) if (!inRange(aliases[i]!, nprim) || !seen[aliases[i]!]) c.fail(`sensitivity alias of unknown sensitivity ${aliases[i]}`, aliases[i + 1]);
  w.n.levels = nprim;
}

export function scanCategories(w: Scanner, sec: Section): void {
  const { c, s } = w;
  let seen = new Uint8Array(0);
  const aliases: number[] = [];
  const nprim = symtab(w, sec, (nprim) => {
    if (seen.length !== nprim + 1) seen = new Uint8Array(nprim + 1);
    const at = c.pos;
    const len = c.u32();
    const value = c.u32();
    const alias = c.u32() !== 0;
    w.skipStr(len, 'category name');
    if (alias) aliases.push(value, at);
    else {
      declare(w, seen, value, nprim, at);
      s.categories++;
    }
  }).nprim;
  for (let i = 0; i < aliases.length; i += 2) if (!inRange(aliases[i]!, nprim) || !seen[aliases[i]!]) c.fail(`category alias of unknown category ${aliases[i]}`, aliases[i + 1]);
  w.n.cats = nprim;
  // The users' ranges and default levels, the sensitivities' levels: declared values.
  if (w.earlySens > w.n.levels || w.earlyCatTop >= nprim) c.fail('a level names an undeclared sensitivity or category');
  // The constraints' name sets: declared users, roles and types (as readPolicy checks them after the last table).
  w.nameTops.check(c, w.n);
}

function perms(w: Scanner, nprim: number, nel: number): number {
  const c = w.c;
  c.count(nel, ITEMS.permission.minBytes, ITEMS.permission.what);
  const seen = w.permSeen.fill(0);
  for (let i = 0; i < nel; i++) {
    const at = c.pos;
    const len = c.u32();
    const value = c.u32();
    w.skipStr(len, 'permission name');
    if (!inRange(value, nprim)) c.fail(`permission has value ${value} outside 1..${nprim}`, at);
    if (seen[value]) c.fail(`permission value ${value} used twice`, at);
    seen[value] = 1;
  }
  return nel;
}

/** Walks `n` constraints; returns how many are MLS ones. */
function constraints(w: Scanner, n: number, validatetrans: boolean): number {
  const c = w.c;
  const withTypeSet = w.has.constraintTypeSets;
  let nmls = 0;
  for (let i = 0; i < n; i++) {
    c.u32();
    const nexpr = c.count(c.u32(), ITEMS.constraintNode.minBytes, ITEMS.constraintNode.what);
    let depth = -1;
    let mls = false;
    for (let j = 0; j < nexpr; j++) {
      const at = c.pos;
      const type = c.u32();
      const attr = c.u32();
      const op = c.u32();
      depth = constraintNode(c, at, type, attr, op, depth, validatetrans);
      if (type !== CEXPR.ATTR && type !== CEXPR.NAMES) continue;
      if (attr >= CEXPR.L1L2) mls = true;
      if (type === CEXPR.NAMES) {
        let mapAt = c.pos;
        checkEbitmap(c, EARLY_BITS);
        w.nameTops.note(namesKind(attr)!, lastEbitmapTop() + 1, mapAt);
        if (withTypeSet) {
          for (let m = 0; m < 2; m++) {
            mapAt = c.pos;
            checkEbitmap(c, EARLY_BITS);
            w.nameTops.note('type', lastEbitmapTop() + 1, mapAt);
          }
          c.u32();
        }
      }
    }
    checkConstraintEnd(c, depth);
    if (mls) nmls++;
  }
  return nmls;
}
