// `porthole allow`: audit2allow's command line. Flags in, learnFromLogs, the
// module printed (or written as a package).
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Command, Option } from 'commander';
import { diagnostic, fail, fileErrorDiagnostic, isFileError, PortholeError } from '../base/diagnostic.js';
import { debugReporter, progressReporter, report } from './common.js';
import type { CliIo } from './io.js';
import { MAX_INPUT_SIZE_HELP, reportInputConflicts, selectLogInput } from './logInput.js';
import { loadPolicy } from './policy/load.js';

interface AllowFlags {
  input: string[];
  all?: boolean;
  boot?: boolean;
  dmesg?: boolean;
  policy?: string;
  lastreload?: boolean;
  requires?: boolean;
  module?: string;
  modulePackage?: string;
  output?: string;
  dontaudit?: boolean;
  reference?: boolean;
  noreference?: boolean;
  verbose?: boolean;
  explain?: boolean;
  type?: string;
  permMap?: string;
  interfaceInfo?: string;
  xperms?: boolean;
  debug?: boolean;
  why?: boolean;
  cil?: boolean;
  json?: boolean;
  strict?: boolean;
  jobs?: string;
  jobsFrom?: string;
  maxInputSize?: string;
}

export function allowCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('allow')
    .description('generate policy allow rules from logs of denied operations (audit2allow)')
    .argument('[LOG...]', 'audit logs to read (files, .gz, or - for stdin)')
    .option('-i, --input <LOG>', 'read input from LOG (repeatable)', (v: string, prev: string[]) => [...prev, v], [])
    .option('-a, --all', "read the host's audit log and its rotations")
    .option('-b, --boot', 'read audit messages since the last boot')
    .option('-d, --dmesg', 'read the kernel ring buffer (dmesg)')
    .option('-p, --policy <POLICY>', 'analyse each denial against this binary policy (#!!!! notes, rules split by verdict)')
    .option('-l, --lastreload', 'read input only after the last policy reload')
    .option('-r, --requires', 'generate require statements for rules')
    .option('-m, --module <NAME>', 'set the module name (implies --requires)')
    .option('-M, --module-package <NAME>', 'write NAME.te, NAME.cil and (with checkmodule) NAME.pp')
    .option('-o, --output <FILE>', 'append output to FILE')
    .option('-D, --dontaudit', 'generate dontaudit rules')
    .option('-R, --reference', 'generate refpolicy style output (not supported yet)')
    .option('-N, --noreference', 'do not generate refpolicy style output (the default)')
    .option('-v, --verbose', 'explain generated output')
    .option('-e, --explain', 'fully explain generated output')
    .option('-t, --type <REGEX>', 'only process messages with a type that matches REGEX')
    .option('--perm-map <FILE>', 'permission map file (not supported yet)')
    .option('--interface-info <FILE>', 'interface information file (not supported yet)')
    .option('-x, --xperms', 'generate extended permission (ioctl) rules')
    .option('--debug', 'print what was read and learned, stage by stage, on stderr')
    .option('-w, --why', 'explain why access was denied (audit2why; with -p or the default policy)')
    .option('-C, --cil', 'print CIL instead of the kernel policy language')
    .addOption(new Option('--json', 'print the rules and their evidence as JSON (with -w: as `why --json`); diagnostics as JSON lines on stderr'))
    .option('--strict', 'exit 1 when the input has malformed records, trailing garbage after gzip data, or no SELinux records at all')
    .option('--max-input-size <SIZE>', MAX_INPUT_SIZE_HELP)
    .option('--jobs <N>', 'worker threads for log files of 768 MiB and more (default: the cores; smaller inputs, stdin and .gz are read in one thread)')
    .option('--jobs-from <SIZE>', 'the input size from which --jobs applies (default 768M; 0: any plain file): where two threads start to pay depends on the machine')
    .action(async (logs: string[], flags: AllowFlags) => setExit(await allow(logs, flags, io)));
}

