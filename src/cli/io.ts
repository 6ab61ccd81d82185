// What a command may touch, so that tests can run commands in-process.
import { once } from 'node:events';
import type { Readable } from 'node:stream';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: Readable;
  cwd: string;
  env: Record<string, string | undefined>;
  /** True when stderr is a terminal (progress is shown only then). */
  stderrIsTTY: boolean;
  /** A promise while stdout holds much unwritten output (a slow pipe): commands that stream wait for it. */
  stdoutBackpressure?: () => Promise<unknown> | undefined;
}

/** Unwritten stdout past which streaming commands wait for it to drain. */
const STDOUT_HIGH_WATER = 4 * 1024 * 1024;

export function processIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    // A getter: touching process.stdin opens the stream, which costs start-up time.
    get stdin() {
      return process.stdin;
    },
    cwd: process.cwd(),
    env: process.env,
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdoutBackpressure: () => (process.stdout.writableLength > STDOUT_HIGH_WATER ? once(process.stdout, 'drain') : undefined),
  };
}

/** Collects output in memory; for tests and the oracle harness. */
export function memoryIo(opts: { cwd?: string; stdin?: Readable; env?: Record<string, string | undefined> } = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    stdin: opts.stdin ?? (process.stdin as Readable),
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env ?? {},
    stderrIsTTY: false,
  };
}
