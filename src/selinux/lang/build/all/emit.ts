// The step from a checked module to its CIL in `build --all`: the same
// lowering and printer as compileModule (lowerModule, lowerFileContexts, then
// printModuleCil: the CIL pp writes for the .pp, `filecon` lines included),
// from the parsed module, since the folder's m4 pass is made once for all.
import type { Diagnostic } from '../../../../base/diagnostic.js';
import { printModuleCil } from '../../../print/cil/cilModule.js';
import type { FileContextsAst, ModuleAst } from '../../te/ast.js';
import { lowerFileContexts, lowerModule } from '../../te/lower/index.js';

/** A module that parsed and passed the checks, as CIL; what the lowering and the printer leave out as warnings. */
export function emitModuleCil(module: ModuleAst, fileContexts: FileContextsAst | undefined): { cil: string; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const onDiagnostic = (d: Diagnostic): void => void diagnostics.push(d);
  const lowered = lowerModule(module, { onDiagnostic });
  const fc = fileContexts === undefined ? [] : lowerFileContexts(fileContexts, { onDiagnostic });
  return { cil: printModuleCil(lowered, fc, { onDiagnostic }), diagnostics };
}
