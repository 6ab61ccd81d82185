// `porthole policy transition`: the context a new process or object gets
// (security_compute_create) and whether the exec is allowed.
// `porthole policy paths`: domain transition analysis (sedta).
// Flags in, library call (access/transition/transitionReport.ts, access/paths/pathsReport.ts), text out.
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { fail } from '../../base/diagnostic.js';
import type { TargetFile } from '../../selinux/policy/index.js';
import type { CliIo } from '../io.js';
import { loadPolicy } from './load.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function parseBools(list: string[]): Map<string, boolean> {
  const m = new Map<string, boolean>();
  for (const item of list) {
    const x = /^([^=]+)=(on|off|true|false|1|0)$/i.exec(item);
    if (!x) fail('usage', `--bool ${item}: want NAME=on|off`);
    m.set(x[1]!, /^(on|true|1)$/i.test(x[2]!));
  }
  return m;
}

interface TransitionFlags {
  source: string;
  target: string;
  class: string;
  name?: string;
  setexec?: string;
  fileContexts?: string;
  bool: string[];
  json?: boolean;
}

/** `--target /PATH`: the label file_contexts gives an executable there (a regular file's lookup). */
async function targetFromPath(io: CliIo, path: string, fileContexts: string | undefined): Promise<{ target: string; targetFile: TargetFile }> {
  const { loadFileContexts, executableLabel } = await import('../../selinux/labels/index.js');
  const loaded = loadFileContexts(fileContexts === undefined ? undefined : resolve(io.cwd, fileContexts));
  const label = executableLabel(loaded.contexts, path);
  const read = loaded.files[0] ?? 'file_contexts';
  if (!label) fail('no-label', `${path} gets no label from ${read}: no spec matches it as a regular file, or the one that does says <<none>>`, { data: { path, fileContexts: read } });
  return { target: label.context, targetFile: { path, spec: label.spec.regex, file: label.spec.file, line: label.spec.line } };
}

export function policyTransitionCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('transition')
    .description('the context a new process or object gets (security_compute_create), and whether an exec into it is allowed; exit 1 when it is not')
    .argument('[POLICY]', 'binary policy file (default: the running policy, else the highest policy.N of the configured type)')
    .requiredOption('--source <context>', 'context of the process (user:role:type[:range])')
    .requiredOption(
      '--target <type|context|/path>',
      "the executable's (or parent object's) type or context (a type gets the source user, object_r and the source low level), or the executable's path: its label from file_contexts",
    )
    .option('-f, --file-contexts <file_contexts>', 'file_contexts for a --target path, with its .homedirs, .local, .subs and .subs_dist (default: the configured policy’s)')
    .option('--class <class>', 'class of the new object', 'process')
    .option('--name <filename>', 'object name, for filename type transitions')
    .option('--setexec <context>', 'the exec context was set explicitly (setexeccon): check process setexec and use this context')
    .option('--bool <name=on|off>', 'boolean value for conditional rules (repeatable)', collect, [])
    .option('--json', 'the result as JSON')
    .action(async (file: string | undefined, flags: TransitionFlags) => {
      const bools = parseBools(flags.bool);
      if (flags.fileContexts !== undefined && !flags.target.startsWith('/')) fail('usage', '--file-contexts is for a --target path');
      const byPath = flags.target.startsWith('/') ? await targetFromPath(io, flags.target, flags.fileContexts) : undefined;
      const loaded = await loadPolicy(file && resolve(io.cwd, file), file);
      const { policy } = loaded;
      const { computeTransition, formatTransition, transitionJson } = await import('../../selinux/policy/index.js');
      const report = computeTransition(policy, {
        source: flags.source,
        target: byPath?.target ?? flags.target,
        ...(byPath && { targetFile: byPath.targetFile }),
        class: flags.class,
        ...(flags.name !== undefined && { name: flags.name }),
        ...(flags.setexec !== undefined && { setexec: flags.setexec }),
        bools,
      });
      io.stdout(flags.json ? JSON.stringify(transitionJson(policy, report), null, 2) + '\n' : formatTransition(policy, report));
      // Like a check: 0 when the exec (or the new object's context) is allowed, 1 when not.
      setExit(report.allowed ? 0 : 1);
    });
}

interface PathsFlags {
  source?: string;
  target?: string;
  from?: string;
  to?: string;
  shortest?: boolean;
  all?: string;
  reverse?: boolean;
  exclude?: string[];
  limit?: string;
  full?: boolean;
  stats?: boolean;
  json?: boolean;
}

const collectList = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), ...v.split(',').filter(Boolean)];

export function policyPathsCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('paths')
    .description('domain transition analysis, as `sedta` does: the paths from one domain to another, or the transitions out of (into) one')
    .argument('[POLICY]', 'binary policy file (default: the running policy, else the highest policy.N of the configured type)')
    .option('-s, --source <type>', 'source domain (sedta -s; also --from)')
    .option('-t, --target <type>', 'target domain (sedta -t; also --to); without it, the transitions out of --source (into it, with --reverse)')
    .addOption(new Option('--from <type>', 'the same as --source').hideHelp())
    .addOption(new Option('--to <type>', 'the same as --target').hideHelp())
    .option('-S, --shortest', 'all shortest paths (sedta -S; the default with --target)')
    .option('-A, --all <MAX_STEPS>', 'all paths of at most MAX_STEPS steps (sedta -A; expensive)')
    .option('-r, --reverse', 'follow the transitions backwards: the domains that lead to --source (sedta -r)')
    .option('--exclude <TYPES>', "leave these types out, as domains and as entrypoints (comma-separated, repeatable; sedta's exclude list)", collectList)
    .option('-l, --limit <N>', 'stop after N paths or transitions (sedta -l)')
    .option('--full', 'print the rules of each step (sedta --full; entrypoints sorted by name)')
    .option('--stats', "print the graph's numbers of nodes and edges at the end (sedta --stats)")
    .option('--json', 'the paths or transitions as JSON')
    .action(async (file: string | undefined, flags: PathsFlags) => setExit(await paths(file, flags, io)));
}

async function paths(file: string | undefined, flags: PathsFlags, io: CliIo): Promise<number> {
  const source = flags.source ?? flags.from;
  const target = flags.target ?? flags.to;
  if (source === undefined) fail('usage', "required option '-s, --source <type>' not specified");
  if (!target && (flags.shortest || flags.all !== undefined)) fail('usage', '--target is needed to look for paths');
  const int = (what: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) fail('usage', `${what}: not a number: ${v}`);
    return Number(v);
  };
  const maxSteps = flags.shortest ? undefined : int('--all', flags.all);
  const limit = int('--limit', flags.limit) ?? 0;
  const loaded = await loadPolicy(file && resolve(io.cwd, file), file);
  const { policy } = loaded;
  const { analyzePaths, formatPaths, pathsJson } = await import('../../selinux/policy/index.js');
  const report = analyzePaths(policy, {
    source,
    ...(target ? { target } : {}),
    ...(maxSteps !== undefined && { maxSteps }),
    reverse: !!flags.reverse,
    exclude: flags.exclude ?? [],
    limit,
    full: !!flags.full,
    stats: !!flags.stats,
  });
  io.stdout(flags.json ? JSON.stringify(pathsJson(policy, report), null, 2) + '\n' : formatPaths(policy, report));
  return 0;
}
