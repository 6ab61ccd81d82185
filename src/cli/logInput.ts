// Where allow and why read from: audit2allow's -i/-a/-b/-d and their order.
import { resolve } from 'node:path';
import { diagnostic, fail } from '../base/diagnostic.js';
import type { LogSource } from '../base/source.js';
import { readWarnings, report } from './common.js';
import type { CliIo } from './io.js';

export interface LogInputFlags {
  input: string[];
  all?: boolean;
  boot?: boolean;
  dmesg?: boolean;
  maxInputSize?: string;
  json?: boolean;
  strict?: boolean;
}

/** The help of `--max-input-size`, the same for every command that reads logs. */
export const MAX_INPUT_SIZE_HELP =
  'stop with an error past SIZE bytes of one log, counted after decompression (K, M, G, T: powers of 1024; default 4G), or of a file read whole, such as policy XML (default 64M)';

/** `--max-input-size` as a number of bytes; undefined when not given. */
export async function maxInputSize(f: { maxInputSize?: string }): Promise<number | undefined> {
  if (f.maxInputSize === undefined) return undefined;
  const { parseByteSize } = await import('../index.js');
  return parseByteSize(f.maxInputSize) ?? fail('usage', `--max-input-size: '${f.maxInputSize}' is not a size (a number of bytes, or with K, M, G or T)`);
}

export interface LogInput {
  sources: LogSource[];
  /** -b: only events at or after this time (seconds since the epoch). */
  since?: number;
  /** Logs named or stdin (not -a/-b/-d): "Nothing to do" is said only then, as audit2allow does. */
  fromStdinOrFiles: boolean;
  /** Whether the read gave a warning that `--strict` makes an error (trailing garbage after gzip data): exit 1. */
  readFailed(): boolean;
}

/** The conflicts audit2allow reports (on stderr) before carrying on; the input read is the one selectLogInput picks. */
export function reportInputConflicts(f: LogInputFlags, inputs: readonly string[], io: CliIo, json = false): void {
  const warn = (s: string): void =>
    report(io, diagnostic('warning', 'usage', s, { notes: ['audit2allow carries on, and so does porthole: -i and LOG arguments come first, then -d, then -a, then -b'] }), json);
  if (f.all || f.boot) {
    if (inputs.length > 0) warn('--all/--boot conflicts with --input');
    if (f.dmesg) warn('--all/--boot conflicts with --dmesg');
  }
  if (inputs.length > 0 && f.dmesg) warn('--input conflicts with --dmesg');
}

/** The sources to read, in audit2allow's precedence: -i (and LOG arguments), then -d, then -a, then -b, else stdin. */
export async function selectLogInput(f: LogInputFlags, inputs: readonly string[], io: CliIo): Promise<LogInput> {
  const { auditLogSources, bootTime, dmesgSource, fileSource } = await import('../index.js');
  const max = await maxInputSize(f);
  // Warnings of the read (trailing garbage after gzip data) go to stderr as they happen, once per file; errors with --strict.
  const warnings = readWarnings(io, Boolean(f.json), Boolean(f.strict));
  const limit = { ...(max !== undefined ? { maxBytes: max } : {}), onWarning: warnings.onWarning };
  const readFailed = warnings.failed;
  if (inputs.length > 0) {
    return { sources: inputs.map((p) => fileSource(p === '-' ? p : resolve(io.cwd, p), { name: p, stdin: io.stdin, ...limit })), fromStdinOrFiles: true, readFailed };
  }
  if (f.dmesg) return { sources: [dmesgSource()], fromStdinOrFiles: false, readFailed };
  // The host's log and its rotations are files as any other: the same limit, the same warnings.
  if (f.all || f.boot) return { sources: auditLogSources(undefined, limit), ...(f.boot ? { since: bootTime() } : {}), fromStdinOrFiles: false, readFailed };
  return { sources: [fileSource('-', { stdin: io.stdin, ...limit })], fromStdinOrFiles: true, readFailed };
}
