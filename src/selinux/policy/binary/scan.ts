// scanPolicyStats: seinfo's statistics straight from the policy bytes, in one
// pass that builds nothing (no names, no rule tables). `porthole policy info`
// uses it: building the whole model costs several times more, and a short
// command is judged by its start-up. It walks the sections format.ts gives, in
// its order, and makes the reader's structural checks (every count against the
// bytes left, every ebitmap, rule kinds, value ranges where the value is read;
// the shared ones from checks.ts), so a corrupt file is a PortholeError naming
// the section and offset here too. It skips the reader's cross-reference
// checks (role, user and alias sets against the declared symbols), so it may
// accept a file readPolicy rejects; on every file readPolicy accepts the two
// agree (read.test.ts, parity.test.ts).

import type { PolicyStats } from '../query/stats.js';
import { countAvtabKinds } from './avtab.js';
import {
  checkBoolState,
  checkCondEnd,
  checkCondHead,
  checkConstraintEnd,
  checkContext,
  checkFilenameTransition,
  checkFilenameTransitionKey,
  checkIbEndport,
  checkInitialSid,
  checkPermissionCount,
  checkPkeys,
  checkRangeLevels,
  checkRangeSensitivities,
  checkRangeTransition,
  checkRoleAllow,
  checkRoleTransition,
  condNode,
  constraintNode,
  inRange,
  readHeader,
  type SymbolCounts,
  sectionCount,
  symtabHeader,
} from './checks.js';
import { AVTAB, AVTAB_SPEC_MASK, CEXPR, CONFIG_MLS, EARLY_BITS, OCON, PERM_SYMTAB_SIZE, TYPEDATUM_PROPERTY_ATTRIBUTE, TYPEDATUM_PROPERTY_PRIMARY } from './constants.js';
import { Cursor, FileCursor, type FileCursorOptions } from './cursor.js';
import { checkEbitmap, readEbitmap } from './ebitmap.js';
import { type FieldId, ITEMS, layoutOf, type OContextLayout, type Section, type SectionMethods } from './format.js';

export function scanPolicyStats(bytes: Uint8Array): PolicyStats {
  return new Scanner(new Cursor(bytes)).scan();
}

/** scanPolicyStats of the file at `path`, read through a small window (errors name it as `opts.name`; fs errors are thrown as they are). */
export function scanPolicyFile(path: string, opts: FileCursorOptions = {}): PolicyStats {
  return FileCursor.with(path, (c) => new Scanner(c).scan(), opts);
}

/** The counts of PolicyStats (all but version, mls, target, handleUnknown). */
const COUNTS = (
  'classes permissions sensitivities categories types attributes users roles booleans condExprs allow neverallow auditallow dontaudit typeTrans typeChange ' +
  'typeMember rangeTrans roleAllow roleTrans constraints validatetrans mlsConstrain mlsValidatetrans permissives polcap defaults typebounds allowxperm ' +
  'neverallowxperm auditallowxperm dontauditxperm ibendportcon ibpkeycon initialSids fsUse genfscon portcon netifcon nodecon'
).split(' ') as Exclude<keyof PolicyStats, 'version' | 'mls' | 'target' | 'handleUnknown'>[];

/** The walk: one method per section of the table (format.ts), called in file order. */
class Scanner implements SectionMethods {
  readonly c: Cursor;
  version = 0;
  has!: Readonly<Record<FieldId, boolean>>;
  ocontextKinds: readonly OContextLayout[] = [];
  readonly n: SymbolCounts = { commons: 0, classes: 0, roles: 0, types: 0, users: 0, bools: 0, levels: 0, cats: 0 };
  s!: PolicyStats;
  permissiveTypes: number[] = [];
  /** Rules by kind (AVTAB.*), both tables. */
  readonly kindCount = new Uint32Array(AVTAB_SPEC_MASK + 1);

  constructor(c: Cursor) {
    this.c = c;
  }

