// The parser's entry points: a module's `.te` text (after m4, with the m4
// stage's origins when there are any) to its syntax tree and the syntax
// errors, all of them, each at the user's file, line and column.
// Not here: the grammar (statements.ts), `.fc` files (fileContexts.ts).
import type { Diagnostic } from '../../../base/diagnostic.js';
import { diagnostic } from '../../../base/diagnostic.js';
import type { ModuleAst, ModuleStatement, Statement } from './ast.js';
import type { RequireBlockCache } from './kept/blockCache.js';
import { lexList, type TokenList } from './lexer.js';
import { MAX_ERRORS, Parser } from './parser.js';
import { SourceMap, type SourceText } from './source.js';
import { statementList } from './statements.js';

export interface TeParseResult<T> {
  ast: T;
  /** Syntax errors (`te-syntax`, `te-limit`), in the order of the text. */
  diagnostics: Diagnostic[];
  /** Offsets of the parsed text to places (spans, the chain of macro calls). */
  map: SourceMap;
}

/** Two lists of diagnostics, each in text order, merged in text order (the first list first at equal offsets). */
export function mergeByOffset(a: readonly Diagnostic[], aAt: readonly number[], b: readonly Diagnostic[], bAt: readonly number[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && (aAt[i] as number) <= (bAt[j] as number))) out.push(a[i++] as Diagnostic);
    else out.push(b[j++] as Diagnostic);
  }
  return out;
}

/** Keeps the require block starting at token `at` when it is a top-level statement (a clean text's). */
function keepBlock(blocks: RequireBlockCache, list: TokenList, at: number, statements: readonly Statement[]): void {
  const start = list.starts[at] as number;
  const st = statements.find((s) => s.start === start);
  if (st?.kind !== 'require' || !blocks.wants(start, st.end - start)) return;
  let to = at;
  while (to < list.count && (list.ends[to] as number) < st.end) to++;
  blocks.keep(list, at, to + 1, st);
}

/** Text as it is, named `<string>`, or a SourceText. */
function sourceOf(src: string | SourceText, name: string): SourceText {
  return typeof src === 'string' ? { name, text: src } : src;
}

/**
 * Parses a module's `.te` text as checkmodule does after m4 (`module`, `require`,
 * declarations, rules, `if`, `optional`, ...). Never throws on bad input: the
 * tree holds every statement that parsed, the diagnostics every error.
 */
export function parseModuleText(src: string | SourceText): TeParseResult<ModuleAst> {
  return parseModuleTextKeeping(src, undefined);
}

/**
 * parseModuleText with the require blocks kept from texts parsed before (kept/blockCache.ts), for a
 * placeless text: its first require block is taken from there when it is the same text at the
 * same offset, else kept there when the text parses without a diagnostic.
 */
export function parseModuleTextKeeping(src: string | SourceText, requireBlocks: RequireBlockCache | undefined): TeParseResult<ModuleAst> {
  const source = sourceOf(src, '<string>');
  const map = new SourceMap(source);
  // Kept blocks have no spans of this text: only for a placeless parse.
  const blocks = source.placeless === true ? requireBlocks : undefined;
  const lexed = lexList(source.text, map, blocks);
  const p = new Parser(lexed.list, map);
  const first = lexed.firstRequire;
  if (first?.kept !== undefined) p.reuse = { at: first.at, count: first.kept.count, statement: first.kept.statement };
  let statements: Statement[] = statementList(p, true);
  if (blocks !== undefined && first !== undefined && first.kept === undefined && lexed.diagnostics.length === 0 && p.errors === 0) keepBlock(blocks, lexed.list, first.at, statements);
  let header: ModuleStatement | undefined;
  if (statements[0]?.kind === 'module') {
    header = statements[0];
    statements = statements.slice(1);
  }
  const diagnostics = mergeByOffset(lexed.diagnostics, lexed.offsets, p.diagnostics, p.offsets);
  if (p.errors > MAX_ERRORS) {
    diagnostics.push(diagnostic('error', 'te-limit', `${p.errors - MAX_ERRORS} more syntax errors not reported (${MAX_ERRORS} are)`, { span: { file: map.name, line: 0 } }));
  }
  const end = source.text.length;
  return { ast: { kind: 'moduleFile', header, statements, ...p.node(0, end) }, diagnostics, map };
}
