// The step from a checked module to its CIL in `build --all`, in one place so
// that the CIL emitter of issue 15 replaces it in one line: today lowerModule
// and lowerFileContexts, then printCil and the `filecon` lines (filecon.ts).
import type { Diagnostic } from '../../../../base/diagnostic.js';
import { printCil } from '../../../print/cil/cil.js';
import type { FileContextsAst, ModuleAst } from '../../te/ast.js';
import { lowerFileContexts, lowerModule } from '../../te/lower/index.js';
import { fileconLines } from './filecon.js';

/** A module that parsed and passed the checks, as CIL; what the lowering and the printer leave out as warnings. */
export function emitModuleCil(module: ModuleAst, fileContexts: FileContextsAst | undefined): { cil: string; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const onDiagnostic = (d: Diagnostic): void => void diagnostics.push(d);
  const cil = printCil(lowerModule(module, { onDiagnostic }), { onDiagnostic });
  const fc = fileContexts === undefined ? '' : fileconLines(lowerFileContexts(fileContexts, { onDiagnostic }));
  return { cil: cil + fc, diagnostics };
}
