// Kernel binary policy reader: readPolicy(bytes) -> Policy, its indexes and statistics.
export { AvTab, avtabKindName, XPERM_RECORD } from './avtab.js';
export * as constants from './constants.js';
export { PolicyReadError } from './errors.js';
export { AvTabIndex, avtabKey, PolicyIndex } from './indexes.js';
export * from './listings.js';
export type * from './model.js';
export { defaultPolicyPath } from './path.js';
export { readPolicy, readPolicyFile } from './read.js';
export { scanPolicyFile, scanPolicyStats } from './scan.js';
export type { PolicyStats } from './stats.js';
export { formatSeinfoStats, policyStats, printSeinfoStats } from './stats.js';
