// The kernel binary policy format, written down once: the sections in file
// order with the policy version each appeared in, what one entry of each holds
// and the fewest bytes it takes, the object-context kinds, and the fields that
// appeared later inside a section's entries. readPolicy (read.ts),
// scanPolicyStats (scan.ts) and the test writer (test/fixtures/policy/writer.ts)
// walk a policy by this table: their section order, version conditions and
// count checks come from here; what each makes of a section (a model,
// statistics, bytes) is its own. Nothing here reads bytes.
//
// Check it against libsepol: policydb.c (policydb_read() and the *_read()
// functions it calls, the kernel rows of policydb_compat[]), avtab.c,
// conditional.c; write.c writes the same layout.
//
// Versions 24 to 35 only: libsepol's kernel formats start at 24
// (POLICYDB_VERSION_BOUNDARY). At these versions the layout does not depend on
// the config bits: a non-MLS policy still has every MLS field (empty ranges and
// levels), and libsepol reads them whatever the MLS bit says.

import { MAX_VERSION, MIN_VERSION, OCON, V } from './constants.js';

/** The header, before everything else (policydb_read() up to the policy capabilities). */
export const HEADER_LAYOUT =
  'u32 magic 0xf97cff8c; u32 length, "SE Linux"; u32 version; u32 config (bit 0 MLS, bits 1-2 handle_unknown); ' +
  'u32 number of symbol tables (8); u32 number of object-context kinds (those of the version)';

export type SymbolTableId = 'commons' | 'classes' | 'roles' | 'types' | 'users' | 'booleans' | 'sensitivities' | 'categories';

export type SectionId =
  | 'polcaps'
  | 'permissive'
  | 'neveraudit'
  | SymbolTableId
  | 'avtab'
  | 'conditionals'
  | 'roleTransitions'
  | 'roleAllows'
  | 'filenameTransitions'
  | 'filenameTransitionsCompact'
  | 'ocontexts'
  | 'genfs'
  | 'rangeTransitions'
  | 'typeAttrMap';

export interface SectionLayout {
  readonly id: SectionId;
  /** The section's name in errors (`NAME at byte N: ...`); the object contexts name each kind (OCONTEXTS). */
  readonly name: string;
  /** The first version that has the section; `until`: the last one (a later layout replaced it). */
  readonly since: number;
  readonly until?: number;
  /** What one entry is called in count errors, and the fewest bytes one takes (without the later fields, FIELDS). */
  readonly what?: string;
  readonly minEntry?: number;
  /** A symbol table whose values need no entry (types: attributes the compiler left unnamed). */
  readonly unnamedValues?: boolean;
  /** What the section holds. A name is its bytes, its length a u32 earlier in the entry; [x] is a later field. */
  readonly layout: string;
  /** libsepol's reader of the section. */
  readonly libsepol: string;
}

/**
 * Every section of a kernel policy after the header, in file order. A symbol table is
 * u32 nprim (values declared), u32 nel (entries), then nel entries; the other lists are a u32
 * count then the entries.
 */
