// The declarations of the module IR, as checkmodule's module language has
// them: types (with aliases and attributes), attributes and what they hold,
// type bounds, permissive types, booleans, roles, role attributes and the
// types a role may have. Rules are in rules.ts.
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

/** `bool NAME true|false;` */
export interface BoolDecl extends StatementBase {
  kind: 'bool';
  name: string;
  /** The value the boolean has when the policy loads. */
  default: boolean;
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
  | RoleAttributeDecl;
