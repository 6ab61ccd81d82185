// `build --all`: every module of a directory built to CIL in one process.
export { type BuildAllOptions, type BuildAllResult, buildAllModules } from './buildAll.js';
export { compileInSet, type ModuleBuild, type ModuleSources } from './compile.js';
export { emitModuleCil } from './emit.js';
export { findModules, type ModuleSourceFiles, type ModuleTree } from './modules.js';