export const SECTIONS: readonly SectionLayout[] = [
  { id: 'polcaps', name: 'policy capabilities', since: V.POLCAP, layout: 'ebitmap of capability numbers', libsepol: 'ebitmap_read(&p->policycaps)' },
  { id: 'permissive', name: 'permissive types', since: V.PERMISSIVE, layout: 'ebitmap of type values - 1', libsepol: 'ebitmap_read(&p->permissive_map)' },
  { id: 'neveraudit', name: 'neveraudit types', since: V.NEVERAUDIT, layout: 'ebitmap of type values - 1', libsepol: 'ebitmap_read(&p->neveraudit_map)' },
  {
    id: 'commons',
    name: 'commons',
    since: V.BASE,
    what: 'commons',
    minEntry: 4 * 4 + 1,
    layout: 'u32 name length, u32 value, u32 nprim, u32 nel; name; nel permissions',
    libsepol: 'common_read',
  },
  {
    id: 'classes',
    name: 'classes',
    since: V.BASE,
    what: 'classes',
    minEntry: 6 * 4 + 1,
    layout:
      'u32 name length, u32 common name length, u32 value, u32 nprim, u32 nel, u32 constraints; name; common name; nel permissions; ' +
      'constraints; [u32 n, n validatetrans]; [u32 default_user, default_role, default_range]; [u32 default_type]',
    libsepol: 'class_read',
  },
  {
    id: 'roles',
    name: 'roles',
    since: V.BASE,
    what: 'roles',
    minEntry: 3 * 4 + 1 + 2 * 12,
    layout: 'u32 name length, u32 value, u32 bounds; name; ebitmap dominated roles; ebitmap types',
    libsepol: 'role_read',
  },
  {
    id: 'types',
    name: 'types',
    since: V.BASE,
    what: 'types',
    minEntry: 4 * 4 + 1,
    unnamedValues: true,
    layout: 'u32 name length, u32 value, u32 properties (1 primary, 2 attribute; an alias is not primary), u32 bounds; name',
    libsepol: 'type_read',
  },
  {
    id: 'users',
    name: 'users',
    since: V.BASE,
    what: 'users',
    minEntry: 3 * 4 + 1 + 12,
    layout: 'u32 name length, u32 value, u32 bounds; name; ebitmap roles; range; default level',
    libsepol: 'user_read',
  },
  { id: 'booleans', name: 'booleans', since: V.BOOL, what: 'booleans', minEntry: 3 * 4 + 1, layout: 'u32 value, u32 state, u32 name length; name', libsepol: 'cond_read_bool' },
  {
    id: 'sensitivities',
    name: 'sensitivities',
    since: V.MLS,
    what: 'sensitivities',
    minEntry: 2 * 4 + 1 + 16,
    layout: 'u32 name length, u32 is alias; name; level (its value is the level sensitivity)',
    libsepol: 'sens_read',
  },
  { id: 'categories', name: 'categories', since: V.MLS, what: 'categories', minEntry: 3 * 4 + 1, layout: 'u32 name length, u32 value, u32 is alias; name', libsepol: 'cat_read' },
  {
    id: 'avtab',
    name: 'avtab',
    since: V.AVTAB,
    what: 'avtab entry',
    minEntry: 12,
    layout: 'u16 source type, u16 target type, u16 class, u16 kind (AVTAB.*); u32 data, or [for the xperm kinds: u8 specified, u8 driver, u32 x 8 permissions]',
    libsepol: 'avtab_read (avtab.c)',
  },
  {
    id: 'conditionals',
    name: 'conditional rules',
    since: V.BOOL,
    what: 'conditional',
    minEntry: 16,
    layout: 'u32 state, u32 nexpr; nexpr nodes; u32 n, n avtab entries (true list); u32 n, n avtab entries (false list)',
    libsepol: 'cond_read_list (conditional.c)',
  },
  {
    id: 'roleTransitions',
    name: 'role transitions',
    since: V.BASE,
    what: 'role_transition',
    minEntry: 12,
    layout: 'u32 role, u32 type, u32 new role, [u32 class]',
    libsepol: 'role_trans_read',
  },
  { id: 'roleAllows', name: 'role allows', since: V.BASE, what: 'role allow', minEntry: 8, layout: 'u32 role, u32 new role', libsepol: 'role_allow_read' },
  {
    id: 'filenameTransitions',
    name: 'filename transitions',
    since: V.FILENAME_TRANS,
    until: V.COMP_FTRANS - 1,
    what: 'filename transition',
    minEntry: 4 + 1 + 16,
    layout: 'u32 name length; name; u32 source type, u32 target type, u32 class, u32 new type',
    libsepol: 'filename_trans_read_one_compat',
  },
  {
    id: 'filenameTransitionsCompact',
    name: 'filename transitions',
    since: V.COMP_FTRANS,
    what: 'filename transition',
    minEntry: 4 + 1 + 12 + 16,
    layout: 'u32 name length; name; u32 target type, u32 class, u32 ndatum; ndatum x (ebitmap source types, u32 new type)',
    libsepol: 'filename_trans_read_one',
  },
  { id: 'ocontexts', name: 'ocontexts', since: V.BASE, layout: 'per object-context kind of the version (OCONTEXTS): u32 count, the entries', libsepol: 'ocontext_read_selinux' },
  {
    id: 'genfs',
    name: 'genfs',
    since: V.BASE,
    what: 'genfs file system',
    minEntry: 4 + 1 + 4,
    layout: 'u32 name length; file system name; u32 m; m x (u32 length; path; u32 class; context)',
    libsepol: 'genfs_read',
  },
  {
    id: 'rangeTransitions',
    name: 'range transitions',
    since: V.MLS,
    what: 'range_transition',
    minEntry: 8 + 12,
    layout: 'u32 source type, u32 target type, [u32 class], range',
    libsepol: 'range_read',
  },
  {
    id: 'typeAttrMap',
    name: 'type attribute map',
    since: V.BASE,
    what: 'type attribute map',
    minEntry: 12,
    layout: 'one ebitmap per type value (nprim of types, no count): the attributes of the type, and the type itself',
    libsepol: 'policydb_read (type_attr_map)',
  },
];

