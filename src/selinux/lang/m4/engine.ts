// The GNU m4 engine: input stack, tokens, macro calls and their arguments,
// rescanning, diversions and sync lines, with GNU m4 1.4's semantics (its
// manual is the specification, /usr/bin/m4 the oracle). Text is handled as
// bytes: inputs are decoded as latin1, so one character is one byte, as m4
// counts them (len, substr, index, translit).
//
// Nested macro calls are collected on an explicit stack of frames (not by JS
// recursion), so that deep nesting ends in an `m4-limit` diagnostic, never in
// a stack overflow. Every output chunk can carry where it came from (the file,
// line and column, and the chain of macro calls that produced it).
// Not here: the builtins (builtins.ts), eval (eval.ts), regular expressions
// (regex.ts), the devel Makefile's pipeline (devel.ts).
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { type Diagnostic, type DiagnosticCode, type DiagnosticNote, diagnostic } from '../../../base/diagnostic.js';
import type { Span } from '../../../base/span.js';
import { expandUser, expandUserTracked, type Segment } from './args.js';
import { BUILTINS, type Builtin } from './builtins.js';
import {
  baseIsClean,
  chunkWithArgs,
  deltaNumber,
  type ExpansionMemo,
  hasPlaceholderChar,
  inertArgs,
  inspectsPlaceholder,
  MEMO_MAX_CHARS,
  type MemoChunk,
  type MemoEntry,
  type MemoState,
  markSeen,
  memoFor,
  memoKey,
  memoKeyPrefix,
  namesAny,
  PASS_THROUGH_BUILTINS,
  PH_OPEN,
  PURE_BUILTINS,
  placeholder,
  RECORDABLE_BUILTINS,
  touchesWord,
} from './memo.js';

const EOF = -1;
const MACRO = -2;

enum Tok {
  Eof,
  String,
  Word,
  Open,
  Comma,
  Close,
  Simple,
  Macdef,
}

enum Kind {
  String,
  File,
  Macro,
}

/** A place in an input file. */
export interface M4Location {
  file: string;
  line: number;
  column?: number | undefined;
}

/** One macro call that produced text: the macro, where it was called (in the user's file) and the call that produced that call. */
export interface M4Expansion {
  macro: string;
  site: M4Location;
  parent?: M4Expansion | undefined;
  /** The arguments of a call of a macro defined by the input, as m4 collected them (origins only): the build's arity check reads them. */
  args?: readonly string[] | undefined;
}

/** Where a stretch of output came from: `offset` is where it starts in the output. */
export interface M4Origin {
  offset: number;
  site: M4Location;
  /** The innermost macro call that produced the text (follow `parent` for the chain); absent for text copied from a file. */
  expansion?: M4Expansion | undefined;
}

interface Block {
  kind: Kind;
  text: string;
  pos: number;
  end: number;
  file: string;
  line: number;
  /** start_of_input_line when a file was pushed (restored when it ends). */
  advance: boolean;
  macro?: Builtin | undefined;
  expansion?: M4Expansion | undefined;
  /** Stretches of an expansion that came from the call's arguments, and where each argument was written (origins only). */
  segments?: Segment[] | undefined;
}

/** The stack of an undefined name (also the mark of a name undefined over a shared base). */
const NONE: M4Definition[] = [];

/** The builtins given as arguments of a call that has none. */
const NO_FUNCS: readonly (Builtin | undefined)[] = [];

