// The fast path of `allow`'s reading loop: a chunk's whole lines read in WebAssembly
// (lineScan.wat) where the record parser would only count them: records of types `allow` does not
// read, and AVC and USER_AVC denials whose decision the memo already holds (decisions.ts), which
// become hits (the decision's id and the line's number). Every other line is handed to the parser in
// order, as the line splitter would hand it. On a large log that is nearly every line: the parser
// then sees the new decisions and the few records it reads whole.
//
// The loop learns as the parser goes: the memo teaches it each denial's key as it is
// remembered, and the reading loop each type word the parser skipped. A line it was not taught
// about is the parser's, so what the loop reads is what the parser would have read.
import type { LineSink, LineSplitter } from '../../base/lines.js';
import { IS_SPACE } from './bytes.js';
import { LINE_SCAN_BASE64 } from './lineScan.wasm.js';
import type { InvalidContextMessage } from './selinuxRecord.js';

// The memory map (lineScan.wat's header).
const PAGE = 64 * 1024;
const OUT = 3968;
const LITERALS = 4000;
const SCRATCH = 4096;
const SCRATCH_BYTES = 12 * 1024;
const TYPE_WORDS = 64;
const HITS = 16384;
const INPUT = 2 * 1024 * 1024;
/** The largest chunk the loop reads; a larger one goes to the line splitter. */
const INPUT_BYTES = 4 * 1024 * 1024;
/** Room for ≈ 35,000 keys before the memory grows (pages never written cost nothing). */
const INITIAL_BYTES = 16 * 1024 * 1024;
const MAX_BYTES = 2 ** 31;

/** The class of a taught type word. */
export const TYPE_SKIPPED = 0;
const TYPE_WORDS_KNOWN: [string, number][] = [
  ['AVC', 1],
  ['1400', 1],
  ['USER_AVC', 2],
  ['1107', 2],
  ['MAC_POLICY_LOAD', 3],
  ['1403', 3],
  ['DAEMON_START', 3],
  ['1200', 3],
  ['SELINUX_ERR', 4],
  ['1401', 4],
];
/** A key's kind (lineScan.wat): a kernel denial, a USER_AVC one, a SELINUX_ERR body; + GRANT for a grant. */
export const KEY_KERNEL = 0;
export const KEY_USER = 1;
export const KEY_INVALID_CONTEXT = 2;
export const KEY_GRANT = 4;
/** A hit's id with this bit is an invalid context's. */
const INVALID_CONTEXT_HIT = 0x20000000;
const LOAD_HIT = -3;
const GRANT_HIT = -4;

interface ScanExports {
  scan(pos: number, end: number, line: number): number;
  teach(permsN: number, tailN: number, ioN: number, kind: number, id: number, top: number): number;
  teachType(n: number, cls: number): number;
}

/**
 * What the loop finds besides skipped records, each at its file and line, in input order (given to
 * readAuditEvents as ReadOptions.fast): for each, the record the parser would make holds only what
 * is said here.
 */
export interface FastRecords {
  /**
   * An AVC or USER_AVC denial whose decision is memoised: its record has only that `decisionId`,
   * the memoised `avc` and its place. Return false to have the line parsed after all.
   */
  repeat(decisionId: number, file: string, line: number): boolean;
  /** A SELINUX_ERR whose body is memoised: its record has that `invalidContext` and no fields. */
  invalidContext(m: InvalidContextMessage, file: string, line: number): void;
  /** A MAC_POLICY_LOAD or DAEMON_START record (its fields not read). */
  load(file: string, line: number): void;
  /** An `avc: granted` whose decision is memoised (nothing else of it read). */
  grant(file: string, line: number): void;
}

export class LineScanner {
  private readonly memory: WebAssembly.Memory;
  private readonly loop: ScanExports;
  private bytes: Buffer;
  private words: Int32Array;
  private readonly typeWords = new Set<string>();

  /** `invalidContexts`: the memo's, by the ids it teaches SELINUX_ERR bodies with. */
  constructor(
    mod: WebAssembly.Module,
    private readonly invalidContexts: readonly InvalidContextMessage[],
  ) {
    this.memory = new WebAssembly.Memory({ initial: INITIAL_BYTES / PAGE, maximum: MAX_BYTES / PAGE });
    this.loop = new WebAssembly.Instance(mod, { porthole: { memory: this.memory } }).exports as unknown as ScanExports;
    this.bytes = Buffer.from(this.memory.buffer);
    this.words = new Int32Array(this.memory.buffer);
    this.bytes.set(IS_SPACE, 0);
    // At the offsets lineScan.wat reads them from.
    this.bytes.write("avc:denied scontext=ioctl ioctlcmd=msg=audit(piduidsesauidsubjmsg='avc:granted", LITERALS, 'latin1');
    for (const [word, cls] of TYPE_WORDS_KNOWN) this.teachType(word, cls);
  }

