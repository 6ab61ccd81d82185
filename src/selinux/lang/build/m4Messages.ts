// What refpolicy's support macros print through m4's errprint
// (`refpolicywarn`, `refpolicyerr`: a deprecated interface, a duplicate
// definition), `m4:FILE:LINE: Warning: TEXT`, as diagnostics at that place;
// other errprint lines as warnings without one.
// Not here: m4's own messages (already diagnostics, from the m4 stage).
import { type Diagnostic, diagnostic } from '../../../base/diagnostic.js';

const LINE = /^(?:[^:\n]*:)?([^:\n]+):([0-9]+): (Warning|Error): (.*)$/;

/** The errprint text of an m4 run (`M4Result.stderr`) as diagnostics, a line each. */
export function m4MessageDiagnostics(stderr: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const line of stderr.split('\n')) {
    if (line.trim() === '') continue;
    const m = LINE.exec(line);
    if (m === null) {
      out.push(diagnostic('warning', 'm4-refpolicy', line));
      continue;
    }
    out.push(diagnostic(m[3] === 'Error' ? 'error' : 'warning', 'm4-refpolicy', m[4] as string, { span: { file: m[1] as string, line: Number(m[2]) } }));
  }
  return out;
}
