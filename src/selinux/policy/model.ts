// The plain-data model of a kernel binary policy. Symbols are 1-based values
// as in the file; `xxx[value - 1]` is the declaration of value `value`.
// Declarations carry their names; rules carry values (numbers), resolved
// through the declaration arrays or the PolicyIndex. Sets of symbols are
// sorted arrays of values.
import type { AvTab } from './binary/avtab.js';
import type { PolicyIndex } from './indexes.js';
import type { TypeAttrMap } from './typeAttrMap.js';

export type HandleUnknown = 'deny' | 'reject' | 'allow';
export type PolicyTarget = 'selinux' | 'xen';

export interface Level {
  /** Sensitivity value (1-based). 0 in a non-MLS policy. */
  sens: number;
  /** Category values (1-based), ascending. */
  cats: number[];
}

export interface Range {
  low: Level;
  high: Level;
}

export interface Context {
  user: number;
  role: number;
  type: number;
  /** Present from version 19 on (always, for the versions read here); all zero in a non-MLS policy. */
  range: Range;
}

export interface Common {
  name: string;
  value: number;
  /** Permission names by bit: perms[i] is the permission of bit i (value i + 1). */
  perms: (string | undefined)[];
}

/** A node of a constraint expression, postfix order. */
export type ConstraintExpr =
  | { kind: 'not' }
  | { kind: 'and' }
  | { kind: 'or' }
  /** attr op attr, e.g. u1 == u2; attr is the CEXPR_* attribute bits. */
  | { kind: 'attr'; attr: number; op: number }
  /** attr op { names }: values of users, roles or types (per attr); for types also the type set as written (v29+). */
  | { kind: 'names'; attr: number; op: number; names: number[]; typeSet?: TypeSet | undefined };

export interface TypeSet {
  types: number[];
  negset: number[];
  flags: number;
}

export interface Constraint {
  /** Permission bits (constrain only; 0 for validatetrans). */
  perms: number;
  expr: ConstraintExpr[];
  /** True when the expression uses MLS operands (l1, h2, ...): an mlsconstrain / mlsvalidatetrans. */
  mls: boolean;
}

export interface ClassDef {
  name: string;
  value: number;
  /** Name of the common this class inherits, if any. */
  common?: string | undefined;
  /** Own permission names by bit (common permissions occupy the low bits; see allPerms). */
  perms: (string | undefined)[];
  /** Own and inherited permissions by bit. */
  allPerms: (string | undefined)[];
  constraints: Constraint[];
  validatetrans: Constraint[];
  /** default_user / default_role / default_type: 0 none, 1 source, 2 target. default_range: 0 none, 1..7 (see DEFAULT_RANGE_NAMES). */
  defaultUser: number;
  defaultRole: number;
  defaultType: number;
  defaultRange: number;
}

export interface Role {
  name: string;
  value: number;
  bounds: number;
  /** Roles this role dominates (values). */
  dominates: number[];
  /** Types (values) authorized for the role. */
  types: number[];
}

export interface TypeDef {
  /** Name of the primary type or attribute. `@ttrNNNNNNNNNN` when the file has no name for it (setools' convention). */
  name: string;
  value: number;
  isAttribute: boolean;
  aliases: string[];
  bounds: number;
  permissive: boolean;
  neveraudit: boolean;
  /** For a type: the attributes (values) it has. For an attribute: its member types (values). */
  attrs: number[];
}

export interface User {
  name: string;
  value: number;
  bounds: number;
  roles: number[];
  range: Range;
  defaultLevel: Level;
}

export interface Bool {
  name: string;
  value: number;
  state: boolean;
}

export interface Sensitivity {
  name: string;
  /** Sensitivity value (its level's sens). */
  value: number;
  aliases: string[];
  /** Categories allowed with this sensitivity (the `level` statement). */
  level: Level;
}

export interface Category {
  name: string;
  value: number;
  aliases: string[];
}

