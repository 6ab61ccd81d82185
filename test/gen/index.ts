// Public face of the audit log generator (used by the oracle harness, the
// sweep and the benchmark).

export type { AvcMeta, GeneratedLog, GenMeta, GenMix, GenOptions, InvalidKind, LogFormat, SelinuxErrMeta } from './generate.js';
export { DEFAULT_MIX, generateLog, LOG_FORMATS } from './generate.js';
export type { PolicyNames } from './names.js';
export { loadNames, NAMES_FIXTURE } from './names.js';
export { Rng } from './prng.js';
export { ausearchDate } from './render.js';
