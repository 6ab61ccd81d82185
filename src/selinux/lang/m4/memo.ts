// Expansions of top-level macro calls remembered over a shared base of
// definitions, and replayed when the same call comes again, or the same macro
// with other plain arguments.
//
// The devel pipeline forks every module pass from one state (the support
// files and the interfaces read), and each module's first lines make the same
// calls there: `policy_module` expands into `ifdef(`enable_mcs', ...)`, whose
// rescanning declares 1,024 categories through some 10,000 recursive calls.
// The engine (engine.ts) records such a call's expansion once and replays it.
// Then the module's interface calls: refpolicy's interfaces only pass their
// arguments on, so `files_read_etc_files(httpd_t)` is recorded once as
// `files_read_etc_files(\x011\x02)` and replayed, the argument put back, for
// every module that calls it with a name of its own.
//
// Why a replay is exact. A call is remembered only when it is made at the top
// level (no arguments being collected) of an engine whose definitions are
// those of its shared base, unchanged (the base is frozen: forks write their
// changes elsewhere), and by key: the base, the name (so the definition), the
// arguments, the quotes, the comment delimiters, the diversion, whether sync
// lines are written, and whether `\0` was warned about. While it is recorded:
//   - only user macros and the builtins in RECORDABLE_BUILTINS run (they read
//     only their arguments, the definitions, the quotes and the diversion
//     number, or change definitions); any other builtin, any diagnostic, and
//     any change of quotes, comments, diversions, wrapped text or standard
//     error ends the recording, and so does an expansion that leaves the
//     definitions other than it found them (refpolicy's `pushdef` and
//     `popdef` of the call depth around each interface body leave them so);
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
//
// With placeholders. A user macro called on one line with plain arguments
// (names, numbers, spaces, braces, `. - ~ *`; no name among them defined, no
// character the quotes or comments start with now) is
// expanded with a placeholder in each argument's stead, its output held back,
// and its key made of the placeholders. The expansion is a function of that key
// and of the arguments' text only as text put in place, unless something looks
// at a placeholder: then the engine goes back to the call (its input, counts,
// messages as they were: nothing was shipped) and expands it with the real
// arguments, and the key is never recorded. What looks: a builtin reading an
// argument that holds one (ifdef's name, ifelse's compared values, define's
// name, any argument of the others; not what they only pass on), and a name
// the real argument would join (a placeholder touching a name's characters in
// text read again, a name going on at the end of its input where a placeholder
// begins). Nor is it replayed, or shipped, for a call whose argument is named
// like a macro the expansion defines on its way (that call is expanded). The
// placeholders cannot be forged: none is used once an input read
// or a definition of the base holds their characters, and a recording ends
// when a builtin that makes text of its own makes one.
// Not used when origins are recorded (each token's origin is per call site).

/** A run of shipped-out text: `line` relative to the call's line (the line the text was read at). */
export interface MemoChunk {
  text: string;
  line: number;
  /** `text` cut at its placeholders (chunkWithArgs), made at its first replay with arguments (the chunk is complete by then). */
  parts?: ReadonlyArray<string | number> | undefined;
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
  /** Recorded with placeholders: the names it defined on its way (a real argument so named would have been expanded). */
  defined?: ReadonlySet<string> | undefined;
}

/** The memo of one base of definitions. `null`: a call that cannot be replayed (it did something not allowed). */
export interface ExpansionMemo {
  /** Keys called once: the second call is recorded, the third replayed (a call made only once costs no recording). */
  seen: Set<string>;
  entries: Map<string, MemoEntry | null>;
  /** Characters held in all entries. */
  chars: number;
  /** Each distinct deltaKey met, by its number in keys (a long one is held once, not in every key). */
  deltas: Map<string, number>;
  /** Characters held in `seen` and `deltas`: past MEMO_MAX_CHARS, calls are not remembered as seen. */
  keyChars: number;
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
    m = { seen: new Set(), entries: new Map(), chars: 0, deltas: new Map(), keyChars: 0 };
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
  /** The definitions the engine changed since its base (M4Engine's deltaKey; '' when none). */
  delta: string;
  /** `delta`'s number in the memo (deltaNumber): the key holds it instead. */
  deltaId: number;
}

/** The number of a deltaKey in `memo` (given on first use); undefined once the memo's keys hold too much. */
export function deltaNumber(memo: ExpansionMemo, delta: string): number | undefined {
  let id = memo.deltas.get(delta);
  if (id === undefined) {
    if (memo.keyChars >= MEMO_MAX_CHARS) return undefined;
    id = memo.deltas.size;
    memo.deltas.set(delta, id);
    memo.keyChars += delta.length;
  }
  return id;
}

/** Remembers that the call `key` was made (nothing once the memo's keys hold too much): its next call is recorded. */
export function markSeen(memo: ExpansionMemo, key: string): void {
  if (memo.keyChars >= MEMO_MAX_CHARS) return;
  memo.seen.add(key);
  memo.keyChars += key.length;
}

/** The first parts of every key made in state `s` (memoKey): an engine makes it once per change of state. */
export function memoKeyPrefix(s: MemoState): string {
  let key = '';
  for (const p of [s.lquote, s.rquote, s.bcomm, s.ecomm, String(s.currentDiv), s.sync ? 's' : '', s.substituteWarned ? 'w' : '', String(s.deltaId)]) key += `${p.length}:${p}`;
  return key;
}

/**
 * The key of a call (args[0] is the name): every part length-prefixed, so that no two calls share
 * one; `prefix` is memoKeyPrefix(s). Undefined when too long.
 */
