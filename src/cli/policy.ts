// `porthole policy`: questions about a binary policy (seinfo, ...).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import type { CliIo } from './io.js';
import { UsageError } from './common.js';

export function policyCommand(io: CliIo, setExit: (code: number) => void): Command {
  const policy = new Command('policy').description('query a binary SELinux policy (seinfo)');
  policy
    .command('info')
    .description("the policy's statistics, as `seinfo POLICY` prints them")
    .argument('[POLICY]', 'binary policy file (default: the running policy, else the highest policy.N of the configured type)')
    .option('--json', 'the statistics as JSON')
    .action(async (file: string | undefined, flags: { json?: boolean }) => {
      // Loaded here, not at start-up: other commands never pay for the reader.
      const { defaultPolicyPath, readPolicy, policyStats, printSeinfoStats, PolicyReadError } = await import('../selinux/policy/index.js');
      const path = file ?? defaultPolicyPath();
      if (path === undefined) throw new UsageError('no policy given and none found under /sys/fs/selinux or /etc/selinux');
      let p;
      try {
        p = readPolicy(readFileSync(resolve(io.cwd, path)));
      } catch (e) {
        if (!(e instanceof PolicyReadError)) throw e;
        io.stderr(`porthole: ${path}: ${e.message}\n`);
        return setExit(1);
      }
      io.stdout(flags.json ? JSON.stringify({ path, ...policyStats(p) }, null, 2) + '\n' : printSeinfoStats(p, path));
      setExit(0);
    });
  return policy;
}