export type CondExpr = { kind: 'bool'; bool: number } | { kind: 'not' | 'or' | 'and' | 'xor' | 'eq' | 'neq' };

export interface CondNode {
  /** The expression in postfix order. */
  expr: CondExpr[];
  /** Current value of the expression in the file. */
  state: boolean;
  /** Entries [start, end) of Policy.condAvtab enabled when the expression is true / false. */
  trueStart: number;
  trueEnd: number;
  falseStart: number;
  falseEnd: number;
}

export interface RoleTransition {
  role: number;
  type: number;
  tclass: number;
  newRole: number;
}

export interface RoleAllow {
  role: number;
  newRole: number;
}

/** One filename type transition: stypes x ttype:tclass "name" -> otype (the v33 layout groups source types). */
export interface FilenameTransition {
  name: string;
  ttype: number;
  tclass: number;
  otype: number;
  stypes: number[];
}

export interface RangeTransition {
  source: number;
  target: number;
  tclass: number;
  range: Range;
}

export interface InitialSid {
  sid: number;
  /** libsepol's name for the SID number, or `sid<N>`. */
  name: string;
  context: Context;
}
export interface FsCon {
  name: string;
  context: Context;
  defaultContext: Context;
}
export interface PortCon {
  protocol: number;
  low: number;
  high: number;
  context: Context;
}
export interface NetifCon {
  name: string;
  context: Context;
  packetContext: Context;
}
export interface NodeCon {
  /** Dotted quad. */
  addr: string;
  mask: string;
  context: Context;
}
export interface Node6Con {
  /** RFC 5952 text. */
  addr: string;
  mask: string;
  context: Context;
}
export interface FsUse {
  behavior: number;
  fstype: string;
  context: Context;
}
export interface IbPkeyCon {
  /** Subnet prefix as 8 bytes hex (network order). */
  subnetPrefix: string;
  low: number;
  high: number;
  context: Context;
}
export interface IbEndportCon {
  device: string;
  port: number;
  context: Context;
}

export interface OContexts {
  initialSids: InitialSid[];
  fs: FsCon[];
  ports: PortCon[];
  netifs: NetifCon[];
  nodes: NodeCon[];
  nodes6: Node6Con[];
  fsUses: FsUse[];
  ibpkeys: IbPkeyCon[];
  ibendports: IbEndportCon[];
}

export interface GenfsEntry {
  path: string;
  /** Object class value, 0 for all classes. */
  tclass: number;
  context: Context;
}
export interface Genfs {
  fstype: string;
  entries: GenfsEntry[];
}

export interface Policy {
  version: number;
  target: PolicyTarget;
  mls: boolean;
  handleUnknown: HandleUnknown;
  /** Policy capability bits set. */
  polcaps: number[];
  /** Names of the capabilities set (unknown bits as `polcap<N>`). */
  polcapNames: string[];
  /** Declared counts (nprim) of each symbol table. */
  nprim: { commons: number; classes: number; roles: number; types: number; users: number; bools: number; levels: number; cats: number };
  commons: Common[];
  /** By value - 1. */
  classes: ClassDef[];
  roles: Role[];
  /** Types and attributes by value - 1. */
  types: TypeDef[];
  users: User[];
  bools: Bool[];
  /** By sensitivity value - 1. */
  sensitivities: Sensitivity[];
  categories: Category[];
  /** Unconditional rules. */
  avtab: AvTab;
  /** Rules of the conditional lists, in file order (each CondNode points at its ranges). */
  condAvtab: AvTab;
  conds: CondNode[];
  roleTransitions: RoleTransition[];
  roleAllows: RoleAllow[];
  filenameTransitions: FilenameTransition[];
  ocontexts: OContexts;
  genfs: Genfs[];
  rangeTransitions: RangeTransition[];
  /** The type attribute map as read (absent from policies built in code: `attrs` then says it all). @internal */
  typeAttrMap?: TypeAttrMap;
  /** Lazily built lookup structures. */
  readonly index: PolicyIndex;
}
