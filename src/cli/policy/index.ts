// `porthole policy`: questions about a binary policy. One file per subcommand.
import { Command } from 'commander';
import type { CliIo } from '../io.js';
import { policyInfoCommand } from './info.js';
import { policySearchCommand } from './search.js';
import { policyPathsCommand, policyTransitionCommand } from './transition.js';

/** `rest`: the arguments after `policy`; only the subcommand they name is built (all of them for help or an unknown one). */
export function policyCommand(io: CliIo, setExit: (code: number) => void, rest: readonly string[] = []): Command {
  const policy = new Command('policy').description('query a binary SELinux policy (seinfo, sesearch, selinuxexeccon, sedta)');
  const builders = { info: policyInfoCommand, search: policySearchCommand, transition: policyTransitionCommand, paths: policyPathsCommand };
  const sub = rest[0];
  const wanted = sub !== undefined && Object.hasOwn(builders, sub) ? [sub as keyof typeof builders] : (Object.keys(builders) as (keyof typeof builders)[]);
  for (const sub of wanted.map((name) => builders[name](io, setExit))) {
    sub.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    policy.addCommand(sub);
  }
  return policy;
}
