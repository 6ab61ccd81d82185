// A module's file contexts (its `.fc` after m4) as data: each spec's path
// regular expression, file type and context (or `<<none>>`). Not the compiled
// file_contexts of a whole policy that lookups use (src/selinux/labels/).
import type { Span } from '../../base/span.js';
import type { MlsRange } from './mls.js';

/** The file type field: `--` regular file, `-d` directory, `-l` symlink, `-c`, `-b`, `-s`, `-p`. */
export type FcFileType = '--' | '-d' | '-c' | '-b' | '-s' | '-l' | '-p';

/** `user:role:type[:range]` as a spec writes it. */
export interface FcContext {
  user: string;
  role: string;
  type: string;
  range?: MlsRange;
}

/** One spec: `PATH-REGEX [FILE-TYPE] CONTEXT|<<none>>`. */
export interface FcSpec {
  /** The path regular expression, as written. */
  path: string;
  /** Absent: every file type. */
  fileType?: FcFileType;
  /** Absent for `<<none>>` (such files get no label). */
  context?: FcContext;
  span?: Span;
}