function findSegment(segs: readonly Segment[], pos: number): Segment | undefined {
  let lo = 0;
  let hi = segs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segs[mid] as Segment;
    if (pos < s.start) hi = mid - 1;
    else if (pos >= s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}

/** A macro definition: text, or a builtin. */
export type M4Definition = { text: string; builtin?: undefined } | { builtin: Builtin; text?: undefined };

interface Frame {
  name: string;
  def: M4Definition;
  args: string[];
  /** Builtins given as arguments (defn of a builtin), by argument index; absent when there are none. */
  funcs: (Builtin | undefined)[] | undefined;
  cur: string;
  curFunc: Builtin | undefined;
  paren: number;
  skipping: boolean;
  openFile: string;
  openLine: number;
  expansion: M4Expansion;
  /** Its arguments are collected and the macro is being called (a builtin at work). */
  calling?: boolean;
  /** Where each argument starts (origins only). */
  argSites?: (M4Location | undefined)[];
  curSite?: M4Location | undefined;
}

interface Diversion {
  /** Text this diversion started with (what a fork inherited), then `buf`'s bytes. */
  prefix: string;
  /** The bytes (one per character) after the prefix: no string garbage per token. */
  buf: Buffer;
  /** Characters in all: prefix and bytes used in `buf`. */
  length: number;
  origins: M4Origin[];
}

function newDiversion(prefix = '', size = 4096): Diversion {
  return { prefix, buf: Buffer.allocUnsafe(size), length: prefix.length, origins: [] };
}

/** A fork's copy: the text so far as its prefix (the original's bytes are not copied). */
function copyDiversion(d: Diversion): Diversion {
  const c = newDiversion(diversionText(d), 1024);
  c.origins = d.origins.slice();
  return c;
}

function diversionText(d: Diversion): string {
  const own = d.length - d.prefix.length;
  if (own === 0) return d.prefix;
  // Kept as the prefix from now on, so that the next fork does not decode it again.
  d.prefix += d.buf.toString('latin1', 0, own);
  return d.prefix;
}

export interface M4Limits {
  /** Nested macro calls (calls inside arguments); default 10,000. GNU m4 has no limit by default and dies of a stack overflow. */
  maxDepth?: number;
  /** Characters of output and diversions together; default 256 Mi. */
  maxOutput?: number;
  /** Macro calls in all; default 50 million (a rescanning loop such as define(a,a)a never ends in m4). */
  maxCalls?: number;
  /** Input blocks stacked; default 100,000. */
  maxInputDepth?: number;
}

export interface M4Options {
  /** -s: `#line N "FILE"` sync lines, as GNU m4 1.4 writes them. */
  syncLines?: boolean;
  /** -I: directories searched by include, sinclude and for input files, in order. */
  includeDirs?: readonly string[];
  /** Record where every output chunk came from (`M4Result.origins`). */
  origins?: boolean;
  limits?: M4Limits;
  /** `__program__` and the name in messages (default `m4`). */
  program?: string;
  /** Reads a file for include/undivert/input (latin1 text), or returns undefined when it cannot be opened. Default: the file system. */
  readFile?: (path: string) => string | undefined;
  /** What errprint and dumpdef write (default: collected in `M4Result.stderr`). */
  stderr?: (text: string) => void;
  /** Where diversion 0 goes as it is produced (default: collected in `M4Result.output`). */
  stdout?: (text: string) => void;
  /**
   * Replay the expansion of a top-level call made again over the same shared
   * definitions (forks of one engine), as memo.ts says; default true. The
   * output is the same either way; never done when origins are recorded.
   */
  memo?: boolean;
}

export interface M4Result {
  /** Diversion 0 (empty when `stdout` was given). */
  output: string;
  /** Messages, as diagnostics (m4-warning, m4-error, m4-limit, m4-regex, m4-unsupported). */
  diagnostics: Diagnostic[];
  /** The status GNU m4 would exit with. */
  exitCode: number;
  /** errprint and dumpdef text (when no `stderr` callback was given). */
  stderr: string;
  /** Where the output came from (with `origins: true`), in output order. */
  origins: M4Origin[];
}

/** A top-level call's expansion being recorded for the memo (memo.ts). */
interface Recording {
  memo: ExpansionMemo;
  key: string;
  state: MemoState;
  /** The call's file and line. */
  file: string;
  line: number;
  /** The macro calls made so far, the call level outside the call, and the deepest level reached. */
  calls: number;
  level: number;
  depth: number;
  /** The expansion's input is the stack from here up; reading below it ends the recording. */
  floor: number;
  /** The most blocks stacked above `floor` before a push. */
  stack: number;
  chunks: MemoChunk[];
  chars: number;
  pushed: boolean;
  /** What must not change while it is recorded. */
  diags: number;
  stderr: number;
  wrapup: number;
  retcode: number;
  /** A call recorded with placeholders for its arguments (memo.ts): its real arguments, and how to go back and expand it with them. */
  param?: ParamCall | undefined;
}

/** A top-level call expanded with placeholder arguments, to be replayed with the real ones (memo.ts). */
interface ParamCall {
  args: string[];
  frame: Frame;
  closeFile: string;
  closeLine: number;
  /** Names the expansion defined (MemoEntry.defined). */
  defined: Set<string>;
  /** The engine's state when the call was made, restored if the expansion turns out to depend on its arguments: the input blocks (the same objects, their places put back). */
  stack: Block[];
  places: number[];
  /** The definitions this engine had changed (a copy: stacks are changed in place). */
  symbols: Map<string, M4Definition[]>;
  calls: number;
  level: number;
  curFile: string;
  curLine: number;
  inputChange: boolean;
  startOfInputLine: boolean;
  startOfOutputLine: boolean;
  outLine: number;
  diags: number;
  stderr: number;
  retcode: number;
  substituteWarned: boolean;
  memoHits: number;
}

/** Thrown when an expansion recorded with placeholders depends on its arguments: caught by expandInput, which expands the call again with them. */
class ParamAbort {}

/** Thrown inside the engine to end the run (a fatal error or m4exit). */
class M4Stop {
  constructor(readonly code: number) {}
}

/** The longest deltaKey used: a module that changed longer definitions makes its calls without the memo. */
const MAX_DELTA_KEY = 16 * 1024;

/** A copy of a table of definitions, each stack copied. */
function copySymbols(symbols: ReadonlyMap<string, M4Definition[]>): Map<string, M4Definition[]> {
  const c = new Map<string, M4Definition[]>();
  for (const [k, v] of symbols) c.set(k, v.slice());
  return c;
}

function defaultRead(path: string): string | undefined {
  try {
    if (statSync(path).isDirectory()) return undefined;
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isWordStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);
}

/**
 * One m4 process: definitions, quotes, diversions, the input stack. Feed it
 * files with `processFile` (or `processText`), then call `finish`.
 * `fork()` copies the state (the devel pipeline reads the interface headers
 * once and forks per module).
 */
export class M4Engine {
  /** @internal */ symbols = new Map<string, M4Definition[]>();
  /**
   * Definitions shared with forks, never changed: `symbols` holds what this
   * engine changed since (an empty stack for a name undefined here).
   */
  private base: Map<string, M4Definition[]> | undefined;
  private baseShared = false;
  /** memoState's last answer (the state of top-level calls changes seldom). */
  private lastMemoState: { memo: ExpansionMemo; state: MemoState; prefix: string } | undefined;
  /** deltaKey's answer until `symbols` changes (null: not made since); every top-level call asks. */
  private deltaMade: string | undefined | null = null;
  /** @internal */ lquote = '`';
  /** @internal */ rquote = "'";
  /** @internal */ bcomm = '#';
  /** @internal */ ecomm = '\n';
  /** @internal */ curFile = '';
  /** @internal */ curLine = 0;
  /** @internal */ retcode = 0;
  /** @internal */ readonly program: string;
  /** @internal */ readonly includeDirs: readonly string[];
  /** @internal */ readonly readFile: (path: string) => string | undefined;
  /** @internal */ currentDiv = 0;
  /** @internal */ diversions = new Map<number, Diversion>();
  /** @internal */ invalidated = false;
  /** @internal */ substituteWarned = false;

  private stack: Block[] = [];
  private wrapup: Block[] = [];
  private inputChange = false;
  private startOfInputLine = false;
  private startOfOutputLine = true;
  private outLine = 0;
  private readonly sync: boolean;
  private frames: Frame[] = [];
  private level = 0;
  private calls = 0;
  private outputSize = 0;
  private div0: Diversion = newDiversion();
  private readonly stdout: ((text: string) => void) | undefined;
  private readonly stderrSink: ((text: string) => void) | undefined;
  private stderrText: string[] = [];
  private diags: Diagnostic[] = [];
  private stopped: number | undefined;
  private readonly trackOrigins: boolean;
  private readonly maxDepth: number;
  private readonly maxOutput: number;
  private readonly maxCalls: number;
  private readonly maxInputDepth: number;
  // The token just read.
  private tokText = '';
  private tokLine = 0;
  private tokMacro: Builtin | undefined;
  private tokBlock: Block | undefined;
  private tokPos = 0;
  /** Characters of diversion 0 given to the `stdout` callback. */
  private streamed = 0;
  /** Whether a run of simple characters may be read as one token (not while an argument's leading spaces are skipped). */
  private batch = false;
  private readonly memoOn: boolean;
  /** The expansion being recorded, and the input stack's floor for it (-1 when none). */
  private rec: Recording | undefined;
  private recFloor = -1;
  /** The call whose placeholder expansion was given up (ParamAbort), for expandInput. */
  private paramAborted: ParamCall | undefined;
  /** No input read so far holds a placeholder character (memo.ts): calls may be recorded with placeholders. */
  private placeholdersFree = true;
  /** @internal Calls replayed from the memo (for tests). */
  memoHits = 0;

  constructor(private readonly options: M4Options = {}) {
    this.sync = options.syncLines === true;
    this.includeDirs = options.includeDirs ?? [];
    this.program = options.program ?? 'm4';
    this.readFile = options.readFile ?? defaultRead;
    this.trackOrigins = options.origins === true;
    this.memoOn = options.memo !== false && !this.trackOrigins;
    this.stdout = options.stdout;
    this.stderrSink = options.stderr;
    const l = options.limits ?? {};
    this.maxDepth = l.maxDepth ?? 10_000;
    this.maxOutput = l.maxOutput ?? 256 * 1024 * 1024;
    this.maxCalls = l.maxCalls ?? 50_000_000;
    this.maxInputDepth = l.maxInputDepth ?? 100_000;
    for (const b of BUILTINS.values()) this.symbols.set(b.name, [{ builtin: b }]);
    this.symbols.set('__gnu__', [{ text: '' }]);
    this.symbols.set('__unix__', [{ text: '' }]);
  }

  /** A copy of this engine's state (definitions, quotes, diversions, output so far, messages), to go on with other input. */
  fork(overrides: Pick<M4Options, 'stdout' | 'stderr' | 'syncLines'> = {}): M4Engine {
    const e = new M4Engine({ ...this.options, ...overrides });
    // The definitions become a shared base, frozen: each side writes its
    // changes to its own table (setDef and popDef copy a stack first).
    if (this.symbols.size > 0) {
      if (this.base === undefined) this.base = this.symbols;
      else {
        const b = this.baseShared ? new Map(this.base) : this.base;
        for (const [k, v] of this.symbols) b.set(k, v);
        this.base = b;
      }
      this.symbols = new Map();
      this.deltaMade = null;
    }
    this.baseShared = true;
    e.symbols = new Map();
    e.base = this.base;
    // Shared with this engine: the copy's own fork must not write into it either.
    e.baseShared = true;
    e.lquote = this.lquote;
    e.rquote = this.rquote;
    e.bcomm = this.bcomm;
    e.ecomm = this.ecomm;
    e.retcode = this.retcode;
    e.currentDiv = this.currentDiv;
    e.substituteWarned = this.substituteWarned;
    e.placeholdersFree = this.placeholdersFree;
    for (const [n, d] of this.diversions) e.diversions.set(n, copyDiversion(d));
    e.div0 = copyDiversion(this.div0);
    e.wrapup = this.wrapup.map((b) => ({ ...b }));
    e.startOfInputLine = this.startOfInputLine;
    e.startOfOutputLine = this.startOfOutputLine;
    e.outLine = this.outLine;
    e.calls = this.calls;
    e.outputSize = this.outputSize;
    e.stderrText = this.stderrText.slice();
    e.diags = this.diags.slice();
    e.stopped = this.stopped;
    e.curFile = this.curFile;
    e.curLine = this.curLine;
    return e;
  }

  // ---- Definitions

  /** -D NAME[=VALUE] */
  define(name: string, value = ''): void {
    this.setDef(name, { text: value }, false);
  }

  /** -U NAME */
  undefine(name: string): void {
    this.deltaMade = null;
    if (this.base?.has(name) === true) this.symbols.set(name, NONE);
    else this.symbols.delete(name);
  }

  /** The stack of definitions of `name` (empty when undefined); read-only, it may be shared with a fork. */
  private stackOf(name: string): M4Definition[] {
    return this.symbols.get(name) ?? this.base?.get(name) ?? NONE;
  }

  /** @internal */
  lookup(name: string): M4Definition | undefined {
    const s = (this.symbols.size === 0 ? undefined : this.symbols.get(name)) ?? this.base?.get(name);
    return s === undefined ? undefined : s[s.length - 1];
  }

  /** @internal Every defined name. */
  names(): string[] {
    const out = new Set<string>();
    for (const m of [this.base, this.symbols]) if (m !== undefined) for (const k of m.keys()) if (this.stackOf(k).length > 0) out.add(k);
    return [...out];
  }

  /** @internal */
  setDef(name: string, def: M4Definition, push: boolean): void {
    // While an expansion is recorded, definitions may change if it leaves them as it found them (recCheck).
    this.rec?.param?.defined.add(name);
    this.deltaMade = null;
    const s = this.stackOf(name);
    if (s.length === 0) {
      this.symbols.set(name, [def]);
      return;
    }
    const w = this.writable(name, s);
    if (push) w.push(def);
    else w[w.length - 1] = def;
  }

  /** The stack of `name` in this engine's own table (copied from the shared base first). */
  private writable(name: string, s: M4Definition[]): M4Definition[] {
    if (this.symbols.get(name) === s) return s;
    const c = s.slice();
    this.symbols.set(name, c);
    return c;
  }

  /** @internal */
  popDef(name: string): void {
    this.deltaMade = null;
    const s = this.stackOf(name);
    if (s.length <= 1) {
      if (s.length === 1) this.undefine(name);
      return;
    }
    const w = this.writable(name, s);
    w.pop();
    // Back to the shared base's stack: this engine's table forgets the name (its definitions are the base's again).
    const b = this.base?.get(name);
    if (b !== undefined && b.length === w.length && b.every((d, i) => d === w[i])) this.symbols.delete(name);
  }

  // ---- Running

  /** Reads and expands one input file, found as m4 finds it (as named, then in each -I directory). */
  processFile(name: string): void {
    if (this.stopped !== undefined) return;
    const found = this.pathSearch(name);
    if (found === undefined) {
      this.report('error', 'm4-error', `cannot open \`${name}': No such file or directory`, undefined);
      this.retcode = 1;
      return;
    }
    this.processText(found.path, found.text);
  }

  /** Expands `text` as if read from a file named `name` (`stdin` for standard input). */
  processText(name: string, text: string): void {
    if (this.stopped !== undefined) return;
    this.pushFile(name, text);
    this.run(() => this.expandInput());
  }

  /** Reads the wrapped-up text (m4wrap), undiverts everything, and gives the result. */
  finish(): M4Result {
    if (this.stopped === undefined) {
      this.run(() => {
        while (this.wrapup.length > 0) {
          this.stack = this.wrapup;
          this.wrapup = [];
          this.inputChange = true;
          this.expandInput();
        }
        this.makeDiversion(0);
        this.undivertAll();
      });
    }
    const exitCode = this.stopped ?? this.retcode;
    return { output: diversionText(this.div0), diagnostics: this.diags, exitCode, stderr: this.stderrText.join(''), origins: this.div0.origins };
  }

  /** The diagnostics so far. */
  get diagnostics(): readonly Diagnostic[] {
    return this.diags;
  }

  private run(fn: () => void): void {
    try {
      fn();
      // One recorded with placeholders ends inside expandInput: one still going holds output back.
      if (this.rec?.param !== undefined) throw new Error('m4: an expansion recorded with placeholders outlived its input');
    } catch (e) {
      if (!(e instanceof M4Stop)) throw e;
      this.stopped = e.code;
      this.stack = [];
      this.frames = [];
    } finally {
      if (this.rec?.param !== undefined) {
        this.rec = undefined;
        this.recFloor = -1;
      } else if (this.rec !== undefined) this.recAbort();
    }
  }

  /** @internal m4_path_search: the name as given, then under each -I directory. */
  pathSearch(name: string): { path: string; text: string } | undefined {
    if (this.rec !== undefined) this.recAbort();
    if (name === '') return undefined;
    const direct = this.readFile(name);
    if (direct !== undefined) return { path: name, text: direct };
    if (isAbsolute(name)) return undefined;
    for (const dir of this.includeDirs) {
      const path = dir.endsWith('/') ? dir + name : `${dir}/${name}`;
      const text = this.readFile(path);
      if (text !== undefined) return { path, text };
    }
    return undefined;
  }

  // ---- Messages

  /** @internal A message at the current place, with the chain of calls as notes. */
  report(severity: 'error' | 'warning', code: DiagnosticCode, message: string, at: M4Location | undefined = this.here()): void {
    if (this.rec !== undefined) this.recAbort();
    const span: Span | undefined = at && at.line > 0 ? { file: at.file, line: at.line, column: at.column } : undefined;
    this.diags.push(diagnostic(severity, code, message, { span, notes: this.chainNotes() }));
  }

  /** @internal m4's M4ERROR with warning status: a warning diagnostic. */
  warn(message: string): void {
    this.report('warning', 'm4-warning', message);
  }

  /** @internal An error m4 reports and goes on after, exiting 1 at the end. */
  error(message: string, code: DiagnosticCode = 'm4-error'): void {
    this.report('error', code, message);
    this.retcode = 1;
  }

  /** @internal A fatal error: reported, and the run ends with status 1. */
  fatal(message: string, code: DiagnosticCode = 'm4-error', at?: M4Location): never {
    this.report('error', code, message, at ?? this.here());
    throw new M4Stop(1);
  }

  /** @internal m4exit */
  exit(code: number): never {
    if (this.rec !== undefined) this.recAbort();
    throw new M4Stop(code === 0 && this.retcode !== 0 ? this.retcode : code);
  }

  /** @internal errprint, dumpdef */
  writeStderr(text: string): void {
    if (this.rec !== undefined) this.recAbort();
    if (this.stderrSink) this.stderrSink(text);
    else this.stderrText.push(text);
  }

  private here(): M4Location | undefined {
    if (this.curLine === 0) return undefined;
    return { file: this.curFile, line: this.curLine };
  }

  /** The chain of calls at this point, innermost first: expansions being read, then calls whose arguments are being collected. Runs of the same call are one note. */
  private chainNotes(): DiagnosticNote[] {
    const raw: { what: string; x: M4Expansion }[] = [];
    const seen = new Set<M4Expansion>();
    for (let x = this.liveBlock()?.expansion; x !== undefined && !seen.has(x); x = x.parent) {
      seen.add(x);
      raw.push({ what: 'in expansion', x });
    }
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i] as Frame;
      if (seen.has(f.expansion)) continue;
      raw.push({ what: f.calling === true ? 'in the call' : 'in the arguments', x: f.expansion });
      for (let x = f.expansion.parent; x !== undefined && !seen.has(x); x = x.parent) {
        seen.add(x);
        raw.push({ what: 'in expansion', x });
      }
    }
    const notes: (DiagnosticNote & { key: string; count: number; base: string })[] = [];
    for (const r of raw) {
      const key = `${r.what}\0${r.x.macro}\0${r.x.site.file}\0${r.x.site.line}\0${r.x.site.column}`;
      const last = notes[notes.length - 1];
      if (last !== undefined && last.key === key) {
        last.count++;
        continue;
      }
      if (notes.length >= 20) break;
      const base = `${r.what} of \`${r.x.macro}'`;
      notes.push({ key, count: 1, base, message: base, span: { file: r.x.site.file, line: r.x.site.line, column: r.x.site.column } });
    }
    return notes.map((n) => ({ message: n.count > 1 ? `${n.base} (${n.count} times)` : n.base, span: n.span }));
  }

  // ---- Input

  private pushFile(name: string, text: string): void {
    if (this.placeholdersFree && hasPlaceholderChar(text)) this.placeholdersFree = false;
    if (this.rec !== undefined) this.recAbort();
    this.invalidated = true;
    this.pushBlock({ kind: Kind.File, text, pos: 0, end: text.length, file: name, line: 1, advance: this.startOfInputLine });
    this.outLine = -1;
  }

  /** @internal include */
  includeFile(name: string, text: string): void {
    this.pushFile(name, text);
  }

  /** @internal defn of a builtin: the builtin itself is the next token. */
  pushMacro(b: Builtin): void {
    this.invalidated = true;
    this.pushBlock({ kind: Kind.Macro, text: '', pos: 0, end: 0, file: this.curFile, line: this.curLine, advance: false, macro: b });
  }

  /** @internal m4wrap */
  pushWrapup(text: string): void {
    if (this.rec !== undefined) this.recAbort();
    this.wrapup.push({ kind: Kind.String, text, pos: 0, end: text.length, file: this.curFile, line: this.curLine, advance: false });
  }

  private pushString(text: string, file: string, line: number, expansion: M4Expansion | undefined, segments?: Segment[]): void {
    // Exhausted strings on top are dropped first (m4 pops them on the next
    // read; nothing can see the difference), so tail calls do not pile up.
    let top = this.stack[this.stack.length - 1];
    while (top !== undefined && top.kind === Kind.String && top.pos >= top.end) {
      // Below the floor: the recorded expansion's input was not all its own.
      if (this.stack.length <= this.recFloor) this.recAbort();
      this.stack.pop();
      top = this.stack[this.stack.length - 1];
    }
    this.pushBlock({ kind: Kind.String, text, pos: 0, end: text.length, file, line, advance: false, expansion, segments });
  }

  private pushBlock(b: Block): void {
    if (this.stack.length >= this.maxInputDepth) this.fatal(`input nested more than ${this.maxInputDepth} levels deep (a macro whose expansion never ends?)`, 'm4-limit');
    const r = this.rec;
    if (r !== undefined) {
      r.pushed = true;
      if (this.stack.length - r.floor > r.stack) r.stack = this.stack.length - r.floor;
    }
    this.stack.push(b);
    this.inputChange = true;
  }

  private popInput(): void {
    const b = this.stack.pop();
    if (this.stack.length <= this.recFloor) this.recAbort();
    if (b !== undefined && b.kind === Kind.File) {
      this.startOfInputLine = b.advance;
      this.outLine = -1;
    }
    this.inputChange = true;
  }

  /** The block the next character comes from (exhausted ones skipped, not popped). */
  private liveBlock(): Block | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const b = this.stack[i] as Block;
      if (b.kind === Kind.Macro || b.pos < b.end) {
        if (i < this.recFloor) this.recAbort();
        return b;
      }
    }
    if (this.rec !== undefined) this.recAbort();
    return undefined;
  }

  private peekChar(): number {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const b = this.stack[i] as Block;
      if (b.kind === Kind.Macro || b.pos < b.end) {
        if (i < this.recFloor) this.recAbort();
        return b.kind === Kind.Macro ? MACRO : b.text.charCodeAt(b.pos);
      }
    }
    if (this.rec !== undefined) this.recAbort();
    return EOF;
  }

  private nextChar(): number {
    if (this.stack.length <= this.recFloor) this.recAbort();
    for (;;) {
      const b = this.stack[this.stack.length - 1];
      if (b === undefined) {
        this.curFile = '';
        this.curLine = 0;
        return EOF;
      }
      if (this.inputChange) {
        this.curFile = b.file;
        this.curLine = b.line;
        this.inputChange = false;
      }
      if (b.kind === Kind.String) {
        if (b.pos < b.end) return b.text.charCodeAt(b.pos++);
      } else if (b.kind === Kind.File) {
        if (this.startOfInputLine) {
          this.startOfInputLine = false;
          this.curLine = ++b.line;
        }
        if (b.pos < b.end) {
          const c = b.text.charCodeAt(b.pos++);
          if (c === 10) this.startOfInputLine = true;
          return c;
        }
      } else {
        this.popInput();
        return MACRO;
      }
      this.popInput();
    }
  }

  /**
   * The top block, ready to be read in bulk (its line bookkeeping applied as
   * next_char would), or undefined when the next character is not in it.
   */
  private bulkBlock(): Block | undefined {
    // Nothing above the floor (dnl called at the top level): the text read is not the expansion's.
    if (this.stack.length <= this.recFloor) this.recAbort();
    const b = this.stack[this.stack.length - 1];
    if (b === undefined || b.kind === Kind.Macro || b.pos >= b.end) return undefined;
    if (this.inputChange) {
      this.curFile = b.file;
      this.curLine = b.line;
      this.inputChange = false;
    }
    return b;
  }

  /** Consumes b's characters up to `to` (exclusive), counting lines as next_char does. */
  private consumeTo(b: Block, to: number): void {
    if (to <= b.pos) return;
    if (b.kind === Kind.File) {
      const t = b.text;
      let line = b.line;
      if (this.startOfInputLine) line++;
      let i = t.indexOf('\n', b.pos);
      while (i !== -1 && i < to - 1) {
        line++;
        i = t.indexOf('\n', i + 1);
      }
      b.line = line;
      this.curLine = line;
      this.startOfInputLine = t.charCodeAt(to - 1) === 10;
    }
    b.pos = to;
  }

  /** Whether the input continues with `s` (looked at, not consumed). */
  private ahead(s: string): boolean {
    let i = 0;
    for (let k = this.stack.length - 1; k >= 0 && i < s.length; k--) {
      const b = this.stack[k] as Block;
      if (k < this.recFloor) this.recAbort();
      if (b.kind === Kind.Macro) return false;
      let p = b.pos;
      while (p < b.end && i < s.length) {
        if (b.text.charCodeAt(p) !== s.charCodeAt(i)) return false;
        p++;
        i++;
      }
    }
    if (i < s.length && this.rec !== undefined) this.recAbort();
    return i === s.length;
  }

  /** MATCH(ch, s, true): ch (already read) and what follows are `s`; consumed when so. */
  private matchConsume(ch: number, s: string): boolean {
    if (s.length === 0 || s.charCodeAt(0) !== ch || ch === 0) return false;
    if (s.length === 1) return true;
    const rest = s.slice(1);
    if (!this.ahead(rest)) return false;
    for (let i = 0; i < rest.length; i++) this.nextChar();
    return true;
  }

  /** MATCH(ch, s, false): the input (ch is its next character) starts with `s`. */
  private matchPeek(ch: number, s: string): boolean {
    if (s.length === 0 || s.charCodeAt(0) !== ch || ch === 0) return false;
    return s.length === 1 || this.ahead(s);
  }

  /** @internal dnl: the rest of the line goes. */
  skipLine(): void {
    const file = this.curFile;
    const line = this.curLine;
    let ch: number;
    for (;;) {
      const b = this.bulkBlock();
      if (b !== undefined) {
        const nl = b.text.indexOf('\n', b.pos);
        if (nl !== -1 && nl < b.end) {
          this.consumeTo(b, nl + 1);
          ch = 10;
          break;
        }
        this.consumeTo(b, b.end);
      }
      ch = this.nextChar();
      if (ch === EOF || ch === 10) break;
    }
    if (ch === EOF) this.report('warning', 'm4-warning', 'Warning: end of file treated as newline', { file, line });
    if (file !== this.curFile || line !== this.curLine) this.inputChange = true;
  }

  // ---- Tokens

  private peekToken(): Tok {
    const ch = this.peekChar();
    if (ch === EOF) return Tok.Eof;
    if (ch === MACRO) return Tok.Macdef;
    if (this.matchPeek(ch, this.bcomm)) return Tok.String;
    if (isWordStart(ch)) return Tok.Word;
    if (this.matchPeek(ch, this.lquote)) return Tok.String;
    return ch === 40 ? Tok.Open : ch === 44 ? Tok.Comma : ch === 41 ? Tok.Close : Tok.Simple;
  }

  private nextToken(): Tok {
    let ch: number;
    const top = this.stack[this.stack.length - 1];
    if (top !== undefined && top.kind === Kind.String && top.pos < top.end && !this.inputChange) {
      // The common case, as m4's next_char macro: a character of the string on top.
      ch = top.text.charCodeAt(top.pos++);
    } else {
      const peek = this.peekChar();
      if (peek === EOF) {
        this.nextChar();
        return Tok.Eof;
      }
      if (peek === MACRO) {
        this.tokMacro = this.liveBlock()?.macro;
        this.nextChar();
        return Tok.Macdef;
      }
      ch = this.nextChar();
    }
    const file = this.curFile;
    const line = this.curLine;
    this.tokLine = line;
    const blk = this.stack[this.stack.length - 1] as Block;
    this.tokBlock = blk;
    this.tokPos = blk.pos - 1;
    if (this.matchConsume(ch, this.bcomm)) return this.commentToken(file, line);
    if (isWordStart(ch)) {
      // Within the block, one slice; across blocks, a character at a time.
      const text = blk.text;
      let to = blk.pos;
      while (to < blk.end && isWordChar(text.charCodeAt(to))) to++;
      let word = blk.text.slice(blk.pos - 1, to);
      this.consumeTo(blk, to);
      if (to === blk.end) {
        for (;;) {
          const c = this.peekChar();
          if (c < 0 || !isWordChar(c)) {
            // A name that ends where a placeholder begins: the real argument would go on with it.
            if (c === PH_OPEN && this.rec?.param !== undefined) this.recAbort();
            break;
          }
          word += String.fromCharCode(c);
          this.nextChar();
        }
      }
      this.tokText = word;
      return Tok.Word;
    }
    if (!this.matchConsume(ch, this.lquote)) {
      if (ch === 40) {
        this.tokText = '(';
        return Tok.Open;
      }
      if (ch === 44) {
        this.tokText = ',';
        return Tok.Comma;
      }
      if (ch === 41) {
        this.tokText = ')';
        return Tok.Close;
      }
      if (this.batch && ch !== 10 && !this.inputChange && blk.kind !== Kind.Macro) {
        // A run of characters that are each a token of their own in m4
        // (not a word, quote, comment, parenthesis or comma), up to and
        // including a newline, is shipped or collected as one: the same
        // text, and a sync line can only be due after a newline.
        const t = blk.text;
        const lq = this.lquote.length > 0 ? this.lquote.charCodeAt(0) : -1;
        const bc = this.bcomm.length > 0 ? this.bcomm.charCodeAt(0) : -1;
        let p = blk.pos;
        for (; p < blk.end; p++) {
          const c = t.charCodeAt(p);
          if (c === 40 || c === 41 || c === 44 || c === lq || c === bc || isWordStart(c) || c === 0) break;
          if (c === 10) {
            p++;
            break;
          }
        }
        if (p > blk.pos) {
          this.tokText = t.slice(blk.pos - 1, p);
          this.consumeTo(blk, p);
          return Tok.Simple;
        }
      }
      this.tokText = String.fromCharCode(ch);
      return Tok.Simple;
    }
    return this.quotedToken(file, line);
  }

  // nextToken's comments and quoted strings, each a method of its own: the optimizing compiler
  // takes them apart from the common path (words, punctuation), and compiles them again alone.

  /** A comment, its start delimiter read: the text up to and including the end delimiter. */
  private commentToken(file: string, line: number): Tok {
    let ch: number;
    const parts = [this.bcomm];
    const ec = this.ecomm;
    for (;;) {
      const b = this.bulkBlock();
      if (b !== undefined && ec.length === 1) {
        const i = b.text.indexOf(ec, b.pos);
        if (i !== -1 && i < b.end) {
          parts.push(b.text.slice(b.pos, i + 1));
          this.consumeTo(b, i + 1);
          break;
        }
        parts.push(b.text.slice(b.pos, b.end));
        this.consumeTo(b, b.end);
      }
      ch = this.nextChar();
      if (ch === EOF) this.fatal('ERROR: end of file in comment', 'm4-error', { file, line });
      if (this.matchConsume(ch, ec)) {
        parts.push(ec);
        break;
      }
      parts.push(String.fromCharCode(ch));
    }
    this.tokText = parts.join('');
    return Tok.String;
  }

  /** A quoted string, its open quote read: the text inside, up to the matching close quote. */
  private quotedToken(file: string, line: number): Tok {
    let ch: number;
    const lq = this.lquote;
    const rq = this.rquote;
    const fast = lq.length === 1 && rq.length === 1;
    const lqc = lq.charCodeAt(0);
    const rqc = rq.charCodeAt(0);
    let level = 1;
    const parts: string[] = [];
    for (;;) {
      if (fast) {
        const b = this.bulkBlock();
        if (b !== undefined) {
          const t = b.text;
          let p = b.pos;
          const end = b.end;
          for (; p < end; p++) {
            const c = t.charCodeAt(p);
            if (c === rqc) {
              if (--level === 0) break;
            } else if (c === lqc) level++;
          }
          if (p < end) {
            parts.push(t.slice(b.pos, p));
            this.consumeTo(b, p + 1);
            break;
          }
          parts.push(t.slice(b.pos, end));
          this.consumeTo(b, end);
        }
      }
      ch = this.nextChar();
      if (ch === EOF) this.fatal('ERROR: end of file in string', 'm4-error', { file, line });
      if (this.matchConsume(ch, rq)) {
        if (--level === 0) break;
        parts.push(rq);
      } else if (this.matchConsume(ch, lq)) {
        level++;
        parts.push(lq);
      } else if (ch >= 0) parts.push(String.fromCharCode(ch));
    }
    this.tokText = parts.length === 1 ? (parts[0] as string) : parts.join('');
    return Tok.String;
  }

  // ---- Expansion

  private expandInput(): void {
    for (;;) {
      try {
        this.expandLoop();
        return;
      } catch (e) {
        if (!(e instanceof ParamAbort)) throw e;
        const p = this.paramAborted as ParamCall;
        this.paramAborted = undefined;
        this.paramRestart(p);
      }
    }
  }

  private expandLoop(): void {
    const frames = this.frames;
    for (;;) {
      // frames[-1] of an empty array is a slow property lookup in V8: the length is tested first.
      if (frames.length === 0) {
        if (this.rec !== undefined) this.recCheck();
        this.batch = true;
      } else this.batch = !(frames[frames.length - 1] as Frame).skipping;
      const t = this.nextToken();
      const n = this.frames.length;
      if (t === Tok.Eof) {
        if (n > 0) {
          const f = this.frames[n - 1] as Frame;
          this.fatal('ERROR: end of file in argument list', 'm4-error', { file: f.openFile, line: f.openLine });
        }
        return;
      }
      if (n === 0) this.topToken(t);
      else this.argToken(this.frames[n - 1] as Frame, t);
    }
  }

  private topToken(t: Tok): void {
    if (t === Tok.Macdef) return;
    if (t === Tok.Word) {
      const def = this.lookup(this.tokText);
      if (def !== undefined) {
        const next = this.peekToken();
        if (next === Tok.Open || def.builtin?.blind !== true) {
          this.startMacro(this.tokText, def, next === Tok.Open);
          return;
        }
      }
    }
    this.shipout(this.tokText, this.tokLine);
  }

  private argToken(f: Frame, t: Tok): void {
    if (f.skipping) {
      if (t === Tok.Simple && isSpace(this.tokText.charCodeAt(0))) return;
      f.skipping = false;
      if (this.trackOrigins) f.curSite = this.tokenSite();
    }
    switch (t) {
      case Tok.Comma:
      case Tok.Close:
        if (f.paren === 0) {
          f.args.push(f.curFunc === undefined ? f.cur : '');
          if (this.trackOrigins) {
            (f.argSites ??= [undefined]).push(f.curSite);
            f.curSite = undefined;
          }
          if (f.curFunc !== undefined) {
            f.funcs ??= [];
            f.funcs[f.args.length - 1] = f.curFunc;
          }
          f.cur = '';
          f.curFunc = undefined;
          if (t === Tok.Close) {
            this.frames.pop();
            this.callMacro(f);
          } else f.skipping = true;
          return;
        }
        if (t === Tok.Close) f.paren--;
        f.cur += this.tokText;
        return;
      case Tok.Open:
        f.paren++;
        f.cur += this.tokText;
        return;
      case Tok.Simple:
      case Tok.String:
        f.cur += this.tokText;
        return;
      case Tok.Word: {
        const def = this.lookup(this.tokText);
        const next = def === undefined ? Tok.Eof : this.peekToken();
        if (def !== undefined && (next === Tok.Open || def.builtin?.blind !== true)) this.startMacro(this.tokText, def, next === Tok.Open);
        else f.cur += this.tokText;
        return;
      }
      case Tok.Macdef:
        if (f.cur.length === 0) f.curFunc = this.tokMacro;
        return;
      default:
        return;
    }
  }

  /** Where the token just read was written: its file place, or the place of the argument or call its expansion text came from. */
  private tokenSite(): M4Location {
    const b = this.tokBlock;
    if (b !== undefined && b.kind === Kind.File) return { file: b.file, line: this.tokLine, column: this.tokPos - b.text.lastIndexOf('\n', this.tokPos - 1) };
    if (b?.segments !== undefined) {
      const seg = findSegment(b.segments, this.tokPos);
      if (seg !== undefined) return seg.site;
    }
    if (b?.expansion !== undefined) return b.expansion.site;
    return { file: this.curFile, line: this.tokLine };
  }

  /** Where the word just read came from, as the call site of a macro. */
  private callSite(name: string): M4Expansion {
    const b = this.tokBlock;
    if (b !== undefined && b.kind === Kind.String && b.expansion !== undefined) return { macro: name, site: this.trackOrigins ? this.tokenSite() : b.expansion.site, parent: b.expansion };
    if (b !== undefined && b.kind === Kind.File) return { macro: name, site: { file: b.file, line: this.tokLine, column: this.tokPos - b.text.lastIndexOf('\n', this.tokPos - 1) } };
    return { macro: name, site: { file: this.curFile, line: this.tokLine } };
  }

  /** `open`: the next token is `(` (peek_token said so, and nothing has been read since). */
  private startMacro(name: string, def: M4Definition, open: boolean): void {
    const expansion = this.callSite(name);
    this.level++;
    if (this.rec !== undefined && this.level > this.rec.depth) this.rec.depth = this.level;
    if (++this.calls > this.maxCalls) this.fatal(`more than ${this.maxCalls} macro calls (a macro that calls itself forever?)`, 'm4-limit');
    const f: Frame = { name, def, args: [name], funcs: undefined, cur: '', curFunc: undefined, paren: 0, skipping: true, openFile: this.curFile, openLine: this.curLine, expansion };
    if (this.level > this.maxDepth) {
      this.frames.push(f);
      this.fatal(`recursion limit of ${this.maxDepth} exceeded`, 'm4-limit');
    }
    if (open) {
      this.nextToken();
      this.frames.push(f);
    } else this.callMacro(f);
  }

  private callMacro(f: Frame): void {
    const closeFile = this.curFile;
    const closeLine = this.curLine;
    this.curFile = f.openFile;
    this.curLine = f.openLine;
    this.invalidated = false;
    let text: string;
    const b = f.def.builtin;
    if (this.memoOn && this.frames.length === 0 && this.base !== undefined && (b === undefined || PURE_BUILTINS.has(b.name))) {
      if (this.memoCall(f, this.base, closeFile, closeLine)) {
        this.level--;
        return;
      }
    }
    if (this.trackOrigins && b === undefined) f.expansion.args = f.args.slice(1);
    if (b !== undefined) {
      const r = this.rec;
      if (r !== undefined && (!RECORDABLE_BUILTINS.has(b.name) || (r.param !== undefined && inspectsPlaceholder(b.name, f.args)))) this.recAbort();
      if (!b.macroArgs) f.funcs = undefined;
      f.calling = true;
      this.frames.push(f);
      try {
        text = b.fn(this, f.args, f.funcs ?? NO_FUNCS);
      } finally {
        this.frames.pop();
      }
      // A placeholder character made by a builtin, not passed through from its arguments, would be taken for one.
      if (this.rec?.param !== undefined && !PASS_THROUGH_BUILTINS.has(b.name) && hasPlaceholderChar(text)) this.recAbort();
    } else if (this.trackOrigins && f.argSites !== undefined) {
      const r = expandUserTracked(f.def.text as string, f.args, this.lquote, this.rquote, f.argSites);
      if (r.text.length > 0) this.pushString(r.text, f.openFile, f.openLine, f.expansion, r.segments);
      text = '';
    } else text = expandUser(f.def.text as string, f.args, this.lquote, this.rquote);
    if (!this.invalidated && text.length > 0) {
      if (this.rec?.param !== undefined && touchesWord(text, () => this.peekChar())) this.recAbort();
      this.pushString(text, f.openFile, f.openLine, f.expansion);
    }
    this.curFile = closeFile;
    this.curLine = closeLine;
    this.level--;
  }

  /** @internal indir and builtin: call a definition with these arguments (args[0] the name). */
  callDefinition(def: M4Definition, args: string[], funcs: readonly (Builtin | undefined)[]): string {
    const b = def.builtin;
    if (b !== undefined) return b.fn(this, args, funcs);
    return expandUser(def.text as string, args, this.lquote, this.rquote);
  }

  // ---- The memo (memo.ts)

  /**
   * The definitions this engine changed since its base, as a memo key's part
   * ('' when none; undefined when too long to be worth one). A top-level call
   * inside `optional_policy` sees `__in_optional_policy` pushed: its expansion
   * is the same wherever these changes are the same.
   */
  private deltaKey(): string | undefined {
    if (this.symbols.size === 0) return '';
    if (this.deltaMade !== null) return this.deltaMade;
    let out: string | undefined = '';
    for (const [name, stack] of this.symbols) {
      out += `${name.length}:${name}${stack.length}:`;
      for (const d of stack) out += d.builtin !== undefined ? `b${d.builtin.name.length}:${d.builtin.name}` : `t${d.text.length}:${d.text}`;
      if (out.length > MAX_DELTA_KEY) {
        out = undefined;
        break;
      }
    }
    this.deltaMade = out;
    return out;
  }

  /**
   * A top-level call over the unchanged base: replayed when remembered (true),
   * else recorded when called before (and nothing else is being recorded).
   */
  private memoCall(f: Frame, base: object, closeFile: string, closeLine: number): boolean {
    const delta = this.deltaKey();
    if (delta === undefined) return false;
    const memo = memoFor(base);
    const deltaId = deltaNumber(memo, delta);
    if (deltaId === undefined) return false;
    const { state, prefix } = this.memoState(memo, delta, deltaId);
    // Exhausted strings on top are the expansion's to drop (pushString does).
    let floor = this.stack.length;
    for (let t = this.stack[floor - 1]; t !== undefined && t.kind === Kind.String && t.pos >= t.end; t = this.stack[floor - 1]) floor--;
    // A user macro called on one line with plain arguments: its expansion with placeholders for them, once per name and count.
    const defined = (w: string): boolean => this.lookup(w) !== undefined;
    if (
      f.def.builtin === undefined &&
      f.args.length > 1 &&
      this.placeholdersFree &&
      baseIsClean(this.base as Map<string, M4Definition[]>) &&
      !hasPlaceholderChar(delta) &&
      closeFile === f.openFile &&
      closeLine === f.openLine &&
      inertArgs(f.args, defined, `${this.lquote.charAt(0)}${this.rquote.charAt(0)}${this.bcomm.charAt(0)}`)
    ) {
      const placed = memoKey(
        f.args.map((a, i) => (i === 0 ? a : placeholder(i))),
        state,
        prefix,
      );
      if (placed !== undefined) {
        // Keys of their own: an exact key (it starts with a digit) never names a recording with placeholders.
        const pkey = `P${placed}`;
        const pe = memo.entries.get(pkey);
        if (pe !== undefined && pe !== null) {
          // Not for arguments named like something the expansion defines on its way: the exact memo, or the expansion, then.
          if (pe.defined !== undefined && namesAny(f.args, pe.defined)) return false;
          return this.replay(f, pe, floor, closeFile, closeLine, f.args);
        }
        if (pe === undefined && this.rec === undefined && memo.chars < MEMO_MAX_CHARS) {
          this.startParam(f, memo, pkey, state, floor, closeFile, closeLine);
          return false;
        }
      }
    }
    const key = memoKey(f.args, state, prefix);
    if (key === undefined) return false;
    const e = memo.entries.get(key);
    if (e === null) return false;
    if (e !== undefined) return this.replay(f, e, floor, closeFile, closeLine, undefined);
    if (this.rec !== undefined || memo.chars >= MEMO_MAX_CHARS) return false;
    if (!memo.seen.has(key)) {
      markSeen(memo, key);
      return false;
    }
    this.startRecording(f, memo, key, state, floor, undefined);
    return false;
  }

  /** The memo state of a top-level call now, and its keys' first parts: the last ones made, while nothing they hold has changed. */
  private memoState(memo: ExpansionMemo, delta: string, deltaId: number): { state: MemoState; prefix: string } {
    const last = this.lastMemoState;
    if (
      last !== undefined &&
      last.memo === memo &&
      // One number per delta in a memo: the same number, the same delta.
      last.state.deltaId === deltaId &&
      last.state.lquote === this.lquote &&
      last.state.rquote === this.rquote &&
      last.state.bcomm === this.bcomm &&
      last.state.ecomm === this.ecomm &&
      last.state.currentDiv === this.currentDiv &&
      last.state.sync === this.sync &&
      last.state.substituteWarned === this.substituteWarned
    ) {
      return last;
    }
    const state: MemoState = {
      lquote: this.lquote,
      rquote: this.rquote,
      bcomm: this.bcomm,
      ecomm: this.ecomm,
      currentDiv: this.currentDiv,
      sync: this.sync,
      substituteWarned: this.substituteWarned,
      delta,
      deltaId,
    };
    this.lastMemoState = { memo, state, prefix: memoKeyPrefix(state) };
    return this.lastMemoState;
  }

  /** Records the expansion of the call `f` now made, under `key` (see Recording). */
  private startRecording(f: Frame, memo: ExpansionMemo, key: string, state: MemoState, floor: number, param: ParamCall | undefined): void {
    this.rec = {
      memo,
      key,
      state,
      file: f.openFile,
      line: f.openLine,
      calls: this.calls,
      level: this.level - 1,
      depth: this.level,
      floor,
      stack: 0,
      chunks: [],
      chars: 0,
      pushed: false,
      diags: this.diags.length,
      stderr: this.stderrText.length,
      wrapup: this.wrapup.length,
      retcode: this.retcode,
      param,
    };
    this.recFloor = floor;
  }

  /** Ships a remembered expansion as the call's (false: a limit would be met, so the call is expanded); `args`: the real arguments of an expansion recorded with placeholders. */
  private replay(f: Frame, e: MemoEntry, floor: number, closeFile: string, closeLine: number, args: readonly string[] | undefined): boolean {
    // Where a limit would be met, the call is expanded to meet it at the same place.
    if (this.calls + e.calls > this.maxCalls || this.level - 1 + e.depth > this.maxDepth || floor + e.stack >= this.maxInputDepth) return false;
    const texts = args === undefined ? e.chunks.map((c) => c.text) : e.chunks.map((c) => chunkWithArgs(c, args));
    let chars = 0;
    for (const t of texts) chars += t.length;
    if (this.outputSize + chars + e.chunks.length * (f.openFile.length + 32) > this.maxOutput) return false;
    const r = this.rec;
    if (r !== undefined) {
      // Replayed inside an expansion being recorded: its depths count there too.
      r.depth = Math.max(r.depth, this.level - 1 + e.depth);
      r.stack = Math.max(r.stack, floor + e.stack - r.floor);
    }
    for (let i = 0; i < texts.length; i++) this.shipout(texts[i] as string, f.openLine + (e.chunks[i] as MemoChunk).line);
    this.calls += e.calls;
    if (e.pushed) {
      // As after the expansion's input ran out: the next read goes on below it.
      this.inputChange = true;
      this.curLine = f.openLine + e.endLine;
    } else {
      this.curFile = closeFile;
      this.curLine = closeLine;
    }
    this.memoHits++;
    return true;
  }

  /** Records the call's expansion with placeholders for its arguments (the call goes on with them); see ParamCall. */
  private startParam(f: Frame, memo: ExpansionMemo, key: string, state: MemoState, floor: number, closeFile: string, closeLine: number): void {
    const args = f.args;
    this.startRecording(f, memo, key, state, floor, {
      args,
      defined: new Set(),
      frame: { ...f, args },
      closeFile,
      closeLine,
      stack: this.stack.slice(),
      places: this.stack.flatMap((b) => [b.pos, b.line]),
      symbols: copySymbols(this.symbols),
      calls: this.calls,
      level: this.level,
      curFile: this.curFile,
      curLine: this.curLine,
      inputChange: this.inputChange,
      startOfInputLine: this.startOfInputLine,
      startOfOutputLine: this.startOfOutputLine,
      outLine: this.outLine,
      diags: this.diags.length,
      stderr: this.stderrText.length,
      retcode: this.retcode,
      substituteWarned: this.substituteWarned,
      memoHits: this.memoHits,
    });
    f.args = args.map((a, i) => (i === 0 ? a : placeholder(i)));
  }

  /** The recorded expansion cannot be replayed: it is not recorded again. One recorded with placeholders is expanded again with its arguments. */
  private recAbort(): void {
    const r = this.rec;
    if (r !== undefined) r.memo.entries.set(r.key, null);
    this.rec = undefined;
    this.recFloor = -1;
    if (r?.param !== undefined) {
      this.paramAborted = r.param;
      throw new ParamAbort();
    }
  }

  /** After ParamAbort: the engine as the call found it, and the call expanded with its real arguments. */
  private paramRestart(p: ParamCall): void {
    this.stack = p.stack;
    p.stack.forEach((b, i) => {
      b.pos = p.places[2 * i] as number;
      b.line = p.places[2 * i + 1] as number;
    });
    this.frames.length = 0;
    this.symbols = p.symbols;
    this.deltaMade = null;
    this.calls = p.calls;
    this.level = p.level;
    this.curFile = p.curFile;
    this.curLine = p.curLine;
    this.inputChange = p.inputChange;
    this.startOfInputLine = p.startOfInputLine;
    this.startOfOutputLine = p.startOfOutputLine;
    this.outLine = p.outLine;
    this.diags.length = p.diags;
    this.stderrText.length = p.stderr;
    this.retcode = p.retcode;
    this.substituteWarned = p.substituteWarned;
    this.memoHits = p.memoHits;
    const f = p.frame;
    this.invalidated = false;
    const text = expandUser(f.def.text as string, p.args, this.lquote, this.rquote);
    if (text.length > 0) this.pushString(text, f.openFile, f.openLine, f.expansion);
    this.curFile = p.closeFile;
    this.curLine = p.closeLine;
    this.level--;
  }

  /** At the top level: when the recorded expansion's input is all read, it is remembered. */
  private recCheck(): void {
    const r = this.rec as Recording;
    for (let i = r.floor; i < this.stack.length; i++) {
      const b = this.stack[i] as Block;
      if (b.kind === Kind.Macro || b.pos < b.end) return;
    }
    const s = r.state;
    const same =
      this.deltaKey() === s.delta &&
      this.lquote === s.lquote &&
      this.rquote === s.rquote &&
      this.bcomm === s.bcomm &&
      this.ecomm === s.ecomm &&
      this.currentDiv === s.currentDiv &&
      this.substituteWarned === s.substituteWarned &&
      this.curFile === r.file &&
      this.diags.length === r.diags &&
      this.stderrText.length === r.stderr &&
      this.wrapup.length === r.wrapup &&
      this.retcode === r.retcode;
    if (!same) {
      this.recAbort();
      return;
    }
    this.rec = undefined;
    this.recFloor = -1;
    const p = r.param;
    const entry: MemoEntry = {
      chunks: r.chunks,
      chars: r.chars,
      calls: this.calls - r.calls,
      depth: r.depth - r.level,
      stack: r.stack,
      pushed: r.pushed,
      endLine: this.curLine - r.line,
      defined: p?.defined,
    };
    r.memo.entries.set(r.key, entry);
    r.memo.chars += r.chars;
    if (p === undefined) return;
    if (namesAny(p.args, p.defined)) {
      // An argument named like something the expansion defined: kept for other arguments, this call expanded with its own.
      this.paramAborted = p;
      throw new ParamAbort();
    }
    for (const c of entry.chunks) this.shipout(chunkWithArgs(c, p.args), r.line + c.line);
  }

  /** Output of the recorded expansion: runs not ending a line are one chunk (shipout gives the same bytes and sync lines for both). */
  private recShip(text: string, line: number): void {
    const r = this.rec as Recording;
    if (this.curFile !== r.file) {
      this.recAbort();
      return;
    }
    const last = r.chunks[r.chunks.length - 1];
    if (last !== undefined && last.text.length > 0 && last.text.charCodeAt(last.text.length - 1) !== 10) last.text += text;
    else r.chunks.push({ text, line: line - r.line });
    r.chars += text.length;
  }

  // ---- Output

  private shipout(text: string, line: number): void {
    if (this.rec !== undefined) {
      this.recShip(text, line);
      // With placeholders: shipped with the real arguments once the expansion is complete (recCheck).
      if (this.rec?.param !== undefined) return;
    }
    if (this.currentDiv < 0) return;
    if (!this.sync) {
      this.emit(text);
      return;
    }
    if (this.startOfOutputLine) {
      this.startOfOutputLine = false;
      this.outLine++;
      if (this.outLine !== line) {
        let s = `#line ${line}`;
        if (this.outLine < 1 && this.curFile !== '') s += ` "${this.curFile}"`;
        this.emitRaw(`${s}\n`);
        this.outLine = line;
      }
    }
    const n = text.length;
    if (n === 0) return;
    if (this.startOfOutputLine) {
      this.startOfOutputLine = false;
      this.outLine++;
    }
    let i = text.indexOf('\n');
    while (i !== -1 && i < n - 1) {
      this.outLine++;
      i = text.indexOf('\n', i + 1);
    }
    if (text.charCodeAt(n - 1) === 10) this.startOfOutputLine = true;
    this.emit(text);
  }

  private target(): Diversion | undefined {
    if (this.currentDiv < 0) return undefined;
    if (this.currentDiv === 0) return this.div0;
    let d = this.diversions.get(this.currentDiv);
    if (d === undefined) {
      d = newDiversion();
      this.diversions.set(this.currentDiv, d);
    }
    return d;
  }

  private emit(text: string): void {
    if (text.length === 0) return;
    const d = this.target();
    if (d === undefined) return;
    if (this.trackOrigins) this.recordOrigin(d);
    this.append(d, text);
  }

  /** Text m4 makes itself (sync lines): no origin of its own. */
  private emitRaw(text: string): void {
    const d = this.target();
    if (d !== undefined) this.append(d, text);
  }

  private append(d: Diversion, text: string): void {
    this.outputSize += text.length;
    if (this.outputSize > this.maxOutput) this.fatal(`output larger than ${this.maxOutput} characters`, 'm4-limit');
    if (d === this.div0 && this.stdout !== undefined) {
      // Streamed: only counted (origins' offsets stay offsets in the streamed output).
      this.stdout(text);
      this.streamed += text.length;
      return;
    }
    const n = text.length;
    let len = d.length - d.prefix.length;
    if (len + n > d.buf.length) {
      const b = Buffer.allocUnsafe(Math.max(d.buf.length * 2, len + n));
      d.buf.copy(b, 0, 0, len);
      d.buf = b;
    }
    const buf = d.buf;
    if (n <= 64) for (let i = 0; i < n; i++) buf[len++] = text.charCodeAt(i);
    else len += buf.write(text, len, 'latin1');
    d.length = d.prefix.length + len;
  }

  private recordOrigin(d: Diversion): void {
    const b = this.tokBlock;
    const at = d === this.div0 && this.stdout !== undefined ? this.streamed : d.length;
    const site = this.tokenSite();
    const expansion = b?.kind === Kind.String ? b.expansion : undefined;
    const last = d.origins[d.origins.length - 1];
    if (b?.kind !== Kind.File && last !== undefined && last.expansion === expansion && last.site === site) return;
    d.origins.push(expansion === undefined ? { offset: at, site } : { offset: at, site, expansion });
  }

  /** @internal divert */
  makeDiversion(n: number): void {
    if (this.rec !== undefined) this.recAbort();
    if (this.currentDiv === n) return;
    this.currentDiv = n;
    if (n < 0) return;
    this.outLine = -1;
  }

  /** @internal undivert(N) */
  insertDiversion(n: number): void {
    if (this.rec !== undefined) this.recAbort();
    if (n <= 0 || this.currentDiv === n) return;
    const d = this.diversions.get(n);
    if (d === undefined) return;
    this.diversions.delete(n);
    const t = this.target();
    if (t === undefined) return;
    for (const o of d.origins) t.origins.push({ ...o, offset: o.offset + t.length });
    this.outputSize -= d.length;
    this.append(t, diversionText(d));
    this.outLine = -1;
  }

  /** @internal undivert() and the end of input: every diversion, in order. */
  undivertAll(): void {
    for (const n of [...this.diversions.keys()].sort((a, b) => a - b)) if (n !== this.currentDiv) this.insertDiversion(n);
  }

  /** @internal undivert(`file'): the file's text, not rescanned. */
  insertFile(text: string): void {
    if (this.rec !== undefined) this.recAbort();
    const t = this.target();
    if (t !== undefined) this.append(t, text);
  }
}
