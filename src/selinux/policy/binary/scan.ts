// scanPolicyStats: seinfo's statistics straight from the policy bytes, in one
// pass that builds nothing (no names, no rule tables). `porthole policy info`
// uses it: building the whole model costs several times more, and a short
// command is judged by its start-up. It walks the file as readPolicy does and
// makes the same structural checks (every count against the bytes left, every
// ebitmap, rule kinds, value ranges where the value is read), so a corrupt file
// is a PolicyReadError naming the section and offset here too. It skips the
// reader's cross-reference checks (role, user and alias sets against the
// declared symbols), so it may accept a file readPolicy rejects; on every file
// readPolicy accepts the two agree (scan.test.ts, fuzz.test.ts).

import type { PolicyStats } from '../query/stats.js';
import { badAvtabKey, checkXpermEntry, condNode, constraintNode, OCON_MIN_SIZE, OCON_NAMES, symtabHeader } from './checks.js';
import { AVTAB, AVTAB_SPEC_MASK, AVTAB_XPERMS, CEXPR, CONFIG_MLS, EARLY_BITS, OCON, oconNum, PERM_SYMTAB_SIZE, TYPEDATUM_PROPERTY_ATTRIBUTE, TYPEDATUM_PROPERTY_PRIMARY, V } from './constants.js';
import { Cursor, FileCursor } from './cursor.js';
import { checkEbitmap, readEbitmap } from './ebitmap.js';
import { readHeader } from './header.js';

export function scanPolicyStats(bytes: Uint8Array): PolicyStats {
  return new Scanner(new Cursor(bytes)).scan();
}

/** scanPolicyStats of the file at `path`, read through a small window (fs errors are thrown as they are). */
export function scanPolicyFile(path: string, window?: number): PolicyStats {
  return FileCursor.with(path, (c) => new Scanner(c).scan(), window);
}

class Scanner {
  readonly c: Cursor;
  version = 0;
  nTypes = 0;
  nClasses = 0;
  nRoles = 0;
  nBools = 0;
  nUsers = 0;
  nLevels = 0;
  nCats = 0;

  constructor(c: Cursor) {
    this.c = c;
  }

