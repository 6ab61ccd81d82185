// `porthole build`'s work: a module's .te (with its .if and .fc) through the
// devel Makefile's m4 pipeline with origins, the parser and checkModule, and
// the checks checkmodule cannot make (calls of undefined interfaces, calls
// with the wrong number of arguments). Every diagnostic is at the user's
// file, line and column, with the chain of macro calls as notes.
// Without the devel headers a module in plain checkmodule language (it starts
// with `module NAME VERSION;`) is parsed as it is; any other is refused with a
// diagnostic saying how to get them.
// Not here: reading files (sources.ts), the call checks (calls.ts, suggest.ts).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Diagnostic, fail } from '../../../base/diagnostic.js';
import { DEFAULT_DEVEL_INCLUDE, type DevelSource, expandDevelFileContexts, expandDevelModule } from '../m4/devel.js';
import type { FileContextsAst, ModuleAst } from '../te/ast.js';
import { checkModule } from '../te/check/check.js';
import { parseFileContextsText } from '../te/fc/fileContexts.js';
import { parseModuleText } from '../te/parse.js';
import type { SourceMap } from '../te/source.js';
import { checkCallArity, insideExpansion, interfaceCalls } from './calls.js';
import { buildDefinitions } from './definitions.js';
import { m4MessageDiagnostics } from './m4Messages.js';
import { suggestDefined } from './suggest.js';

/** A module's sources: its .te, and its .if and .fc when it has them (names as the user gave them). */
export interface BuildSources {
  te: DevelSource;
  if?: DevelSource | undefined;
  fc?: DevelSource | undefined;
}

export interface BuildOptions {
  /** The devel include tree (default /usr/share/selinux/devel/include). */
  includeDir?: string | undefined;
  /**
   * The output file (`-o`): the module's name must be its base name without the
   * last suffix, as checkmodule requires (the devel Makefile's is the .te's base
   * name); checkModule's check. Undefined: not checked.
   */
  outputName?: string | undefined;
}

export interface BuildResult {
  module: ModuleAst;
  /** Offsets of the parsed .te text to the user's places. */
  map: SourceMap;
  /** The .te as the parser read it (m4's output, or the file itself without m4). */
  text: string;
  fileContexts?: { ast: FileContextsAst; map: SourceMap } | undefined;
  /** m4's, the parser's and the checks' diagnostics: m4's first, then the .te's in the order of the user's lines, then the .fc's. */
  diagnostics: Diagnostic[];
  /** Whether m4 ran (false: a plain module built without the devel headers). */
  expanded: boolean;
}

