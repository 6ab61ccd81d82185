// readPolicy: the kernel binary policy (policydb_read of libsepol, versions
// 24..35) into the plain-data model. The header first, then every section the
// version has, in the order of the format table (constants.ts), each by its
// reader (readSymbols.ts, readRules.ts); the Policy is assembled at the end.
// Every count is checked against the bytes left before anything is
// allocated, so a truncated or corrupt file ends in a PortholeError (code
// policy-format) naming the section and the offset; a module package or a
// policy module given instead ends in one with code policy-is-module.

import { PolicyIndex } from '../indexes.js';
import type { Bool, ClassDef, Common, CondNode, Context, FilenameTransition, Genfs, Level, OContexts, Policy, Range, RangeTransition, Role, RoleAllow, RoleTransition, User } from '../model.js';
import type { TypeAttrMap, TypeAttrSource } from '../typeAttrMap.js';
import { AvTab } from './avtab.js';
import { ConstraintNameTops, checkContext, checkRangeLevels, checkRangeSensitivities, readHeader, type SymbolCounts } from './checks.js';
import { CONFIG_MLS, EARLY_BITS, type FieldId, type Layout, layoutOf, POLCAP_NAMES, type SectionWalkers } from './constants.js';
import { Cursor, FileCursor, type FileCursorOptions } from './cursor.js';
import { readEbitmap } from './ebitmap.js';
import { KernelArena } from './kernel/readerKernel.js';
import { BytePool } from './readConstraints.js';
import {
  readAvtabSection,
  readConditionals,
  readFilenameTransitions,
  readFilenameTransitionsCompact,
  readGenfs,
  readOContexts,
  readRangeTransitions,
  readRoleAllows,
  readRoleTransitions,
  readTypeAttrMap,
} from './readRules.js';
import { linkSymbols, readBooleans, readCategories, readClasses, readCommons, readRoles, readSensitivities, readTypes, readUsers, SymbolTables } from './readSymbols.js';

/**
 * Reads a kernel binary policy (versions 24 to 35). Throws a PortholeError (policy-format,
 * policy-is-module) on anything it cannot read. The policy keeps `bytes` (some parts are decoded
 * when first used): do not change them afterwards.
 */
export function readPolicy(bytes: Uint8Array): Policy {
  return new Reader(new Cursor(bytes)).read();
}

/**
 * readPolicy of the file at `path`, read through a small window. Errors name the file as
 * `opts.name` (default: the path); fs errors are thrown as they are.
 */
export function readPolicyFile(path: string, opts: FileCursorOptions = {}): Policy {
  return FileCursor.with(path, (c) => new Reader(c).read(), opts);
}

/** What each section of the table is read by. */
const READERS: SectionWalkers<Reader> = {
  polcaps: (r) => (r.polcaps = readEbitmap(r.c, 1024)),
  permissive: (r) => (r.permissive = readEbitmap(r.c, EARLY_BITS)),
  neveraudit: (r) => (r.neveraudit = readEbitmap(r.c, EARLY_BITS)),
  commons: readCommons,
  classes: readClasses,
  roles: readRoles,
  types: readTypes,
  users: readUsers,
  booleans: readBooleans,
  sensitivities: readSensitivities,
  categories: (r, s) => {
    readCategories(r, s);
    // The last symbol table: every value is declared now.
    linkSymbols(r);
  },
  avtab: readAvtabSection,
  conditionals: readConditionals,
  roleTransitions: readRoleTransitions,
  roleAllows: readRoleAllows,
  filenameTransitions: readFilenameTransitions,
  filenameTransitionsCompact: readFilenameTransitionsCompact,
  ocontexts: readOContexts,
  genfs: readGenfs,
  rangeTransitions: readRangeTransitions,
  typeAttrMap: readTypeAttrMap,
};

