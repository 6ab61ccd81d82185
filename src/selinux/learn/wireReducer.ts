// What a worker thread runs on its ranges (parallel.ts): the reduction of reduce.ts, written
// straight into the wire form (partWire.ts), with what does not change from range to range kept:
// each distinct denial gets its number once per worker (by its memoised decision, else by its
// fields), so a range costs a count and a few places per denial it holds, and no object, key or
// context text per denial; the main thread learns each denial's fields once per worker.
// New denials can also be sent ahead of their range's end (`onNewDenials`), so that the main
// thread analyses them while the workers read.
import type { Denial } from '../../audit/avc.js';
import type { ReadStats } from '../../audit/read.js';
import type { DecisionMemo } from '../../audit/record/decisions.js';
import type { InvalidContextMessage } from '../../audit/record/record.js';
import type { Span } from '../../base/span.js';
import type { SecurityContext } from '../ir/context.js';
import type { NewDenialsWire, PartWire } from './partWire.js';
import { type DenialSink, type ReadDenialsOptions, readDenials } from './readDenials.js';
import { DenialKeys, type FileRange, InvalidContextFacts, rangeSource } from './reduce.js';

export class WireReducer implements DenialSink {
  // Kept from range to range: the numbering.
  private readonly byDecision: number[] = [];
  private readonly byText = new Map<string, number>();
  private readonly keys = new DenialKeys();
  private readonly denials: Denial[] = [];
  private sent = 0;
  private readonly contextIds = new Map<SecurityContext, number>();
  // The range being read: the numbers of its denials in order of first appearance, and per number
  // its count and first lines (`limit` slots each).
  private order: number[] = [];
  private counts = new Float64Array(1024);
  private lines = new Float64Array(1024 * 5);
  private invalid: InvalidContextFacts;
  private didReset = false;
  /** Given the new denials whenever `previewEvery` of them are numbered and not sent yet. */
  onNewDenials: ((wire: NewDenialsWire) => void) | undefined;
  previewEvery = 1024;

  constructor(private readonly limit = 5) {
    this.invalid = new InvalidContextFacts(limit);
    this.lines = new Float64Array(1024 * limit);
  }

  reset(): void {
    this.clearRange();
    this.invalid = new InvalidContextFacts(this.limit);
    this.didReset = true;
  }

  addRepeat(decisionId: number, _file: string, line: number): boolean {
    const n = this.byDecision[decisionId];
    if (n === undefined) return false;
    this.count(n, line);
    return true;
  }

  addDenial(d: Denial): void {
    // As the learner: only denials count (an `avc: granted` is an auditallow).
    if (!d.denied) return;
    const key = this.keys.key(d);
    let n = this.byText.get(key);
    if (n === undefined) {
      this.byText.set(key, (n = this.denials.length));
      // What the learner reads of a denial, and no more (explanations are not reduced).
      const denial: Denial = { record: d.record, denied: true, scontext: d.scontext, tcontext: d.tcontext, tclass: d.tclass, perms: d.perms, header: '', loc: d.loc, eventLocs: [] };
      if (d.ioctlcmd !== undefined) denial.ioctlcmd = d.ioctlcmd;
      this.denials.push(denial);
      if (n >= this.counts.length) this.grow();
      if (this.onNewDenials !== undefined && this.denials.length - this.sent >= this.previewEvery) this.onNewDenials(this.newDenials([]));
    }
    if (d.decisionId !== undefined) this.byDecision[d.decisionId] = n;
    this.count(n, d.loc.line);
  }

  addInvalidContext(m: InvalidContextMessage, loc: Span): void {
    this.invalid.add(m, loc);
  }

  private count(n: number, line: number): void {
    const c = this.counts[n]!;
    if (c === 0) this.order.push(n);
    this.counts[n] = c + 1;
    if (c < this.limit) this.lines[n * this.limit + c] = line;
  }

  private grow(): void {
    const counts = new Float64Array(this.counts.length * 2);
    counts.set(this.counts);
    const lines = new Float64Array(this.lines.length * 2);
    lines.set(this.lines);
    this.counts = counts;
    this.lines = lines;
  }

  private clearRange(): void {
    for (const n of this.order) this.counts[n] = 0;
    this.order = [];
  }

  /** The denials numbered and not sent yet, in the wire's form (after the strings given); they count as sent. */
  private newDenials(strings: string[]): NewDenialsWire {
    const stringIds = new Map<string, number>(strings.map((s, i) => [s, i]));
    const str = (s: string): number => {
      let i = stringIds.get(s);
      if (i === undefined) stringIds.set(s, (i = strings.push(s) - 1));
      return i;
    };
    // Contexts are numbered once per worker: a context is sent with the first denial that has it.
    const contexts: SecurityContext[] = [];
    const contextIds = this.contextIds;
    const ctx = (c: SecurityContext): number => {
      let i = contextIds.get(c);
      if (i === undefined) {
        contextIds.set(c, (i = contextIds.size));
        contexts.push(c);
      }
      return i;
    };
    const fresh = new Float64Array(6 * (this.denials.length - this.sent));
    for (let n = this.sent, k = 0; n < this.denials.length; n++) {
      const d = this.denials[n]!;
      fresh[k++] = str(d.record);
      fresh[k++] = ctx(d.scontext);
      fresh[k++] = ctx(d.tcontext);
      fresh[k++] = str(d.tclass);
      fresh[k++] = str(d.perms.join(' '));
      fresh[k++] = d.ioctlcmd ?? -1;
    }
    this.sent = this.denials.length;
    return { strings, contexts, newDenials: fresh };
  }

  /** The range read (its places in file `name`: string 0) as its wire form; the next range starts empty. */
  part(name: string, stats: ReadStats, sawSelinux: boolean): PartWire {
    const { strings, contexts, newDenials } = this.newDenials([name]);
    let size = 0;
    for (const n of this.order) size += 3 + 2 * Math.min(this.limit, this.counts[n]!);
    const out = new Float64Array(size);
    let k = 0;
    for (const n of this.order) {
      const count = this.counts[n]!;
      const places = Math.min(this.limit, count);
      out[k++] = n;
      out[k++] = count;
      out[k++] = places;
      for (let i = 0; i < places; i++) {
        out[k++] = 0;
        out[k++] = this.lines[n * this.limit + i]!;
      }
    }
    const part: PartWire = { reset: this.didReset, sawSelinux, invalidContexts: this.invalid.facts(), stats, strings, contexts, newDenials, denials: out };
    this.clearRange();
    this.invalid = new InvalidContextFacts(this.limit);
    this.didReset = false;
    return part;
  }
}

/**
 * Reads one range and reduces it into its wire form (what a worker thread does; also run in this
 * thread). The reducer and the memo of decisions are kept from range to range.
 */
export async function reduceRangeToWire(range: FileRange, opts: ReadDenialsOptions, reducer: WireReducer, decisions: DecisionMemo): Promise<PartWire> {
  const { stats, sawSelinux } = await readDenials([rangeSource(range)], { ...opts, explain: 'none', decisions }, reducer);
  return reducer.part(range.name, stats, sawSelinux);
}
