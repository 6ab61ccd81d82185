// The module build: m4, the parser and the checks over a module's sources,
// and the checks only the build can make (calls of undefined interfaces,
// wrong argument counts), every diagnostic at the user's line.

export * from './all/index.js';
export { type BuildOptions, type BuildResult, type BuildSources, buildModule } from './build.js';
export { type ArityFinding, arityDiagnostic, checkCallArity, givenArguments, type InterfaceCall, interfaceCalls } from './calls.js';
export { type CompileOptions, type CompileResult, compileModule } from './compile.js';
export { type Arity, arityOf, type BuildDefinitions, buildDefinitions, clearBuildDefinitions } from './definitions.js';
export { m4MessageDiagnostics } from './m4Messages.js';
export { type BuildFiles, readBuildSources } from './sources.js';
export { SUGGESTIONS, suggestDefined } from './suggest.js';
