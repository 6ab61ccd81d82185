// `porthole policy info`: seinfo.
import { resolve } from 'node:path';
import { Command } from 'commander';
import type { CliIo } from './io.js';
import { loadPolicy } from './policyLoad.js';

export function policyInfoCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('info')
    .description("the policy's statistics, as `seinfo POLICY` prints them")
    .argument('[POLICY]', 'binary policy file (default: the running policy, else the highest policy.N of the configured type)')
    .option('--json', 'the statistics as JSON')
    .action(async (file: string | undefined, flags: { json?: boolean }) => {
      const loaded = await loadPolicy(file && resolve(io.cwd, file), io);
      if (!loaded) return setExit(1);
      const { policyStats, printSeinfoStats } = await import('../selinux/policy/index.js');
      const path = file ?? loaded.path;
      io.stdout(flags.json ? JSON.stringify({ path, ...policyStats(loaded.policy) }, null, 2) + '\n' : printSeinfoStats(loaded.policy, path));
      setExit(0);
    });
}
