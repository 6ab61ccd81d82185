// The SELinux identifier grammar: which names may reach generated policy text.
// Names from logs (and later from sources and manifests) are checked here
// before a printer writes them, so that a crafted name cannot inject policy
// (`a_t;allow`, `b)_t`).
//
// The grammar is checkpolicy's lexer (checkpolicy/policy_scan.l):
//   IDENTIFIER  {letter}({alnum}|[_\-])*([\.]?({alnum}|[_\-]))*
// a letter, then letters, digits, '_' and '-', with single dots between them
// (no leading, trailing or doubled dot). Types, attributes, roles, users,
// classes and permissions are all this one token, and CIL's names are a
// subset of it (a letter, then letters, digits, '_', '-'), with dots joining
// the names of nested blocks (`foo.process`): the grammar does not differ by
// kind, so one check serves every kind. Keywords (`allow`, `self`, ...) are
// not rejected here: whether a name collides with one is the language
// printer's business, and policies built from CIL may hold such names.
//
// MLS levels and ranges are not identifiers; they have their own syntax check
// here, the kernel's context form (`s0-s0:c0.c1023`).

/** The kinds of name a context, a class or a permission list holds. */
export type IdentifierKind = 'user' | 'role' | 'type' | 'attribute' | 'class' | 'permission';

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/;

/** Whether `name` is an SELinux identifier (the same grammar for every kind). */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** A type or attribute name. */
export const isTypeName: (name: string) => boolean = isIdentifier;
/** A role name. */
export const isRoleName: (name: string) => boolean = isIdentifier;
/** A user name. */
export const isUserName: (name: string) => boolean = isIdentifier;
/** An object class name. */
export const isClassName: (name: string) => boolean = isIdentifier;
/** A permission name. */
export const isPermissionName: (name: string) => boolean = isIdentifier;

// A sensitivity or category name inside a level. The kernel splits a context's
// level on '-' (low-high), ':' (categories), ',' and '.' (category ranges), so
// those never occur inside one name there.
const LEVEL_NAME = '[A-Za-z][A-Za-z0-9_]*';
const CATEGORIES = `${LEVEL_NAME}(?:\\.${LEVEL_NAME})?(?:,${LEVEL_NAME}(?:\\.${LEVEL_NAME})?)*`;
const LEVEL = `${LEVEL_NAME}(?::${CATEGORIES})?`;
const MLS_LEVEL = new RegExp(`^${LEVEL}$`);
const MLS_RANGE = new RegExp(`^${LEVEL}(?:-${LEVEL})?$`);

/** Whether `text` is an MLS level as contexts write it: `s0`, `s0:c0,c3.c7`. */
export function isMlsLevel(text: string): boolean {
  return MLS_LEVEL.test(text);
}

/** Whether `text` is an MLS level or a range of two: `s0`, `s0-s0:c0.c1023`. */
export function isMlsRange(text: string): boolean {
  return MLS_RANGE.test(text);
}
