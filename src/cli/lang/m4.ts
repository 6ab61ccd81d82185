// `porthole m4`: GNU m4's command line for policy sources, and the devel
// Makefile's expansion of one module (`--module X.te`). Parses flags, calls
// the library, prints.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { type Diagnostic, fail } from '../../base/diagnostic.js';
import { printDiagnostic } from '../../base/printDiagnostic.js';
import type { CliIo } from '../io.js';

interface M4Flags {
  synclines?: boolean;
  include: string[];
  module?: string;
  headers?: string;
}

type DefineOp = { define: string; value?: string } | { undefine: string };

const HELP_AFTER = `
Without --module: like GNU m4 1.4 (the same output, byte for byte, and the same exit
status): FILEs are read in order (- or none: stdin), -D and -U apply in the order given,
before the files. syscmd, esyscmd, maketemp and mkstemp are refused. Messages are
diagnostics: FILE:LINE: error[m4-...]: ..., with the chain of macro calls as notes.

With --module X.te: what the devel Makefile writes to tmp/X.tmp: the interface pass
(support/*.spt, every header .if, X.if when it exists beside X.te) then X.te with the
Makefile's -D options (from the headers' build.conf) and sync lines. The headers are
--headers DIR, else $SE_DEVEL_INCLUDE, else /usr/share/selinux/devel/include.

Exit status: m4's (0, 1 after an error, m4exit's); 2 for a usage error.`;

export function m4Command(io: CliIo, setExit: (code: number) => void): Command {
  const ops: DefineOp[] = [];
  return new Command('m4')
    .description('expand policy sources with GNU m4 semantics, or a module as the devel Makefile does (--module)')
    .argument('[FILE...]', 'inputs, in order (- for stdin; default stdin)')
    .option('-D, --define <NAME[=VALUE]>', 'define NAME as VALUE (empty without =); repeatable', (v: string) => {
      const eq = v.indexOf('=');
      ops.push(eq === -1 ? { define: v } : { define: v.slice(0, eq), value: v.slice(eq + 1) });
    })
    .option('-U, --undefine <NAME>', 'remove the definition of NAME; repeatable', (v: string) => {
      ops.push({ undefine: v });
    })
    .option('-I, --include <DIR>', 'search DIR for include and input files (repeatable, in order)', (v: string, prev: string[]) => [...prev, v], [])
    .option('-s, --synclines', 'write #line N "FILE" sync lines, as m4 -s does')
    .option('--module <X.te>', "expand a module as the devel Makefile's m4 pass does")
    .option('--headers <DIR>', 'the devel include tree for --module')
    .addHelpText('after', HELP_AFTER)
    .action(async (files: string[], flags: M4Flags) => setExit(await m4(files, flags, ops, io)));
}

/** Text as m4 reads it (one character per byte). */
function readLatin1(path: string): string | undefined {
  try {
    if (statSync(path).isDirectory()) return undefined;
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

/** Output bytes (one character per byte) as the string io.stdout writes back as those bytes. */
function bytesText(s: string): string {
  return Buffer.from(s, 'latin1').toString('utf8');
}

async function readStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of io.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('latin1');
}

async function m4(files: string[], f: M4Flags, ops: DefineOp[], io: CliIo): Promise<number> {
  const { expandM4, expandDevelModule, DEFAULT_DEVEL_INCLUDE } = await import('../../index.js');
  const readFile = (p: string): string | undefined => readLatin1(resolve(io.cwd, p));
  const stderr = (t: string): void => io.stderr(bytesText(t));
  let result: { output: string; diagnostics: readonly Diagnostic[]; exitCode: number; stderr: string };
  if (f.module !== undefined) {
    if (files.length > 0 || ops.length > 0 || f.include.length > 0 || f.synclines) fail('usage', '--module takes no FILE, -D, -U, -I or -s: the Makefile decides them');
    const te = readFile(f.module);
    if (te === undefined) fail('file-read', `cannot read ${f.module}: no such file`);
    const ifPath = join(dirname(f.module), `${f.module.replace(/^.*\//, '').replace(/\.te$/, '')}.if`);
    const ifText = f.module.endsWith('.te') ? readFile(ifPath) : undefined;
    const headers = f.headers ?? io.env.SE_DEVEL_INCLUDE ?? DEFAULT_DEVEL_INCLUDE;
    const moduleIf = ifText === undefined ? undefined : { name: ifPath.replace(/^\.\//, ''), text: ifText };
    const r = expandDevelModule({ name: f.module, text: te }, { includeDir: resolve(io.cwd, headers), moduleIf });
    result = { ...r, diagnostics: [...r.interfaceDiagnostics, ...r.diagnostics] };
  } else {
    const inputs = files.length === 0 ? ['-'] : files;
    const stdinText = inputs.includes('-') ? await readStdin(io) : '';
    result = expandM4(
      inputs.map((name) => (name === '-' ? { name: 'stdin', text: stdinText } : name)),
      { syncLines: f.synclines === true, includeDirs: f.include, defines: ops, readFile, stderr },
    );
  }
  if (result.output !== '') io.stdout(bytesText(result.output));
  if (result.stderr !== '') stderr(result.stderr);
  for (const d of result.diagnostics) io.stderr(printDiagnostic(d, { program: 'porthole m4' }));
  return result.exitCode;
}
