// The one printer of diagnostics, as compilers print them:
//
//   FILE:LINE:COL: error[CODE]: message
//     note: a note without a place
//     FILE:LINE:COL: note: a note with one (an m4 expansion, say)
//
// A diagnostic without a place starts with the program's name instead. Text
// from the input is escaped (control bytes as \xHH) so that a crafted log
// cannot move the cursor or forge lines of the report.
import type { Diagnostic } from './diagnostic.js';
import { jsonLine } from './jsonLine.js';
import { formatSpan } from './span.js';

export interface PrintDiagnosticOptions {
  /** Printed where a diagnostic has no place (default `porthole`). */
  program?: string;
}

/** The diagnostic as text, ending with a newline. */
export function printDiagnostic(d: Diagnostic, opts: PrintDiagnosticOptions = {}): string {
  const where = d.span ? escapeControl(formatSpan(d.span)) : (opts.program ?? 'porthole');
  let out = `${where}: ${d.severity}[${d.code}]: ${escapeControl(d.message)}\n`;
  for (const n of d.notes) out += n.span ? `  ${escapeControl(formatSpan(n.span))}: note: ${escapeControl(n.message)}\n` : `  note: ${escapeControl(n.message)}\n`;
  return out;
}

/** Several diagnostics, in order. */
export function printDiagnostics(list: readonly Diagnostic[], opts: PrintDiagnosticOptions = {}): string {
  return list.map((d) => printDiagnostic(d, opts)).join('');
}

/** One JSON object per line: the diagnostic as data (for `--json`). */
export function diagnosticJson(d: Diagnostic): string {
  return jsonLine(d);
}

// C0 controls but tab, DEL, C1 controls, the Unicode line and paragraph
// separators (a newline too: one diagnostic, one line) and the bidirectional
// controls (they reorder what a terminal shows).
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** Control characters as `\xHH` (or `\u{HHHH}`): the text stays one line and cannot drive a terminal. */
export function escapeControl(text: string): string {
  return escapeWith(text, CONTROL);
}

/** The same, but tab and the 0x1d group separator (auditd's ENRICHED format puts it in log lines) stay as they are. */
const LOG_CONTROL = /[\u0000-\u0008\u000a-\u001c\u001e\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * Text from a log as it goes into generated policy comments (`# comm="..."`
 * in `.te` files) and audit2why's report: one line whatever the log held (a
 * newline cannot end a comment early), no byte that drives a terminal. Tab and
 * the 0x1d group separator are kept, as audit2allow writes them.
 */
export function escapeLogText(text: string): string {
  return escapeWith(text, LOG_CONTROL);
}

function escapeWith(text: string, re: RegExp): string {
  re.lastIndex = 0;
  if (!re.test(text)) return text;
  re.lastIndex = 0;
  return text.replace(re, (c) => {
    const n = c.charCodeAt(0);
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
  });
}
