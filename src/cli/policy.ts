// `porthole policy`: questions about a binary policy. One file per subcommand.
import { Command } from 'commander';
import type { CliIo } from './io.js';
import { policyInfoCommand } from './policyInfo.js';
import { policyPathsCommand, policyTransitionCommand } from './policyTransition.js';
import { policySearchCommand } from './policySearch.js';

export function policyCommand(io: CliIo, setExit: (code: number) => void): Command {
  const policy = new Command('policy').description('query a binary SELinux policy (seinfo)');
  for (const sub of [policyInfoCommand(io, setExit), policySearchCommand(io, setExit), policyTransitionCommand(io, setExit), policyPathsCommand(io, setExit)]) {
    sub.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    policy.addCommand(sub);
  }
  return policy;
}
