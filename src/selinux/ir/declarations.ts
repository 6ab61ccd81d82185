// The declarations of the module IR, as checkmodule's module language has
// them: types (with aliases and attributes), attributes and what they hold,
// type bounds, permissive types, booleans and tunables, roles, role attributes,
// the types a role may have, and users. Rules are in rules.ts.
import type { MlsLevel, MlsRange } from './mls.js';
import type { NameList } from './names.js';
import type { StatementBase } from './statement.js';

/** `type NAME [alias ALIASES] [, ATTR, ...];` */
export interface TypeDecl extends StatementBase {
  kind: 'type';
  name: string;
  aliases?: string[];
  attributes?: string[];
}

/** `attribute NAME;` */
export interface AttributeDecl extends StatementBase {
  kind: 'attribute';
  name: string;
}

/** `typeattribute TYPE ATTR, ...;`: the type gets the attributes. */
export interface TypeAttributeDecl extends StatementBase {
  kind: 'typeattribute';
  type: string;
  attributes: string[];
}

/** `typealias TYPE alias ALIASES;` */
export interface TypeAliasDecl extends StatementBase {
  kind: 'typealias';
  type: string;
  aliases: string[];
}

/** `expandattribute ATTRS true|false;`: whether the attributes are expanded into their types in the kernel policy. */
export interface ExpandAttributeDecl extends StatementBase {
  kind: 'expandattribute';
  attributes: string[];
  expand: boolean;
}

/** `typebounds BOUNDING BOUNDED, ...;` */
export interface TypeBoundsDecl extends StatementBase {
  kind: 'typebounds';
  /** The parent type, whose permissions bound the others'. */
  type: string;
  bounded: string[];
}

/** `permissive TYPE;` */
export interface PermissiveDecl extends StatementBase {
  kind: 'permissive';
  type: string;
}

/** `bool NAME true|false;`, or `tunable NAME true|false;` */
export interface BoolDecl extends StatementBase {
  kind: 'bool';
  name: string;
  /** The value the boolean has when the policy loads. */
  default: boolean;
  /** A tunable: a boolean fixed when the policy is built (its conditionals are kept or dropped then). */
  tunable?: boolean;
}

/** `role NAME [, ATTR, ...];`: declares a role (roles may be declared by several modules). */
export interface RoleDecl extends StatementBase {
  kind: 'role';
  name: string;
  attributes?: string[];
}

/** `role R types T;`: the role may have these types (also declares the role in a module). */
export interface RoleTypes extends StatementBase {
  kind: 'roletypes';
  role: string;
  /** Sorted, no duplicates, in a learned module; as written in a hand-written one. */
  types: NameList;
}

/** `attribute_role NAME;` */
export interface AttributeRoleDecl extends StatementBase {
  kind: 'attribute_role';
  name: string;
}

/** `roleattribute ROLE ATTR, ...;`: the role gets the role attributes. */
export interface RoleAttributeDecl extends StatementBase {
  kind: 'roleattribute';
  role: string;
  attributes: string[];
}

/** `user NAME roles ROLES [level LEVEL range RANGE];` (as refpolicy's gen_user writes it). */
export interface UserDecl extends StatementBase {
  kind: 'user';
  name: string;
  roles: string[];
  /** The default level and the range of an MLS/MCS user (both or neither). */
  mls?: { level: MlsLevel; range: MlsRange };
}

export type Declaration =
  | TypeDecl
  | AttributeDecl
  | TypeAttributeDecl
  | TypeAliasDecl
  | ExpandAttributeDecl
  | TypeBoundsDecl
  | PermissiveDecl
  | BoolDecl
  | RoleDecl
  | RoleTypes
  | AttributeRoleDecl
  | RoleAttributeDecl
  | UserDecl;
