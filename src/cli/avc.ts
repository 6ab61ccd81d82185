// `porthole avc`: the denials of the input, as a table or as JSON lines (like
// `ausearch -m AVC -i`). Parses flags, calls the library, prints.
import { Command } from 'commander';
import { fail } from '../base/diagnostic.js';
import { progressReporter, report } from './common.js';
import type { CliIo } from './io.js';
import { MAX_INPUT_SIZE_HELP, reportInputConflicts, selectLogInput } from './logInput.js';

interface AvcFlags {
  input: string[];
  all?: boolean;
  boot?: boolean;
  dmesg?: boolean;
  lastreload?: boolean;
  time?: string;
  start?: string;
  end?: string;
  interpret?: boolean;
  json?: boolean;
  strict?: boolean;
  maxInputSize?: string;
  raw?: boolean;
  wide?: boolean;
}

const HELP_AFTER = `
Input: LOG arguments and -i (repeatable) are read in order; else -d, -a or -b; else stdin.
-i is --input, as in audit2allow; ausearch's -i/--interpret is --interpret here, and is
accepted only for compatibility: the output is always interpreted (hex-encoded values decoded,
system calls and ioctl requests named, ausearch -i input read as it is).

TIME (for -t START[,END], --start, --end): now, recent (10 minutes ago), boot, today,
yesterday, this-week (since Sunday), week-ago, this-month, this-year (midnight, local time;
as an END, today means now), @EPOCH (seconds since 1970), or an ISO 8601 date or time:
2023-11-14, 2023-11-14T22:13:20, "2023-11-14 22:13", 22:13 (today), in local time unless
it ends with Z or +HH:MM. Both ends are included; an END includes all of what it names (a
date its whole day, 22:13 its whole minute). -t ,END and -t START, leave one end open.
Records without a time (bare syslog avc: lines) are kept.

At the end, one line on stderr (with --json, {"summary": {...}} with the same counts):
  avc summary: denials=N granted=N triples=N files=N malformed=N
denials: denied records shown (permissive ones included); granted: avc: granted (auditallow)
records shown; triples: distinct (source type, target type, class) among them; files: inputs
read; malformed: records that did not parse or named something that is not an SELinux
identifier (the first is reported above the summary).

Table cells show control characters as \\xHH (--raw prints them as they are) and are cut at 64
characters, ending with … (--wide keeps them whole).
--json: one object per denial; every one names its event by number ("event"), and the first
denial of an event lists where the event's records are ("records", at most 1024, the rest counted
in "recordsOmitted"); the others refer to it by that number.

Exit status: 0; 1 with --strict when a record was malformed, a gzip log has trailing garbage
or the input holds no audit record at all, or when an input cannot be read;
2 for a usage error.`;

export function avcCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('avc')
    .description('show the AVC denials in audit logs, with their system call, process and path (like ausearch -m AVC -i)')
    .argument('[LOG...]', 'audit logs to read (files, .gz, or - for stdin; default stdin)')
    .option('-i, --input <LOG>', 'read input from LOG (repeatable)', (v: string, prev: string[]) => [...prev, v], [])
    .option('-a, --all', "read the host's audit log and its rotations")
    .option('-b, --boot', 'read audit messages since the last boot')
    .option('-d, --dmesg', 'read the kernel ring buffer (dmesg)')
    .option('-l, --lastreload', 'show only what follows the last policy load or audit daemon start')
    .option('-t, --time <START[,END]>', 'show only events in this time range (TIME formats below)')
    .option('--start <TIME>', 'show only events at or after TIME')
    .option('--end <TIME>', 'show only events at or before TIME')
    .option('--interpret', "accepted for ausearch's -i: the output is always interpreted")
    .option('--json', 'one JSON object per denial (JSON lines), with every field and where each record is')
    .option('--strict', 'exit 1 when the input has malformed records, trailing garbage after gzip data, or no SELinux records at all')
    .option('--max-input-size <SIZE>', MAX_INPUT_SIZE_HELP)
    .option('--wide', 'show table cells whole (default: cut at 64 characters, ending with …)')
    .option('--raw', 'print table cells as the log has them (default: control characters as \\xHH)')
    .addHelpText('after', HELP_AFTER)
    .action(async (logs: string[], flags: AvcFlags) => setExit(await avc(logs, flags, io)));
}

async function avc(logs: string[], f: AvcFlags, io: CliIo): Promise<number> {
  // Loaded when the command runs: start-up stays cheap for every command.
  const { writeDenialReport, formatDenialSummary, denialSummaryJson, parseTimeRange, timeRange, malformedDiagnostic, noSelinuxRecordsDiagnostic, timeOutOfRangeDiagnostic, bootTime, jsonLine } =
    await import('../index.js');
  if (f.time !== undefined && (f.start !== undefined || f.end !== undefined)) fail('usage', '-t/--time conflicts with --start/--end: give the range one way');
  const ctx = { bootTime: () => bootTime() };
  const range = f.time !== undefined ? parseTimeRange(f.time, '-t/--time', ctx) : timeRange(f.start, f.end, { start: '--start', end: '--end' }, ctx);

  const inputs = [...f.input, ...logs];
  reportInputConflicts(f, inputs, io, Boolean(f.json));
  const { sources, since: bootSince, readFailed } = await selectLogInput(f, inputs, io);
  const since = bootSince === undefined ? range.since : Math.max(bootSince, range.since ?? bootSince);

  const progress = progressReporter(io);
  const summary = await writeDenialReport(
    sources,
    {
      format: f.json ? 'json' : 'table',
      ...(since !== undefined ? { since } : {}),
      ...(range.until !== undefined ? { until: range.until } : {}),
      lastLoadOnly: Boolean(f.lastreload),
      ...(io.stdoutBackpressure ? { backpressure: io.stdoutBackpressure } : {}),
      ...(f.raw ? { raw: true } : {}),
      ...(f.wide ? { wide: true } : {}),
      ...(progress ? { progress } : {}),
    },
    io.stdout,
  );
  // A reader that went away (`| head`) wants no summary: let its broken pipe stop us first (bin.ts).
  await new Promise((done) => setImmediate(done));
  const malformed = malformedDiagnostic(summary.stats, f.strict);
  if (malformed) report(io, malformed, Boolean(f.json));
  const badTime = timeOutOfRangeDiagnostic(summary);
  if (badTime) report(io, badTime, Boolean(f.json));
  // --strict: an input without a single audit record (random bytes, another format) is an error too.
  const empty = f.strict && summary.stats.records === 0;
  const names = sources.map((s) => s.name);
  if (empty) report(io, noSelinuxRecordsDiagnostic(summary.stats, names, true), Boolean(f.json));
  io.stderr(f.json ? jsonLine({ summary: denialSummaryJson(summary) }) : formatDenialSummary(summary) + '\n');
  return (malformed && f.strict) || empty || readFailed() ? 1 : 0;
}
