// The kernel binary policy format, written down once: its numbers (libsepol
// policydb.h, avtab.h, conditional.h, constraint.h, services.h, module.h) and
// the names that go with them, then the table of its sections (below, "The
// layout"): the sections in file order with the policy version each appeared
// in, what one entry of each holds and the fewest bytes it takes, the
// object-context kinds, and the fields that appeared later inside a section's
// entries. readPolicy (read.ts), scanPolicyStats (scan.ts) and the test writer
// (test/fixtures/policy/writer.ts) walk a policy by this table: their section
// order, version conditions and count checks come from here; what each makes
// of a section (a model, statistics, bytes) is its own. Nothing here reads
// bytes.

export const POLICYDB_MAGIC = 0xf97cff8c;
/** A policy module (checkmodule's .mod; the module inside a .pp): policydb magic of modules. */
export const POLICYDB_MOD_MAGIC = 0xf97cff8d;
export const POLICYDB_MOD_STRING = 'SE Linux Module';
/** The policy type word after a module's string that says "base module" (POLICY_BASE of policydb.h; 2 is a module). */
export const POLICY_BASE = 1;
/** A module package (.pp, semodule_package; module.h SEPOL_MODULE_PACKAGE_MAGIC). */
export const MODULE_PACKAGE_MAGIC = 0xf97cff8f;
export const POLICYDB_STRING = 'SE Linux';
export const POLICYDB_XEN_STRING = 'XenFlask';
export const POLICYDB_STRING_MAX_LENGTH = 32;

/** Policy versions at which a section or field appeared. */
export const V = {
  BASE: 15,
  BOOL: 16,
  IPV6: 17,
  NLCLASS: 18,
  VALIDATETRANS: 19,
  MLS: 19,
  AVTAB: 20,
  RANGETRANS: 21,
  POLCAP: 22,
  PERMISSIVE: 23,
  BOUNDARY: 24,
  FILENAME_TRANS: 25,
  ROLETRANS: 26,
  NEW_OBJECT_DEFAULTS: 27,
  DEFAULT_TYPE: 28,
  CONSTRAINT_NAMES: 29,
  XPERMS_IOCTL: 30,
  INFINIBAND: 31,
  GLBLUB: 32,
  COMP_FTRANS: 33,
  COND_XPERMS: 34,
  NEVERAUDIT: 35,
} as const;

/** The versions this reader accepts. */
export const MIN_VERSION = 24;
export const MAX_VERSION = 35;

export const CONFIG_MLS = 1;
export const CONFIG_UNKNOWN_MASK = 6;
export const DENY_UNKNOWN = 0;
export const REJECT_UNKNOWN = 2;
export const ALLOW_UNKNOWN = 4;

/** Bit limit for bitmaps read before the symbol tables give the real bounds. */
export const EARLY_BITS = 1 << 20;

/** Object context lists, in file order (their layouts: OCONTEXTS below). */
export const OCON = { ISID: 0, FS: 1, PORT: 2, NETIF: 3, NODE: 4, FSUSE: 5, NODE6: 6, IBPKEY: 7, IBENDPORT: 8 } as const;

export const PERM_SYMTAB_SIZE = 32;

export const TYPEDATUM_PROPERTY_PRIMARY = 0x0001;
export const TYPEDATUM_PROPERTY_ATTRIBUTE = 0x0002;

/** avtab key.specified bits. */
export const AVTAB = {
  ALLOWED: 0x0001,
  AUDITALLOW: 0x0002,
  AUDITDENY: 0x0004,
  TRANSITION: 0x0010,
  MEMBER: 0x0020,
  CHANGE: 0x0040,
  XPERMS_ALLOWED: 0x0100,
  XPERMS_AUDITALLOW: 0x0200,
  XPERMS_DONTAUDIT: 0x0400,
  ENABLED: 0x8000,
} as const;
export const AVTAB_AV = AVTAB.ALLOWED | AVTAB.AUDITDENY | AVTAB.AUDITALLOW;
export const AVTAB_TYPE = AVTAB.TRANSITION | AVTAB.MEMBER | AVTAB.CHANGE;
export const AVTAB_XPERMS = AVTAB.XPERMS_ALLOWED | AVTAB.XPERMS_AUDITALLOW | AVTAB.XPERMS_DONTAUDIT;
export const AVTAB_SPEC_MASK = AVTAB_AV | AVTAB_TYPE | AVTAB_XPERMS;

