// `porthole label PATH...`: the context a path gets from file_contexts, as
// matchpathcon prints it (same lines, same modes, exit 1 only when a lookup
// fails), with --explain and --json. Flags in, library call
// (src/selinux/labels/), text out.
import { lstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { diagnostic, fail } from '../base/diagnostic.js';
import { LineSplitter } from '../base/lines.js';
import { report } from './common.js';
import type { CliIo } from './io.js';

interface LabelFlags {
  mode?: string;
  file?: string;
  n?: boolean;
  N?: boolean;
  explain?: boolean;
  json?: boolean;
  list?: string | boolean;
}

const HELP_AFTER = `
Paths are looked up as given (no realpath), after libselinux's own clean-up (// collapsed,
a trailing / dropped) and the equivalence rules of FILE.subs and FILE.subs_dist. Without -m,
an existing path is lstat()ed for its file type, as matchpathcon does; a missing one matches
specs of every file type. A PATH of - reads paths from stdin, one per line.

Output: PATH<TAB>CONTEXT per path (the context alone with -n), <<none>> when no spec gives one.
Exit status: 0; 1 when a lookup fails (an empty path) or a file cannot be read; 2 for a usage error.`;

export function labelCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('label')
    .description('the context a path gets from file_contexts, as matchpathcon prints it (equivalence rules included), and why')
    .argument('[PATH...]', 'paths to look up (- reads them from stdin, one per line)')
    .option('-m, --mode <type>', 'file type: file, dir, lnk_file, chr_file, blk_file, sock_file or pipe (default: lstat the path)')
    .option('-f, --file <file_contexts>', 'file_contexts to use, with its .homedirs, .local, .subs and .subs_dist (default: the configured policy’s)')
    .option('-n', 'print the context alone')
    .option('-N', 'do not translate contexts (accepted; Porthole never translates)')
    .option('--explain', 'after each answer, how it came about: equivalence rules, the winning spec, the specs that lost')
    .option('--json', 'one JSON object per path')
    .option('--list [REGEX]', 'list the specs and equivalence rules as `semanage fcontext -l` prints them (rows matching REGEX, a JavaScript regular expression, when given)')
    .addHelpText('after', HELP_AFTER)
    .action(async (paths: string[], flags: LabelFlags) => setExit(await label(paths, flags, io)));
}

async function label(paths: string[], f: LabelFlags, io: CliIo): Promise<number> {
  const lib = await import('../selinux/labels/index.js');
  let forced = 0;
  if (f.mode !== undefined) {
    const m = lib.labelMode(f.mode);
    if (m === undefined) fail('usage', `-m ${f.mode}: want one of ${Object.keys(lib.LABEL_MODES).join(', ')}`);
    forced = m;
  }
  if (f.list === undefined && paths.length === 0) fail('usage', 'no PATH given (or --list)');
  if (f.list !== undefined && paths.length > 0) fail('usage', '--list takes no PATH (give a REGEX to filter the rows)');
  let filter: RegExp | undefined;
  if (typeof f.list === 'string') {
    try {
      filter = new RegExp(f.list);
    } catch (e) {
      fail('bad-query', `--list ${f.list}: not a regular expression: ${(e as Error).message}`);
    }
  }
  const loaded = lib.loadFileContexts(f.file === undefined ? undefined : resolve(io.cwd, f.file));
  if (f.list !== undefined) {
    io.stdout(lib.formatFcontextList(loaded.contexts, filter));
    return 0;
  }
  // Duplicate specs are common in distribution policies (.homedirs repeats the base file): reported when asked why.
  if (f.explain || f.json) for (const d of loaded.diagnostics) report(io, d, Boolean(f.json));
  const fc = loaded.contexts;
  let status = 0;
  let out = '';
  const flush = (): void => {
    if (out) io.stdout(out);
    out = '';
  };
  const one = (raw: string): void => {
    const path = lib.echoPath(raw);
    let mode = forced;
    if (!forced && path !== '') {
      try {
        const bytes = Buffer.from(path, 'latin1');
        mode = lstatSync(path.startsWith('/') ? bytes : Buffer.concat([Buffer.from(io.cwd + '/'), bytes])).mode;
      } catch {
        mode = 0;
      }
    }
    if (f.json || f.explain) {
      const e = fc.explain(path, mode);
      if (f.json) out += JSON.stringify(lib.labelJson(e)) + '\n';
      else out += lib.labelLine(path, e.context, !f.n) + lib.explainText(fc, e);
      if (e.error === 'EINVAL') status = 1;
    } else {
      const a = fc.lookup(path, mode);
      if (a.error === 'EINVAL') {
        flush();
        report(io, diagnostic('error', 'bad-query', 'an empty path has no label (selabel_lookup: Invalid argument)'));
        status = 1;
        return;
      }
      out += lib.labelLine(path, a.context, !f.n);
    }
    if (out.length > 65536) flush();
  };
  for (const p of paths) {
    if (p !== '-') {
      one(lib.textBytes(p));
      continue;
    }
    const splitter = new LineSplitter((buf, start, end) => {
      if (end > start) one(buf.toString('latin1', start, end));
    });
    for await (const chunk of io.stdin) splitter.push(chunk as Buffer);
    splitter.end();
  }
  flush();
  return status;
}
