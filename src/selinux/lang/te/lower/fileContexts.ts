// A module's parsed `.fc` lines -> the IR's file context specs (ir/fileContexts.ts),
// in order, each with its span. An entry whose range does not lower (a
// category with two dots) is left out with a `te-not-lowered` warning.
import { diagnostic } from '../../../../base/diagnostic.js';
import type { FcContext, FcFileType, FcSpec } from '../../../ir/index.js';
import type { FileContextsAst } from '../ast.js';
import type { LowerOptions } from './lower.js';
import { lowerRange, NotLowered } from './values.js';

export function lowerFileContexts(ast: FileContextsAst, options: LowerOptions = {}): FcSpec[] {
  const out: FcSpec[] = [];
  for (const e of ast.entries) {
    const spec: FcSpec = { path: e.path.text, span: e.span };
    // The parser takes only the file types FC_FILE_TYPES lists.
    if (e.fileType !== undefined) spec.fileType = e.fileType.text as FcFileType;
    if (e.context !== undefined) {
      const context: FcContext = { user: e.context.user.name, role: e.context.role.name, type: e.context.type.name };
      try {
        if (e.context.range !== undefined) context.range = lowerRange(e.context.range);
      } catch (err) {
        if (!(err instanceof NotLowered)) throw err;
        options.onDiagnostic?.(diagnostic('warning', 'te-not-lowered', `left out of the file contexts: ${err.why}`, { span: e.span, data: { node: e.kind } }));
        continue;
      }
      spec.context = context;
    }
    out.push(spec);
  }
  return out;
}
