// `porthole build --all DIR [-I DIR] [-o OUTDIR] [-j N] [--json]`: every module
// of a directory built to CIL in one process (buildAllModules), OUTDIR/NAME.cil
// for each; a progress bar on a terminal, then a summary on stdout: how many
// built, and each failure with its first diagnostic. Flags in, library call, out.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { Diagnostic } from '../../base/diagnostic.js';
import { fail, fileErrorDiagnostic, isFileError } from '../../base/diagnostic.js';
import { jsonLine } from '../../base/jsonLine.js';
import { printDiagnostic } from '../../base/printDiagnostic.js';
import { progressReporter, report } from '../common.js';
import type { CliIo } from '../io.js';

export interface BuildAllFlags {
  include?: string;
  output?: string;
  json?: boolean;
  jobs?: string;
}

const BAR = 30;

function bar(done: number, total: number, name: string): string {
  const full = Math.round((BAR * done) / total);
  return `[${'#'.repeat(full)}${'.'.repeat(BAR - full)}] ${done}/${total} ${name}`;
}

const firstError = (list: readonly Diagnostic[]): Diagnostic | undefined => list.find((d) => d.severity === 'error');

export async function buildAll(args: string[], f: BuildAllFlags, io: CliIo): Promise<number> {
  if (args.length !== 1) fail('usage', `--all takes one directory, not ${args.length === 0 ? 'none' : args.join(' ')}`);
  const jobs = f.jobs === undefined ? undefined : Number(f.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) fail('usage', `-j ${f.jobs}: not a number of threads`);
  const dir = resolve(io.cwd, args[0] as string);
  const outDir = f.output === undefined ? undefined : resolve(io.cwd, f.output);
  const json = Boolean(f.json);
  // The syntax trees are garbage once a module is emitted: keep them young (as `allow` does).
  setFlagsFromString('--no-allocation-site-pretenuring');
  // Each thread runs the build's code once per module, most of it before V8 has optimized it,
  // on CPUs it shares with V8's compiler threads: without inlining, compilations are several
  // times smaller and the 400 modules of the reference policy take ≈ 10 % less CPU
  // (bench/build.sh; as `check` does: src/cli/check.ts).
  setFlagsFromString('--no-turbo-inlining');
  const lib = await import('../../index.js');
  if (outDir !== undefined) mkdirSync(outDir, { recursive: true });
  const progress = progressReporter(io);
  let written = 0;
  let result: Awaited<ReturnType<typeof lib.buildAllModules>>;
  try {
    result = await lib.buildAllModules(dir, {
      includeDir: f.include === undefined ? undefined : resolve(io.cwd, f.include),
      jobs,
      onModule: (m, done, total) => {
        if (outDir !== undefined && m.cil !== undefined) {
          writeFileSync(join(outDir, `${m.name}.cil`), m.cil);
          written++;
        }
        progress?.(bar(done, total, m.name));
      },
    });
  } catch (e) {
    progress?.('');
    if (!isFileError(e)) throw e;
    report(io, fileErrorDiagnostic(e, 'read'), json);
    return 1;
  }
  progress?.('');
  if (result.modules.length === 0) fail('usage', `${args[0]}: no module (.te) there, nor in its folders or policy/modules`);
  // Every diagnostic on stderr with --json (for scripts); as text only the warnings of modules that
  // built (a failure's errors are summed up below: `porthole build` on its .te shows them all).
  for (const m of result.modules) for (const d of m.diagnostics) if (json || (m.cil !== undefined && d.severity === 'warning')) report(io, d, json);
  const failures = result.modules.filter((m) => m.cil === undefined);
  if (json) {
    io.stdout(
      jsonLine({
        dir: result.dir,
        outDir: outDir ?? null,
        built: result.built,
        failed: result.failed,
        modules: result.modules.map((m) => ({
          name: m.name,
          te: m.files.te,
          built: m.cil !== undefined,
          cil: m.cil === undefined || outDir === undefined ? null : join(outDir, `${m.name}.cil`),
          errors: m.diagnostics.filter((d) => d.severity === 'error').length,
          warnings: m.diagnostics.filter((d) => d.severity === 'warning').length,
        })),
      }),
    );
  } else {
    const where = outDir === undefined ? 'nothing written (-o OUTDIR writes NAME.cil for each)' : `${written} CIL files in ${f.output}`;
    let out = `built ${result.built} of ${result.modules.length} modules in ${result.dir}; ${where}\n`;
    if (failures.length > 0) out += `failed ${failures.length}:\n`;
    for (const m of failures) {
      const errors = m.diagnostics.filter((d) => d.severity === 'error');
      const first = firstError(m.diagnostics);
      const more = errors.length > 1 ? ` (${errors.length - 1} more)` : '';
      out += `  ${m.name}: ${first === undefined ? '' : printDiagnostic({ ...first, notes: [] }).trimEnd()}${more}\n`;
    }
    if (failures.length > 0) out += "porthole build FILE.te shows all of a module's diagnostics, with the calls that led to each\n";
    io.stdout(out);
  }
  return failures.length > 0 ? 1 : 0;
}