  scan(): PolicyStats {
    const c = this.c;
    const h = readHeader(c);
    const version = (this.version = h.version);
    const s: PolicyStats = {
      version,
      mls: (h.config & CONFIG_MLS) !== 0,
      target: 'selinux',
      handleUnknown: h.handleUnknown,
      classes: 0,
      permissions: 0,
      sensitivities: 0,
      categories: 0,
      types: 0,
      attributes: 0,
      users: 0,
      roles: 0,
      booleans: 0,
      condExprs: 0,
      allow: 0,
      neverallow: 0,
      auditallow: 0,
      dontaudit: 0,
      typeTrans: 0,
      typeChange: 0,
      typeMember: 0,
      rangeTrans: 0,
      roleAllow: 0,
      roleTrans: 0,
      constraints: 0,
      validatetrans: 0,
      mlsConstrain: 0,
      mlsValidatetrans: 0,
      permissives: 0,
      polcap: 0,
      defaults: 0,
      typebounds: 0,
      allowxperm: 0,
      neverallowxperm: 0,
      auditallowxperm: 0,
      dontauditxperm: 0,
      ibendportcon: 0,
      ibpkeycon: 0,
      initialSids: 0,
      fsUse: 0,
      genfscon: 0,
      portcon: 0,
      netifcon: 0,
      nodecon: 0,
    };

    c.section = 'policy capabilities';
    s.polcap = checkEbitmap(c, 1024);
    c.section = 'permissive types';
    const permissive = readEbitmap(c, EARLY_BITS);
    if (version >= V.NEVERAUDIT) {
      c.section = 'neveraudit types';
      checkEbitmap(c, EARLY_BITS);
    }

    // ------------------------------------------------------------ symbols
    this.symtab('commons', 17, () => {
      const len = c.u32();
      c.u32();
      const nprim = c.u32();
      const nel = c.u32();
      if (nprim > PERM_SYMTAB_SIZE) c.fail(`common has ${nprim} permissions (max ${PERM_SYMTAB_SIZE})`, c.pos - 16);
      this.skipStr(len, 'common name');
      s.permissions += this.perms(nprim, nel);
    });
    s.classes = this.symtab('classes', 25, () => {
      const at = c.pos;
      const len = c.u32();
      const len2 = c.u32();
      c.u32();
      const nprim = c.u32();
      const nel = c.u32();
      const ncons = c.u32();
      if (nprim > PERM_SYMTAB_SIZE) c.fail(`class has ${nprim} permissions (max ${PERM_SYMTAB_SIZE})`, at);
      this.skipStr(len, 'class name');
      if (len2) this.skipStr(len2, 'common name');
      s.permissions += this.perms(nprim, nel);
      c.count(ncons, 8, 'constraint');
      const mls = this.constraints(ncons, false);
      s.mlsConstrain += mls;
      s.constraints += ncons - mls;
      if (version >= V.VALIDATETRANS) {
        const n = c.count(c.u32(), 8, 'validatetrans');
        const vmls = this.constraints(n, true);
        s.mlsValidatetrans += vmls;
        s.validatetrans += n - vmls;
      }
      if (version >= V.NEW_OBJECT_DEFAULTS) {
        const dat = c.pos;
        const u = c.u32();
        const r = c.u32();
        const g = c.u32();
        if (u > 2 || r > 2 || g > 7) c.fail('bad default_* values', dat);
        s.defaults += (u ? 1 : 0) + (r ? 1 : 0) + (g ? 1 : 0);
      }
      if (version >= V.DEFAULT_TYPE) {
        const dat = c.pos;
        const t = c.u32();
        if (t > 2) c.fail(`bad default_type value ${t}`, dat);
        s.defaults += t ? 1 : 0;
      }
    });
    s.roles = this.symtab('roles', 13 + 24, () => {
      const len = c.u32();
      c.u32();
      c.u32();
      this.skipStr(len, 'role name');
      checkEbitmap(c, EARLY_BITS);
      checkEbitmap(c, EARLY_BITS);
    });
    // Type values: 1 primary type, 2 primary attribute, 0 none (yet).
    let kinds = new Uint8Array(0);
    this.symtab('types', 17, (nprim) => {
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
    this.nTypes = this.lastNprim;
    for (const v of permissive) {
      if (v < 1 || v > this.nTypes) {
        c.section = 'permissive types';
        c.fail(`bit ${v} is not a type value`);
      }
      // Values without a name are attributes (readPolicy's @ttr ones).
      if (kinds[v] === 1) s.permissives++;
    }
    s.users = this.symtab('users', 13 + 12, () => {
      const len = c.u32();
      c.u32();
      c.u32();
      this.skipStr(len, 'user name');
      checkEbitmap(c, EARLY_BITS);
      this.range(false);
      this.level();
    });
    this.nUsers = this.lastNprim;
    s.booleans = this.symtab('booleans', 13, () => {
      const at = c.pos;
      c.u32();
      const state = c.u32();
      if (state > 1) c.fail(`boolean state ${state} is neither 0 nor 1`, at);
      this.skipStr(c.u32(), 'boolean name');
    });
    this.nBools = this.lastNprim;
    this.symtab('sensitivities', 9 + 16, () => {
      const len = c.u32();
      const alias = c.u32() !== 0;
      this.skipStr(len, 'sensitivity name');
      this.level();
      if (!alias) s.sensitivities++;
    });
    this.nLevels = this.lastNprim;
    this.symtab('categories', 13, () => {
      const len = c.u32();
      c.u32();
      const alias = c.u32() !== 0;
      this.skipStr(len, 'category name');
      if (!alias) s.categories++;
    });
    this.nCats = this.lastNprim;

    // ------------------------------------------------------------ rules
    c.section = 'avtab';
    const kindCount = new Uint32Array(AVTAB_SPEC_MASK + 1);
    this.avtab(c.count(c.u32(), 12, 'avtab entry'), false, kindCount);

    c.section = 'conditional rules';
    s.condExprs = c.count(c.u32(), 16, 'conditional');
    for (let i = 0; i < s.condExprs; i++) {
      const at = c.pos;
      c.u32();
      const nexpr = c.count(c.u32(), 8, 'conditional expression');
      if (nexpr === 0) c.fail(`conditional ${i} has an empty expression`, at);
      let depth = 0;
      for (let j = 0; j < nexpr; j++) {
        const eat = c.pos;
        const type = c.u32();
        const b = c.u32();
        depth = condNode(c, i, eat, type, b, depth, this.nBools);
      }
      if (depth !== 1) c.fail(`conditional ${i}: expression does not reduce to one value`, at);
      this.avtab(c.count(c.u32(), 12, 'conditional rule'), true, kindCount);
      this.avtab(c.count(c.u32(), 12, 'conditional rule'), true, kindCount);
    }
    s.allow = kindCount[AVTAB.ALLOWED]!;
    s.auditallow = kindCount[AVTAB.AUDITALLOW]!;
    s.dontaudit = kindCount[AVTAB.AUDITDENY]!;
    s.typeTrans = kindCount[AVTAB.TRANSITION]!;
    s.typeChange = kindCount[AVTAB.CHANGE]!;
    s.typeMember = kindCount[AVTAB.MEMBER]!;
    s.allowxperm = kindCount[AVTAB.XPERMS_ALLOWED]!;
    s.auditallowxperm = kindCount[AVTAB.XPERMS_AUDITALLOW]!;
    s.dontauditxperm = kindCount[AVTAB.XPERMS_DONTAUDIT]!;

    c.section = 'role transitions';
    const rtSize = version >= V.ROLETRANS ? 16 : 12;
    s.roleTrans = c.count(c.u32(), rtSize, 'role_transition');
    for (let i = 0; i < s.roleTrans; i++) {
      const at = c.pos;
      const role = c.u32();
      const type = c.u32();
      const newRole = c.u32();
      const tclass = version >= V.ROLETRANS ? c.u32() : 1;
      if (!inRange(role, this.nRoles) || !inRange(newRole, this.nRoles) || !inRange(type, this.nTypes) || !inRange(tclass, this.nClasses)) {
        c.fail(`role_transition ${i}: value out of range`, at);
      }
    }
    c.section = 'role allows';
    s.roleAllow = c.count(c.u32(), 8, 'role allow');
    for (let i = 0; i < s.roleAllow; i++) {
      const at = c.pos;
      if (!inRange(c.u32(), this.nRoles) || !inRange(c.u32(), this.nRoles)) c.fail(`role allow ${i}: role value out of range`, at);
    }
    if (version >= V.FILENAME_TRANS) {
      c.section = 'filename transitions';
      s.typeTrans += version >= V.COMP_FTRANS ? this.filenameTransCompact() : this.filenameTransOld();
    }

    // ------------------------------------------------------------ labeling
    const num = oconNum(version);
    for (let i = 0; i < num; i++) {
      c.section = `ocontexts/${OCON_NAMES[i]}`;
      const n = c.count(c.u32(), OCON_MIN_SIZE[i]!, OCON_NAMES[i]!);
      for (let j = 0; j < n; j++) this.ocontext(i);
      if (i === OCON.ISID) s.initialSids = n;
      else if (i === OCON.PORT) s.portcon = n;
      else if (i === OCON.NETIF) s.netifcon = n;
      else if (i === OCON.NODE || i === OCON.NODE6) s.nodecon += n;
      else if (i === OCON.FSUSE) s.fsUse = n;
      else if (i === OCON.IBPKEY) s.ibpkeycon = n;
      else if (i === OCON.IBENDPORT) s.ibendportcon = n;
    }
    c.section = 'genfs';
    const nfs = c.count(c.u32(), 9, 'genfs file system');
    for (let i = 0; i < nfs; i++) {
      this.skipStr(c.u32(), 'genfs file system name');
      const m = c.count(c.u32(), 4 + 1 + 4 + 24, 'genfscon');
      for (let j = 0; j < m; j++) {
        this.skipStr(c.u32(), 'genfs path');
        const cat = c.pos;
        if (c.u32() > this.nClasses) c.fail('genfscon class value out of range', cat);
        this.context();
      }
      s.genfscon += m;
    }

    c.section = 'range transitions';
    s.rangeTrans = c.count(c.u32(), 8 + 4 + 12, 'range_transition');
    for (let i = 0; i < s.rangeTrans; i++) {
      const at = c.pos;
      const source = c.u32();
      const target = c.u32();
      const tclass = version >= V.RANGETRANS ? c.u32() : 1;
      if (!inRange(source, this.nTypes) || !inRange(target, this.nTypes) || !inRange(tclass, this.nClasses)) c.fail(`range_transition ${i}: value out of range`, at);
      this.range();
    }

    c.section = 'type attribute map';
    c.count(this.nTypes, 12, 'type attribute map');
    for (let i = 0; i < this.nTypes; i++) checkEbitmap(c, this.nTypes);
    return s;
  }

  // ================================================================ pieces

  lastNprim = 0;

  /** Walks one symbol table; returns its number of entries. */
  symtab(section: string, minEntry: number, one: (nprim: number) => void): number {
    const { nprim, nel } = symtabHeader(this.c, section, minEntry);
    this.lastNprim = nprim;
    if (section === 'classes') this.nClasses = nprim;
    else if (section === 'roles') this.nRoles = nprim;
    for (let i = 0; i < nel; i++) one(nprim);
    return nel;
  }

  skipStr(len: number, what: string): void {
    if (len === 0) this.c.fail(`empty ${what}`, this.c.pos - 4);
    this.c.need(len, what);
    this.c.pos += len;
  }

  private readonly permSeen = new Uint8Array(PERM_SYMTAB_SIZE + 1);

  perms(nprim: number, nel: number): number {
    const c = this.c;
    c.count(nel, 9, 'permission');
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
    let nmls = 0;
    for (let i = 0; i < n; i++) {
      c.u32();
      const nexpr = c.count(c.u32(), 12, 'constraint expression');
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
          if (this.version >= V.CONSTRAINT_NAMES) {
            checkEbitmap(c, EARLY_BITS);
            checkEbitmap(c, EARLY_BITS);
            c.u32();
          }
        }
      }
      if (depth !== 0) c.fail('constraint expression does not reduce to one value');
      if (mls) nmls++;
    }
    return nmls;
  }

