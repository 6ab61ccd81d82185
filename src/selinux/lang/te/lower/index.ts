// Lowering: the module language's syntax tree to the module IR.
export { lowerFileContexts } from './fileContexts.js';
export { type LowerOptions, lowerModule } from './lower.js';
