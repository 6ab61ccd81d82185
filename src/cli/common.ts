// Small pieces every command shares.
import type { CliIo } from './io.js';

/** A mistake in the command line: reported with the usage hint, exit 2. */
export class UsageError extends Error {}

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
