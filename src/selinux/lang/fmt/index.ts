// The formatter of policy module sources (.te, .if, .fc): whitespace only,
// read as m4 reads it.
export { type FormatResult, formatModuleSource, type SourceKind, sourceKindOf } from './format.js';
