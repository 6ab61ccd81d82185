// `porthole allow`: audit2allow's command line.
import { appendFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { fail } from '../base/diagnostic.js';
import type { Analyzer } from '../selinux/learn/analysis.js';
import { progressReporter } from './common.js';
import type { CliIo } from './io.js';
import { reportInputConflicts, selectLogInput } from './logInput.js';
import { loadPolicy } from './policyLoad.js';

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
    .option('--debug', 'accepted for compatibility; does nothing')
    .option('-w, --why', 'explain why access was denied (audit2why; with -p or the default policy)')
    .option('-C, --cil', 'print CIL instead of the kernel policy language')
    .addOption(new Option('--json', 'print the rules and their evidence as JSON (with -w: as `why --json`)'))
    .option('--strict', 'exit 2 when the input has malformed records')
    .action(async (logs: string[], flags: AllowFlags) => setExit(await allow(logs, flags, io)));
}

async function allow(logs: string[], f: AllowFlags, io: CliIo): Promise<number> {
  // V8 learns that records and denials made early in a run outlive a young
  // collection and then allocates them in the old generation, where they
  // pile up as garbage: memory would grow with input size. They are
  // short-lived; keep them young. (A process-wide flag, so only here: the
  // policy reader's objects do live long and gain from pretenuring.)
  (await import('node:v8')).setFlagsFromString('--no-allocation-site-pretenuring');
  // The library is loaded when the command runs, so that start-up stays cheap for every command.
  const [{ describeMalformed }, { learnFromLogs }, { checkModuleName, moduleNameWarning, pythonRegex }, { printTe }, { printCil }, { moduleToJson }, { INSTALL_HINT, writeModulePackage }] =
    await Promise.all([
      import('../audit/read.js'),
      import('../selinux/learn/fromLogs.js'),
      import('../selinux/learn/options.js'),
      import('../selinux/print/te.js'),
      import('../selinux/print/cil.js'),
      import('../selinux/print/json.js'),
      import('../ship/modulePackage.js'),
    ]);
  const err = (s: string): void => io.stderr(s + '\n');
  if (f.reference) fail('usage', '-R/--reference (refpolicy interfaces) is not supported yet');
  if (f.interfaceInfo !== undefined) fail('usage', '--interface-info is not supported yet (it goes with -R)');
  if (f.permMap !== undefined) fail('usage', '--perm-map is not supported yet (it goes with -R)');

  const inputs = [...f.input, ...logs];
  // audit2allow reports these conflicts and carries on.
  reportInputConflicts(f, inputs, io);

  const name = f.module ?? f.modulePackage;
  if (name !== undefined) {
    if (!checkModuleName(name)) {
      err('error: module names must begin with a letter, optionally followed by letters, numbers, "-", "_", "."');
      return 2;
    }
    const warning = moduleNameWarning(name);
    if (warning) err(`warning: ${warning}`);
  }
  if (f.modulePackage !== undefined) {
    if (f.output !== undefined) {
      err('error: --module-package conflicts with --output');
      return 2;
    }
    if (f.module !== undefined) {
      err('error: --module-package conflicts with --module');
      return 2;
    }
  }
  // -p: analyse every denial against the policy, as audit2allow does.
  let analyze: Analyzer | undefined;
  if (f.policy !== undefined && !f.why) {
    const loaded = await loadPolicy(resolve(io.cwd, f.policy));
    analyze = (await import('../selinux/learn/analysis.js')).policyAnalyzer(loaded.policy);
  }

  let typeFilter: RegExp | undefined;
  if (f.type !== undefined) {
    try {
      typeFilter = pythonRegex(f.type);
    } catch (e) {
      fail('usage', `-t: invalid regular expression '${f.type}': ${(e as Error).message}`);
    }
  }

  const { sources, since, fromStdinOrFiles } = await selectLogInput(f, inputs, io);

  // -w is audit2why on the same input (-p or the default policy, -l as in audit2why); -t and the rule options do not apply, as in audit2allow.
  if (f.why) {
    const input = { sources, ...(since !== undefined ? { since } : {}), fromStdinOrFiles };
    const why = { ...(f.policy !== undefined ? { policy: f.policy } : {}), descriptions: true, strict: Boolean(f.strict), lastreload: Boolean(f.lastreload), json: Boolean(f.json) };
    return (await import('./why.js')).runWhy(input, why, io);
  }

  const explain = f.explain ? 'long' : f.verbose ? 'short' : 'none';
  const progress = progressReporter(io);
  const result = await learnFromLogs(sources, {
    dontaudit: Boolean(f.dontaudit),
    xperms: Boolean(f.xperms),
    explain,
    requires: Boolean(f.requires),
    ...(name !== undefined ? { name } : {}),
    ...(typeFilter ? { typeFilter } : {}),
    lastLoadOnly: Boolean(f.lastreload),
    ...(since !== undefined ? { since } : {}),
    ...(progress ? { progress } : {}),
    ...(analyze ? { analyze } : {}),
  });
  const malformed = describeMalformed(result.stats);
  if (malformed) err(malformed);
  if (malformed && f.strict) return 2;
  if (fromStdinOrFiles && !result.sawSelinux) {
    err('Nothing to do');
    return 0;
  }

  const module = result.module;
  if (f.modulePackage !== undefined) {
    const pkg = await writeModulePackage({ name: f.modulePackage, te: printTe(module), cil: printCil(module), dir: io.cwd, env: io.env });
    if (!pkg.pp) {
      err(`note: ${f.modulePackage}.pp was not built: ${pkg.missingTools.join(' and ')} not found; ${INSTALL_HINT}. ${f.modulePackage}.cil installs as it is.`);
    }
    if (f.json) {
      io.stdout(JSON.stringify({ ...moduleToJson(module), files: pkg.written }, null, 2) + '\n');
      return 0;
    }
    io.stdout('******************** IMPORTANT ***********************\n');
    io.stdout(`To make this policy package active, execute:\n\nsemodule -i ${f.modulePackage}.${pkg.pp ? 'pp' : 'cil'}\n\n`);
    return 0;
  }

  const text = f.json ? JSON.stringify(moduleToJson(module), null, 2) + '\n' : f.cil ? printCil(module) : printTe(module);
  if (f.output !== undefined) appendFileSync(isAbsolute(f.output) ? f.output : resolve(io.cwd, f.output), text);
  else io.stdout(text);
  return 0;
}