  /**
   * Counts `n` avtab entries by kind. The loop mirrors AvTab.readItems (the
   * checks themselves are shared, checks.ts): it is the hottest loop of both,
   * run once and cold, where a call per entry would cost more than it reads.
   */
  avtab(n: number, conditional: boolean, kinds: Uint32Array): void {
    const c = this.c;
    let view = c.view;
    let base = c.base;
    const { version, nTypes, nClasses } = this;
    for (let k = 0; k < n; k++) {
      const at = c.pos;
      if (c.end - at < 12) {
        c.need(12, 'avtab entry');
        view = c.view;
        base = c.base;
      }
      const p = at - base;
      const s = view.getUint16(p, true);
      const t = view.getUint16(p + 2, true);
      const cl = view.getUint16(p + 4, true);
      const spec = view.getUint16(p + 6, true) & ~AVTAB.ENABLED;
      if ((spec & AVTAB_SPEC_MASK) === 0 || (spec & (spec - 1)) !== 0 || (spec & ~AVTAB_SPEC_MASK) !== 0 || s === 0 || s > nTypes || t === 0 || t > nTypes || cl === 0 || cl > nClasses) {
        badAvtabKey(c, k, at, s, t, cl, spec, nTypes, nClasses);
      }
      kinds[spec]!++;
      if ((spec & AVTAB_XPERMS) !== 0) {
        if (c.end - at < 42) {
          c.need(42, 'avtab xperm entry');
          view = c.view;
          base = c.base;
        }
        checkXpermEntry(c, k, at, version, conditional, view.getUint8(at - base + 8));
        c.pos = at + 42;
      } else c.pos = at + 12;
    }
  }

