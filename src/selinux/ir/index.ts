// The module IR, all of it: import from here.
export * from './blocks.js';
export * from './context.js';
export * from './declarations.js';
export * from './fileContexts.js';
export * from './identifier.js';
export * from './mls.js';
export * from './module.js';
export * from './names.js';
export * from './require.js';
export * from './rules.js';
export * from './statement.js';
export * from './walk.js';
