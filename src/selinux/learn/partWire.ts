// A reduced range (reduce.ts) in the form a worker thread posts it (made by wireReducer.ts): its distinct denials as
// numbers, their names and contexts in tables. Cloning ~30,000 denial objects (each with its
// permissions, places and spans) between threads cost more than reading the range; a table of
// numbers costs next to nothing and is still plain data. A worker numbers each distinct denial
// the first time it sends it and afterwards sends only the number: a large log repeats the same
// denials in every range, so a range after the first is mostly numbers (its counts and places),
// and the main thread merges it without making an object per denial (PartMerger).
import type { Denial } from '../../audit/avc.js';
import type { Span } from '../../base/span.js';
import type { SecurityContext } from '../ir/context.js';
import type { FactPlaces, FactRule } from './learn.js';
import type { LearnedPart } from './reduce.js';

/** Denials a worker numbered, sent once: with a part, or ahead of it while the range is read. */
export interface NewDenialsWire {
  /** Record types, classes, permission lists (space-separated) and file names. */
  strings: string[];
  /** The contexts the worker had not sent before: their numbers go on from its earlier sends. */
  contexts: SecurityContext[];
  /**
   * The denials the worker had not sent before, in the order of their numbers (which go on from
   * the worker's earlier sends): record, scontext, tcontext, tclass, perms, ioctlcmd (-1: none).
   */
  newDenials: Float64Array<ArrayBuffer>;
}

export interface PartWire extends Omit<LearnedPart, 'denials'>, NewDenialsWire {
  /**
   * Per distinct denial of the range, in order of first appearance: its number, count, the
   * number of places, then each place (file, line). Places are a file and a line, as records have them.
   */
  denials: Float64Array<ArrayBuffer>;
}

/** The fields of one new denial in PartWire.newDenials. */
const NEW_DENIAL = 6;

/** The main thread's copy of one worker's numbering: its denials and contexts, by number. */
export class PartReader {
  readonly denials: Denial[] = [];
  private readonly contexts: SecurityContext[] = [];
  /** The key of each denial in the merge, by number (PartMerger fills it in). */
  readonly keys: string[] = [];
  /** The rule each denial counts for, by number, since the learner's last reset (PartMerger's). */
  rules: (FactRule | undefined)[] = [];
  /** Which reset of the learner `rules` belong to. */
  resets = 0;

  /** Takes in new denials (call once per part or preview, in the order the worker sent them). */
  learn(wire: NewDenialsWire): void {
    const { strings, newDenials: w } = wire;
    const contexts = this.contexts;
    for (const c of wire.contexts) contexts.push(c);
    const permLists = new Map<number, string[]>();
    for (let k = 0; k < w.length; k += NEW_DENIAL) {
      const p = w[k + 4]!;
      let perms = permLists.get(p);
      if (perms === undefined) permLists.set(p, (perms = strings[p]!.split(' ')));
      // What the learner reads of a denial: its place is the fact's (FactPlaces), not this one.
      const denial: Denial = {
        record: strings[w[k]!]!,
        denied: true,
        scontext: contexts[w[k + 1]!]!,
        tcontext: contexts[w[k + 2]!]!,
        tclass: strings[w[k + 3]!]!,
        perms,
        header: '',
        loc: { file: '', line: 0 },
        eventLocs: [],
      };
      const ioctl = w[k + 5]!;
      if (ioctl >= 0) denial.ioctlcmd = ioctl;
      this.denials.push(denial);
    }
  }
}

/**
 * The places of one fact of a part, moved to where they are in the whole input: from the wire
 * (`from`) or from an array of spans (`spans`). One object, refilled per fact.
 */
export class MovedPlaces implements FactPlaces {
  /** Source index * 2^32: places order by source, then line. */
  base = 0;
  /** The lines of the source's earlier ranges. */
  shift = 0;
  private spans: readonly Span[] | undefined;
  private wire: Float64Array = new Float64Array(0);
  private strings: readonly string[] = [];
  private at = 0;
  length = 0;

  fromSpans(spans: readonly Span[]): this {
    this.spans = spans;
    this.length = spans.length;
    return this;
  }

  fromWire(wire: Float64Array, strings: readonly string[], at: number, length: number): this {
    this.spans = undefined;
    this.wire = wire;
    this.strings = strings;
    this.at = at;
    this.length = length;
    return this;
  }

  order(i: number): number {
    return this.base + this.shift + (this.spans ? this.spans[i]!.line : this.wire[this.at + 2 * i + 1]!);
  }

  span(i: number): Span {
    if (this.spans) {
      const s = this.spans[i]!;
      return { ...s, line: s.line + this.shift };
    }
    return { file: this.strings[this.wire[this.at + 2 * i]!]!, line: this.wire[this.at + 2 * i + 1]! + this.shift };
  }
}
