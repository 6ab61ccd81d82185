// A reduced range (reduce.ts) in the form a worker thread posts it: its distinct denials as one
// array of numbers, their names and contexts in tables. Cloning ~30,000 denial objects (each with
// its permissions, places and spans) between threads cost more than reading the range; a table of
// numbers costs next to nothing and is still plain data.
import type { Span } from '../../base/span.js';
import type { SecurityContext } from '../ir/context.js';
import type { DenialFact, LearnedPart } from './reduce.js';

export interface PartWire extends Omit<LearnedPart, 'denials'> {
  /** Record types, classes, permission lists (space-separated) and file names. */
  strings: string[];
  contexts: SecurityContext[];
  /**
   * Per denial: record, scontext, tcontext, tclass, perms, ioctlcmd (-1: none), count, the
   * denial's own place (file, line), the number of places, then each place (file, line).
   * Places are a file and a line, as records have them.
   */
  denials: Float64Array<ArrayBuffer>;
}

/** The part as its wire form. */
export function encodePart(part: LearnedPart): PartWire {
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const str = (s: string): number => {
    let i = stringIds.get(s);
    if (i === undefined) stringIds.set(s, (i = strings.push(s) - 1));
    return i;
  };
  const contexts: SecurityContext[] = [];
  const contextIds = new Map<SecurityContext, number>();
  const ctx = (c: SecurityContext): number => {
    let i = contextIds.get(c);
    if (i === undefined) contextIds.set(c, (i = contexts.push(c) - 1));
    return i;
  };
  let size = 0;
  for (const f of part.denials) size += 10 + 2 * f.locs.length;
  const out = new Float64Array(size);
  let k = 0;
  for (const { denial: d, count, locs } of part.denials) {
    out[k++] = str(d.record);
    out[k++] = ctx(d.scontext);
    out[k++] = ctx(d.tcontext);
    out[k++] = str(d.tclass);
    out[k++] = str(d.perms.join(' '));
    out[k++] = d.ioctlcmd ?? -1;
    out[k++] = count;
    out[k++] = str(d.loc.file);
    out[k++] = d.loc.line;
    out[k++] = locs.length;
    for (const l of locs) {
      out[k++] = str(l.file);
      out[k++] = l.line;
    }
  }
  return { reset: part.reset, sawSelinux: part.sawSelinux, invalidContexts: part.invalidContexts, stats: part.stats, strings, contexts, denials: out };
}

/** The part again, as reduce.ts made it (denials as the learner reads them). */
export function decodePart(wire: PartWire): LearnedPart {
  const { strings, contexts, denials: w } = wire;
  const permLists = new Map<number, string[]>();
  const denials: DenialFact[] = [];
  for (let k = 0; k < w.length; ) {
    const record = strings[w[k++]!]!;
    const scontext = contexts[w[k++]!]!;
    const tcontext = contexts[w[k++]!]!;
    const tclass = strings[w[k++]!]!;
    const p = w[k++]!;
    let perms = permLists.get(p);
    if (perms === undefined) permLists.set(p, (perms = strings[p]!.split(' ')));
    const ioctl = w[k++]!;
    const count = w[k++]!;
    const loc: Span = { file: strings[w[k++]!]!, line: w[k++]! };
    const n = w[k++]!;
    const locs: Span[] = [];
    for (let i = 0; i < n; i++) locs.push({ file: strings[w[k++]!]!, line: w[k++]! });
    const denial: DenialFact['denial'] = { record, denied: true, scontext, tcontext, tclass, perms, header: '', loc, eventLocs: [] };
    if (ioctl >= 0) denial.ioctlcmd = ioctl;
    denials.push({ denial, count, locs });
  }
  return { reset: wire.reset, sawSelinux: wire.sawSelinux, denials, invalidContexts: wire.invalidContexts, stats: wire.stats };
}
