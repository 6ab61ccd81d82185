// What refpolicy interface calls grant: one call expanded (`iface expand`),
// the access index of every interface (`iface for`), cached on disk, and the
// raw-allow lint rule that reads it.
export { ACCESS_INDEX_VERSION, type AccessIndex, buildAccessIndex, type InterfaceAccess, placeholder } from './accessIndex.js';
export { type AccessIndexOptions, accessIndexKey, defaultCacheDir, type LoadedAccessIndex, loadAccessIndex } from './cache.js';
export { type CallExpansion, EXPAND_SOURCE, type ExpandCallOptions, expandInterfaceCall, expansionHasErrors, mergedRequires } from './expand.js';
export { type AccessTuple, type GrantRule, grantTuples, type ModuleGrants, moduleGrants } from './grants.js';
export { exactInterfaces, lintRawAllows, RAW_ALLOW_CODE, type RawAllowOptions, writtenRuleSpans } from './lint.js';
export { type AccessAnswer, type AccessQuery, type Binding, compareAnswers, interfacesGranting, matchInterface, parseAccess, unifyName } from './match.js';
