// Small pieces every command shares.
import type { Diagnostic } from '../base/diagnostic.js';
import { diagnosticJson, printDiagnostic } from '../base/printDiagnostic.js';
import type { CliIo } from './io.js';

/** Prints a diagnostic on stderr: as text, or as one JSON line when the command was given `--json`. */
export function report(io: CliIo, d: Diagnostic, json = false): void {
  io.stderr(reportText(d, json));
}

/** What report writes for a diagnostic. */
export const reportText = (d: Diagnostic, json = false): string => (json ? diagnosticJson(d) : printDiagnostic(d));

/** What a read tells as it goes on (trailing garbage after gzip data), and whether it makes `--strict` fail. */
export interface ReadWarnings {
  onWarning: (d: Diagnostic) => void;
  /** Whether a warning was an error under `--strict`: the command exits 1 after its output. */
  failed(): boolean;
}

/**
 * Prints a read's warnings on stderr as they happen. With `--strict` each is
 * an error (the same code, a note saying why) and the command exits 1, as it
 * does for a malformed record; without, a warning and the exit status is not
 * changed.
 */
export function readWarnings(io: CliIo, json: boolean, strict: boolean): ReadWarnings {
  let failed = false;
  return {
    onWarning: (d) => {
      if (strict && d.severity === 'warning') {
        failed = true;
        report(io, { ...d, severity: 'error', notes: [...d.notes, { message: '--strict: input that cannot be read whole is an error (exit 1)' }] }, json);
      } else report(io, d, json);
    },
    failed: () => failed,
  };
}

/** `--debug`: lines on stderr, each with the milliseconds since the command started. */
export function debugReporter(io: CliIo): (line: string) => void {
  const start = performance.now();
  return (line) => io.stderr(`debug: ${(performance.now() - start).toFixed(0).padStart(6)} ms: ${line}\n`);
}

/** A progress line on stderr, rewritten in place; only on a terminal. */
export function progressReporter(io: CliIo): ((line: string) => void) | undefined {
  if (!io.stderrIsTTY) return undefined;
  let shown = false;
  return (line) => {
    if (line === '') {
      if (shown) io.stderr('\r\x1b[K');
      shown = false;
      return;
    }
    io.stderr('\r\x1b[K' + line);
    shown = true;
  };
}
