// `allow` on every core: large plain files are cut at line boundaries into byte ranges, worker
// threads reduce each range to its distinct denials (reduce.ts), and the ranges are merged here in
// input order into the learner. `allow` (without -v/-e) reads each record on its own, so any line
// boundary is a correct cut: what crosses records (the reset of -l, "any SELinux record seen")
// travels in each range's reduction, and the places of a rule are re-ordered across ranges.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Denial } from '../../audit/avc.js';
import type { ReadStats } from '../../audit/read.js';
import { DecisionMemo } from '../../audit/record/decisions.js';
import { type Diagnostic, PortholeError } from '../../base/diagnostic.js';
import type { LogSource } from '../../base/source.js';
import type { ModuleLearner } from './learn.js';
import { MovedPlaces, type NewDenialsWire, PartReader, type PartWire } from './partWire.js';
import type { ReadDenialsOptions } from './readDenials.js';
import { DenialKeys, type FileRange, type LearnedPart } from './reduce.js';
import { reduceRangeToWire, WireReducer } from './wireReducer.js';

/**
 * The input size from which large files are read in ranges by worker threads. Since the line loop
 * reads repeats in WebAssembly (lineScan.ts), one thread reads faster than two below about 1 GiB
 * (2-core machine, 2026-12-07: 512 MiB in 2.5-2.8 s against 3.3 s; 1 GiB in 3.0-4.4 s against
 * 3.4-3.5 s): the workers' start, their second parse of every new denial and the merge cost more
 * than half the reading saves.
 */
export const PARALLEL_THRESHOLD = 768 * 1024 * 1024;

/**
 * Ranges per job. Each worker keeps its decision memo and its numbering of denials (wireReducer.ts)
 * from range to range, so a range costs no second parse and no second object of the decisions seen
 * before; still, on 1 GiB with 2 cores, 2 and 4 ranges per job cost 5-20% more CPU time than 1
 * (each range is a merge, and the main thread then competes with the workers), so one it is.
 */
export const RANGES_PER_JOB = 1;
/**
 * A worker's young generation, in MB. Left to V8, it grows over a long read: peak RSS was 1.10-1.15x
 * higher on 1 GiB than on 100 MiB; at 16 MB it is the same for both, at the same speed.
 */
const WORKER_YOUNG_GENERATION_MB = 16;
/** The first range's new denials are sent ahead this many at a time. */
const PREVIEW_EVERY = 1024;
/** No range smaller than this (a range's reduction and its merge cost about the same whatever its size). */
const MIN_RANGE = 16 * 1024 * 1024;

/** The default number of jobs: the cores this process may use. */
export function defaultJobs(): number {
  return availableParallelism();
}

export interface ParallelOptions extends ReadDenialsOptions {
  jobs?: number;
  parallelThreshold?: number;
  evidenceLimit?: number;
  /** New denials sent ahead of their range's end, this many at a time, for every range (tests set it low). @internal */
  previewEvery?: number;
}

/** A range to read, and which source (by index) it belongs to. */
export interface Piece extends FileRange {
  source: number;
}

/**
 * The ranges to read in worker threads, in input order; undefined when the input is read in this
 * thread: one job, explanations, a source that is not a plain file (stdin, `.gz`, text, a stream,
 * gzip data under another name), or less input than the threshold.
 */
export function planPieces(sources: readonly LogSource[], opts: ParallelOptions): Piece[] | undefined {
  const jobs = Math.max(1, Math.floor(opts.jobs ?? defaultJobs()));
  if (jobs <= 1 || (opts.explain ?? 'none') !== 'none') return undefined;
  let total = 0;
  for (const s of sources) {
    if (s.file === undefined || s.size === undefined) return undefined;
    total += s.size;
  }
  const threshold = opts.parallelThreshold ?? PARALLEL_THRESHOLD;
  if (total < threshold || total === 0) return undefined;
  const want = Math.max(Math.min(MIN_RANGE, threshold), Math.ceil(total / (jobs * RANGES_PER_JOB)));
  const pieces: Piece[] = [];
  for (const [i, s] of sources.entries()) {
    const file = s.file!;
    const size = s.size!;
    const fd = openSync(file, 'r');
    try {
      const magic = Buffer.alloc(2);
      if (readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b) return undefined;
      const n = Math.max(1, Math.round(size / want));
      let start = 0;
      for (let k = 1; k <= n && start < size; k++) {
        const end = k === n ? size : lineStartAtOrAfter(fd, Math.floor((size * k) / n), size);
        if (end > start) pieces.push({ file, name: s.name, start, end, source: i });
        start = end;
      }
    } finally {
      closeSync(fd);
    }
  }
  return pieces.length > 1 ? pieces : undefined;
}

/** The offset of the first line that starts at or after `at` (size when none does). */
export function lineStartAtOrAfter(fd: number, at: number, size: number): number {
  if (at <= 0) return 0;
  const buf = Buffer.alloc(64 * 1024);
  // A line starts at `at` when the byte before it is a newline.
  for (let pos = at - 1; pos < size; pos += buf.length) {
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n <= 0) break;
    const nl = buf.subarray(0, n).indexOf(10);
    if (nl >= 0) return pos + nl + 1;
  }
  return size;
}