/** The state of one read: the cursor, the version's layout, and what the sections have read so far. */
export class Reader {
  readonly c: Cursor;
  layout!: Layout;
  version = 0;
  has!: Readonly<Record<FieldId, boolean>>;
  /** The values each symbol table declares, as far as they are read. */
  readonly n: SymbolCounts = { commons: 0, classes: 0, roles: 0, types: 0, users: 0, bools: 0, levels: 0, cats: 0 };
  /**
   * The WebAssembly kernel for the constraints and the type attribute map (undefined: JavaScript
   * only). Its memory grows for the map, read last: nothing else keeps views of it.
   */
  readonly kernel: KernelArena | undefined = KernelArena.create(0, true);
  /** The memory of the avtab and conditional tables (undefined: plain arrays). */
  arena: KernelArena | undefined;
  /** The constraints' name bitmaps, decoded when first used. */
  readonly namesPool = new BytePool();
  /** The bytes of the constraints the kernel checked, decoded when a class's are first used. */
  readonly constraintPool = new BytePool();
  /** The highest values the constraints' name sets name: checked once the symbol tables are read. */
  readonly nameTops = new ConstraintNameTops();
  /** Where the types find the type attribute map once it is read. */
  readonly attrSource: TypeAttrSource = {};

  polcaps: number[] = [];
  permissive: number[] = [];
  neveraudit: number[] = [];
  readonly symbols = new SymbolTables();
  avtab: AvTab | undefined;
  condAvtab: AvTab | undefined;
  conds: CondNode[] = [];
  roleTransitions: RoleTransition[] = [];
  roleAllows: RoleAllow[] = [];
  filenameTransitions: FilenameTransition[] = [];
  ocontexts: OContexts = { initialSids: [], fs: [], ports: [], netifs: [], nodes: [], nodes6: [], fsUses: [], ibpkeys: [], ibendports: [] };
  genfs: Genfs[] = [];
  rangeTransitions: RangeTransition[] = [];
  typeAttrMap: TypeAttrMap | undefined;

  constructor(c: Cursor) {
    this.c = c;
  }

  read(): Policy {
    const c: Cursor = this.c;
    const { version, config, handleUnknown } = readHeader(c);
    this.version = version;
    this.layout = layoutOf(version);
    this.has = this.layout.has;
    for (const s of this.layout.sections) {
      c.section = s.name;
      READERS[s.id](this, s);
    }
    const t = this.symbols;
    const policy = {
      version,
      target: 'selinux' as const,
      mls: (config & CONFIG_MLS) !== 0,
      handleUnknown,
      polcaps: this.polcaps,
      polcapNames: this.polcaps.map((b) => POLCAP_NAMES[b] ?? `polcap${b}`),
      nprim: this.n,
      commons: t.commons.filter((x): x is Common => x !== undefined),
      classes: t.classes as ClassDef[],
      roles: t.roles as Role[],
      types: t.types,
      users: t.users as User[],
      bools: t.bools as Bool[],
      sensitivities: t.sensitivities,
      categories: t.categories,
      avtab: this.avtab ?? new AvTab(0),
      condAvtab: this.condAvtab ?? new AvTab(0),
      conds: this.conds,
      roleTransitions: this.roleTransitions,
      roleAllows: this.roleAllows,
      filenameTransitions: this.filenameTransitions,
      ocontexts: this.ocontexts,
      genfs: this.genfs,
      rangeTransitions: this.rangeTransitions,
      typeAttrMap: this.typeAttrMap,
    } as Omit<Policy, 'index'> as Policy;
    let index: PolicyIndex | undefined;
    Object.defineProperty(policy, 'index', {
      enumerable: false,
      get: () => (index ??= new PolicyIndex(policy)),
    });
    return policy;
  }

  // ================================================================ MLS: levels, ranges, contexts

  /** A level; `check`: its sensitivity and categories are declared ones (false before their tables are read). */
  level(check = true): Level {
    const c: Cursor = this.c;
    const at = c.pos;
    const sens = c.u32();
    const cats = readEbitmap(c, check ? this.n.cats : EARLY_BITS, 1);
    if (check && sens > this.n.levels) c.fail(`sensitivity value ${sens} out of range`, at);
    return { sens, cats };
  }

  /** A range; `check` as for level(). */
  range(check = true): Range {
    const c: Cursor = this.c;
    const at = c.pos;
    const items = c.u32();
    checkRangeLevels(c, at, items);
    const s0 = c.u32();
    const s1 = items > 1 ? c.u32() : s0;
    if (check) checkRangeSensitivities(c, at, s0, s1, this.n.levels);
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
    checkContext(c, at, user, role, type, this.n);
    return { user, role, type, range: this.range() };
  }
}
