// The lint rules over policy sources read without m4 (`porthole check`).

export { LINT_CACHE_VERSION, type LintCacheOptions } from './cache.js';
export { type DeclaredName, type LintContext, type LintEnv, type LintInput, type LintModule, type LintSource, lintSource } from './context.js';
export { readLintInputs } from './files.js';
export { type LintOptions, lintContext, lintPolicy } from './lint.js';
export { type BlockItem, type CallItem, type Item, readSource, type StatementItem, type Tokens, tokenize } from './reader/source.js';
export type { LintRule } from './rules/rule.js';
export { LINT_RULES } from './rules.js';
export type { LintAvRule, LintDeclaration } from './statementTypes.js';
export type { CallAt, DeclaredAt, DefinitionSummary, SourceSummary, SpecSummary } from './summary.js';
