// The syntax tree of checkmodule's module language (a `.te` file after m4)
// and of a module's `.fc` lines after m4: what the parser (parser.ts) builds,
// what the checks and the lowering to the module IR read. Every node has a
// `kind` (the unions are discriminated by it), a `span` (where the user wrote
// it: through the m4 origins, the .te/.if file, line and column) and `start`/
// `end` (its offsets in the parsed text, to ask the source map for the chain
// of macro calls that produced it). Names are kept as written: nothing is
// resolved or checked here beyond the grammar.
import type { Span } from '../../../base/span.js';

/** What every node has. */
export interface NodeBase {
  span: Span;
  /** Offsets in the parsed text (end exclusive). */
  start: number;
  end: number;
}

/** A name: a type, attribute, role, class, permission, boolean, user, level... */
export interface Ident extends NodeBase {
  kind: 'ident';
  name: string;
}

/** `{ a -b { c } }`: a set; its elements may be excluded (`-b`) or sets themselves. */
export interface NameSetExpr extends NodeBase {
  kind: 'set';
  items: SetItem[];
}

export interface ExcludeExpr extends NodeBase {
  kind: 'exclude';
  name: Ident;
}

export type SetItem = Ident | ExcludeExpr | NameSetExpr;

/** `*`: every name. */
export interface StarExpr extends NodeBase {
  kind: 'star';
}

/** `~a` or `~{ a b }`: every name but these. */
export interface ComplementExpr extends NodeBase {
  kind: 'complement';
  operand: Ident | NameSetExpr;
}

/** `a - b` outside braces. */
export interface MinusExpr extends NodeBase {
  kind: 'minus';
  left: Ident;
  right: Ident;
}

/** Where the grammar takes `names`: a name, a set, `*`, a complement, `a - b`. */
export type NameExpr = Ident | NameSetExpr | StarExpr | ComplementExpr | MinusExpr;

/** An MLS level: a sensitivity and its categories (`s0:c0.c255,c300`). */
export interface MlsLevel extends NodeBase {
  kind: 'level';
  sensitivity: Ident;
  categories: Ident[];
}

/** `LOW` or `LOW - HIGH`. */
export interface MlsRange extends NodeBase {
  kind: 'range';
  low: MlsLevel;
  high?: MlsLevel | undefined;
}

/** `user:role:type[:range]`. */
export interface SecurityContext extends NodeBase {
  kind: 'context';
  user: Ident;
  role: Ident;
  type: Ident;
  range?: MlsRange | undefined;
}

// ---- Boolean expressions (if)

export type CondOperator = '&&' | '||' | '^' | '==' | '!=';

export interface CondBool extends NodeBase {
  kind: 'bool';
  name: Ident;
}

export interface CondNot extends NodeBase {
  kind: 'not';
  operand: CondExpr;
}

export interface CondBinary extends NodeBase {
  kind: 'binary';
  op: CondOperator;
  left: CondExpr;
  right: CondExpr;
}

export type CondExpr = CondBool | CondNot | CondBinary;

// ---- Extended permissions

export interface XpermRange extends NodeBase {
  kind: 'xpermRange';
  low: number;
  /** Absent for a single number. */
  high?: number | undefined;
}

export interface XpermSet extends NodeBase {
  kind: 'xpermSet';
  items: (XpermRange | XpermSet)[];
}

/** `0x8910`, `{ 0x1 0x5-0x7 }`, `~{ ... }`. */
export interface XpermExpr extends NodeBase {
  kind: 'xperms';
  complement: boolean;
  operand: XpermRange | XpermSet;
}

// ---- Statements

/** `module NAME VERSION;` */
export interface ModuleStatement extends NodeBase {
  kind: 'module';
  name: Ident;
  /** As written (`1.0`, `1`, `1.2.3.4`). */
  version: string;
}

export type RequireKind = 'type' | 'attribute' | 'role' | 'attribute_role' | 'user' | 'bool' | 'tunable' | 'sensitivity' | 'category';

export interface RequireNames extends NodeBase {
  kind: 'requireNames';
  what: RequireKind;
  names: Ident[];
}

