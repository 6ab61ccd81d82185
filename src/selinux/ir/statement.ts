// What every statement of the module IR carries: where it was written and,
// for learned rules, the log records behind it; and which statements are
// shared by many modules (deep-frozen). Not the statements themselves
// (rules.ts, declarations.ts, blocks.ts).
import type { Span } from '../../base/span.js';

/** Why a rule exists: the log records that justified it. */
export interface Evidence {
  /** The first few locations, in input order. */
  locs: Span[];
  /** How many records in all. */
  count: number;
}

/** The fields every statement may have. */
export interface StatementBase {
  /** Where it was written: a log line for a learned rule, a source position for a hand-written one. */
  span?: Span;
  evidence?: Evidence;
}

/** Statements shared by many modules (markShared). */
const shared = new WeakSet<object>();

/**
 * Marks a statement as shared by many modules (build --all's modules share the IR of
 * policy_module's require block): deep-frozen by the caller, so that what a stage works out
 * from it once holds in every module it is met in.
 * @internal
 */
export function markShared(st: StatementBase): void {
  if (!Object.isFrozen(st)) throw new Error('markShared: a shared statement must be frozen');
  shared.add(st);
}

/**
 * Whether a statement is shared by many modules (markShared): frozen, the same wherever met.
 * @internal
 */
export function isShared(st: object): boolean {
  return shared.has(st);
}
