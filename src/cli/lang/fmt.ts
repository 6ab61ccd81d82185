// `porthole fmt FILE... [--check] [--write]`: policy module sources (.te, .if,
// .fc) laid out as refpolicy lays them out (whitespace only). Flags in,
// library call (src/selinux/lang/fmt/), out.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { fail, fileErrorDiagnostic, isFileError } from '../../base/diagnostic.js';
import { report } from '../common.js';
import type { CliIo } from '../io.js';

interface FmtFlags {
  check?: boolean;
  write?: boolean;
  json?: boolean;
}

const HELP_AFTER = `
What changes (whitespace only; m4 and checkmodule read the result as they read the input):
  indentation      a tab per level: the quoted body of a macro call whose quote ends its line
                   (optional_policy(\`, gen_require(\`, interface(\`, ifdef(\`, ...) and { } blocks;
                   .fc files are not indented
  blank lines      trailing blanks removed, runs of blank lines made one, none at the start or end
  statements       one-line statements spaced: allow a_t b_t:file { read open };
  .fc specs        fields separated by spaces re-padded with tabs to the file's columns
Kept as written: comments' text (code commented out in column 0 keeps its indentation), dnl,
quoted text and macro arguments. A file whose quotes or parentheses do not balance is left
alone (fmt-unbalanced, with its line and column).
Output: one file's text on stdout; with several files, --check or --write is needed.
--check prints the files that would change; exit status 1 if any, 0 if none (2: usage error).`;

export function fmtCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('fmt')
    .description('format policy module sources (.te, .if, .fc) as refpolicy writes them')
    .argument('<FILE...>', '.te, .if or .fc files')
    .option('--check', 'print the files that are not formatted; exit 1 if there are any')
    .option('--write', 'rewrite the files in place')
    .option('--json', 'with --check: one JSON line per file ({"file","formatted"}); diagnostics as JSON lines on stderr')
    .addHelpText('after', HELP_AFTER)
    .action(async (files: string[], flags: FmtFlags) => setExit(await fmt(files, flags, io)));
}

async function fmt(files: string[], f: FmtFlags, io: CliIo): Promise<number> {
  if (f.check && f.write) fail('usage', '--check and --write do not go together');
  if (!f.check && !f.write && files.length > 1) fail('usage', 'several files: give --check or --write (one file is printed on stdout)');
  const lib = await import('../../index.js');
  const kinds = files.map((file) => lib.sourceKindOf(file) ?? fail('usage', `${file}: not a .te, .if or .fc file`));
  const json = Boolean(f.json);
  let status = 0;
  for (const [i, file] of files.entries()) {
    const path = resolve(io.cwd, file);
    let text: string;
    try {
      text = readFileSync(path, 'latin1');
    } catch (e) {
      if (!isFileError(e)) throw e;
      report(io, fileErrorDiagnostic(e, 'read', file), json);
      status = 1;
      continue;
    }
    const r = lib.formatModuleSource(text, kinds[i] as 'te', file);
    for (const d of r.diagnostics) report(io, d, json);
    if (r.diagnostics.length > 0) status = 1;
    if (f.check) {
      if (json) io.stdout(`${JSON.stringify({ file, formatted: !r.changed && r.diagnostics.length === 0 })}\n`);
      else if (r.changed) io.stdout(`${file}\n`);
      if (r.changed) status = 1;
    } else if (f.write) {
      if (r.changed) {
        try {
          writeFileSync(path, r.text, 'latin1');
        } catch (e) {
          if (!isFileError(e)) throw e;
          report(io, fileErrorDiagnostic(e, 'write', file), json);
          status = 1;
        }
      }
    } else io.stdout(Buffer.from(r.text, 'latin1').toString('utf8')); // the file's bytes, as io.stdout writes text back
  }
  return status;
}
