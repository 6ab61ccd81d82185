// Where something came from: a file and a position in it. Every stage that
// reads text (logs, policy sources) or bytes (binary policies) points at its
// input with one of these, and diagnostics carry them.

/**
 * A place in an input: a file and a 1-based line, optionally a 1-based column
 * and where the stretch ends (end exclusive). A log record is a line; a token
 * of a policy source has columns; a binary input uses `offset` instead.
 */
export interface Span {
  /** A path as the user gave it, `-` for stdin, or a name such as `<string>`. */
  file: string;
  /** 1-based; 0 when the place is the file as a whole or a byte offset. */
  line: number;
  /** 1-based column (bytes of the line for logs, characters for sources). */
  column?: number | undefined;
  endLine?: number | undefined;
  endColumn?: number | undefined;
  /** Byte offset, for binary inputs (then `line` is 0). */
  offset?: number | undefined;
}

/** `FILE:LINE:COL`, `FILE:LINE` or `FILE`, as compilers print places (a byte offset is the message's to say). */
export function formatSpan(s: Span): string {
  if (s.line === 0) return s.file;
  return s.column === undefined ? `${s.file}:${s.line}` : `${s.file}:${s.line}:${s.column}`;
}