export function memoKey(args: readonly string[], s: MemoState, prefix: string = memoKeyPrefix(s)): string | undefined {
  let n = 0;
  for (const a of args) n += a.length;
  if (n > MAX_KEY) return undefined;
  let key = prefix;
  for (const a of args) key += `${a.length}:${a}`;
  return key;
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

/** The builtins a recorded expansion may call: the pure ones, and those changing definitions (recCheck ends the recording unless they are as they were). */
export const RECORDABLE_BUILTINS: ReadonlySet<string> = new Set([...PURE_BUILTINS, 'define', 'pushdef', 'popdef', 'undefine']);

// Placeholders for the arguments of a call recorded once for every call of its macro with plain
// arguments: \x01, the argument's number, \x02. Latin1 (a character past it would make every
// string of the expansion two-byte, and the tokenizer much slower), so they are used only where
// they cannot be forged: no definition of the base and no input read holds either character, and
// a recording ends when a builtin that makes text of its own (format, translit, ...) makes one.
export const PH_OPEN = 0x01;
const PH_CLOSE = 0x02;
const OPEN = String.fromCharCode(PH_OPEN);
const CLOSE = String.fromCharCode(PH_CLOSE);

/** Whether a text holds a placeholder character. */
export function hasPlaceholderChar(text: string): boolean {
  return text.includes(OPEN) || text.includes(CLOSE);
}

const cleanBases = new WeakMap<object, boolean>();

/** Whether no definition of a base of definitions holds a placeholder character (worked out once per base). */
export function baseIsClean(base: ReadonlyMap<string, readonly { text?: string | undefined }[]>): boolean {
  let clean = cleanBases.get(base);
  if (clean === undefined) {
    clean = true;
    for (const [name, defs] of base) {
      if (hasPlaceholderChar(name) || defs.some((d) => d.text !== undefined && hasPlaceholderChar(d.text))) {
        clean = false;
        break;
      }
    }
    cleanBases.set(base, clean);
  }
  return clean;
}

/** The placeholder of argument `i`. */
export function placeholder(i: number): string {
  return `${OPEN}${i}${CLOSE}`;
}

/** A recorded chunk's text with each placeholder replaced by its argument (args[0] is the name), from the chunk cut once at its placeholders. */
export function chunkWithArgs(chunk: MemoChunk, args: readonly string[]): string {
  let parts = chunk.parts;
  if (parts === undefined) {
    // split keeps the captured numbers: text, number, text, ..., text.
    const cut: Array<string | number> = chunk.text.split(/\x01(\d+)\x02/);
    for (let i = 1; i < cut.length; i += 2) cut[i] = Number(cut[i]);
    chunk.parts = parts = cut;
  }
  if (parts.length === 1) return chunk.text;
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string | number;
    out += typeof p === 'number' ? (args[p] ?? '') : p;
  }
  return out;
}

/** Arguments text that m4 reads the same in any place: names, numbers, spaces, braces and a few marks, no defined macro among the names. */
const INERT = /^[A-Za-z0-9_.{}~*\- \t]*$/;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;

/** Whether every argument (args[0] is the name) is inert: a placeholder in its stead gives the same expansion unless something looks at it. */
export function inertArgs(args: readonly string[], defined: (word: string) => boolean, delimiters: string): boolean {
  for (let i = 1; i < args.length; i++) {
    const a = args[i] as string;
    if (!INERT.test(a)) return false;
    // Quotes or comments moved (changequote, changecom) onto one of the marks allowed above.
    for (let k = 0; k < delimiters.length; k++) if (a.includes(delimiters[k] as string)) return false;
    for (const w of a.matchAll(WORD)) if (defined(w[0])) return false;
  }
  return true;
}

/** Whether a name in the arguments (args[0] is the macro's) is one of `names`. */
export function namesAny(args: readonly string[], names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  for (let i = 1; i < args.length; i++) for (const w of (args[i] as string).matchAll(WORD)) if (names.has(w[0])) return true;
  return false;
}

const isWordCode = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);

/**
 * Whether text about to be read again has a placeholder touching a name's characters (the real
 * argument would join them into another name), or ends with one while `next` (the character read
 * after it) is one.
 */
export function touchesWord(text: string, next: () => number): boolean {
  for (let i = text.indexOf(OPEN); i !== -1; i = text.indexOf(OPEN, i + 1)) if (i > 0 && isWordCode(text.charCodeAt(i - 1))) return true;
  for (let i = text.indexOf(CLOSE); i !== -1; i = text.indexOf(CLOSE, i + 1)) {
    if (i + 1 < text.length ? isWordCode(text.charCodeAt(i + 1)) : isWordCode(next())) return true;
  }
  return false;
}

/** The builtins whose text is made of their arguments only: any other making a placeholder character forged it. */
export const PASS_THROUGH_BUILTINS: ReadonlySet<string> = new Set(['dnl', 'shift', 'divnum', 'ifdef', 'ifelse', 'define', 'pushdef', 'popdef', 'undefine']);

/** The arguments each builtin reads (1-based), when not all: a placeholder elsewhere only passes through. */
function inspected(name: string, i: number, n: number): boolean {
  switch (name) {
    case 'dnl':
    case 'shift':
    case 'divnum':
      return false;
    case 'ifdef':
    case 'define':
    case 'pushdef':
      return i === 1;
    case 'ifelse':
      // ifelse(a, b, then, c, d, then, ..., else): the compared ones.
      return i % 3 !== 0 && !(i === n && n % 3 === 1);
    default:
      return true;
  }
}

/** Whether a builtin called with `args` (args[0] is the name) reads a placeholder. */
export function inspectsPlaceholder(name: string, args: readonly string[]): boolean {
  const n = args.length - 1;
  for (let i = 1; i <= n; i++) if ((args[i] as string).includes(OPEN) && inspected(name, i, n)) return true;
  return false;
}
