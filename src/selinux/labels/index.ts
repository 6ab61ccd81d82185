// File labels: file_contexts (with .homedirs, .local, .subs, .subs_dist) ->
// the context a path gets, as libselinux's selabel_lookup (matchpathcon)
// answers, and why.

export { type CheckFcOptions, checkFcFile, checkFcSpecs, checkFcText, expandFcMacros, unreachableSpec } from './check.js';
export { FILE_TYPE_WORDS, formatFcontextList } from './list.js';
export { defaultFileContextsPath, fileContextsFromText, type LoadedFileContexts, type LoadFileContextsOptions, loadFileContexts } from './load.js';
export { FileContexts, LABEL_MODES, type LabelAnswer, type LabelExplanation, S_IFMT } from './lookup.js';
export { compileSpecRegex, literalPrefix, PcreError, type PcreItem, type PcreTree, parsePcre, quickScan, type Random, sampleMatch, toJsSource } from './pcre.js';
export { bytesText, echoPath, executableLabel, explainText, labelJson, labelLine, labelMode, modeName, textBytes } from './report.js';
export {
  duplicateSpecs,
  FILE_TYPE_MODES,
  type FileContextSpec,
  hasMetaChars,
  type ParseSpecsResult,
  parseSpecs,
  pathStem,
  type SpecOrigin,
  specMatcher,
  specRegex,
  specStem,
  specTree,
} from './specs.js';
export { applySubs, parseSubs, type SubstitutionResult, type SubstitutionRule, substitute } from './subs.js';
