// scanPolicyStats: seinfo's statistics straight from the policy bytes, in one
// pass that builds nothing (no names, no rule tables). `porthole policy info`
// uses it: building the whole model costs several times more, and a short
// command is judged by its start-up. It walks the sections of the format
// table (constants.ts) in its order, and makes the reader's structural checks
// (every count against the bytes left, every ebitmap, rule kinds, value ranges
// where the value is read; the shared ones from checks.ts), so a corrupt file
// is a PortholeError naming the section and offset here too. It makes the
// reader's cross-reference checks as well (symbol values declared once, the
// commons classes name, role, user and alias sets against the declared
// symbols), so it accepts exactly the files readPolicy accepts; on a file it
// rejects, the error is the one readPolicy gives (the reader is run then, for
// its message): every command says the same of the same file (parity.test.ts
// compares them on mutated files). The symbol tables are scanSymbols.ts's; the
// sections after them are here.

import { PortholeError } from '../../../base/diagnostic.js';
import type { PolicyStats } from '../query/stats.js';
import { countAvtabKinds } from './avtab.js';
import {
  ConstraintNameTops,
  checkCondEnd,
  checkCondHead,
  checkContext,
  checkFilenameNewType,
  checkFilenameTransition,
  checkFilenameTransitionKey,
  checkIbEndport,
  checkInitialSid,
  checkPkeys,
  checkRangeLevels,
  checkRangeSensitivities,
  checkRangeTransition,
  checkRoleAllow,
  checkRoleTransition,
  condNode,
  readHeader,
  type SymbolCounts,
  sectionCount,
} from './checks.js';
import { AVTAB, AVTAB_SPEC_MASK, CONFIG_MLS, EARLY_BITS, type FieldId, ITEMS, layoutOf, OCON, type OContextLayout, PERM_SYMTAB_SIZE, type Section, type SectionWalkers } from './constants.js';
import { Cursor, FileCursor, type FileCursorOptions } from './cursor.js';
import { checkEbitmap, lastEbitmapTop, readEbitmap } from './ebitmap.js';
import { Reader } from './read.js';
import { scanBooleans, scanCategories, scanClasses, scanCommons, scanRoles, scanSensitivities, scanTypes, scanUsers } from './scanSymbols.js';

export function scanPolicyStats(bytes: Uint8Array): PolicyStats {
  return scanOrFail(new Cursor(bytes));
}

/** scanPolicyStats of the file at `path`, read through a small window (errors name it as `opts.name`; fs errors are thrown as they are). */
export function scanPolicyFile(path: string, opts: FileCursorOptions = {}): PolicyStats {
  return FileCursor.with(path, scanOrFail, opts);
}

/**
 * The scan of the input of `c`; on a file it rejects, the error readPolicy gives for it (the
 * reader is read only then): every command says the same of the same file.
 */
function scanOrFail(c: Cursor): PolicyStats {
  try {
    return new Scanner(c).scan();
  } catch (e) {
    if (e instanceof PortholeError && e.code === 'policy-format') new Reader(c.again()).read();
    // The reader accepts what the scan rejects: a bug of one of them; the scan's error stands.
    throw e;
  }
}

/** What each section of the table is scanned by. */
const SCANNERS: SectionWalkers<Scanner> = {
  polcaps: (w) => (w.s.polcap = checkEbitmap(w.c, 1024)),
  permissive: (w) => (w.permissive = readEbitmap(w.c, EARLY_BITS)),
  neveraudit: (w) => (w.neveraudit = readEbitmap(w.c, EARLY_BITS)),
  commons: scanCommons,
  classes: scanClasses,
  roles: scanRoles,
  types: scanTypes,
  users: scanUsers,
  booleans: scanBooleans,
  sensitivities: scanSensitivities,
  categories: scanCategories,
  avtab: (w, s) => countAvtabKinds(w.c, sectionCount(w.c, s), w.version, false, w.n.types, w.n.classes, w.kindCount),
  conditionals: scanConditionals,
  roleTransitions: scanRoleTransitions,
  roleAllows: scanRoleAllows,
  filenameTransitions: scanFilenameTransitions,
  filenameTransitionsCompact: scanFilenameTransitionsCompact,
  ocontexts: scanOContexts,
  genfs: scanGenfs,
  rangeTransitions: scanRangeTransitions,
  typeAttrMap: scanTypeAttrMap,
};