export interface RequireClass extends NodeBase {
  kind: 'requireClass';
  name: Ident;
  perms: NameExpr;
}

export type RequireItem = RequireNames | RequireClass;

/** `require { ... }` */
export interface RequireStatement extends NodeBase {
  kind: 'require';
  items: RequireItem[];
}

/** `type NAME [alias NAMES] [, ATTR...];` */
export interface TypeStatement extends NodeBase {
  kind: 'type';
  name: Ident;
  aliases?: NameExpr | undefined;
  attributes: Ident[];
}

/** `typealias TYPE alias NAMES;` */
export interface TypeAliasStatement extends NodeBase {
  kind: 'typealias';
  type: Ident;
  aliases: NameExpr;
}

/** `attribute NAME;` and `attribute_role NAME;` */
export interface AttributeStatement extends NodeBase {
  kind: 'attribute' | 'attribute_role';
  name: Ident;
}

/** `typeattribute TYPE ATTR, ...;` and `roleattribute ROLE ATTR, ...;` */
export interface AttributeAssignStatement extends NodeBase {
  kind: 'typeattribute' | 'roleattribute';
  subject: Ident;
  attributes: Ident[];
}

/** `expandattribute NAMES true|false;` */
export interface ExpandAttributeStatement extends NodeBase {
  kind: 'expandattribute';
  attributes: NameExpr;
  value: boolean;
}

/** `typebounds BOUNDING BOUNDED, ...;` */
export interface TypeBoundsStatement extends NodeBase {
  kind: 'typebounds';
  bounding: Ident;
  bounded: Ident[];
}

/** `permissive TYPE;` */
export interface PermissiveStatement extends NodeBase {
  kind: 'permissive';
  type: Ident;
}

/** `bool NAME true|false;` and `tunable NAME true|false;` */
export interface BoolStatement extends NodeBase {
  kind: 'bool' | 'tunable';
  name: Ident;
  value: boolean;
}

export type AvRuleKind = 'allow' | 'auditallow' | 'auditdeny' | 'dontaudit' | 'neverallow';

/** `allow SOURCES TARGETS:CLASSES PERMS;` and its kin. */
export interface AvRule extends NodeBase {
  kind: 'avrule';
  rule: AvRuleKind;
  source: NameExpr;
  target: NameExpr;
  classes: NameExpr;
  perms: NameExpr;
}

export type XpermRuleKind = 'allowxperm' | 'auditallowxperm' | 'dontauditxperm' | 'neverallowxperm';

/** `allowxperm SOURCES TARGETS:CLASSES OPERATION XPERMS;` */
export interface XpermRule extends NodeBase {
  kind: 'xpermrule';
  rule: XpermRuleKind;
  source: NameExpr;
  target: NameExpr;
  classes: NameExpr;
  operation: Ident;
  perms: XpermExpr;
}

export type TypeRuleKind = 'type_transition' | 'type_member' | 'type_change';

/** `type_transition SOURCES TARGETS:CLASSES RESULT ["NAME"];` and its kin. */
export interface TypeRule extends NodeBase {
  kind: 'typerule';
  rule: TypeRuleKind;
  source: NameExpr;
  target: NameExpr;
  classes: NameExpr;
  result: Ident;
  /** The object name of a name transition, without its quotes. */
  fileName?: { value: string; span: Span; start: number; end: number } | undefined;
}

/** `range_transition SOURCES TARGETS[:CLASSES] RANGE;` */
export interface RangeTransition extends NodeBase {
  kind: 'range_transition';
  source: NameExpr;
  target: NameExpr;
  classes?: NameExpr | undefined;
  range: MlsRange;
}

/** `role NAME [, ATTR...];` or `role NAME types TYPES;` */
export interface RoleStatement extends NodeBase {
  kind: 'role';
  name: Ident;
  types?: NameExpr | undefined;
  attributes: Ident[];
}

/** `role_transition ROLES TYPES[:CLASSES] ROLE;` */
export interface RoleTransition extends NodeBase {
  kind: 'role_transition';
  roles: NameExpr;
  types: NameExpr;
  classes?: NameExpr | undefined;
  result: Ident;
}

