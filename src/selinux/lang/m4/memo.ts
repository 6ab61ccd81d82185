// Expansions of top-level macro calls remembered over a shared base of
// definitions, and replayed when the same call comes again.
//
// The devel pipeline forks every module pass from one state (the support
// files and the interfaces read), and each module's first lines make the same
// calls there: `policy_module` expands into `ifdef(`enable_mcs', ...)`, whose
// rescanning declares 1,024 categories through some 10,000 recursive calls.
// The engine (engine.ts) records such a call's expansion once and replays it.
//
// Why a replay is exact. A call is remembered only when it is made at the top
// level (no arguments being collected) of an engine whose definitions are
// those of its shared base, unchanged (the base is frozen: forks write their
// changes elsewhere), and by key: the base, the name (so the definition), the
// arguments, the quotes, the comment delimiters, the diversion, whether sync
// lines are written, and whether `\0` was warned about. While it is recorded:
//   - only user macros and the builtins in PURE_BUILTINS run (they read only
//     their arguments, the definitions, the quotes and the diversion number);
//     any other builtin, any diagnostic, and any change of definitions,
//     quotes, comments, diversions, wrapped text or standard error ends the
//     recording;
//   - reading or peeking past the expansion's own input (below the `floor` of
//     the input stack: a word or a call that goes on in the text after the
//     call, `dnl` eating the next line, end of input) ends the recording;
// so what the expansion does is a function of the key alone. The output is
// recorded as the text shipped out and the line each piece was read at
// (relative to the call's line), and replayed through the same `shipout`, so
// that sync lines (`#line N "FILE"`) are written for the replaying call's own
// line and file and the output state (line counts, start of line) moves as it
// would. The engine's remaining state after the expansion (macro call count,
// the input's current file and line) is set as the recorded expansion left
// it; a replay that would cross a limit (calls, depth, input depth, output)
// expands the call instead, so that the limit is met at the same place.
// Not used when origins are recorded (each token's origin is per call site).

/** A run of shipped-out text: `line` relative to the call's line (the line the text was read at). */
export interface MemoChunk {
  text: string;
  line: number;
}

/** A recorded expansion. */
export interface MemoEntry {
  chunks: MemoChunk[];
  /** Characters in the chunks. */
  chars: number;
  /** Macro calls made while it was expanded (after the call itself). */
  calls: number;
  /** The deepest nesting of calls reached, counted from the call's own level. */
  depth: number;
  /** The most input blocks stacked above the call's input, before a push. */
  stack: number;
  /** Whether input was pushed (then the engine reads on as after a finished expansion). */
  pushed: boolean;
  /** The current line when it ended, relative to the call's line. */
  endLine: number;
}

/** The memo of one base of definitions. `null`: a call that cannot be replayed (it did something not allowed). */
export interface ExpansionMemo {
  /** Keys called once: the second call is recorded, the third replayed (a call made only once costs no recording). */
  seen: Set<string>;
  entries: Map<string, MemoEntry | null>;
  /** Characters held in all entries. */
  chars: number;
}

/** The most characters one base's memo holds (entries beyond are not recorded). */
export const MEMO_MAX_CHARS = 64 * 1024 * 1024;
/** Calls whose arguments are longer than this are not remembered. */
const MAX_KEY = 64 * 1024;

const memos = new WeakMap<object, ExpansionMemo>();

/** The memo of a base of definitions (made on first use, dropped with the base). */
export function memoFor(base: object): ExpansionMemo {
  let m = memos.get(base);
  if (m === undefined) {
    m = { seen: new Set(), entries: new Map(), chars: 0 };
    memos.set(base, m);
  }
  return m;
}

/** The state a top-level expansion may depend on, besides the definitions (which are the base's). */
export interface MemoState {
  lquote: string;
  rquote: string;
  bcomm: string;
  ecomm: string;
  currentDiv: number;
  sync: boolean;
  substituteWarned: boolean;
}

/** The key of a call (args[0] is the name): every part length-prefixed, so that no two calls share one. Undefined when too long. */
export function memoKey(args: readonly string[], s: MemoState): string | undefined {
  let n = 0;
  for (const a of args) n += a.length;
  if (n > MAX_KEY) return undefined;
  const parts = [s.lquote, s.rquote, s.bcomm, s.ecomm, String(s.currentDiv), s.sync ? 's' : '', s.substituteWarned ? 'w' : '', ...args];
  return parts.map((p) => `${p.length}:${p}`).join('');
}

/**
 * The builtins a recorded expansion may call: each reads only its arguments,
 * the definitions, the quotes and the diversion number, and changes nothing
 * but the input (defn of a builtin, dnl) and its warnings (which end the
 * recording). Not here: what defines, diverts, includes, wraps, prints to
 * standard error, exits, or reads the input's place (__file__, __line__).
 */
export const PURE_BUILTINS: ReadonlySet<string> = new Set([
  'decr',
  'defn',
  'divnum',
  'dnl',
  'eval',
  'format',
  'ifdef',
  'ifelse',
  'incr',
  'index',
  'len',
  'patsubst',
  'regexp',
  'shift',
  'substr',
  'translit',
]);
