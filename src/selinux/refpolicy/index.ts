// refpolicy's interfaces, templates and support macros, read from an include
// tree's text (no m4 run): where each is, its doc comment, searches by
// regular expression and lookups by name (`porthole iface`).

export { type DocComment, parseDocComment } from './doc.js';
export { type DefinitionKind, type DefinitionParam, type ParsedDefinitions, type PolicyDefinition, parseDefinitions, type SourceLine } from './parse.js';
export {
  closeNames,
  type DefinitionJson,
  type DefinitionMatch,
  definitionJson,
  definitionPattern,
  definitionSignature,
  definitionsNamed,
  findDefinitions,
  formatDefinitions,
  formatMatches,
} from './search.js';
export { type DefinitionIndex, type IncludeTree, includeTree, loadDefinitions } from './tree.js';
