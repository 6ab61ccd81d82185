// `porthole <command> ...`: the command table. Commands live one per file;
// the process entry is bin.ts.
import { Command, CommanderError } from 'commander';
import { allowCommand } from './allow.js';
import { avcCommand } from './avc.js';
import { UsageError } from './common.js';
import type { CliIo } from './io.js';
import { policyCommand } from './policy.js';
import { whyCommand } from './why.js';

export const VERSION = '0.1.0';

/** Runs one command line; returns the exit code. Never calls process.exit. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let code = 0;
  const setExit = (c: number): void => {
    code = c;
  };
  const program = new Command('porthole')
    .description('Least-privilege SELinux policy from what an application actually did')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');
  // Only the command being run is built (defining every option of every
  // command is a measurable part of start-up); `help`, errors and the
  // top-level options see them all.
  const builders = { allow: allowCommand, avc: avcCommand, policy: policyCommand, why: whyCommand };
  const first = argv[0];
  const wanted = first !== undefined && Object.hasOwn(builders, first) ? [first as keyof typeof builders] : (Object.keys(builders) as (keyof typeof builders)[]);
  for (const cmd of wanted.map((name) => builders[name](io, setExit, argv.slice(1)))) {
    cmd.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    program.addCommand(cmd);
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (e instanceof UsageError) {
      io.stderr(`porthole: ${e.message}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code !== undefined && err.path !== undefined) {
      io.stderr(`porthole: cannot read ${err.path}: ${FS_ERRORS[err.code] ?? err.message}\n`);
      return 1;
    }
    io.stderr(`porthole: ${err.message}\n`);
    return 1;
  }
  return code;
}

/** What a failed read means, for the codes people meet. */
const FS_ERRORS: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'is a directory', EACCES: 'permission denied' };
