// Module -> kernel policy language (.te). Two layouts (Module.layout):
// 'audit2allow', exactly as audit2allow's ModuleWriter lays a module out (a
// blank line, the module line, the require block, then the rules grouped by
// source type under `#============= src ==============` headers, then the
// ROLES section), with any other statement (declarations, blocks) before the
// rules in its order; and 'written', every statement in its order, in text
// that parses back into the same module (teWritable.ts refuses names that
// would not). The statements themselves are printed by teStatement.ts; names
// as they are (the module must have passed the identifier check first, see
// ir/walk.ts).

import type { AvRule, Module, NameList, RoleTypes, Statement, XpermRule } from '../ir/index.js';
import { assertPrintable, isNameSet } from '../ir/index.js';
import { printAvRule, printRequire, printRoleTypes, printXpermRule, teStatementLines, withComment } from './teStatement.js';
import { assertTeWritable } from './teWritable.js';

export { printAvRule, printRequire, printXpermRule } from './teStatement.js';

export type SortedRule = AvRule | XpermRule;

/** The first name of a list: what audit2allow sorts and heads sections by. */
function firstName(list: NameList): string {
  return (isNameSet(list) ? list.names[0] : list[0]) ?? '';
}

function compareRules(a: SortedRule, b: SortedRule): number {
  // By source, target, then class name; no key arrays: this runs n log n times.
  return compareNames(firstName(a.sources), firstName(b.sources)) || compareNames(firstName(a.targets), firstName(b.targets)) || compareNames(a.classes[0] ?? '', b.classes[0] ?? '');
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether the te printer sorts this module-level statement into audit2allow's sections. */
function isSectioned(st: Statement): st is AvRule | XpermRule | RoleTypes {
  return st.kind === 'av' || st.kind === 'xperm' || st.kind === 'roletypes';
}

/**
 * The module's own rules in the order audit2allow prints them: sorted by
 * (source, target, class), allow rules before xperm rules of the same triple
 * (the sort is stable). The CIL printer follows the same order. In the
 * 'written' layout: the av and xperm rules in their order.
 */
export function sortedRules(module: Module): SortedRule[] {
  if (module.layout === 'written') return module.statements.filter((s): s is SortedRule => s.kind === 'av' || s.kind === 'xperm');
  const av = module.statements.filter((s): s is AvRule => s.kind === 'av');
  const xperm = module.statements.filter((s): s is XpermRule => s.kind === 'xperm');
  return [...av, ...xperm].sort(compareRules);
}

/** The statements audit2allow's layout prints before its rule sections, in their order. */
export function unsectionedStatements(module: Module): Statement[] {
  return module.statements.filter((s) => !isSectioned(s));
}

export function printTe(module: Module): string {
  return printTeChunks(module).join('');
}

/** How long printTeChunks's pieces get (UTF-16 units): far below V8's longest string (≈ 2^29). */
const CHUNK = 8 * 1024 * 1024;

/**
 * printTe's text in pieces of about `chunk` characters, each ending at a line's end (one longer
 * line stays whole): `allow -e` on a large log prints every denial, which can pass the longest
 * string V8 makes. Write them one after the other.
 */
export function printTeChunks(module: Module, chunk = CHUNK): string[] {
  assertPrintable(module);
  if (module.layout !== 'written') return joinLines(audit2allowLines(module), chunk);
  assertTeWritable(module);
  return joinLines(writtenLines(module), chunk);
}

/** The lines, each with a newline, joined into pieces of about `chunk` characters. */
function joinLines(lines: readonly string[], chunk: number): string[] {
  const pieces: string[] = [];
  let part: string[] = [];
  let size = 0;
  for (const l of lines) {
    part.push(l);
    size += l.length + 1;
    if (size >= chunk) {
      pieces.push(part.join('\n') + '\n');
      part = [];
      size = 0;
    }
  }
  if (part.length > 0) pieces.push(part.join('\n') + '\n');
  return pieces;
}

function audit2allowLines(module: Module): string[] {
  const out: string[] = [''];
  if (module.name !== undefined) {
    out.push(`module ${module.name} ${module.version ?? '1.0'};`);
    out.push('');
  }
  if (module.require) out.push(printRequire(module.require));
  out.push('');
  const others = unsectionedStatements(module);
  if (others.length > 0) out.push(...others.flatMap(teStatementLines), '');
  let current: string | undefined;
  for (const r of sortedRules(module)) {
    const src = firstName(r.sources);
    if (src !== current) {
      if (current !== undefined) out.push('');
      current = src;
      out.push(`#============= ${src} ==============`);
    }
    // (one string per rule, comment lines included: the hot path of large modules)
    out.push(r.kind === 'av' ? withComment(r.comment, r.notes, printAvRule(r)) : printXpermRule(r));
  }
  const roles = module.statements.filter((s): s is RoleTypes => s.kind === 'roletypes');
  roles.sort((a, b) => (a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
  if (roles.length > 0) out.push('#============= ROLES ==============');
  // Each role's lines, then an empty line (audit2allow ends every role with one).
  for (const r of roles) out.push(printRoleTypes(r, true).join('\n') + '\n');
  return out;
}

function writtenLines(module: Module): string[] {
  const out: string[] = [];
  if (module.name !== undefined) out.push(`module ${module.name} ${module.version ?? '1.0'};`, '');
  const req = module.require ? printRequire(module.require) : '';
  if (req !== '') out.push(req, '');
  for (const s of module.statements) for (const l of teStatementLines(s)) out.push(l);
  return out;
}