  filenameTransCompact(): number {
    const c = this.c;
    const n = c.count(c.u32(), 4 + 1 + 12 + 16, 'filename transition');
    let rules = 0;
    for (let i = 0; i < n; i++) {
      this.skipStr(c.u32(), 'file name');
      const at = c.pos;
      const ttype = c.u32();
      const tclass = c.u32();
      const ndatum = c.count(c.u32(), 16, 'filename transition datum');
      if (ndatum === 0) c.fail('filename transition without data', at);
      if (!inRange(ttype, this.nTypes) || !inRange(tclass, this.nClasses)) c.fail(`filename transition ${i}: value out of range`, at);
      for (let j = 0; j < ndatum; j++) {
        rules += checkEbitmap(c, this.nTypes);
        const oat = c.pos;
        if (!inRange(c.u32(), this.nTypes)) c.fail(`filename transition ${i}: new type out of range`, oat);
      }
    }
    return rules;
  }

  /** The old layout, one rule per source type; libsepol keeps the first rule of a (source, target, class, name). */
  filenameTransOld(): number {
    const c = this.c;
    const n = c.count(c.u32(), 4 + 1 + 16, 'filename transition');
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
      if (!inRange(stype, this.nTypes) || !inRange(ttype, this.nTypes) || !inRange(tclass, this.nClasses) || !inRange(otype, this.nTypes)) {
        c.fail(`filename transition ${i}: value out of range`, at);
      }
      seen.add(`${stype}:${ttype}:${tclass}:${name}`);
    }
    return seen.size;
  }

  ocontext(kind: number): void {
    const c = this.c;
    const at = c.pos;
    switch (kind) {
      case OCON.ISID: {
        const sid = c.u32();
        if (sid === 0 || sid === 0xffffffff) c.fail(`bad initial SID number ${sid}`, at);
        this.context();
        break;
      }
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
        if (low > 0xffff || high > 0xffff) c.fail(`pkey ${low}-${high} out of range`, at);
        this.context();
        break;
      }
      case OCON.IBENDPORT: {
        const len = c.u32();
        const port = c.u32();
        if (len === 0 || len > 63) c.fail(`ibendport device name length ${len}`, at);
        if (port === 0 || port > 255) c.fail(`ibendport port ${port} out of range`, at);
        this.skipStr(len, 'ibendport device');
        this.context();
        break;
      }
    }
  }

  context(): void {
    const c = this.c;
    const at = c.pos;
    const user = c.u32();
    const role = c.u32();
    const type = c.u32();
    if (!inRange(user, this.nUsers) || !inRange(role, this.nRoles) || !inRange(type, this.nTypes)) c.fail(`invalid security context (${user}, ${role}, ${type})`, at);
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
    if (items < 1 || items > 2) c.fail(`MLS range with ${items} levels`, at);
    const s0 = c.u32();
    const s1 = items > 1 ? c.u32() : s0;
    if (check && (s0 > this.nLevels || s1 > this.nLevels)) c.fail('sensitivity value out of range', at);
    const limit = check ? this.nCats : EARLY_BITS;
    checkEbitmap(c, limit);
    if (items > 1) checkEbitmap(c, limit);
  }
}

function inRange(v: number, n: number): boolean {
  return v >= 1 && v <= n;
}
