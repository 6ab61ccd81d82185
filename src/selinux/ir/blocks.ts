// Blocks of the module IR: a statement list with its require block (the
// module itself, an optional block, its else branch), conditional blocks
// (`if (EXPR) { } else { }`) with their boolean expression, optional blocks,
// and the Statement union they hold. In one file because they are recursive.
import type { Declaration } from './declarations.js';
import type { Require, RequireStatement } from './require.js';
import type { AvRule, Rule, TypeRule, XpermRule } from './rules.js';
import type { StatementBase } from './statement.js';

/** A boolean expression of a conditional block. */
export type BoolExpr = { op: 'bool'; name: string } | { op: 'not'; operand: BoolExpr } | { op: 'and' | 'or' | 'xor' | 'eq' | 'neq'; left: BoolExpr; right: BoolExpr };

export type BoolOperator = BoolExpr['op'];

/**
 * What a conditional block may hold. checkmodule refuses neverallow rules and
 * name-based type transitions inside one (and libsepol 3.4 also refuses
 * extended-permission rules); the checks say so, the IR can hold them.
 * A require block written inside a conditional counts for the enclosing block.
 */
export type ConditionalRule = AvRule | XpermRule | TypeRule | RequireStatement;

/** `if (EXPR) { ... } else { ... }` */
export interface Conditional extends StatementBase {
  kind: 'conditional';
  condition: BoolExpr;
  whenTrue: ConditionalRule[];
  /** The else branch; absent when there is none. */
  whenFalse?: ConditionalRule[];
}

/**
 * Statements with their own require block: the module or an optional block.
 * checkmodule wants at least one required symbol in each (a module with no
 * require at all is refused: "This block has no require section").
 */
export interface Block {
  require?: Require;
  statements: Statement[];
}

/**
 * `optional { ... } else { ... }`: the statements count only when everything
 * the block requires exists; the else branch counts when it does not. The
 * else branch has no require block of its own (checkmodule refuses one there).
 */
export interface Optional extends Block, StatementBase {
  kind: 'optional';
  /** Absent (or empty: checkmodule wants a statement in an else branch) when there is none. */
  else?: Statement[];
}

export type Statement = Rule | Declaration | Conditional | Optional | RequireStatement;

export type StatementKind = Statement['kind'];
