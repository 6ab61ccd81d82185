// Public face of the audit log generator (used by the oracle harness, the
// sweep and the benchmark).
export { generateLog, DEFAULT_MIX, LOG_FORMATS } from './generate.js';
export type { GenOptions, GenMix, GenMeta, GeneratedLog, AvcMeta, SelinuxErrMeta, InvalidKind, LogFormat } from './generate.js';
export { loadNames, NAMES_FIXTURE } from './names.js';
export type { PolicyNames } from './names.js';
export { Rng } from './prng.js';
export { ausearchDate } from './render.js';
