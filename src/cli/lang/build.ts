// `porthole build FILE.te [FILE.if] [FILE.fc] [-I DIR] [-o OUT.cil] [--te] [--json]`:
// a module's sources through m4, the parser and checkmodule's checks, every
// diagnostic at the user's line, then its CIL written (NAME.cil beside the
// .te, as make writes NAME.pp where the .te is; `-o -`: stdout) or, with
// --te, the expanded module as .te on stdout. Flags in, library call
// (compileModule), out.
import { writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { fail, fileErrorDiagnostic, isFileError } from '../../base/diagnostic.js';
import { report } from '../common.js';
import type { CliIo } from '../io.js';

interface BuildFlags {
  include?: string;
  output?: string;
  te?: boolean;
  json?: boolean;
  all?: boolean;
  jobs?: string;
}

const HELP_AFTER = `
Runs what the devel Makefile runs before checkmodule (m4 over the include tree's support files and
interfaces, then the module), parses the result as checkmodule does and gives checkmodule's verdicts
at the line you wrote, with the chain of interface and template calls as notes; also what
checkmodule cannot say: a call of an interface nothing defines (with the nearest names) and a call
with the wrong number of arguments. FILE.if and FILE.fc beside FILE.te are read when not given.
Without -I the devel headers of /usr/share/selinux/devel/include are used (Debian:
apt install selinux-policy-dev); a module written without macros needs none.
When there is no error, writes the module's CIL: the text semodule keeps for the .pp the devel
Makefile would build (make NAME.pp, then libsepol's pp converter), byte for byte. What pp leaves
out (an optional block's else branch, expandattribute) is left out with a warning.
-o OUT.cil: where the CIL goes (default NAME.cil beside NAME.te, where make puts NAME.pp;
-o - for stdout); the module's name must be OUT's base name, as checkmodule -o requires.
--te: print the module after m4 and the checks as plain .te (checkmodule -M -m compiles it to the
same module) on stdout, instead of writing the CIL.
Exit status: 0 no error (warnings allowed), 1 errors, 2 usage.`;

export function buildCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('build')
    .description("compile a policy module's sources (.te, .if, .fc) to the CIL semodule installs, with checkmodule's errors at your lines")
    .argument('<FILE...>', 'FILE.te, and optionally FILE.if and FILE.fc')
    .option('-I, --include <dir>', 'the devel include tree (default /usr/share/selinux/devel/include)')
    .option('-o, --output <file>', 'the CIL file (default NAME.cil beside NAME.te; - for stdout); the module must have its base name')
    .option('--te', 'print the expanded, checked module as .te instead of writing the CIL')
    .option('--json', 'diagnostics as JSON lines on stderr')
    .option('--all', 'FILE is a directory: build every module in it (a refpolicy tree, or a folder of modules), -o names the output folder')
    .option('-j, --jobs <n>', 'with --all: threads to build in (default: one per CPU)')
    .addHelpText('after', HELP_AFTER)
    .action(async (files: string[], flags: BuildFlags) => setExit(flags.all ? await (await import('./buildAll.js')).buildAll(files, flags, io) : await build(files, flags, io)));
}

async function build(files: string[], f: BuildFlags, io: CliIo): Promise<number> {
  const pick = (suffix: string): string | undefined => {
    const found = files.filter((x) => x.endsWith(suffix));
    if (found.length > 1) fail('usage', `more than one ${suffix} file: ${found.join(' ')}`);
    return found[0];
  };
  for (const x of files) if (!/\.(te|if|fc)$/.test(x)) fail('usage', `${x}: not a .te, .if or .fc file`);
  const te = pick('.te') ?? fail('usage', 'no .te file given');
  const lib = await import('../../index.js');
  const json = Boolean(f.json);
  let sources: ReturnType<typeof lib.readBuildSources>;
  try {
    sources = lib.readBuildSources({ te, if: pick('.if'), fc: pick('.fc'), cwd: io.cwd });
  } catch (e) {
    if (!isFileError(e)) throw e;
    report(io, fileErrorDiagnostic(e, 'read', te), json);
    return 1;
  }
  const toStdout = f.output === '-';
  const result = lib.compileModule(sources, {
    includeDir: f.include === undefined ? undefined : resolve(io.cwd, f.include),
    outputName: f.output === undefined || toStdout ? te : f.output,
    te: f.te === true,
  });
  for (const d of result.diagnostics) report(io, d, json);
  if (result.cil === undefined) return 1;
  if (f.te === true) {
    io.stdout(result.te ?? '');
    return 0;
  }
  if (toStdout) {
    io.stdout(result.cil);
    return 0;
  }
  const out = resolve(io.cwd, f.output ?? join(dirname(te), `${basename(te).replace(/\.te$/, '')}.cil`));
  try {
    writeFileSync(out, result.cil);
  } catch (e) {
    if (!isFileError(e)) throw e;
    report(io, fileErrorDiagnostic(e, 'write', out), json);
    return 1;
  }
  return 0;
}