  /** Teaches a type word (ASCII): lines of a skipped type are counted, of AVC read for hits. */
  teachType(word: string, cls: number): void {
    if (this.typeWords.has(word) || this.typeWords.size >= TYPE_WORDS || word.length > 30) return;
    this.typeWords.add(word);
    this.bytes.write(word, SCRATCH, 'latin1');
    this.loop.teachType(word.length, cls);
  }

  /** Teaches a key (decisions.ts: permissions, tail, ioctlcmd; its KEY_ kind) as `id`. */
  teach(perms: Uint8Array, tail: Uint8Array, ioctl: Uint8Array | undefined, kind: number, id: number): void {
    const n = perms.length + tail.length + (ioctl?.length ?? 0);
    if (n > SCRATCH_BYTES) return;
    this.bytes.set(perms, SCRATCH);
    this.bytes.set(tail, SCRATCH + perms.length);
    if (ioctl !== undefined) this.bytes.set(ioctl, SCRATCH + perms.length + tail.length);
    while (this.loop.teach(perms.length, tail.length, ioctl === undefined ? -1 : ioctl.length, kind, id, this.bytes.length) < 0) {
      if (!this.grow(n + 64)) return;
    }
  }

  private grow(atLeast: number): boolean {
    const pages = Math.ceil(Math.max(atLeast, this.bytes.length / 2) / PAGE);
    if (this.bytes.length + pages * PAGE > MAX_BYTES) return false;
    this.memory.grow(pages);
    this.bytes = Buffer.from(this.memory.buffer);
    this.words = new Int32Array(this.memory.buffer);
    return true;
  }

  /** The views again when the parser (teaching a key) grew the memory. */
  private refresh(): void {
    if (this.bytes.buffer !== this.memory.buffer) {
      this.bytes = Buffer.from(this.memory.buffer);
      this.words = new Int32Array(this.memory.buffer);
    }
  }

  /**
   * Reads a chunk as `splitter.push(chunk)` would, with the same line numbers: lines of skipped
   * records and hits here (to `sink`), every other whole line to `onLine` in order, a last partial
   * line kept by the splitter. Returns the records read here (skipped records and hits).
   */
  push(chunk: Buffer, file: string, splitter: LineSplitter, onLine: LineSink, sink: FastRecords): number {
    let from = 0;
    if (splitter.pending) {
      // The line the splitter holds the start of ends in this chunk (or later).
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        splitter.push(chunk);
        return 0;
      }
      splitter.push(chunk.subarray(0, nl + 1));
      from = nl + 1;
    }
    const n = chunk.length - from;
    if (n > INPUT_BYTES) {
      splitter.push(chunk.subarray(from));
      return 0;
    }
    this.bytes.set(from === 0 ? chunk : chunk.subarray(from), INPUT);
    const end = INPUT + n;
    let pos = INPUT;
    let records = 0;
    for (;;) {
      pos = this.loop.scan(pos, end, splitter.line);
      let words = this.words;
      splitter.line = words[OUT >> 2]!;
      records += words[(OUT >> 2) + 1]!;
      const hits = words[(OUT >> 2) + 2]!;
      const stop = words[(OUT >> 2) + 3]!;
      for (let k = 0, h = HITS >> 2; k < hits; k++, h += 3) {
        const id = words[h]!;
        const line = words[h + 1]!;
        if (id < 0) {
          if (id === LOAD_HIT) sink.load(file, line);
          else if (id === GRANT_HIT) sink.grant(file, line);
          continue;
        }
        if (id >= INVALID_CONTEXT_HIT) {
          sink.invalidContext(this.invalidContexts[id - INVALID_CONTEXT_HIT]!, file, line);
          continue;
        }
        if (sink.repeat(id, file, line)) continue;
        // Read by the parser after all (the sink did not know the decision): it counts the record.
        records--;
        const start = words[h + 2]!;
        this.parse(start, this.bytes.indexOf(10, start), line, onLine);
        words = this.words;
      }
      if (stop === -2) continue;
      if (stop === -1) break;
      this.parse(pos, stop, ++splitter.line, onLine);
      pos = stop + 1;
    }
    if (pos < end) splitter.push(chunk.subarray(from + pos - INPUT));
    return records;
  }

  /** The line [start, newline) to the parser, as the splitter gives it (without a final \r). */
  private parse(start: number, newline: number, line: number, onLine: LineSink): void {
    const end = newline > start && this.bytes[newline - 1] === 13 ? newline - 1 : newline;
    onLine(this.bytes, start, end, line);
    this.refresh();
  }
}

let mod: WebAssembly.Module | null | undefined;

/** A new loop (each memo teaches its own, and gives its invalid contexts); undefined without WebAssembly. */
export function newLineScanner(invalidContexts: readonly InvalidContextMessage[]): LineScanner | undefined {
  if (mod === undefined) {
    try {
      mod = typeof WebAssembly === 'object' ? new WebAssembly.Module(Buffer.from(LINE_SCAN_BASE64, 'base64')) : null;
    } catch {
      mod = null;
    }
  }
  return mod === null ? undefined : new LineScanner(mod, invalidContexts);
}