/** avtab_extended_perms.specified */
export const XPERMS_IOCTLFUNCTION = 1;
export const XPERMS_IOCTLDRIVER = 2;
export const XPERMS_NLMSG = 3;

/** Conditional expression node types. */
export const COND = { BOOL: 1, NOT: 2, OR: 3, AND: 4, XOR: 5, EQ: 6, NEQ: 7 } as const;
export const COND_EXPR_MAXDEPTH = 10;

/** Constraint expression node types, attributes and operators. */
export const CEXPR = {
  NOT: 1,
  AND: 2,
  OR: 3,
  ATTR: 4,
  NAMES: 5,
  // attr
  USER: 1,
  ROLE: 2,
  TYPE: 4,
  TARGET: 8,
  XTARGET: 16,
  L1L2: 32,
  L1H2: 64,
  H1L2: 128,
  H1H2: 256,
  L1H1: 512,
  L2H2: 1024,
  // op
  EQ: 1,
  NEQ: 2,
  DOM: 3,
  DOMBY: 4,
  INCOMP: 5,
} as const;
export const CEXPR_MAXDEPTH = 5;

/** Policy capability names by bit (libsepol polcaps.c). */
export const POLCAP_NAMES: readonly string[] = [
  'network_peer_controls',
  'open_perms',
  'extended_socket_class',
  'always_check_network',
  'cgroup_seclabel',
  'nnp_nosuid_transition',
  'genfs_seclabel_symlinks',
  'ioctl_skip_cloexec',
  'userspace_initial_context',
  'netlink_xperm',
  'netif_wildcard',
  'genfs_seclabel_wildcard',
  'functionfs_seclabel',
  'memfd_class',
];

/** SELinux initial SID names by SID number (libsepol's selinux_sid_to_str). Index 0 is unused. */
export const INITIAL_SID_NAMES: readonly string[] = [
  '',
  'kernel',
  'security',
  'unlabeled',
  'fs',
  'file',
  'file_labels',
  'init',
  'any_socket',
  'port',
  'netif',
  'netmsg',
  'node',
  'igmp_packet',
  'icmp_socket',
  'tcp_socket',
  'sysctl_modprobe',
  'sysctl',
  'sysctl_fs',
  'sysctl_kernel',
  'sysctl_net',
  'sysctl_net_unix',
  'sysctl_vm',
  'sysctl_dev',
  'kmod',
  'policy',
  'scmp_packet',
  'devnull',
];

/** fs_use behaviours (SECURITY_FS_USE_*). */
export const FS_USE_NAMES: Readonly<Record<number, string>> = {
  1: 'fs_use_xattr',
  2: 'fs_use_trans',
  3: 'fs_use_task',
  4: 'genfs',
  5: 'none',
  6: 'mntpoint',
};

/** default_user / default_role / default_type / default_range values. */
export const DEFAULT_SOURCE = 1;
export const DEFAULT_TARGET = 2;
export const DEFAULT_RANGE_NAMES: Readonly<Record<number, string>> = {
  1: 'source low',
  2: 'source high',
  3: 'source low-high',
  4: 'target low',
  5: 'target high',
  6: 'target low-high',
  7: 'glblub',
};

