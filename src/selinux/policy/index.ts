// Kernel binary policy reader: readPolicy(bytes) -> Policy, its indexes and statistics.
export { AvTab, avtabKindName, XPERM_RECORD } from './binary/avtab.js';
export * as constants from './binary/constants.js';
export { PolicyReadError } from './binary/errors.js';
export { readPolicy, readPolicyFile } from './binary/read.js';
export { scanPolicyFile, scanPolicyStats } from './binary/scan.js';
export { AvTabIndex, avtabKey, PolicyIndex } from './indexes.js';
/** The plain-data model of a binary policy (its declarations and rules), as one namespace: some names (RoleAllow, ...) are also IR statements. */
export type * as PolicyModel from './model.js';
export type { Policy } from './model.js';
export { defaultPolicyPath } from './path.js';
export * from './query/listings.js';
export type { PolicyStats } from './query/stats.js';
export { formatSeinfoStats, policyStats, printSeinfoStats } from './query/stats.js';
