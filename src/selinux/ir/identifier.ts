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
// here, the kernel's context form (`s0-s0:c0.c1023`). checkModuleNames applies
// the checks to every name of a module; the printers call it.
import { type Diagnostic, diagnostic, PortholeError } from '../../base/diagnostic.js';
import type { Module } from './module.js';
import { isShared } from './statement.js';
import { forEachModuleName, type NameKind } from './walk.js';

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

/** Whether a module version is printable (`1.0`, `2.3.1`: digits and single dots, as checkpolicy reads it). */
export function isModuleVersion(text: string): boolean {
  return /^[0-9]+(?:\.[0-9]+)*$/.test(text);
}

/** Whether a type_transition file name can be written between double quotes (no quote, no line break, no NUL). */
export function isObjectName(text: string): boolean {
  return text.length > 0 && !/["\n\r\0]/.test(text);
}

const NAME_CHECKS: Record<NameKind, (name: string) => boolean> = {
  module: (n) => /^[A-Za-z][A-Za-z0-9_.-]*$/.test(n),
  version: isModuleVersion,
  type: isIdentifier,
  role: isIdentifier,
  class: isIdentifier,
  permission: isIdentifier,
  bool: isIdentifier,
  user: isIdentifier,
  sensitivity: isIdentifier,
  category: isIdentifier,
  operation: (n) => n === 'ioctl' || n === 'nlmsg',
  objectName: isObjectName,
};

/**
 * Every name of a module that may not reach generated text, as diagnostics
 * (empty when all are fine). The printers refuse a module that has any: the
 * last guard between names from input and policy text.
 */
export function checkModuleNames(module: Module): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Identifiers found good (the same grammar for most kinds): a module names the same types and permissions many times.
  const good = new Set<string>();
  const skip = (st: object): boolean => checkedShared.has(st);
  forEachModuleName(
    module,
    (name, kind, span) => {
      const check = NAME_CHECKS[kind];
      if (check === isIdentifier) {
        if (good.has(name)) return;
        if (isIdentifier(name)) {
          good.add(name);
          return;
        }
      } else if (check(name)) return;
      out.push(
        diagnostic('error', 'bad-identifier', `${JSON.stringify(name)} is not a valid ${kind === 'objectName' ? 'object name' : kind} name: it cannot be written into policy text`, {
          span,
          data: { name, kind },
        }),
      );
    },
    skip,
  );
  // A shared statement cannot change: once its names passed, the next module that has it need
  // not check them again (build --all's modules share policy_module's require block, ≈ 3,000 names).
  if (out.length === 0) for (const st of module.statements) if (isShared(st)) checkedShared.add(st);
  return out;
}

/** Shared statements (markShared) whose names were all found good. */
const checkedShared = new WeakSet<object>();

/** Throws a PortholeError when the module has names that may not be printed (checkModuleNames). */
export function assertPrintable(module: Module): void {
  const problems = checkModuleNames(module);
  if (problems.length > 0) throw new PortholeError(problems);
}