  scan(): PolicyStats {
    const c = this.c;
    const h = readHeader(c);
    const version = (this.version = h.version);
    const layout = layoutOf(version);
    this.has = layout.has;
    this.ocontextKinds = layout.ocontexts;
    // Every count starts at 0 (read.test.ts: the same keys as policyStats's).
    const s = (this.s = { version, mls: (h.config & CONFIG_MLS) !== 0, target: 'selinux', handleUnknown: h.handleUnknown } as PolicyStats);
    for (const k of COUNTS) s[k] = 0;
    for (const sec of layout.sections) {
      c.section = sec.name;
      this[sec.id](sec);
    }
    const kinds = this.kindCount;
    s.allow = kinds[AVTAB.ALLOWED]!;
    s.auditallow = kinds[AVTAB.AUDITALLOW]!;
    s.dontaudit = kinds[AVTAB.AUDITDENY]!;
    s.typeTrans += kinds[AVTAB.TRANSITION]!;
    s.typeChange = kinds[AVTAB.CHANGE]!;
    s.typeMember = kinds[AVTAB.MEMBER]!;
    s.allowxperm = kinds[AVTAB.XPERMS_ALLOWED]!;
    s.auditallowxperm = kinds[AVTAB.XPERMS_AUDITALLOW]!;
    s.dontauditxperm = kinds[AVTAB.XPERMS_DONTAUDIT]!;
    return s;
  }

  // ================================================================ symbol tables

  polcaps(): void {
    this.s.polcap = checkEbitmap(this.c, 1024);
  }

  permissive(): void {
    this.permissiveTypes = readEbitmap(this.c, EARLY_BITS);
  }

  neveraudit(): void {
    checkEbitmap(this.c, EARLY_BITS);
  }

  /** Walks one symbol table: `one` per entry. Returns its values declared (nprim) and entries (nel). */
  symtab(sec: Section, one: (nprim: number) => void): { nprim: number; nel: number } {
    const h = symtabHeader(this.c, sec);
    for (let i = 0; i < h.nel; i++) one(h.nprim);
    return h;
  }

  commons(sec: Section): void {
    const c = this.c;
    this.n.commons = this.symtab(sec, () => {
      const len = c.u32();
      c.u32();
      const nprim = c.u32();
      const nel = c.u32();
      checkPermissionCount(c, 'common', nprim, c.pos - 16);
      this.skipStr(len, 'common name');
      this.s.permissions += this.perms(nprim, nel);
    }).nprim;
  }