/**
 * Reads the pieces (in worker threads when the worker script is there, else here, one after the
 * other) and merges them into `learner` in input order, each as soon as those before it are in;
 * returns the read's counts and whether a SELinux record was seen since the last reset, as one
 * sequential read would.
 */
export async function learnInPieces(pieces: readonly Piece[], opts: ParallelOptions, learner: ModuleLearner): Promise<{ stats: ReadStats; sawSelinux: boolean }> {
  const read: ReadDenialsOptions = {};
  if (opts.lastLoadOnly !== undefined) read.lastLoadOnly = opts.lastLoadOnly;
  if (opts.since !== undefined) read.since = opts.since;
  const merger = new PartMerger(pieces, learner);
  await readPieces(
    pieces,
    read,
    opts,
    (k, part) => merger.arrive(k, part),
    (reader) => merger.prepare(reader),
  );
  return merger.result();
}

/** Merges reduced pieces (in input order) into the learner: see learnInPieces. */
export function mergeParts(pieces: readonly Pick<Piece, 'source'>[], parts: readonly (LearnedPart | WirePart)[], learner: ModuleLearner): { stats: ReadStats; sawSelinux: boolean } {
  const merger = new PartMerger(pieces, learner);
  for (const [k, part] of parts.entries()) merger.arrive(k, part);
  return merger.result();
}

/** A part as a worker thread sent it, with the numbering of that worker (partWire.ts). */
export interface WirePart {
  wire: PartWire;
  reader: PartReader;
}

/** Takes reduced pieces in any order and merges each into the learner once all before it are merged. */
class PartMerger {
  private readonly stats: ReadStats = { lines: 0, bytes: 0, records: 0, malformed: 0 };
  private sawSelinux = false;
  private readonly linesBefore = new Map<number, number>();
  /** A number for each distinct context text, found by the object first (a range shares one object per text). */
  private readonly keys = new DenialKeys();
  private readonly places = new MovedPlaces();
  /** The learner's resets so far: a reader's rules from before the last one are stale. */
  private resets = 0;
  private readonly waiting = new Map<number, LearnedPart | WirePart>();
  private next = 0;

  constructor(
    private readonly pieces: readonly Pick<Piece, 'source'>[],
    private readonly learner: ModuleLearner,
  ) {}

  arrive(k: number, part: LearnedPart | WirePart): void {
    this.waiting.set(k, part);
    for (let p = this.waiting.get(this.next); p !== undefined; p = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      this.merge(this.next++, p);
    }
  }

  /** The new denials a worker sent ahead: their keys and the policy's analysis, made while the ranges are read. */
  prepare(reader: PartReader): void {
    for (let i = reader.keys.length; i < reader.denials.length; i++) {
      const d = reader.denials[i]!;
      reader.keys.push(this.denialKey(d));
      this.learner.prepare(d);
    }
  }

  result(): { stats: ReadStats; sawSelinux: boolean } {
    if (this.next !== this.pieces.length) throw new Error(`merged ${this.next} of ${this.pieces.length} ranges`);
    return { stats: this.stats, sawSelinux: this.sawSelinux };
  }

  private merge(k: number, p: LearnedPart | WirePart): void {
    const { learner, stats, places } = this;
    const part = 'wire' in p ? p.wire : p;
    const source = this.pieces[k]!.source;
    const shift = this.linesBefore.get(source) ?? 0;
    this.linesBefore.set(source, shift + part.stats.lines);
    places.base = source * 2 ** 32;
    places.shift = shift;
    if (part.reset) {
      learner.reset();
      this.resets++;
    }
    this.sawSelinux = part.reset ? part.sawSelinux : this.sawSelinux || part.sawSelinux;
    if ('wire' in p) {
      const { reader } = p;
      const { denials: w, strings } = p.wire;
      for (let i = reader.keys.length; i < reader.denials.length; i++) reader.keys.push(this.denialKey(reader.denials[i]!));
      if (reader.resets !== this.resets) {
        reader.rules = [];
        reader.resets = this.resets;
      }
      const rules = reader.rules;
      for (let i = 0; i < w.length; ) {
        const n = w[i++]!;
        const count = w[i++]!;
        const length = w[i++]!;
        let rule = rules[n];
        if (rule === undefined) rules[n] = rule = learner.factRule(reader.denials[n]!, reader.keys[n]);
        learner.addFactCount(rule, count, places.fromWire(w, strings, i, length));
        i += 2 * length;
      }
    } else {
      for (const f of p.denials) learner.addDenialFact(f.denial, f.count, places.fromSpans(f.locs), this.denialKey(f.denial));
    }
    for (const f of part.invalidContexts) learner.addInvalidContextFact(f.message, f.count, places.fromSpans(f.locs));
    places.fromSpans([]);
    stats.lines += part.stats.lines;
    stats.bytes += part.stats.bytes;
    stats.records += part.stats.records;
    stats.malformed += part.stats.malformed;
    const m = part.stats.firstMalformed;
    if (m !== undefined && stats.firstMalformed === undefined) stats.firstMalformed = { ...m, loc: { ...m.loc, line: m.loc.line + shift } };
  }

