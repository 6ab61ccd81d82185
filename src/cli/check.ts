// `porthole check FILE.fc...`: a module's file contexts checked against the
// system's (equivalence rules, specs): findings as diagnostics, exit 1 when
// there are any. Flags in, library call (src/selinux/labels/check.ts), out.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { fail, fileErrorDiagnostic, isFileError } from '../base/diagnostic.js';
import { report } from './common.js';
import type { CliIo } from './io.js';

interface CheckFlags {
  fileContexts?: string;
  json?: boolean;
}

const HELP_AFTER = `
Checks of .fc files (rule ids are the diagnostic codes):
  fc-unreachable           a spec whose path begins with the alias side of an equivalence rule
                           (file_contexts.subs, .subs_dist): lookups rewrite it first, so the spec
                           never matches; the message says what to write instead
  fc-conflict              a spec the system file_contexts also has, with another context
  file-contexts-duplicate  a spec repeated in the file with another context
  file-contexts-regex      a regular expression PCRE2 does not compile
  file-contexts-syntax     a line that does not parse
refpolicy's gen_context(CONTEXT,LEVEL) is expanded; other m4 lines and HOME_DIR templates are skipped.
Exit status: 0 when there is no finding, 1 when there are, 2 for a usage error.`;

export function checkCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('check')
    .description("check a module's file contexts (.fc) against the system's: specs that can never match because of an equivalence rule, conflicts, duplicates")
    .argument('<FILE...>', '.fc files')
    .option('--file-contexts <file>', 'the system file_contexts, with its .subs and .subs_dist (default: the configured policy’s)')
    .option('--json', 'findings as JSON lines on stderr')
    .addHelpText('after', HELP_AFTER)
    .action(async (files: string[], flags: CheckFlags) => setExit(await check(files, flags, io)));
}

async function check(files: string[], f: CheckFlags, io: CliIo): Promise<number> {
  for (const file of files) if (!file.endsWith('.fc')) fail('usage', `${file}: only .fc files are checked`);
  const lib = await import('../selinux/labels/index.js');
  const system = lib.loadFileContexts(f.fileContexts === undefined ? undefined : resolve(io.cwd, f.fileContexts)).contexts;
  let findings = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, file)).toString('latin1');
    } catch (e) {
      if (!isFileError(e)) throw e;
      report(io, fileErrorDiagnostic(e, 'read', file), Boolean(f.json));
      findings++;
      continue;
    }
    for (const d of lib.checkFcText(text, file, system)) {
      report(io, d, Boolean(f.json));
      findings++;
    }
  }
  return findings > 0 ? 1 : 0;
}
