// `porthole <command> ...`: the command table. Commands live one per file;
// the process entry is start.ts.
import { Command, CommanderError } from 'commander';
import { fileErrorDiagnostic, isFileError, PortholeError } from '../base/diagnostic.js';
import { allowCommand } from './allow.js';
import { avcCommand } from './avc.js';
import { checkCommand } from './check.js';
import { report } from './common.js';
import { ifaceCommand } from './iface.js';
import type { CliIo } from './io.js';
import { labelCommand } from './label.js';
import { buildCommand } from './lang/build.js';
import { fmtCommand } from './lang/fmt.js';
import { m4Command } from './lang/m4.js';
import { policyCommand } from './policy/index.js';
import { rbacCommand } from './rbac.js';
import { VERSION } from './version.js';
import { whyCommand } from './why.js';

export { VERSION };

/** Runs one command line; returns the exit code. Never calls process.exit. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let code = 0;
  const setExit = (c: number): void => {
    code = c;
  };
  const program = new Command('porthole')
    .description('Least-privilege SELinux policy from what an application actually did')
    .version(VERSION)
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');
  // Only the command being run is built (defining every option of every
  // command is a measurable part of start-up); `help`, errors and the
  // top-level options see them all.
  const builders = {
    allow: allowCommand,
    avc: avcCommand,
    policy: policyCommand,
    why: whyCommand,
    rbac: rbacCommand,
    label: labelCommand,
    check: checkCommand,
    m4: m4Command,
    iface: ifaceCommand,
    fmt: fmtCommand,
    build: buildCommand,
  };
  const first = argv[0];
  const wanted = first !== undefined && Object.hasOwn(builders, first) ? [first as keyof typeof builders] : (Object.keys(builders) as (keyof typeof builders)[]);
  for (const cmd of wanted.map((name) => builders[name](io, setExit, argv.slice(1)))) {
    cmd.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    program.addCommand(cmd);
  }
  // Bare `porthole`: the usage, on stderr, and the status of a usage error.
  if (argv.length === 0) {
    io.stderr(program.helpInformation());
    return 2;
  }
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (e instanceof PortholeError) {
      for (const d of e.diagnostics) report(io, d.code === 'usage' && !json ? { ...d, notes: [...d.notes, { message: 'run with --help for usage' }] } : d, json);
      return exitCodeOf(e);
    }
    if (isFileError(e)) {
      report(io, fileErrorDiagnostic(e, 'read'), json);
      return 1;
    }
    throw e;
  }
  return code;
}

/**
 * 2 for a usage error, and for a bad regular expression wherever it is given
 * (`allow -t`, `policy search -rs`: one exit code for one mistake); else 1.
 */
function exitCodeOf(e: PortholeError): number {
  const d = e.diagnostics[0];
  return e.code === 'usage' || e.code === 'iface-argument' || (e.code === 'bad-query' && d?.data?.pattern !== undefined) ? 2 : 1;
}
