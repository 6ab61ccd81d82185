// What the 'written' te layout adds to the identifier check (ir/identifier.ts)
// so that its text parses back into the same module: no name may be a keyword
// of the module language (checkpolicy's scanner reads `source`, `t1` or
// `ALLOW` as keywords, never as names), a category may hold no dot (the dot
// joins a run of categories, `c0.c255`), a module name is an identifier, and
// a type_transition's object name holds no `/` (checkmodule reads `"a/b"` as
// a path, not a name). audit2allow's layout prints names as audit2allow does.
import { type Diagnostic, diagnostic, PortholeError } from '../../base/diagnostic.js';
import type { Module } from '../ir/index.js';
import { isIdentifier, moduleNames, type NameKind } from '../ir/index.js';
import { KEYWORDS } from '../lang/te/lexer.js';

/** Whether the module language's scanner reads `name` as a keyword (all lowercase or all uppercase). */
export function isTeKeyword(name: string): boolean {
  const lower = name.toLowerCase();
  return (name === lower || name === name.toUpperCase()) && KEYWORDS.has(lower);
}

const NAMED: ReadonlySet<NameKind> = new Set(['module', 'type', 'role', 'class', 'permission', 'bool', 'user', 'sensitivity', 'category']);

function problem(name: string, kind: NameKind): string | undefined {
  if (NAMED.has(kind) && isTeKeyword(name)) return 'it is a keyword of the module language';
  if (kind === 'category' && name.includes('.')) return "a category name cannot hold '.' (it joins a run of categories)";
  if (kind === 'module' && !isIdentifier(name)) return 'a module name is an identifier';
  if (kind === 'objectName' && name.includes('/')) return "an object name cannot hold '/'";
  return undefined;
}

/** The names of a module that the 'written' layout cannot print so that they parse back (empty when none). */
export function checkTeWritable(module: Module): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const use of moduleNames(module)) {
    const why = problem(use.name, use.kind);
    if (why === undefined) continue;
    out.push(
      diagnostic('error', 'bad-identifier', `${JSON.stringify(use.name)} cannot be written as a ${use.kind === 'objectName' ? 'object name' : `${use.kind} name`} in a .te file: ${why}`, {
        span: use.span,
        data: { name: use.name, kind: use.kind },
      }),
    );
  }
  return out;
}

/** Throws a PortholeError when checkTeWritable finds anything. */
export function assertTeWritable(module: Module): void {
  const problems = checkTeWritable(module);
  if (problems.length > 0) throw new PortholeError(problems);
}
