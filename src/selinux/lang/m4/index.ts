// The m4 stage of the module compiler: GNU m4 in-process (engine.ts), and the
// devel Makefile's pipeline over it (devel.ts).

export type { Builtin } from './builtins.js';
export {
  allInterfacesConf,
  clearDevelCache,
  DEFAULT_DEVEL_INCLUDE,
  type DevelModuleResult,
  type DevelModuleSet,
  type DevelOptions,
  type DevelSource,
  type DevelTree,
  develDefines,
  develModuleSet,
  develTree,
  expandDevelFileContexts,
  expandDevelModule,
  layerInterfaceFiles,
  readBuildConf,
  STUB_IF,
  supportFiles,
} from './devel.js';
export { type M4Definition, M4Engine, type M4Expansion, type M4Limits, type M4Location, type M4Options, type M4Origin, type M4Result } from './engine.js';
export { type ExpandM4Options, expandM4, type M4Input } from './expand.js';