async function allow(logs: string[], f: AllowFlags, io: CliIo): Promise<number> {
  // V8 learns that records and denials made early in a run outlive a young
  // collection and then allocates them in the old generation, where they
  // pile up as garbage: memory would grow with input size. They are
  // short-lived; keep them young. (A process-wide flag, so only here: the
  // policy reader's objects do live long and gain from pretenuring.)
  setFlagsFromString('--no-allocation-site-pretenuring');
  // The library is loaded when the command runs, so that start-up stays cheap for every command.
  const lib = await import('../index.js');
  const json = Boolean(f.json);
  if (f.reference) fail('usage', '-R/--reference (refpolicy interfaces) is not supported yet');
  if (f.interfaceInfo !== undefined) fail('usage', '--interface-info is not supported yet (it goes with -R)');
  if (f.permMap !== undefined) fail('usage', '--perm-map is not supported yet (it goes with -R)');

  const jobs = f.jobs === undefined ? undefined : Number(f.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1 && jobs <= 256)) fail('usage', `--jobs takes a number of threads from 1 to 256, not '${f.jobs}'`);
  const jobsFrom = f.jobsFrom === undefined ? undefined : jobsFromSize(lib, f.jobsFrom);

  const inputs = [...f.input, ...logs];
  // audit2allow reports these conflicts and carries on.
  reportInputConflicts(f, inputs, io, json);

  const name = f.module ?? f.modulePackage;
  if (name !== undefined) {
    if (!lib.checkModuleName(name)) fail('usage', `bad module name '${name}': module names must begin with a letter, optionally followed by letters, numbers, "-", "_", "."`);
    const warning = lib.moduleNameWarning(name);
    if (warning) report(io, diagnostic('warning', 'usage', warning), json);
  }
  if (f.modulePackage !== undefined) {
    if (f.output !== undefined) fail('usage', '--module-package conflicts with --output');
    if (f.module !== undefined) fail('usage', '--module-package conflicts with --module');
  }

  const input = await selectLogInput(f, inputs, io);

  // -w is audit2why on the same input (-p or the default policy, -l as in audit2why); -t and the rule options do not apply, as in audit2allow.
  if (f.why) {
    const why = { ...(f.policy !== undefined ? { policy: f.policy } : {}), descriptions: true, strict: Boolean(f.strict), lastreload: Boolean(f.lastreload), json };
    return (await import('./why.js')).runWhy(input, why, io);
  }

  // -p: analyse every denial against the policy, as audit2allow does.
  const policy = f.policy !== undefined ? (await loadPolicy(resolve(io.cwd, f.policy), f.policy)).policy : undefined;
  const debug = f.debug ? debugReporter(io) : undefined;
  const progress = progressReporter(io);
  const result = await lib.learnFromLogs(input.sources, {
    dontaudit: Boolean(f.dontaudit),
    xperms: Boolean(f.xperms),
    explain: f.explain ? 'long' : f.verbose ? 'short' : 'none',
    requires: Boolean(f.requires),
    ...(name !== undefined ? { name } : {}),
    ...(f.type !== undefined ? { type: f.type } : {}),
    lastLoadOnly: Boolean(f.lastreload),
    ...(input.since !== undefined ? { since: input.since } : {}),
    ...(progress ? { progress } : {}),
    ...(policy ? { policy } : {}),
    ...(jobs !== undefined ? { jobs } : {}),
    ...(jobsFrom !== undefined ? { parallelThreshold: jobsFrom } : {}),
    strict: Boolean(f.strict),
  });
  debug?.(`read ${result.stats.bytes} bytes, ${result.stats.lines} lines, ${result.stats.records} audit records, ${result.stats.malformed} malformed`);
  debug?.(`learned ${lib.describeModule(result.module)}`);
  for (const d of result.diagnostics) {
    // audit2allow's words first (it says them only for logs named or stdin), then why.
    if (d.code === 'no-selinux-records') {
      if (!input.fromStdinOrFiles && !f.strict) continue;
      if (input.fromStdinOrFiles) io.stderr('Nothing to do\n');
    }
    report(io, d, json);
  }
  // --strict: no module when the input was not read whole (trailing garbage after gzip data, reported above as an error) either.
  if (f.strict && (result.stats.malformed > 0 || !result.sawSelinux || input.readFailed())) return 1;
  if (input.fromStdinOrFiles && !result.sawSelinux) return 0;

  const module = result.module;
  if (f.modulePackage !== undefined) {
    const pkg = await writePackage(lib, f.modulePackage, module, io);
    if (!pkg.pp) {
      report(
        io,
        diagnostic('note', 'module-build', `${f.modulePackage}.pp was not built: ${pkg.missingTools.join(' and ')} not found`, {
          notes: [`${lib.INSTALL_HINT}`, `${f.modulePackage}.cil installs as it is: semodule -i ${f.modulePackage}.cil`],
        }),
        json,
      );
    }
    if (json) {
      io.stdout(JSON.stringify({ ...lib.moduleToJson(module), files: pkg.written }, null, 2) + '\n');
      return 0;
    }
    io.stdout('******************** IMPORTANT ***********************\n');
    io.stdout(`To make this policy package active, execute:\n\nsemodule -i ${f.modulePackage}.${pkg.pp ? 'pp' : 'cil'}\n\n`);
    return 0;
  }

  // The .te in pieces: with -e on a large log it can be longer than a string can be.
  const text = json ? [JSON.stringify(lib.moduleToJson(module), null, 2) + '\n'] : f.cil ? [lib.printCil(module)] : lib.printTeChunks(module);
  if (f.output === undefined) {
    for (const piece of text) io.stdout(piece);
    return 0;
  }
  const out = resolve(io.cwd, f.output);
  try {
    for (const piece of text) appendFileSync(out, piece);
  } catch (e) {
    if (isFileError(e)) throw new PortholeError(fileErrorDiagnostic(e, 'write', f.output));
    throw e;
  }
  return 0;
}

/** --jobs-from: a size as --max-input-size takes it, or 0 (any plain file). */
function jobsFromSize(lib: typeof import('../index.js'), text: string): number {
  if (/^\s*0+\s*$/.test(text)) return 0;
  return lib.parseByteSize(text) ?? fail('usage', `--jobs-from: '${text}' is not a size (a number of bytes, or with K, M, G or T)`);
}

/** -M: NAME.te, NAME.cil and, with the tools, NAME.pp in the current directory. */
async function writePackage(lib: typeof import('../index.js'), name: string, module: import('../index.js').Module, io: CliIo): Promise<import('../index.js').ModulePackageResult> {
  return lib.writeModulePackage({ name, te: lib.printTe(module), cil: lib.printCil(module), dir: io.cwd, env: io.env });
}
