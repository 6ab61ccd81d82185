// Small pieces every command shares.
import type { Diagnostic } from '../base/diagnostic.js';
import { diagnosticJson, printDiagnostic } from '../base/printDiagnostic.js';
import type { CliIo } from './io.js';

/** Prints a diagnostic on stderr: as text, or as one JSON line when the command was given `--json`. */
export function report(io: CliIo, d: Diagnostic, json = false): void {
  io.stderr(json ? diagnosticJson(d) : printDiagnostic(d));
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
