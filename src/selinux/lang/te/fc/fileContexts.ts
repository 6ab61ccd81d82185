// A module's `.fc` file after m4 (gen_context already expanded): one spec a
// line, `PATH-REGEX [FILE-TYPE] CONTEXT`, fields separated by blanks, where
// CONTEXT is `user:role:type[:range]` or `<<none>>`; blank lines and lines
// starting with `#` are skipped, as libselinux skips them. Each bad line is
// reported (`file-contexts-syntax`) and the others are still read. The
// regular expression itself is not checked here (selinux/labels/ does that).
// Not here: the .te language (parse.ts).
import { type Diagnostic, diagnostic } from '../../../../base/diagnostic.js';
import { escapeControl } from '../../../../base/printDiagnostic.js';
import type { FcField, FileContextEntry, FileContextsAst, Ident, MlsLevel, MlsRange, SecurityContext } from '../ast.js';
import type { TeParseResult } from '../parse.js';
import { SourceMap, type SourceText } from '../source.js';

/** The file type field's values (libselinux's, for `matchpathcon -m`'s modes). */
export const FC_FILE_TYPES: ReadonlySet<string> = new Set(['--', '-d', '-c', '-b', '-s', '-l', '-p']);

const NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;

class FcLine {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly map: SourceMap) {}

  node(start: number, end: number) {
    return { span: this.map.span(start, end), start, end };
  }

  error(message: string, start: number, end: number): undefined {
    this.diagnostics.push(diagnostic('error', 'file-contexts-syntax', message, { span: this.map.span(start, end), notes: this.map.expansionNotes(start) }));
    return undefined;
  }

  ident(text: string, at: number, what: string): Ident | undefined {
    if (!NAME.test(text)) return this.error(`${what} '${escapeControl(text)}' is not a valid name`, at, at + Math.max(text.length, 1));
    return { kind: 'ident', name: text, ...this.node(at, at + text.length) };
  }

  level(text: string, at: number): MlsLevel | undefined {
    const colon = text.indexOf(':');
    const sens = this.ident(colon === -1 ? text : text.slice(0, colon), at, 'the sensitivity');
    if (sens === undefined) return undefined;
    const categories: Ident[] = [];
    if (colon !== -1) {
      let off = at + colon + 1;
      for (const c of text.slice(colon + 1).split(',')) {
        const id = this.ident(c, off, 'the category');
        if (id === undefined) return undefined;
        categories.push(id);
        off += c.length + 1;
      }
    }
    return { kind: 'level', sensitivity: sens, categories, ...this.node(at, at + text.length) };
  }

  context(text: string, at: number): SecurityContext | undefined {
    const parts = text.split(':');
    if (parts.length < 3) return this.error(`'${escapeControl(text)}' is not a context (user:role:type[:range]) or <<none>>`, at, at + text.length);
    const [u, r, t] = parts as [string, string, string];
    const user = this.ident(u, at, 'the user');
    const role = user && this.ident(r, at + u.length + 1, 'the role');
    const type = role && this.ident(t, at + u.length + r.length + 2, 'the type');
    if (type === undefined || user === undefined || role === undefined) return undefined;
    let range: MlsRange | undefined;
    if (parts.length > 3) {
      const rat = at + u.length + r.length + t.length + 3;
      const rtext = parts.slice(3).join(':');
      const dash = rtext.indexOf('-');
      const low = this.level(dash === -1 ? rtext : rtext.slice(0, dash), rat);
      const high = dash === -1 ? undefined : this.level(rtext.slice(dash + 1), rat + dash + 1);
      if (low === undefined || (dash !== -1 && high === undefined)) return undefined;
      range = { kind: 'range', low, high, ...this.node(rat, rat + rtext.length) };
    }
    return { kind: 'context', user, role, type, range, ...this.node(at, at + text.length) };
  }
}

/**
 * Parses a module's `.fc` text after m4. Never throws on bad input: every line that
 * parses is an entry, every other one a diagnostic.
 */
export function parseFileContextsText(src: string | SourceText): TeParseResult<FileContextsAst> {
  const source = typeof src === 'string' ? { name: '<string>', text: src } : src;
  const map = new SourceMap(source);
  const text = source.text;
  const fc = new FcLine(map);
  const entries: FileContextEntry[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const fields: FcField[] = [];
    const re = /[^ \t\r\f\v]+/g;
    const line = text.slice(lineStart, lineEnd);
    for (let m = re.exec(line); m !== null; m = re.exec(line)) {
      const start = lineStart + m.index;
      fields.push({ text: m[0], ...fc.node(start, start + m[0].length) });
    }
    const first = fields[0];
    if (first !== undefined && !first.text.startsWith('#')) {
      const last = fields[fields.length - 1] as FcField;
      if (fields.length === 1) fc.error(`'${escapeControl(first.text)}' has no context: expected PATH [FILE-TYPE] CONTEXT`, first.start, first.end);
      else if (fields.length > 3) {
        const extra = fields[3] as FcField;
        fc.error(`too many fields: expected PATH [FILE-TYPE] CONTEXT, found '${escapeControl(extra.text)}' after the context`, extra.start, extra.end);
      } else {
        const type = fields.length === 3 ? (fields[1] as FcField) : undefined;
        if (type !== undefined && !FC_FILE_TYPES.has(type.text)) {
          fc.error(`unknown file type '${escapeControl(type.text)}': expected one of ${[...FC_FILE_TYPES].join(' ')}`, type.start, type.end);
        } else if (last.text === '<<none>>') {
          entries.push({ kind: 'fileContext', path: first, fileType: type, context: undefined, ...fc.node(first.start, last.end) });
        } else {
          const context = fc.context(last.text, last.start);
          if (context !== undefined) entries.push({ kind: 'fileContext', path: first, fileType: type, context, ...fc.node(first.start, last.end) });
        }
      }
    }
    lineStart = lineEnd + 1;
  }
  return { ast: { kind: 'fileContexts', entries, ...fc.node(0, text.length) }, diagnostics: fc.diagnostics, map };
}
