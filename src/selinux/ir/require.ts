// The `require { }` block: the symbols a module (or one of its optional
// blocks) uses but does not declare. checkmodule numbers a module's symbols in
// the order they first appear, so the order of each list is the order written.
import type { StatementBase } from './statement.js';

export interface Require {
  /** Sorted in a learned module. */
  types: string[];
  /** Class name and its permissions; a class may come more than once (the permissions add up). */
  classes: Array<[string, string[]]>;
  /** Sorted in a learned module. */
  roles: string[];
  /** Type attributes (`attribute a;`). */
  attributes?: string[];
  /** Role attributes (`attribute_role r;`). */
  attributeRoles?: string[];
  bools?: string[];
  tunables?: string[];
  users?: string[];
  sensitivities?: string[];
  categories?: string[];
}

/** A `require { }` block written among the statements; it counts for the enclosing module or optional block. */
export interface RequireStatement extends Require, StatementBase {
  kind: 'require';
}