export interface OContextLayout {
  /** OCON.*: the kind's place in the file. */
  readonly kind: number;
  /** Its name in errors (`ocontexts/NAME`) and in count errors. */
  readonly name: string;
  readonly since: number;
  readonly minEntry: number;
  readonly layout: string;
}

/**
 * The object-context kinds in file order (OCON_* of libsepol; ocontext_read_selinux()). A context
 * is u32 user, u32 role, u32 type, range; a range is u32 levels (1 or 2), u32 sensitivity per level,
 * an ebitmap of categories per level; a level is u32 sensitivity, ebitmap categories.
 */
export const OCONTEXTS: readonly OContextLayout[] = [
  { kind: OCON.ISID, name: 'initial SIDs', since: V.BASE, minEntry: 4 + 24, layout: 'u32 SID number; context' },
  { kind: OCON.FS, name: 'fscon', since: V.BASE, minEntry: 4 + 1 + 48, layout: 'u32 name length (at most 63); name; context; default file context' },
  { kind: OCON.PORT, name: 'portcon', since: V.BASE, minEntry: 12 + 24, layout: 'u32 protocol, u32 low port, u32 high port; context' },
  { kind: OCON.NETIF, name: 'netifcon', since: V.BASE, minEntry: 4 + 1 + 48, layout: 'u32 name length (at most 63); name; interface context; packet context' },
  { kind: OCON.NODE, name: 'nodecon', since: V.BASE, minEntry: 8 + 24, layout: 'u8 x 4 address, u8 x 4 mask; context' },
  { kind: OCON.FSUSE, name: 'fs_use', since: V.BASE, minEntry: 8 + 1 + 24, layout: 'u32 behavior, u32 name length; file system name; context' },
  { kind: OCON.NODE6, name: 'nodecon6', since: V.IPV6, minEntry: 32 + 24, layout: 'u8 x 16 address, u8 x 16 mask; context' },
  { kind: OCON.IBPKEY, name: 'ibpkeycon', since: V.INFINIBAND, minEntry: 16 + 24, layout: 'u8 x 8 subnet prefix, u32 low pkey, u32 high pkey; context' },
  { kind: OCON.IBENDPORT, name: 'ibendportcon', since: V.INFINIBAND, minEntry: 8 + 1 + 24, layout: 'u32 device name length (1 to 63), u32 port; device name; context' },
];

export interface FieldLayout {
  /** The section whose entries have the field. */
  readonly in: SectionId;
  readonly since: number;
  /** Bytes the field adds to the fewest an entry takes (0: not counted there). */
  readonly bytes: number;
  readonly layout: string;
}

/** Fields that appeared after their section did. */
export const FIELDS = {
  validatetrans: { in: 'classes', since: V.VALIDATETRANS, bytes: 0, layout: 'after the constraints: u32 n, n validatetrans constraints' },
  classDefaults: { in: 'classes', since: V.NEW_OBJECT_DEFAULTS, bytes: 0, layout: 'u32 default_user (0..2), u32 default_role (0..2), u32 default_range (0..7)' },
  defaultType: { in: 'classes', since: V.DEFAULT_TYPE, bytes: 0, layout: 'u32 default_type (0..2)' },
  glblub: { in: 'classes', since: V.GLBLUB, bytes: 0, layout: 'default_range 7 (glblub)' },
  constraintTypeSets: {
    in: 'classes',
    since: V.CONSTRAINT_NAMES,
    bytes: 0,
    layout: "after a names node's ebitmap: the type set it was written with (ebitmap types, ebitmap negated types, u32 flags)",
  },
  xperms: { in: 'avtab', since: V.XPERMS_IOCTL, bytes: 0, layout: 'the extended-permission kinds (allowxperm, auditallowxperm, dontauditxperm)' },
  conditionalXperms: { in: 'conditionals', since: V.COND_XPERMS, bytes: 0, layout: 'extended-permission entries in the conditional lists' },
  roleTransitionClass: { in: 'roleTransitions', since: V.ROLETRANS, bytes: 4, layout: 'u32 class (before: process)' },
  rangeTransitionClass: { in: 'rangeTransitions', since: V.RANGETRANS, bytes: 4, layout: 'u32 class (before: process)' },
} as const satisfies Record<string, FieldLayout>;