/** The state of one scan: the cursor, the version's layout, the counts so far. */
export class Scanner {
  readonly c: Cursor;
  version = 0;
  has!: Readonly<Record<FieldId, boolean>>;
  ocontextKinds: readonly OContextLayout[] = [];
  readonly n: SymbolCounts = { commons: 0, classes: 0, roles: 0, types: 0, users: 0, bools: 0, levels: 0, cats: 0 };
  s!: PolicyStats;
  /** The permissive types' bits, checked once the types are read. */
  permissive: number[] = [];
  /** The neveraudit types' bits, checked once the types are read. */
  neveraudit: number[] = [];
  /** The names of the commons, which classes name. */
  readonly commonNames = new Set<string>();
  /** The value of the class named process (0: none): role transitions before version 26 imply it. */
  processClass = 0;
  /** The highest values the constraints' name sets name, checked once the symbol tables are read. */
  readonly nameTops = new ConstraintNameTops();
  /** The highest bit of the roles' type sets (-1: none), checked once the types are read. */
  roleTypesTop = -1;
  /** Rules by kind (AVTAB.*), both tables (countAvtabKinds). */
  readonly kindCount = new Uint32Array(AVTAB_SPEC_MASK + 1);
  /** Which permission values a common or class has used (scanSymbols.ts). */
  readonly permSeen = new Uint8Array(PERM_SYMTAB_SIZE + 1);

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
    const s: PolicyStats = (this.s = {
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
    });
    for (const sec of layout.sections) {
      c.section = sec.name;
      SCANNERS[sec.id](this, sec);
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

  /** Skips a name of `len` bytes (not empty). */
  skipStr(len: number, what: string): void {
    if (len === 0) this.c.fail(`empty ${what}`, this.c.pos - 4);
    this.c.need(len, what);
    this.c.pos += len;
  }

  context(): void {
    const c = this.c;
    const at = c.pos;
    checkContext(c, at, c.u32(), c.u32(), c.u32(), this.n);
    this.range();
  }

  /** A level (read before the sensitivities and categories are declared: checked once they are); returns its sensitivity. */
  level(): number {
    const sens = this.c.u32();
    checkEbitmap(this.c, EARLY_BITS);
    this.early(sens);
    return sens;
  }

  /**
   * The highest sensitivity and category bit of the levels and ranges read before their tables
   * (users', sensitivities'): checked once the categories are read.
   */
  earlySens = 0;
  earlyCatTop = -1;

  private early(sens: number): void {
    if (sens > this.earlySens) this.earlySens = sens;
    const top = lastEbitmapTop();
    if (top > this.earlyCatTop) this.earlyCatTop = top;
  }

  /** An MLS range; `check`: its sensitivities and categories must be declared ones (as readPolicy checks them), else they are checked later. */
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
    if (!check) this.early(Math.max(s0, s1));
    if (items > 1) {
      checkEbitmap(c, limit);
      if (!check) this.early(0);
    }
  }
}

// ================================================================ the sections after the symbol tables

function scanConditionals(w: Scanner, sec: Section): void {
  const c = w.c;
  const rule = ITEMS.conditionalRule;
  const n = (w.s.condExprs = sectionCount(c, sec));
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
      depth = condNode(c, i, eat, type, b, depth, w.n.bools);
    }
    checkCondEnd(c, i, at, depth);
    // The scan's avtab loop sits beside the reader's (avtab.ts); called directly, not through a
    // helper: V8 would compile the helper again with the loop inlined, a few ms of a cold start.
    countAvtabKinds(c, c.count(c.u32(), rule.minBytes, rule.what), w.version, true, w.n.types, w.n.classes, w.kindCount);
    countAvtabKinds(c, c.count(c.u32(), rule.minBytes, rule.what), w.version, true, w.n.types, w.n.classes, w.kindCount);
  }
}

function scanRoleTransitions(w: Scanner, sec: Section): void {
  const c = w.c;
  const withClass = w.has.roleTransitionClass;
  const n = (w.s.roleTrans = sectionCount(c, sec));
  for (let i = 0; i < n; i++) {
    const at = c.pos;
    const role = c.u32();
    const type = c.u32();
    const newRole = c.u32();
    const tclass = withClass ? c.u32() : w.processClass;
    checkRoleTransition(c, i, at, role, type, newRole, tclass, w.n);
  }
}

function scanRoleAllows(w: Scanner, sec: Section): void {
  const c = w.c;
  const n = (w.s.roleAllow = sectionCount(c, sec));
  for (let i = 0; i < n; i++) {
    const at = c.pos;
    checkRoleAllow(c, i, at, c.u32(), c.u32(), w.n);
  }
}

