// One module of `build --all`: its .te expanded from the set's shared state
// (the interface pass made once for the directory), its .fc from the support
// files, both parsed, checked as checkmodule checks them (the module's name
// against NAME, as the Makefile builds tmp/NAME.mod), then emitted (emit.ts).
// No origins are recorded (they cost a separate, slower pass): the parser
// reads m4's sync lines, so every diagnostic is still at the user's file and
// line, without the chain of calls. Without an include tree, a module in plain
// checkmodule language is parsed as it is (buildModule), any other refused.
// Not here: finding and reading the files, threads (buildAll.ts).
import type { Diagnostic } from '../../../../base/diagnostic.js';
import { PortholeError } from '../../../../base/diagnostic.js';
import { type DevelModuleSet, type DevelSource, expandDevelFileContexts } from '../../m4/devel.js';
import type { FileContextsAst, ModuleAst } from '../../te/ast.js';
import { checkModule } from '../../te/check/check.js';
import { parseFileContextsText } from '../../te/fc/fileContexts.js';
import { RequireBlockCache } from '../../te/kept/blockCache.js';
import { parseModuleTextKeeping } from '../../te/parse.js';
import { buildModule } from '../build.js';
import { m4MessageDiagnostics } from '../m4Messages.js';
import { emitModuleCil } from './emit.js';

/** A module's sources, named as they are to be reported. */
export interface ModuleSources {
  name: string;
  te: DevelSource;
  if?: DevelSource | undefined;
  fc?: DevelSource | undefined;
}

/** A module built: its CIL, unless an error stopped it; every diagnostic (m4's, the .te's, the .fc's, the emitter's). */
export interface ModuleBuild {
  name: string;
  cil?: string | undefined;
  diagnostics: Diagnostic[];
}

/** The first pass's require blocks (policy_module's, the same in every module): read once per offset in a thread. */
const requireBlocks = new RequireBlockCache();

const hasError = (list: readonly Diagnostic[]): boolean => list.some((d) => d.severity === 'error');

/** Builds one module from a set's state (`set`), or without headers when `set` is undefined. */
export function compileInSet(set: DevelModuleSet | undefined, src: ModuleSources, includeDir: string): ModuleBuild {
  if (set === undefined) return compileWithoutHeaders(src, includeDir);
  // Most modules have nothing to report: built first without m4's sync lines (a third of the
  // text m4 writes), which only place diagnostics; built again with them when there are any.
  return quickly(() => compileExpanded(set, src, includeDir, false)) ?? (compileExpanded(set, src, includeDir, true) as ModuleBuild);
}

/** The first build's result; undefined when it throws (the second build then meets the same fault, if it is one, and reports it). */
function quickly(build: () => ModuleBuild | undefined): ModuleBuild | undefined {
  try {
    return build();
  } catch {
    return undefined;
  }
}

/** compileInSet's work, with or without sync lines; without them, undefined when there is anything to report. */
function compileExpanded(set: DevelModuleSet, src: ModuleSources, includeDir: string, syncLines: boolean): ModuleBuild | undefined {
  const te = set.expand(src.te, { syncLines });
  const diagnostics: Diagnostic[] = [...te.diagnostics, ...m4MessageDiagnostics(te.stderr)];
  const parsed = parseModuleTextKeeping({ name: `tmp/${src.name}.tmp`, text: te.output, placeless: !syncLines }, requireBlocks);
  diagnostics.push(...parsed.diagnostics, ...checkModule(parsed.ast, parsed.map, { outputName: src.name }));
  if (!syncLines && diagnostics.length > 0) return undefined;
  let fc: FileContextsAst | undefined;
  if (src.fc !== undefined) {
    const x = expandDevelFileContexts(src.fc, { includeDir });
    const pf = parseFileContextsText({ name: `tmp/${src.name}.mod.fc`, text: x.output, placeless: !syncLines });
    diagnostics.push(...x.diagnostics, ...m4MessageDiagnostics(x.stderr), ...pf.diagnostics);
    fc = pf.ast;
  }
  const built = finish(src.name, parsed.ast, fc, diagnostics);
  return syncLines || built.diagnostics.length === 0 ? built : undefined;
}

function finish(name: string, module: ModuleAst, fc: FileContextsAst | undefined, diagnostics: Diagnostic[]): ModuleBuild {
  if (hasError(diagnostics)) return { name, diagnostics };
  const emitted = emitModuleCil(module, fc);
  return { name, cil: emitted.cil, diagnostics: [...diagnostics, ...emitted.diagnostics] };
}

function compileWithoutHeaders(src: ModuleSources, includeDir: string): ModuleBuild {
  try {
    const r = buildModule({ te: src.te, if: src.if, fc: src.fc }, { includeDir, outputName: src.name });
    return finish(src.name, r.module, r.fileContexts?.ast, r.diagnostics);
  } catch (e) {
    if (e instanceof PortholeError) return { name: src.name, diagnostics: [...e.diagnostics] };
    throw e;
  }
}
