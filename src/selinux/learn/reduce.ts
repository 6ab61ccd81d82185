// A range of a log reduced to what `allow` learns from: its distinct denials (each with a count
// and its first places) and invalid contexts, in order of first appearance, whether a policy load
// reset the learning (-l), and the read's counts. Plain data: a worker thread sends it to the main
// thread, which merges the ranges in input order (parallel.ts); the same form can merge logs read
// anywhere else.
import { createReadStream } from 'node:fs';
import type { Denial } from '../../audit/avc.js';
import type { ReadStats } from '../../audit/read.js';
import type { DecisionMemo } from '../../audit/record/decisions.js';
import type { InvalidContextMessage } from '../../audit/record/record.js';
import type { LogSource } from '../../base/source.js';
import type { Span } from '../../base/span.js';
import { formatContext, type SecurityContext } from '../ir/context.js';
import { type DenialSink, type ReadDenialsOptions, readDenials } from './readDenials.js';

/** One distinct denial of a range: `count` of them, the first at `locs[0]`. */
export interface DenialFact {
  denial: Denial;
  count: number;
  /** The first places, in input order (at most the evidence limit). */
  locs: Span[];
}

export interface InvalidContextFact {
  message: InvalidContextMessage;
  count: number;
  locs: Span[];
}

/** A range of a log, reduced. Line numbers count from the range's first line (1). */
export interface LearnedPart {
  /** A policy load reset the learning in this range (-l): earlier ranges count for nothing. */
  reset: boolean;
  /** Whether a SELinux record was seen since the range's start or its last reset. */
  sawSelinux: boolean;
  denials: DenialFact[];
  invalidContexts: InvalidContextFact[];
  stats: ReadStats;
}

/** A byte range [start, end) of a plain file, starting at a line. */
export interface FileRange {
  /** The path to open. */
  file: string;
  /** The name locations show. */
  name: string;
  start: number;
  end: number;
}

/** One key per distinct denial (record kind, contexts, class, permissions, ioctl), with each
 *  context numbered once: by its object first, as the parser shares one object per text. */
export class DenialKeys {
  private readonly idOfObject = new Map<SecurityContext, number>();
  private readonly idOfText = new Map<string, number>();

  key(d: Denial): string {
    return `${d.record}\0${this.contextId(d.scontext)}\0${this.contextId(d.tcontext)}\0${d.tclass}\0${d.perms.join(' ')}\0${d.ioctlcmd ?? ''}`;
  }

  private contextId(c: SecurityContext): number {
    let id = this.idOfObject.get(c);
    if (id === undefined) {
      const text = formatContext(c);
      id = this.idOfText.get(text);
      if (id === undefined) this.idOfText.set(text, (id = this.idOfText.size));
      this.idOfObject.set(c, id);
    }
    return id;
  }
}

/**
 * A range's invalid contexts, one fact per (context, scontext, tcontext), each with its count and
 * first places. A message object seen before (the record parser's memo shares one per distinct
 * SELINUX_ERR body) finds its fact without a key.
 */
export class InvalidContextFacts {
  private readonly byKey = new Map<string, InvalidContextFact>();
  private readonly byMessage = new WeakMap<InvalidContextMessage, InvalidContextFact>();

  constructor(private readonly limit: number) {}

  add(m: InvalidContextMessage, loc: Span): void {
    let f = this.byMessage.get(m);
    if (f === undefined) {
      const key = [m.context, m.scontext, m.tcontext].map((c) => (c ? formatContext(c) : '')).join('\0');
      f = this.byKey.get(key);
      if (f === undefined) this.byKey.set(key, (f = { message: m, count: 0, locs: [] }));
      this.byMessage.set(m, f);
    }
    f.count++;
    if (f.locs.length < this.limit) f.locs.push(loc);
  }

  facts(): InvalidContextFact[] {
    return [...this.byKey.values()];
  }
}

/** Collects a range's distinct denials (the sink the reading loop feeds). */
export class DenialReducer implements DenialSink {
  private denials: DenialFact[] = [];
  private byDecision: (DenialFact | undefined)[] = [];
  private byText = new Map<string, DenialFact>();
  private invalid: InvalidContextFacts;
  private didReset = false;
  private readonly keys = new DenialKeys();

  constructor(private readonly evidenceLimit = 5) {
    this.invalid = new InvalidContextFacts(evidenceLimit);
  }

  reset(): void {
    this.denials = [];
    this.byDecision = [];
    this.byText = new Map();
    this.invalid = new InvalidContextFacts(this.evidenceLimit);
    this.didReset = true;
  }

  addRepeat(decisionId: number, file: string, line: number): boolean {
    const f = this.byDecision[decisionId];
    if (f === undefined) return false;
    f.count++;
    if (f.locs.length < this.evidenceLimit) f.locs.push({ file, line });
    return true;
  }

  addDenial(d: Denial): void {
    // As the learner: only denials count (an `avc: granted` is an auditallow).
    if (!d.denied) return;
    const key = this.keys.key(d);
    let f = this.byText.get(key);
    if (f === undefined) {
      // What the learner reads of a denial, and no more (explanations are not reduced).
      const denial: Denial = { record: d.record, denied: true, scontext: d.scontext, tcontext: d.tcontext, tclass: d.tclass, perms: d.perms, header: '', loc: d.loc, eventLocs: [] };
      if (d.ioctlcmd !== undefined) denial.ioctlcmd = d.ioctlcmd;
      f = { denial, count: 0, locs: [] };
      this.byText.set(key, f);
      this.denials.push(f);
    }
    if (d.decisionId !== undefined) this.byDecision[d.decisionId] = f;
    this.count(f, d.loc);
  }

  addInvalidContext(m: InvalidContextMessage, loc: Span): void {
    this.invalid.add(m, loc);
  }

  private count(f: { count: number; locs: Span[] }, loc: Span): void {
    f.count++;
    if (f.locs.length < this.evidenceLimit) f.locs.push(loc);
  }

  /** The range's reduction, with the counts of its read. */
  part(stats: ReadStats, sawSelinux: boolean): LearnedPart {
    return { reset: this.didReset, sawSelinux, denials: this.denials, invalidContexts: this.invalid.facts(), stats };
  }
}

/** A byte range of a plain file as a source (its lines count from 1). */
export function rangeSource(range: FileRange): LogSource {
  return {
    name: range.name,
    size: range.end - range.start,
    open: () => {
      const stream = createReadStream(range.file, { start: range.start, end: range.end - 1, highWaterMark: 1024 * 1024 });
      stream.on('error', (e: NodeJS.ErrnoException) => {
        e.path = range.name;
      });
      return stream;
    },
  };
}

/**
 * Reads one range and reduces it (what a worker thread does; also run in this thread). A memo of
 * decisions given here is kept from range to range: decisions seen in an earlier range are not
 * parsed again.
 */
export async function reduceRange(range: FileRange, opts: ReadDenialsOptions, evidenceLimit?: number, decisions?: DecisionMemo): Promise<LearnedPart> {
  const reducer = new DenialReducer(evidenceLimit);
  const { stats, sawSelinux } = await readDenials([rangeSource(range)], { ...opts, explain: 'none', ...(decisions ? { decisions } : {}) }, reducer);
  return reducer.part(stats, sawSelinux);
}
