// What every statement of the module IR carries: where it was written and,
// for learned rules, the log records behind it. Not the statements themselves
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