// ============================================================================ The layout
//
// Check it against libsepol: policydb.c (policydb_read() and the *_read()
// functions it calls, the kernel rows of policydb_compat[]), avtab.c,
// conditional.c; write.c writes the same layout.
//
// Versions 24 to 35 only: libsepol's kernel formats start at 24
// (POLICYDB_VERSION_BOUNDARY). At these versions the layout does not depend on
// the config bits: a non-MLS policy still has every MLS field (empty ranges and
// levels), and libsepol reads them whatever the MLS bit says.
//
// The header (policydb_read() up to the policy capabilities; checks.ts reads it):
//   u32 magic 0xf97cff8c; u32 length, "SE Linux"; u32 version; u32 config (bit 0 MLS,
//   bits 1-2 handle_unknown); u32 number of symbol tables (8); u32 number of
//   object-context kinds (those of the version).

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
}

/**
 * Every section of a kernel policy after the header, in file order, each with libsepol's reader
 * and what it holds. A symbol table is u32 nprim (values declared), u32 nel (entries), then nel
 * entries; the other lists are a u32 count then the entries. A name is its bytes, its length a
 * u32 earlier in the entry; [x] is a later field (FIELDS).
 */
export const SECTIONS: readonly SectionLayout[] = [
  // ebitmap_read(&p->policycaps): the capability numbers
  { id: 'polcaps', name: 'policy capabilities', since: V.POLCAP },
  // ebitmap_read(&p->permissive_map): type values
  { id: 'permissive', name: 'permissive types', since: V.PERMISSIVE },
  // ebitmap_read(&p->neveraudit_map): type values
  { id: 'neveraudit', name: 'neveraudit types', since: V.NEVERAUDIT },
  // common_read: u32 name length, u32 value, u32 nprim, u32 nel; name; nel permissions (ITEMS)
  { id: 'commons', name: 'commons', since: V.BASE, what: 'commons', minEntry: 4 * 4 + 1 },
  // class_read: u32 name length, u32 common name length, u32 value, u32 nprim, u32 nel,
  // u32 constraints; name; common name; nel permissions; constraints; [u32 n, n validatetrans];
  // [u32 default_user, u32 default_role, u32 default_range]; [u32 default_type]
  { id: 'classes', name: 'classes', since: V.BASE, what: 'classes', minEntry: 6 * 4 + 1 },
  // role_read: u32 name length, u32 value, u32 bounds; name; ebitmap dominated roles; ebitmap types
  { id: 'roles', name: 'roles', since: V.BASE, what: 'roles', minEntry: 3 * 4 + 1 + 2 * 12 },
  // type_read: u32 name length, u32 value, u32 properties (1 primary, 2 attribute; an alias is
  // not primary), u32 bounds; name
  { id: 'types', name: 'types', since: V.BASE, what: 'types', minEntry: 4 * 4 + 1, unnamedValues: true },
  // user_read: u32 name length, u32 value, u32 bounds; name; ebitmap roles; range; default level
  { id: 'users', name: 'users', since: V.BASE, what: 'users', minEntry: 3 * 4 + 1 + 12 },
  // cond_read_bool: u32 value, u32 state, u32 name length; name
  { id: 'booleans', name: 'booleans', since: V.BOOL, what: 'booleans', minEntry: 3 * 4 + 1 },
  // sens_read: u32 name length, u32 is alias; name; level (its sensitivity is the value)
  { id: 'sensitivities', name: 'sensitivities', since: V.MLS, what: 'sensitivities', minEntry: 2 * 4 + 1 + 16 },
  // cat_read: u32 name length, u32 value, u32 is alias; name
  { id: 'categories', name: 'categories', since: V.MLS, what: 'categories', minEntry: 3 * 4 + 1 },
  // avtab_read (avtab.c): u32 n; per entry u16 source type, u16 target type, u16 class, u16 kind
  // (AVTAB.*), then u32 data, or [for the xperm kinds: u8 specified, u8 driver, u32 x 8 permissions]
  { id: 'avtab', name: 'avtab', since: V.AVTAB, what: 'avtab entry', minEntry: 12 },
  // cond_read_list (conditional.c): u32 n; per conditional u32 state, u32 nexpr, nexpr nodes,
  // u32 n + n avtab entries (true list), u32 n + n avtab entries (false list)
  { id: 'conditionals', name: 'conditional rules', since: V.BOOL, what: 'conditional', minEntry: 16 },
  // role_trans_read: u32 n; per rule u32 role, u32 type, u32 new role, [u32 class]
  { id: 'roleTransitions', name: 'role transitions', since: V.BASE, what: 'role_transition', minEntry: 12 },
  // role_allow_read: u32 n; per rule u32 role, u32 new role
  { id: 'roleAllows', name: 'role allows', since: V.BASE, what: 'role allow', minEntry: 8 },
  // filename_trans_read_one_compat: u32 n; per rule u32 name length; name; u32 source type,
  // u32 target type, u32 class, u32 new type
  { id: 'filenameTransitions', name: 'filename transitions', since: V.FILENAME_TRANS, until: V.COMP_FTRANS - 1, what: 'filename transition', minEntry: 4 + 1 + 16 },
  // filename_trans_read_one: u32 n; per key u32 name length; name; u32 target type, u32 class,
  // u32 ndatum; ndatum x (ebitmap source types, u32 new type)
  { id: 'filenameTransitionsCompact', name: 'filename transitions', since: V.COMP_FTRANS, what: 'filename transition', minEntry: 4 + 1 + 12 + 16 },
  // ocontext_read_selinux: per object-context kind of the version (OCONTEXTS): u32 n, n entries
  { id: 'ocontexts', name: 'ocontexts', since: V.BASE },
  // genfs_read: u32 n; per file system u32 name length; name; u32 m; m genfscon (ITEMS)
  { id: 'genfs', name: 'genfs', since: V.BASE, what: 'genfs file system', minEntry: 4 + 1 + 4 },
  // range_read: u32 n; per rule u32 source type, u32 target type, [u32 class], range
  { id: 'rangeTransitions', name: 'range transitions', since: V.MLS, what: 'range_transition', minEntry: 8 + 12 },
  // policydb_read: one ebitmap per type value (no count: nprim of the types), the attributes of
  // the type and the type itself
  { id: 'typeAttrMap', name: 'type attribute map', since: V.BASE, what: 'type attribute map', minEntry: 12 },
];

