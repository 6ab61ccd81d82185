// Numbers of the kernel binary policy format (libsepol policydb.h, avtab.h,
// conditional.h, constraint.h, services.h, module.h) and the names that go
// with them. Where each goes in the file: format.ts.

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

/** Object context lists, in file order (their layouts: format.ts). */
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