  classes(sec: Section): void {
    const { c, s, has } = this;
    const t = this.symtab(sec, () => {
      const at = c.pos;
      const len = c.u32();
      const len2 = c.u32();
      c.u32();
      const nprim = c.u32();
      const nel = c.u32();
      const ncons = c.u32();
      checkPermissionCount(c, 'class', nprim, at);
      this.skipStr(len, 'class name');
      if (len2) this.skipStr(len2, 'common name');
      s.permissions += this.perms(nprim, nel);
      c.count(ncons, ITEMS.constraint.minBytes, ITEMS.constraint.what);
      const mls = this.constraints(ncons, false);
      s.mlsConstrain += mls;
      s.constraints += ncons - mls;
      if (has.validatetrans) {
        const n = c.count(c.u32(), ITEMS.validatetrans.minBytes, ITEMS.validatetrans.what);
        const vmls = this.constraints(n, true);
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
    this.n.classes = t.nprim;
  }

  roles(sec: Section): void {
    const c = this.c;
    const t = this.symtab(sec, () => {
      const len = c.u32();
      c.u32();
      c.u32();
      this.skipStr(len, 'role name');
      checkEbitmap(c, EARLY_BITS);
      checkEbitmap(c, EARLY_BITS);
    });
    this.s.roles = t.nel;
    this.n.roles = t.nprim;
  }

  /** Types and attributes counted apart; then the permissive types, which are types (not attributes). */
  types(sec: Section): void {
    const { c, s } = this;
    // Type values: 1 primary type, 2 primary attribute, 0 none (yet).
    let kinds = new Uint8Array(0);
    const { nprim } = this.symtab(sec, (nprim) => {
      if (kinds.length !== nprim + 1) kinds = new Uint8Array(nprim + 1);
      const at = c.pos;
      const len = c.u32();
      const value = c.u32();
      const properties = c.u32();
      const bounds = c.u32();
      this.skipStr(len, 'type name');
      if ((properties & TYPEDATUM_PROPERTY_PRIMARY) === 0) return;
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
    this.n.types = nprim;
    for (const v of this.permissiveTypes) {
      if (v < 1 || v > nprim) {
        c.section = 'permissive types';
        c.fail(`bit ${v} is not a type value`);
      }
      // Values without a name are attributes (readPolicy's @ttr ones).
      if (kinds[v] === 1) s.permissives++;
    }
  }

  users(sec: Section): void {
    const c = this.c;
    const t = this.symtab(sec, () => {
      const len = c.u32();
      c.u32();
      c.u32();
      this.skipStr(len, 'user name');
      checkEbitmap(c, EARLY_BITS);
      this.range(false);
      this.level();
    });
    this.s.users = t.nel;
    this.n.users = t.nprim;
  }

  booleans(sec: Section): void {
    const c = this.c;
    const t = this.symtab(sec, () => {
      const at = c.pos;
      c.u32();
      checkBoolState(c, c.u32(), at);
      this.skipStr(c.u32(), 'boolean name');
    });
    this.s.booleans = t.nel;
    this.n.bools = t.nprim;
  }

  sensitivities(sec: Section): void {
    const c = this.c;
    this.n.levels = this.symtab(sec, () => {
      const len = c.u32();
      const alias = c.u32() !== 0;
      this.skipStr(len, 'sensitivity name');
      this.level();
      if (!alias) this.s.sensitivities++;
    }).nprim;
  }

  categories(sec: Section): void {
    const c = this.c;
    this.n.cats = this.symtab(sec, () => {
      const len = c.u32();
      c.u32();
      const alias = c.u32() !== 0;
      this.skipStr(len, 'category name');
      if (!alias) this.s.categories++;
    }).nprim;
  }

  skipStr(len: number, what: string): void {
    if (len === 0) this.c.fail(`empty ${what}`, this.c.pos - 4);
    this.c.need(len, what);
    this.c.pos += len;
  }

  private readonly permSeen = new Uint8Array(PERM_SYMTAB_SIZE + 1);

  perms(nprim: number, nel: number): number {
    const c = this.c;
    c.count(nel, ITEMS.permission.minBytes, ITEMS.permission.what);
    const seen = this.permSeen.fill(0);
    for (let i = 0; i < nel; i++) {
      const at = c.pos;
      const len = c.u32();
      const value = c.u32();
      this.skipStr(len, 'permission name');
      if (!inRange(value, nprim)) c.fail(`permission has value ${value} outside 1..${nprim}`, at);
      if (seen[value]) c.fail(`permission value ${value} used twice`, at);
      seen[value] = 1;
    }
    return nel;
  }

  /** Walks `n` constraints; returns how many are MLS ones. */
  constraints(n: number, validatetrans: boolean): number {
    const c = this.c;
    const withTypeSet = this.has.constraintTypeSets;
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
          checkEbitmap(c, EARLY_BITS);
          if (withTypeSet) {
            checkEbitmap(c, EARLY_BITS);
            checkEbitmap(c, EARLY_BITS);
            c.u32();
          }
        }
      }
      checkConstraintEnd(c, depth);
      if (mls) nmls++;
    }
    return nmls;
  }

  // ================================================================ rules

  avtab(sec: Section): void {
    this.avtabEntries(sectionCount(this.c, sec), false);
  }

  /** Counts `n` avtab entries by kind (countAvtabKinds: the scan's loop beside the reader's, avtab.ts). */
  avtabEntries(n: number, conditional: boolean): void {
    countAvtabKinds(this.c, n, this.version, conditional, this.n.types, this.n.classes, this.kindCount);
  }

  conditionals(sec: Section): void {
    const c = this.c;
    const rule = ITEMS.conditionalRule;
    const n = (this.s.condExprs = sectionCount(c, sec));
    for (let i = 0; i < n; i++) {
      const at = c.pos;
      c.u32();
      const nexpr = c.count(c.u32(), ITEMS.conditionalNode.minBytes, ITEMS.conditionalNode.what);
      checkCondHead(c, i, at, nexpr);
      let depth = 0;
      for (let j = 0; j < nexpr; j++) {
        const eat = c.pos;
        const type = c.u32();
        const b = c.u32();
        depth = condNode(c, i, eat, type, b, depth, this.n.bools);
      }
      checkCondEnd(c, i, at, depth);
      this.avtabEntries(c.count(c.u32(), rule.minBytes, rule.what), true);
      this.avtabEntries(c.count(c.u32(), rule.minBytes, rule.what), true);
    }
  }

  roleTransitions(sec: Section): void {
    const c = this.c;
    const withClass = this.has.roleTransitionClass;
    const n = (this.s.roleTrans = sectionCount(c, sec));
    for (let i = 0; i < n; i++) {
      const at = c.pos;
      const role = c.u32();
      const type = c.u32();
      const newRole = c.u32();
      const tclass = withClass ? c.u32() : 1;
      checkRoleTransition(c, i, at, role, type, newRole, tclass, this.n);
    }
  }

  roleAllows(sec: Section): void {
    const c = this.c;
    const n = (this.s.roleAllow = sectionCount(c, sec));
    for (let i = 0; i < n; i++) {
      const at = c.pos;
      checkRoleAllow(c, i, at, c.u32(), c.u32(), this.n);
    }
  }

  /** The compact layout; counts the rules (one per source type). */
  filenameTransitionsCompact(sec: Section): void {
    const c = this.c;
    const ntypes = this.n.types;
    const n = sectionCount(c, sec);
    let rules = 0;
    for (let i = 0; i < n; i++) {
      this.skipStr(c.u32(), 'file name');
      const at = c.pos;
      const ttype = c.u32();
      const tclass = c.u32();
      const ndatum = c.count(c.u32(), ITEMS.filenameTransitionDatum.minBytes, ITEMS.filenameTransitionDatum.what);
      checkFilenameTransitionKey(c, i, at, ttype, tclass, ndatum, this.n);
      for (let j = 0; j < ndatum; j++) {
        rules += checkEbitmap(c, ntypes);
        const oat = c.pos;
        if (!inRange(c.u32(), ntypes)) c.fail(`filename transition ${i}: new type out of range`, oat);
      }
    }
    this.s.typeTrans += rules;
  }

  /** The old layout, one rule per source type; libsepol keeps the first rule of a (source, target, class, name). */
  filenameTransitions(sec: Section): void {
    const c = this.c;
    const n = sectionCount(c, sec);
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const len = c.u32();
      if (len === 0) c.fail('empty file name', c.pos - 4);
      const name = c.str(len, 'file name');
      const at = c.pos;
      const stype = c.u32();
      const ttype = c.u32();
      const tclass = c.u32();
      const otype = c.u32();
      checkFilenameTransition(c, i, at, stype, ttype, tclass, otype, this.n);
      seen.add(`${stype}:${ttype}:${tclass}:${name}`);
    }
    this.s.typeTrans += seen.size;
  }

  rangeTransitions(sec: Section): void {
    const c = this.c;
    const withClass = this.has.rangeTransitionClass;
    const n = (this.s.rangeTrans = sectionCount(c, sec));
    for (let i = 0; i < n; i++) {
      const at = c.pos;
      const source = c.u32();
      const target = c.u32();
      const tclass = withClass ? c.u32() : 1;
      checkRangeTransition(c, i, at, source, target, tclass, this.n);
      this.range();
    }
  }

  // ================================================================ labeling and the end

  ocontexts(): void {
    const { c, s } = this;
    for (const kind of this.ocontextKinds) {
      c.section = `ocontexts/${kind.name}`;
      const n = c.count(c.u32(), kind.minEntry, kind.name);
      for (let j = 0; j < n; j++) this.ocontext(kind.kind);
      if (kind.kind === OCON.ISID) s.initialSids = n;
      else if (kind.kind === OCON.PORT) s.portcon = n;
      else if (kind.kind === OCON.NETIF) s.netifcon = n;
      else if (kind.kind === OCON.NODE || kind.kind === OCON.NODE6) s.nodecon += n;
      else if (kind.kind === OCON.FSUSE) s.fsUse = n;
      else if (kind.kind === OCON.IBPKEY) s.ibpkeycon = n;
      else if (kind.kind === OCON.IBENDPORT) s.ibendportcon = n;
    }
  }

  ocontext(kind: number): void {
    const c = this.c;
    const at = c.pos;
    switch (kind) {
      case OCON.ISID:
        checkInitialSid(c, at, c.u32());
        this.context();
        break;
      case OCON.FS:
      case OCON.NETIF: {
        const len = c.u32();
        if (len > 63) c.fail(`interface or file system name length ${len} exceeds 63`, at);
        this.skipStr(len, 'interface or file system name');
        this.context();
        this.context();
        break;
      }
      case OCON.PORT:
        c.need(12);
        c.pos += 12;
        this.context();
        break;
      case OCON.NODE:
        c.need(8);
        c.pos += 8;
        this.context();
        break;
      case OCON.FSUSE:
        c.u32();
        this.skipStr(c.u32(), 'file system name');
        this.context();
        break;
      case OCON.NODE6:
        c.need(32);
        c.pos += 32;
        this.context();
        break;
      case OCON.IBPKEY: {
        c.need(8);
        c.pos += 8;
        const low = c.u32();
        const high = c.u32();
        checkPkeys(c, at, low, high);
        this.context();
        break;
      }
      case OCON.IBENDPORT: {
        const len = c.u32();
        const port = c.u32();
        checkIbEndport(c, at, len, port);
        this.skipStr(len, 'ibendport device');
        this.context();
        break;
      }
    }
  }

  genfs(sec: Section): void {
    const c = this.c;
    const nfs = sectionCount(c, sec);
    for (let i = 0; i < nfs; i++) {
      this.skipStr(c.u32(), 'genfs file system name');
      const m = c.count(c.u32(), ITEMS.genfscon.minBytes, ITEMS.genfscon.what);
      for (let j = 0; j < m; j++) {
        this.skipStr(c.u32(), 'genfs path');
        const cat = c.pos;
        if (c.u32() > this.n.classes) c.fail('genfscon class value out of range', cat);
        this.context();
      }
      this.s.genfscon += m;
    }
  }

  typeAttrMap(sec: Section): void {
    const c = this.c;
    c.count(this.n.types, sec.minEntry, sec.what);
    for (let i = 0; i < this.n.types; i++) checkEbitmap(c, this.n.types);
  }

  // ================================================================ MLS

  context(): void {
    const c = this.c;
    const at = c.pos;
    checkContext(c, at, c.u32(), c.u32(), c.u32(), this.n);
    this.range();
  }

  level(): void {
    this.c.u32();
    checkEbitmap(this.c, EARLY_BITS);
  }

  /** An MLS range; `check`: its sensitivities and categories must be declared ones (as readPolicy checks them). */
  range(check = true): void {
    const c = this.c;
    const at = c.pos;
    const items = c.u32();
    checkRangeLevels(c, at, items);
    const s0 = c.u32();
    const s1 = items > 1 ? c.u32() : s0;
    if (check) checkRangeSensitivities(c, at, s0, s1, this.n.levels);
    const limit = check ? this.n.cats : EARLY_BITS;
    checkEbitmap(c, limit);
    if (items > 1) checkEbitmap(c, limit);
  }
}