export interface OContextLayout {
  /** OCON.*: the kind's place in the file. */
  readonly kind: number;
  /** Its name in errors (`ocontexts/NAME`) and in count errors. */
  readonly name: string;
  readonly since: number;
  readonly minEntry: number;
}

/**
 * The object-context kinds in file order (OCON_* of libsepol; ocontext_read_selinux()) and what
 * an entry holds. A context is u32 user, u32 role, u32 type, range; a range is u32 levels (1 or
 * 2), u32 sensitivity per level, an ebitmap of categories per level; a level is u32 sensitivity,
 * ebitmap categories.
 */
export const OCONTEXTS: readonly OContextLayout[] = [
  // u32 SID number; context
  { kind: OCON.ISID, name: 'initial SIDs', since: V.BASE, minEntry: 4 + 24 },
  // u32 name length (at most 63); name; context; default file context
  { kind: OCON.FS, name: 'fscon', since: V.BASE, minEntry: 4 + 1 + 48 },
  // u32 protocol, u32 low port, u32 high port; context
  { kind: OCON.PORT, name: 'portcon', since: V.BASE, minEntry: 12 + 24 },
  // u32 name length (at most 63); name; interface context; packet context
  { kind: OCON.NETIF, name: 'netifcon', since: V.BASE, minEntry: 4 + 1 + 48 },
  // u8 x 4 address, u8 x 4 mask; context
  { kind: OCON.NODE, name: 'nodecon', since: V.BASE, minEntry: 8 + 24 },
  // u32 behavior (FS_USE_NAMES), u32 name length; file system name; context
  { kind: OCON.FSUSE, name: 'fs_use', since: V.BASE, minEntry: 8 + 1 + 24 },
  // u8 x 16 address, u8 x 16 mask; context
  { kind: OCON.NODE6, name: 'nodecon6', since: V.IPV6, minEntry: 32 + 24 },
  // u8 x 8 subnet prefix, u32 low pkey, u32 high pkey; context
  { kind: OCON.IBPKEY, name: 'ibpkeycon', since: V.INFINIBAND, minEntry: 16 + 24 },
  // u32 device name length (1 to 63), u32 port (1 to 255); device name; context
  { kind: OCON.IBENDPORT, name: 'ibendportcon', since: V.INFINIBAND, minEntry: 8 + 1 + 24 },
];

