// Kernel binary policy reader: readPolicy(bytes) -> Policy, its indexes and statistics.
export { AvTab, avtabKindName, XPERM_RECORD } from './binary/avtab.js';
export * as constants from './binary/constants.js';
export { readPolicy, readPolicyFile } from './binary/read.js';
export { scanPolicyFile, scanPolicyStats } from './binary/scan.js';
export { AvTabIndex, avtabKey, PolicyIndex } from './indexes.js';
export type * from './model.js';
export { defaultPolicyPath } from './path.js';
export * from './query/listings.js';
export type { PolicyStats } from './query/stats.js';
export { formatSeinfoStats, policyStats, printSeinfoStats } from './query/stats.js';