/** A .te in checkmodule's own language: comments, then `module NAME VERSION;`. */
const PLAIN_MODULE = /^(?:\s|#[^\n]*(?:\n|$))*module\s+[A-Za-z][A-Za-z0-9_.-]*\s+[0-9][A-Za-z0-9_.]*\s*;/;

const HEADERS_HINT = 'install the devel headers (Debian: apt install selinux-policy-dev) or give the include tree with -I DIR';

function isIncludeTree(dir: string): boolean {
  const support = join(dir, 'support');
  return existsSync(support) && statSync(support).isDirectory();
}

/** Runs m4 (with origins), the parser and the checks over a module's sources. Throws `te-no-headers` when a module needs headers that are missing. */
export function buildModule(src: BuildSources, opts: BuildOptions = {}): BuildResult {
  const includeDir = opts.includeDir ?? DEFAULT_DEVEL_INCLUDE;
  if (!isIncludeTree(includeDir)) {
    if (!PLAIN_MODULE.test(src.te.text)) {
      fail('te-no-headers', `${src.te.name} uses refpolicy macros, and there are no devel headers at ${includeDir}`, {
        span: { file: src.te.name, line: 0 },
        notes: [HEADERS_HINT],
        data: { includeDir },
      });
    }
    return plainBuild(src, opts, includeDir);
  }
  const te = expandDevelModule(src.te, { includeDir, moduleIf: src.if, origins: true });
  const parsed = parseModuleText({ name: src.te.name, text: te.output, origins: te.origins });
  const defs = buildDefinitions(includeDir, src.if);
  const userFiles = new Set([src.te.name, ...(src.if === undefined ? [] : [src.if.name])]);
  const arity = checkCallArity(interfaceCalls(te.origins, defs.callables), defs.callables, userFiles);
  // What follows from a call given too few arguments is said by its one diagnostic.
  const tooFew = arity.filter((f) => f.diagnostic.severity === 'error').map((f) => ({ ...f, hidden: 0 }));
  const consequence = (d: Diagnostic): boolean => {
    const f = d.severity === 'error' ? tooFew.find((x) => insideExpansion(d, x.call.expansion)) : undefined;
    if (f !== undefined) f.hidden++;
    return f !== undefined;
  };
  const found = [...parsed.diagnostics.map((d) => suggestDefined(d, defs.names)), ...checkModule(parsed.ast, parsed.map, { outputName: opts.outputName })].filter((d) => !consequence(d));
  const arityDiagnostics = arity.map(({ diagnostic: d, call }) => {
    const hidden = tooFew.find((f) => f.call === call)?.hidden ?? 0;
    if (hidden === 0) return d;
    return { ...d, notes: [...d.notes, { message: `${hidden} error${hidden === 1 ? '' : 's'} in its expansion, which follow from the missing arguments, are not reported` }] };
  });
  const m4 = [...te.interfaceDiagnostics, ...te.diagnostics, ...m4MessageDiagnostics(te.stderr)];
  let fileContexts: BuildResult['fileContexts'];
  const fcDiagnostics: Diagnostic[] = [];
  if (src.fc !== undefined) {
    const fc = expandDevelFileContexts(src.fc, { includeDir, origins: true });
    m4.push(...fc.diagnostics, ...m4MessageDiagnostics(fc.stderr));
    const pf = parseFileContextsText({ name: src.fc.name, text: fc.output, origins: fc.origins });
    fileContexts = { ast: pf.ast, map: pf.map };
    fcDiagnostics.push(...pf.diagnostics);
  }
  return {
    module: parsed.ast,
    map: parsed.map,
    text: te.output,
    fileContexts,
    diagnostics: [...m4, ...inUserOrder([...found, ...arityDiagnostics], src.te.name), ...fcDiagnostics],
    expanded: true,
  };
}

/** A plain module without headers: the .te and .fc parsed as they are. */
function plainBuild(src: BuildSources, opts: BuildOptions, includeDir: string): BuildResult {
  const parsed = parseModuleText(src.te);
  const noHeaders = [`there are no devel headers at ${includeDir} to define it: ${HEADERS_HINT}`];
  const found = [...parsed.diagnostics.map((d) => suggestDefined(d, [], noHeaders)), ...checkModule(parsed.ast, parsed.map, { outputName: opts.outputName })];
  let fileContexts: BuildResult['fileContexts'];
  const fcDiagnostics: Diagnostic[] = [];
  if (src.fc !== undefined) {
    const pf = parseFileContextsText(src.fc);
    fileContexts = { ast: pf.ast, map: pf.map };
    fcDiagnostics.push(...pf.diagnostics);
  }
  return { module: parsed.ast, map: parsed.map, text: src.te.text, fileContexts, diagnostics: [...inUserOrder(found, src.te.name), ...fcDiagnostics], expanded: false };
}

/**
 * Diagnostics in the order of the user's .te: each at the outermost call that
 * led to it (its last note with a place), else at its own place; stable.
 */
function inUserOrder(list: readonly Diagnostic[], teName: string): Diagnostic[] {
  const key = (d: Diagnostic): [number, number, number] => {
    let at = d.span;
    for (let k = d.notes.length - 1; k >= 0; k--) {
      const s = d.notes[k]?.span;
      if (s !== undefined) {
        at = s;
        break;
      }
    }
    if (at === undefined) return [2, 0, 0];
    return [at.file === teName ? 0 : 1, at.line, at.column ?? 0];
  };
  const keyed = list.map((d, i) => ({ d, i, k: key(d) }));
  keyed.sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.i - b.i);
  return keyed.map((x) => x.d);
}
