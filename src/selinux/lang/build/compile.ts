// The module compiler: a module's sources (as buildModule takes them) to the
// CIL that semodule keeps for it, i.e. what libsepol's pp converter writes
// for the .pp the devel Makefile builds, byte for byte; and on request the
// expanded, checked module as .te (what checkmodule -M -m compiles to the
// same module). Nothing is printed when the build has errors.
// Not here: the checks (build.ts), the CIL (print/cil/cilModule.ts).
import type { Diagnostic } from '../../../base/diagnostic.js';
import type { FcSpec, Module } from '../../ir/index.js';
import { printModuleCil } from '../../print/cil/cilModule.js';
import { printTe } from '../../print/te.js';
import { lowerFileContexts } from '../te/lower/fileContexts.js';
import { lowerModule } from '../te/lower/lower.js';
import { type BuildOptions, type BuildResult, type BuildSources, buildModule } from './build.js';

export interface CompileOptions extends BuildOptions {
  /** Also give the expanded, checked module as .te text. */
  te?: boolean | undefined;
}

export interface CompileResult {
  /** The CIL; undefined when the build has errors. */
  cil?: string | undefined;
  /** The module as .te (with `te: true`, and no errors). */
  te?: string | undefined;
  /** The build's diagnostics, then the lowering's and the printer's warnings (what pp leaves out). */
  diagnostics: Diagnostic[];
  /** The module IR and file contexts the CIL was printed from (no errors). */
  module?: Module | undefined;
  fileContexts?: FcSpec[] | undefined;
  build: BuildResult;
}

/** Builds a module's sources (m4, parse, checks) and prints its CIL as make + pp would give it. Throws `te-no-headers` as buildModule does. */
export function compileModule(src: BuildSources, opts: CompileOptions = {}): CompileResult {
  const build = buildModule(src, opts);
  const diagnostics = [...build.diagnostics];
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics, build };
  const onDiagnostic = (d: Diagnostic): void => {
    diagnostics.push(d);
  };
  const module = lowerModule(build.module, { onDiagnostic });
  const fileContexts = build.fileContexts === undefined ? [] : lowerFileContexts(build.fileContexts.ast, { onDiagnostic });
  const cil = printModuleCil(module, fileContexts, { onDiagnostic });
  return { cil, te: opts.te === true ? printTe(module) : undefined, diagnostics, module, fileContexts, build };
}
