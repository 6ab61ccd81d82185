// A module's file contexts as the `filecon` statements semodule's pp converter
// writes after the module's rules: `(filecon "PATH" TYPE CONTEXT)`, TYPE `any`
// for a spec without a file type, CONTEXT `()` for `<<none>>`, the range both
// ends (`((s0) (s0))`). Until the CIL emitter writes them itself (issue 15).
import type { FcFileType, FcSpec } from '../../../ir/index.js';
import { cilRange } from '../../../print/cil/cilRules.js';

const FILE_TYPES: Record<FcFileType, string> = { '--': 'file', '-d': 'dir', '-c': 'char', '-b': 'block', '-s': 'socket', '-l': 'symlink', '-p': 'pipe' };

/** The `filecon` lines of a module's specs, in their order, each ending with a newline. */
export function fileconLines(specs: readonly FcSpec[]): string {
  let out = '';
  for (const s of specs) {
    const type = s.fileType === undefined ? 'any' : FILE_TYPES[s.fileType];
    const c = s.context;
    const context = c === undefined ? '()' : `(${c.user} ${c.role} ${c.type}${c.range === undefined ? '' : ` ${cilRange(c.range)}`})`;
    out += `(filecon "${s.path}" ${type} ${context})\n`;
  }
  return out;
}