export type FieldId = keyof typeof FIELDS;

/** Lists inside entries: what an item is called in count errors, and the fewest bytes it takes. */
export const ITEMS = {
  permission: { what: 'permission', minBytes: 9, layout: 'u32 name length, u32 value; name' },
  constraint: { what: 'constraint', minBytes: 8, layout: 'u32 permissions, u32 nexpr; nexpr nodes' },
  validatetrans: { what: 'validatetrans', minBytes: 8, layout: 'u32 permissions (unused), u32 nexpr; nexpr nodes' },
  constraintNode: { what: 'constraint expression', minBytes: 12, layout: 'u32 node type, u32 attribute, u32 operator; [names nodes: ebitmap names, the type set]' },
  conditionalNode: { what: 'conditional expression', minBytes: 8, layout: 'u32 node type, u32 boolean' },
  conditionalRule: { what: 'conditional rule', minBytes: 12, layout: 'an avtab entry' },
  filenameTransitionDatum: { what: 'filename transition datum', minBytes: 16, layout: 'ebitmap source types, u32 new type' },
  genfscon: { what: 'genfscon', minBytes: 4 + 1 + 4 + 24, layout: 'u32 path length; path; u32 class (0: any); context' },
} as const;

/** A section as one version has it: the fewest bytes of an entry count the later fields it has. */
export interface Section extends SectionLayout {
  readonly what: string;
  readonly minEntry: number;
}

/** The format of one version. */
export interface Layout {
  readonly version: number;
  /** Its sections after the header, in file order. */
  readonly sections: readonly Section[];
  /** Its object-context kinds, in file order. */
  readonly ocontexts: readonly OContextLayout[];
  /** Which later fields it has. */
  readonly has: Readonly<Record<FieldId, boolean>>;
}

/** The number of symbol tables (the header's sym_num). */
export const SYMBOL_TABLES = SECTIONS.filter((s) => isSymbolTable(s.id)).length;

const layouts = new Map<number, Layout>();

/** The format of `version` (MIN_VERSION..MAX_VERSION). */
export function layoutOf(version: number): Layout {
  let l = layouts.get(version);
  if (l) return l;
  if (version < MIN_VERSION || version > MAX_VERSION) throw new RangeError(`policy version ${version} is not described (${MIN_VERSION}..${MAX_VERSION})`);
  const has = {} as Record<FieldId, boolean>;
  for (const [id, f] of Object.entries(FIELDS) as [FieldId, FieldLayout][]) has[id] = version >= f.since;
  const sections = SECTIONS.filter((s) => version >= s.since && (s.until === undefined || version <= s.until)).map((s): Section => {
    let minEntry = s.minEntry ?? 0;
    for (const [id, f] of Object.entries(FIELDS) as [FieldId, FieldLayout][]) if (f.in === s.id && has[id]) minEntry += f.bytes;
    return { ...s, what: s.what ?? s.name, minEntry };
  });
  l = { version, sections, ocontexts: OCONTEXTS.filter((o) => version >= o.since), has };
  layouts.set(version, l);
  return l;
}

export function isSymbolTable(id: SectionId): id is SymbolTableId {
  return id === 'commons' || id === 'classes' || id === 'roles' || id === 'types' || id === 'users' || id === 'booleans' || id === 'sensitivities' || id === 'categories';
}

/** What a walker does with each section it meets (every section of the table has one). */
export type SectionWalkers<T> = { readonly [K in SectionId]: (walker: T, section: Section) => void };

/** The same as methods of the walker. */
export type SectionMethods = { [K in SectionId]: (section: Section) => void };
