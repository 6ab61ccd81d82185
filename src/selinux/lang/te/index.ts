// The module language's parser: `.te` text (after m4) to its syntax tree,
// `.fc` lines to file context entries, each node and each error at the
// user's file, line and column.
export type * from './ast.js';
export { type CheckModuleOptions, checkModule, outputBaseName } from './check/check.js';
export { FC_FILE_TYPES, parseFileContextsText } from './fc/fileContexts.js';
export { KEYWORDS, type LexResult, lex, type Token, type TokenType } from './lexer.js';
export { parseModuleText, type TeParseResult } from './parse.js';
export { MAX_DEPTH, MAX_ERRORS } from './parser.js';
export { SourceMap, type SourceText } from './source.js';
