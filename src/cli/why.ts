// `porthole why`: audit2why's command line (why each AVC was denied, from the policy file).
import { resolve } from 'node:path';
import { Command } from 'commander';
import { progressReporter } from './common.js';
import type { CliIo } from './io.js';
import { type LogInput, type LogInputFlags, reportInputConflicts, selectLogInput } from './logInput.js';
import { loadPolicy } from './policyLoad.js';

interface WhyFlags extends LogInputFlags {
  input: string[];
  policy?: string;
  policyXml?: string;
  descriptions: boolean;
  showRejected?: boolean;
  strict?: boolean;
  lastreload?: boolean;
  json?: boolean;
}

export function whyCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('why')
    .description('explain why the logged accesses were denied, from the binary policy (audit2why)')
    .argument('[LOG...]', 'audit logs to read (files, .gz, or - for stdin; default stdin)')
    .option('-i, --input <LOG>', 'read input from LOG (repeatable)', (v: string, prev: string[]) => [...prev, v], [])
    .option('-a, --all', "read the host's audit log and its rotations")
    .option('-b, --boot', 'read audit messages since the last boot')
    .option('-d, --dmesg', 'read the kernel ring buffer (dmesg)')
    .option('-l, --lastreload', 'read input only after the last policy reload')
    .option('-p, --policy <POLICY>', 'binary policy file (default: the running or installed policy)')
    .option('--policy-xml <FILE>', 'policy.xml for boolean descriptions (default $SE_POLICY_XML or /usr/share/selinux/devel/policy.xml)')
    .option('--no-descriptions', 'leave out boolean descriptions (audit2why without the sepolicy module)')
    .option('--show-rejected', 'report on stderr the AVCs the policy rejects (audit2why drops them silently)')
    .option('--strict', 'exit 2 when the input has malformed records')
    .option('--json', 'one JSON object per AVC record (JSON lines): where it is, the result and what would allow it; records the policy rejects included')
    .action(async (logs: string[], flags: WhyFlags) => setExit(await why(logs, flags, io)));
}

async function why(logs: string[], f: WhyFlags, io: CliIo): Promise<number> {
  const inputs = [...f.input, ...logs];
  reportInputConflicts(f, inputs, io);
  return runWhy(await selectLogInput(f, inputs, io), f, io);
}

/** audit2why over this input (also `porthole allow -w`, which is audit2allow -w); returns the exit code. */
export async function runWhy(input: LogInput, f: Pick<WhyFlags, 'policy' | 'policyXml' | 'descriptions' | 'showRejected' | 'strict' | 'lastreload' | 'json'>, io: CliIo): Promise<number> {
  const loaded = await loadPolicy(f.policy && resolve(io.cwd, f.policy));
  const { whyFromLogs, emptyPermsMessage } = await import('../selinux/why/fromLogs.js');
  const { BooleanDescriber, DEFAULT_POLICY_XML } = await import('../selinux/why/booleanDesc.js');
  const { formatWhyJson } = await import('../selinux/why/report.js');
  const { HeldText } = await import('../selinux/why/heldText.js');
  const { describeMalformed } = await import('../audit/read.js');
  const xml = f.policyXml ?? io.env.SE_POLICY_XML ?? DEFAULT_POLICY_XML;
  const describer = f.descriptions ? new BooleanDescriber(resolve(io.cwd, xml)) : undefined;
  const progress = progressReporter(io);
  // The text is held until the end: audit2why prints nothing of it when a denial has no permissions.
  const held = f.json ? undefined : new HeldText();
  try {
    const result = await whyFromLogs(
      input.sources,
      loaded.policy,
      {
        ...(input.since !== undefined ? { since: input.since } : {}),
        ...(f.lastreload ? { lastLoadOnly: true } : {}),
        ...(describer ? { describe: (b: string) => describer.describe(b) } : {}),
        ...(f.showRejected ? { onRejected: (rec, a) => io.stderr(`rejected by the policy (${a.code}${'reason' in a ? `: ${a.reason}` : ''}): ${rec.message.trimEnd()}\n`) } : {}),
        ...(f.json ? { format: (rec, a) => formatWhyJson(rec, a, describer && ((b: string) => describer.describe(b))) } : {}),
        ...(progress ? { progress } : {}),
      },
      held ? (text) => held.push(text) : io.stdout,
    );
    if (result.emptyPermsDenial && held) {
      io.stdout(emptyPermsMessage(result.emptyPermsDenial) + '\n');
      return 1;
    }
    held?.drain(io.stdout);
    const malformed = describeMalformed(result.stats);
    if (malformed) io.stderr(malformed + '\n');
    if (input.fromStdinOrFiles && !result.sawSelinux) io.stderr('Nothing to do\n');
    return malformed && f.strict ? 2 : 0;
  } finally {
    held?.close();
  }
}