export interface FieldLayout {
  /** The section whose entries have the field. */
  readonly in: SectionId;
  readonly since: number;
  /** Bytes the field adds to the fewest an entry takes (0: not counted there). */
  readonly bytes: number;
}

/** Fields that appeared after their section did, and what they hold. */
export const FIELDS = {
  // after a class's constraints: u32 n, n validatetrans constraints
  validatetrans: { in: 'classes', since: V.VALIDATETRANS, bytes: 0 },
  // u32 default_user (0..2), u32 default_role (0..2), u32 default_range (0..7)
  classDefaults: { in: 'classes', since: V.NEW_OBJECT_DEFAULTS, bytes: 0 },
  // u32 default_type (0..2)
  defaultType: { in: 'classes', since: V.DEFAULT_TYPE, bytes: 0 },
  // default_range 7 (glblub)
  glblub: { in: 'classes', since: V.GLBLUB, bytes: 0 },
  // after a names node's ebitmap: the type set it was written with (ebitmap types, ebitmap
  // negated types, u32 flags)
  constraintTypeSets: { in: 'classes', since: V.CONSTRAINT_NAMES, bytes: 0 },
  // the extended-permission kinds (allowxperm, auditallowxperm, dontauditxperm)
  xperms: { in: 'avtab', since: V.XPERMS_IOCTL, bytes: 0 },
  // extended-permission entries in the conditional lists
  conditionalXperms: { in: 'conditionals', since: V.COND_XPERMS, bytes: 0 },
  // u32 class after the new role (before: process)
  roleTransitionClass: { in: 'roleTransitions', since: V.ROLETRANS, bytes: 4 },
  // u32 class after the target type (before: process)
  rangeTransitionClass: { in: 'rangeTransitions', since: V.RANGETRANS, bytes: 4 },
} as const satisfies Record<string, FieldLayout>;

export type FieldId = keyof typeof FIELDS;

/** Lists inside entries: what an item is called in count errors, and the fewest bytes it takes. */
export const ITEMS = {
  // u32 name length, u32 value; name
  permission: { what: 'permission', minBytes: 9 },
  // u32 permissions, u32 nexpr; nexpr constraint nodes
  constraint: { what: 'constraint', minBytes: 8 },
  // the same, the permissions unused
  validatetrans: { what: 'validatetrans', minBytes: 8 },
  // u32 node type, u32 attribute, u32 operator; for a names node: ebitmap names, [its type set]
  constraintNode: { what: 'constraint expression', minBytes: 12 },
  // u32 node type, u32 boolean
  conditionalNode: { what: 'conditional expression', minBytes: 8 },
  // an avtab entry
  conditionalRule: { what: 'conditional rule', minBytes: 12 },
  // ebitmap source types, u32 new type
  filenameTransitionDatum: { what: 'filename transition datum', minBytes: 16 },
  // u32 path length; path; u32 class (0: any); context
  genfscon: { what: 'genfscon', minBytes: 4 + 1 + 4 + 24 },
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

function isSymbolTable(id: SectionId): id is SymbolTableId {
  return id === 'commons' || id === 'classes' || id === 'roles' || id === 'types' || id === 'users' || id === 'booleans' || id === 'sensitivities' || id === 'categories';
}

/** What a walker does with each section it meets (every section of the table has one). */
export type SectionWalkers<T> = { readonly [K in SectionId]: (walker: T, section: Section) => void };