/** The compact layout; counts the rules (one per source type). */
function scanFilenameTransitionsCompact(w: Scanner, sec: Section): void {
  const c = w.c;
  const ntypes = w.n.types;
  const n = sectionCount(c, sec);
  let rules = 0;
  for (let i = 0; i < n; i++) {
    w.skipStr(c.u32(), 'file name');
    const at = c.pos;
    const ttype = c.u32();
    const tclass = c.u32();
    const ndatum = c.count(c.u32(), ITEMS.filenameTransitionDatum.minBytes, ITEMS.filenameTransitionDatum.what);
    checkFilenameTransitionKey(c, i, at, ttype, tclass, ndatum, w.n);
    for (let j = 0; j < ndatum; j++) {
      rules += checkEbitmap(c, ntypes);
      const oat = c.pos;
      checkFilenameNewType(c, i, oat, c.u32(), w.n);
    }
  }
  w.s.typeTrans += rules;
}

/** The old layout, one rule per source type; libsepol keeps the first rule of a (source, target, class, name). */
function scanFilenameTransitions(w: Scanner, sec: Section): void {
  const c = w.c;
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
    checkFilenameTransition(c, i, at, stype, ttype, tclass, otype, w.n);
    seen.add(`${stype}:${ttype}:${tclass}:${name}`);
  }
  w.s.typeTrans += seen.size;
}

function scanRangeTransitions(w: Scanner, sec: Section): void {
  const c = w.c;
  const withClass = w.has.rangeTransitionClass;
  const n = (w.s.rangeTrans = sectionCount(c, sec));
  for (let i = 0; i < n; i++) {
    const at = c.pos;
    const source = c.u32();
    const target = c.u32();
    const tclass = withClass ? c.u32() : 1;
    checkRangeTransition(c, i, at, source, target, tclass, w.n);
    w.range();
  }
}

function scanOContexts(w: Scanner): void {
  const { c, s } = w;
  for (const kind of w.ocontextKinds) {
    c.section = `ocontexts/${kind.name}`;
    const n = c.count(c.u32(), kind.minEntry, kind.name);
    for (let j = 0; j < n; j++) scanOContext(w, kind.kind);
    if (kind.kind === OCON.ISID) s.initialSids = n;
    else if (kind.kind === OCON.PORT) s.portcon = n;
    else if (kind.kind === OCON.NETIF) s.netifcon = n;
    else if (kind.kind === OCON.NODE || kind.kind === OCON.NODE6) s.nodecon += n;
    else if (kind.kind === OCON.FSUSE) s.fsUse = n;
    else if (kind.kind === OCON.IBPKEY) s.ibpkeycon = n;
    else if (kind.kind === OCON.IBENDPORT) s.ibendportcon = n;
  }
}

function scanOContext(w: Scanner, kind: number): void {
  const c = w.c;
  const at = c.pos;
  switch (kind) {
    case OCON.ISID:
      checkInitialSid(c, at, c.u32());
      w.context();
      break;
    case OCON.FS:
    case OCON.NETIF: {
      const len = c.u32();
      if (len > 63) c.fail(`interface or file system name length ${len} exceeds 63`, at);
      w.skipStr(len, 'interface or file system name');
      w.context();
      w.context();
      break;
    }
    case OCON.PORT:
      c.need(12);
      c.pos += 12;
      w.context();
      break;
    case OCON.NODE:
      c.need(8);
      c.pos += 8;
      w.context();
      break;
    case OCON.FSUSE:
      c.u32();
      w.skipStr(c.u32(), 'file system name');
      w.context();
      break;
    case OCON.NODE6:
      c.need(32);
      c.pos += 32;
      w.context();
      break;
    case OCON.IBPKEY: {
      c.need(8);
      c.pos += 8;
      const low = c.u32();
      const high = c.u32();
      checkPkeys(c, at, low, high);
      w.context();
      break;
    }
    case OCON.IBENDPORT: {
      const len = c.u32();
      const port = c.u32();
      checkIbEndport(c, at, len, port);
      w.skipStr(len, 'ibendport device');
      w.context();
      break;
    }
  }
}

function scanGenfs(w: Scanner, sec: Section): void {
  const c = w.c;
  const nfs = sectionCount(c, sec);
  const seen = new Set<string>();
  for (let i = 0; i < nfs; i++) {
    const at = c.pos;
    const fstype = c.str(c.u32(), 'genfs file system name');
    if (seen.has(fstype)) c.fail('duplicate genfs file system', at);
    seen.add(fstype);
    const m = c.count(c.u32(), ITEMS.genfscon.minBytes, ITEMS.genfscon.what);
    for (let j = 0; j < m; j++) {
      w.skipStr(c.u32(), 'genfs path');
      const cat = c.pos;
      if (c.u32() > w.n.classes) c.fail('genfscon class value out of range', cat);
      w.context();
    }
    w.s.genfscon += m;
  }
}

function scanTypeAttrMap(w: Scanner, sec: Section): void {
  const c = w.c;
  const ntypes = w.n.types;
  c.count(ntypes, sec.minEntry, sec.what);
  for (let i = 0; i < ntypes; i++) checkEbitmap(c, ntypes);
}
