// Kernel binary policy reader: readPolicy(bytes) -> Policy, its indexes and statistics, and the
// questions the `policy` commands ask of it (access decisions, transitions, paths, rule search).

export { BoolValues } from './access/boolValues.js';
export type { AccessAnalysis, AccessCode, AvDecision, RejectedCode } from './access/decide.js';
export { AccessDecider, AUDIT2WHY_CODES, accessDecider, analyzeAccess, computeAccess } from './access/decide.js';
export { ContextTables, contextInvalidReason, type DContext, type DLevel } from './access/decideContext.js';
export type { PathsReport, PathsRequest } from './access/paths/pathsReport.js';
export { analyzePaths, formatPaths, lookupDomain, pathsJson } from './access/paths/pathsReport.js';
export type { RuleRef, TeDecision } from './access/teLookup.js';
export { TeLookup } from './access/teLookup.js';
export type { ComputedContext } from './access/transition/computeCreate.js';
export type { ExecCheck } from './access/transition/execChecks.js';
export type { TargetFile, TransitionReport, TransitionRequest } from './access/transition/transitionReport.js';
export { computeTransition, formatTransition, transitionJson } from './access/transition/transitionReport.js';
export { AvTab, avtabKindName, XPERM_RECORD } from './binary/avtab.js';
export * as constants from './binary/constants.js';
export type { FileCursorOptions } from './binary/cursor.js';
export { readPolicy, readPolicyFile } from './binary/read.js';
export { scanPolicyFile, scanPolicyStats } from './binary/scan.js';
export { AvTabIndex, avtabKey, PolicyIndex } from './indexes.js';
/** The plain-data model of a binary policy (its declarations and rules), as one namespace: some names (RoleAllow, ...) are also IR statements. */
export type * as PolicyModel from './model.js';
export type { Policy } from './model.js';
export { defaultPolicyPath, type PolicyPathOptions } from './path.js';
export * from './query/listings.js';
export type { FoundRule, SearchQuery, SearchResult, TeRuleType } from './query/search/search.js';
export { searchPolicy, searchRules } from './query/search/search.js';
export { type MlsRuleType, type RbacRuleType, TE_RULE_TYPES } from './query/search/searchQuery.js';
export type { PolicyStats } from './query/stats.js';
export { formatSeinfoStats, policyStats, printSeinfoStats } from './query/stats.js';