  /** The same denial in every range has one key: it finds the rule without a second analysis. */
  private denialKey(d: Denial): string {
    return this.keys.key(d);
  }
}

/** The worker script beside this module (absent when this runs from the TypeScript sources). */
function workerScript(): string | undefined {
  const path = fileURLToPath(new URL('./rangeWorker.js', import.meta.url));
  return existsSync(path) ? path : undefined;
}

/**
 * Reads the pieces, each reduced and handed to `arrive` with its index as it is done; the new
 * denials a reader learns ahead of a part are announced to `prepare`.
 */
async function readPieces(
  pieces: readonly Piece[],
  read: ReadDenialsOptions,
  opts: ParallelOptions,
  arrive: (k: number, part: WirePart) => void,
  prepare: (reader: PartReader) => void,
): Promise<void> {
  const total = pieces.reduce((n, p) => n + p.end - p.start, 0);
  let done = 0;
  const progress = (p: Piece): void => {
    done += p.end - p.start;
    opts.progress?.(`reading ${pieces.length} ranges: ${(done / 1e6).toFixed(0)} of ${(total / 1e6).toFixed(0)} MB (${Math.floor((100 * done) / total)}%)`);
  };
  const script = workerScript();
  if (script === undefined) {
    // One memo and one numbering for every range, as a worker keeps them; the wire form, as a worker sends it.
    const decisions = new DecisionMemo();
    const reducer = new WireReducer(opts.evidenceLimit);
    const reader = new PartReader();
    reducer.onNewDenials = (w) => {
      reader.learn(structuredClone(w));
      prepare(reader);
    };
    if (opts.previewEvery !== undefined) reducer.previewEvery = opts.previewEvery;
    for (const [k, p] of pieces.entries()) {
      const wire = structuredClone(await reduceRangeToWire(p, read, reducer, decisions));
      reader.learn(wire);
      arrive(k, { wire, reader });
      progress(p);
    }
  } else {
    const jobs = Math.min(pieces.length, Math.max(1, Math.floor(opts.jobs ?? defaultJobs())));
    let next = 0;
    const runWorker = async (): Promise<void> => {
      const worker = new Worker(script, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
      const reader = new PartReader();
      try {
        while (next < pieces.length) {
          const k = next++;
          const req: RangeRequest = { range: pieces[k]!, read, evidenceLimit: opts.evidenceLimit };
          // The first range's new denials ahead of its part: the main thread analyses them while the
          // workers read, and would otherwise do it after them. (Asked of every range, on 2 cores the
          // main thread's work slowed the workers more than it gained.)
          if (k === 0 || opts.previewEvery !== undefined) req.previewEvery = opts.previewEvery ?? PREVIEW_EVERY;
          arrive(k, { wire: await askWorker(worker, reader, req, () => prepare(reader)), reader });
          progress(pieces[k]!);
        }
      } finally {
        // Not awaited: a worker's heap takes 0.1-0.25 s to go away, and nothing needs to wait for that.
        worker.terminate().catch(() => {});
      }
    };
    await Promise.all(Array.from({ length: jobs }, runWorker));
  }
  opts.progress?.('');
}

/** What a worker is asked (rangeWorker.ts). */
export interface RangeRequest {
  range: FileRange;
  read: ReadDenialsOptions;
  evidenceLimit: number | undefined;
  /** Send new denials ahead of the part, this many at a time (none when absent). */
  previewEvery?: number;
}

/**
 * A worker's answer: the reduced range, or the error that stopped it (as plain data); before it,
 * any number of previews (new denials sent ahead).
 */
export type RangeReply = { part: PartWire } | { preview: NewDenialsWire } | { diagnostics: readonly Diagnostic[] } | { error: { message: string; code?: string; path?: string; stack?: string } };

function askWorker(worker: Worker, reader: PartReader, req: RangeRequest, prepare: () => void): Promise<PartWire> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (reply: RangeReply): void => {
      if ('preview' in reply) {
        reader.learn(reply.preview);
        prepare();
        return;
      }
      cleanup();
      if ('part' in reply) {
        // Now, in the order this worker sent its parts: its numbering goes on from one to the next.
        reader.learn(reply.part);
        resolve(reply.part);
      } else if ('diagnostics' in reply) reject(new PortholeError(reply.diagnostics));
      else reject(Object.assign(new Error(reply.error.message), reply.error));
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(e);
    };
    // A worker that stops without answering (killed, out of memory) must not leave the read waiting.
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`a worker thread reading ${req.range.name} stopped (exit code ${code}) before answering`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(req);
  });
}
