// `porthole why`: audit2why's command line (why each AVC was denied, from the policy file).
import { resolve } from 'node:path';
import { Command } from 'commander';
import { progressReporter, report } from './common.js';
import type { CliIo } from './io.js';
import { type LogInput, type LogInputFlags, MAX_INPUT_SIZE_HELP, maxInputSize, reportInputConflicts, selectLogInput } from './logInput.js';
import { loadPolicy } from './policy/load.js';

interface WhyFlags extends LogInputFlags {
  input: string[];
  policy?: string;
  policyXml?: string;
  descriptions: boolean;
  showRejected?: boolean;
  strict?: boolean;
  maxInputSize?: string;
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
    .option('--strict', 'exit 1 when the input has malformed records, trailing garbage after gzip data, or no SELinux records at all')
    .option('--max-input-size <SIZE>', MAX_INPUT_SIZE_HELP)
    .option('--json', 'one JSON object per AVC record (JSON lines): where it is, the result and what would allow it; records the policy rejects included')
    .action(async (logs: string[], flags: WhyFlags) => setExit(await why(logs, flags, io)));
}

async function why(logs: string[], f: WhyFlags, io: CliIo): Promise<number> {
  const inputs = [...f.input, ...logs];
  reportInputConflicts(f, inputs, io, Boolean(f.json));
  return runWhy(await selectLogInput(f, inputs, io), f, io);
}

/** audit2why over this input (also `porthole allow -w`, which is audit2allow -w); returns the exit code. */
export async function runWhy(
  input: LogInput,
  f: Pick<WhyFlags, 'policy' | 'policyXml' | 'descriptions' | 'showRejected' | 'strict' | 'lastreload' | 'json' | 'maxInputSize'>,
  io: CliIo,
): Promise<number> {
  const loaded = await loadPolicy(f.policy && resolve(io.cwd, f.policy), f.policy);
  const lib = await import('../index.js');
  const xml = f.policyXml ?? io.env.SE_POLICY_XML ?? lib.DEFAULT_POLICY_XML;
  const max = await maxInputSize(f);
  const describer = f.descriptions ? new lib.BooleanDescriber(resolve(io.cwd, xml), max) : undefined;
  const progress = progressReporter(io);
  const json = Boolean(f.json);
  const result = await lib.whyFromLogs(
    input.sources,
    loaded.policy,
    {
      ...(input.since !== undefined ? { since: input.since } : {}),
      ...(f.lastreload ? { lastLoadOnly: true } : {}),
      ...(io.stdoutBackpressure ? { backpressure: io.stdoutBackpressure } : {}),
      ...(describer ? { describe: (b: string) => describer.describe(b) } : {}),
      ...(f.showRejected
        ? {
            onRejected: (rec, a) =>
              report(io, lib.diagnostic('note', 'context-invalid', `rejected by the policy (${a.code}${'reason' in a ? `: ${a.reason}` : ''}): ${rec.message.trimEnd()}`, { span: rec.loc }), json),
          }
        : {}),
      ...(json ? { format: (rec, a) => lib.formatWhyJson(rec, a, describer && ((b: string) => describer.describe(b))) } : {}),
      ...(progress ? { progress } : {}),
      // audit2why prints nothing of the text when a denial has no permissions.
      holdOutput: !json,
    },
    io.stdout,
  );
  if (result.emptyPermsDenial && !json) {
    io.stdout(lib.emptyPermsMessage(result.emptyPermsDenial) + '\n');
    return 1;
  }
  const malformed = lib.malformedDiagnostic(result.stats, f.strict);
  if (malformed) report(io, malformed, json);
  if ((input.fromStdinOrFiles || f.strict) && !result.sawSelinux) {
    if (input.fromStdinOrFiles) io.stderr('Nothing to do\n');
    report(
      io,
      lib.noSelinuxRecordsDiagnostic(
        result.stats,
        input.sources.map((s) => s.name),
        f.strict,
      ),
      json,
    );
  }
  return f.strict && (malformed || !result.sawSelinux || input.readFailed()) ? 1 : 0;
}