/** `allow ROLES ROLES;` */
export interface RoleAllow extends NodeBase {
  kind: 'roleallow';
  from: NameExpr;
  to: NameExpr;
}

/** `user NAME roles ROLES [level LEVEL range RANGE];` (as gen_user writes it). */
export interface UserStatement extends NodeBase {
  kind: 'user';
  name: Ident;
  roles: NameExpr;
  level?: MlsLevel | undefined;
  range?: MlsRange | undefined;
}

/** A `{ ... }` block of statements (the branches of if and optional). */
export interface Block extends NodeBase {
  kind: 'block';
  statements: Statement[];
}

/** `if (EXPR) { ... } [else { ... }]` */
export interface IfStatement extends NodeBase {
  kind: 'if';
  condition: CondExpr;
  then: Block;
  else?: Block | undefined;
}

/** `optional { ... } [else { ... }]` */
export interface OptionalStatement extends NodeBase {
  kind: 'optional';
  body: Block;
  else?: Block | undefined;
}

/**
 * The statements only a base policy holds (checkpolicy's grammar before and
 * after the TE rules): parsed so that the checks can say what they are and
 * where. `keyword` is the statement's first word; `name` its first name, when
 * it has one (the class, sid, sensitivity, file system...).
 */
export type BaseOnlyKeyword =
  | 'class'
  | 'common'
  | 'sid'
  | 'sensitivity'
  | 'dominance'
  | 'category'
  | 'level'
  | 'mlsconstrain'
  | 'mlsvalidatetrans'
  | 'constrain'
  | 'validatetrans'
  | 'fs_use_xattr'
  | 'fs_use_task'
  | 'fs_use_trans'
  | 'genfscon'
  | 'portcon'
  | 'netifcon'
  | 'nodecon'
  | 'fscon'
  | 'pirqcon'
  | 'iomemcon'
  | 'ioportcon'
  | 'pcidevicecon'
  | 'devicetreecon'
  | 'ibpkeycon'
  | 'ibendportcon'
  | 'policycap'
  | 'default_user'
  | 'default_role'
  | 'default_type'
  | 'default_range';

export interface BaseOnlyStatement extends NodeBase {
  kind: 'baseOnly';
  keyword: BaseOnlyKeyword;
  name?: Ident | undefined;
  /** The security contexts it assigns (sid, genfscon, portcon, fs_use_*, ...). */
  contexts: SecurityContext[];
}

export type Statement =
  | ModuleStatement
  | RequireStatement
  | TypeStatement
  | TypeAliasStatement
  | AttributeStatement
  | AttributeAssignStatement
  | ExpandAttributeStatement
  | TypeBoundsStatement
  | PermissiveStatement
  | BoolStatement
  | AvRule
  | XpermRule
  | TypeRule
  | RangeTransition
  | RoleStatement
  | RoleTransition
  | RoleAllow
  | UserStatement
  | IfStatement
  | OptionalStatement
  | BaseOnlyStatement;

/** A parsed `.te` file: its `module` line (when it has one first) and its statements in order. */
export interface ModuleAst extends NodeBase {
  kind: 'moduleFile';
  /** The first statement when it is `module NAME VERSION;`. */
  header?: ModuleStatement | undefined;
  /** Every statement after the header, in order. */
  statements: Statement[];
}

// ---- File contexts (.fc after m4)

export interface FcField extends NodeBase {
  text: string;
}

/** One `.fc` line: `PATH-REGEX [FILE-TYPE] CONTEXT|<<none>>`. */
export interface FileContextEntry extends NodeBase {
  kind: 'fileContext';
  path: FcField;
  /** `--`, `-d`, `-l`, `-c`, `-b`, `-s`, `-p`; absent: every file type. */
  fileType?: FcField | undefined;
  /** `undefined` for `<<none>>`. */
  context?: SecurityContext | undefined;
}

export interface FileContextsAst extends NodeBase {
  kind: 'fileContexts';
  entries: FileContextEntry[];
}
