// `allow` in ranges (parallel.ts, reduce.ts) against one sequential read: the log is cut at every
// line (one cut, and every line a range of its own), in every mode that changes what is learned,
// and the module (rules, notes, evidence), the read's counts and "saw SELinux" must be the same.
// From the TypeScript sources the ranges are read in this thread; the last test runs real worker
// threads through the built package.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir.js';
import { fileSource } from '../../base/source.js';
import { readPolicyFile } from '../policy/index.js';
import { printTe } from '../print/te.js';
import { policyAnalyzer } from './analysis.js';
import { type LearnFromLogsOptions, learnFromLogs } from './fromLogs.js';
import { ModuleLearner } from './learn.js';
import { learnInPieces, type Piece, planPieces, RANGES_PER_JOB } from './parallel.js';
import { decodePart, encodePart } from './partWire.js';
import { reduceRange } from './reduce.js';

const ROOT = new URL('../../../', import.meta.url);
const read = (p: string): string => readFileSync(new URL(p, ROOT), 'utf8');
// Denials, repeats, granted and permissive AVCs, policy loads, ioctls, invalid contexts, malformed lines.
// Twice the invalid contexts: a role's places then come from two messages, interleaved.
const ERR = 'test/oracle/edge/selinux-err-forms.log';
const LOG = ['examples/denials.log', 'test/oracle/edge/lastreload.log', ERR, 'test/oracle/edge/ioctl-forms.log', 'test/oracle/edge/bad-avcs.log', ERR, 'examples/denials.log'].map(read).join('');
const policy = readPolicyFile(new URL('examples/demo-policy.33', ROOT).pathname);

const MODES: Record<string, LearnFromLogsOptions> = {
  plain: {},
  module: { name: 'm' },
  dontaudit: { dontaudit: true, requires: true },
  xperms: { xperms: true },
  lastreload: { lastLoadOnly: true, xperms: true },
  policy: { policy, name: 'm' },
  type: { type: 'httpd', lastLoadOnly: true },
  evidence1: { evidenceLimit: 1 },
  evidence2: { evidenceLimit: 2, xperms: true },
  // -b: a cut inside an event must not change which of its records are before the time.
  since: { since: 1700000103, xperms: true },
};

const dir = tempDir('parallel');

/** Where each line of `text` starts (after the first). */
function lineStarts(text: string): number[] {
  const out: number[] = [];
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length - 1; i++) if (bytes[i] === 10) out.push(i + 1);
  return out;
}

async function inPieces(files: string[], cuts: number[][], opts: LearnFromLogsOptions) {
  const pieces: Piece[] = [];
  files.forEach((file, source) => {
    const size = readFileSync(file).length;
    const bounds = [0, ...cuts[source]!, size];
    for (let k = 0; k + 1 < bounds.length; k++) pieces.push({ file, name: `log${source}`, start: bounds[k]!, end: bounds[k + 1]!, source });
  });
  const learner = new ModuleLearner({ ...opts, ...(opts.policy ? { analyze: policyAnalyzer(opts.policy) } : {}), ...(opts.type ? { typeFilter: new RegExp(`^(?:${opts.type})`) } : {}) });
  const { stats, sawSelinux } = await learnInPieces(pieces, opts, learner);
  const module = learner.toModule();
  return { te: printTe(module), module, stats, sawSelinux };
}

async function sequential(files: string[], opts: LearnFromLogsOptions) {
  const r = await learnFromLogs(
    files.map((f, i) => fileSource(f, { name: `log${i}` })),
    { ...opts, jobs: 1 },
  );
  return { te: printTe(r.module), module: r.module, stats: r.stats, sawSelinux: r.sawSelinux };
}

describe('allow in ranges = allow in one pass', () => {
  it('is tested on events whose records a cut splits (the same audit(time:serial) on both sides)', () => {
    const lines = LOG.split('\n');
    const stamp = (l: string | undefined): string | undefined => /audit\(([\d.:]+)\)/.exec(l ?? '')?.[1];
    const straddling = lines.filter((l, i) => stamp(l) !== undefined && stamp(l) === stamp(lines[i + 1]));
    expect(straddling.length).toBeGreaterThan(10);
    // Two denials of one event: a cut between them puts them in different ranges.
    expect(lines.some((l, i) => l.includes(' avc: ') && lines[i + 1]!.includes(' avc: ') && stamp(l) === stamp(lines[i + 1]))).toBe(true);
  });

  it.each(Object.entries(MODES))('%s: one cut at every line, and every line a range of its own', async (_, opts) => {
    const file = dir.join('one.log');
    writeFileSync(file, LOG);
    const want = await sequential([file], opts);
    expect(want.module.statements.length).toBeGreaterThan(2);
    const starts = lineStarts(LOG);
    for (const cut of starts) expect(await inPieces([file], [[cut]], opts), `cut at byte ${cut}`).toEqual(want);
    expect(await inPieces([file], [starts], opts)).toEqual(want);
  });

  it('merges several files in order, each cut anywhere, with the same file twice', async () => {
    const a = dir.join('a.log');
    const b = dir.join('b.log');
    const textB = read('test/oracle/edge/lastreload.log') + read('examples/denials.log');
    writeFileSync(a, LOG);
    writeFileSync(b, textB);
    for (const opts of [MODES.plain!, MODES.lastreload!, MODES.policy!]) {
      const want = await sequential([a, b, a], opts);
      const sa = lineStarts(LOG);
      const sb = lineStarts(textB);
      for (let k = 0; k < sb.length; k += 3) {
        expect(await inPieces([a, b, a], [[sa[k % sa.length]!], [sb[k]!], sa.filter((_, i) => i % 4 === k % 4)], opts)).toEqual(want);
      }
    }
  });
});

describe('the wire form of a reduced range', () => {
  it('gives the range back as it was reduced', async () => {
    const file = dir.join('wire.log');
    writeFileSync(file, LOG);
    const part = await reduceRange({ file, name: 'w.log', start: 0, end: Buffer.byteLength(LOG) }, { lastLoadOnly: false }, 3);
    expect(part.denials.length).toBeGreaterThan(5);
    expect(part.denials.some((f) => f.denial.ioctlcmd !== undefined)).toBe(true);
    const wire = encodePart(part);
    expect(wire.contexts.length).toBeLessThan(2 * part.denials.length);
    expect(decodePart(structuredClone(wire))).toEqual(part);
  });
});

describe('planPieces', () => {
  it('cuts plain files at line starts into contiguous ranges, a few per job', () => {
    const file = dir.join('plan.log');
    writeFileSync(file, LOG.repeat(20));
    const bytes = readFileSync(file);
    const pieces = planPieces([fileSource(file)], { jobs: 5, parallelThreshold: 0 })!;
    expect(pieces.length).toBe(5 * RANGES_PER_JOB);
    expect(pieces[0]!.start).toBe(0);
    expect(pieces.at(-1)!.end).toBe(bytes.length);
    for (let k = 1; k < pieces.length; k++) {
      expect(pieces[k]!.start).toBe(pieces[k - 1]!.end);
      expect(bytes[pieces[k]!.start - 1]).toBe(10);
    }
  });

  it('reads in one thread: one job, explanations, small input, stdin, gzip under any name', () => {
    const file = dir.join('plan2.log');
    writeFileSync(file, LOG);
    const gz = dir.join('gzip-data.log');
    writeFileSync(gz, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 10, 10]));
    expect(planPieces([fileSource(file)], { jobs: 2, parallelThreshold: 0 })).toBeDefined();
    expect(planPieces([fileSource(file)], { jobs: 1, parallelThreshold: 0 })).toBeUndefined();
    expect(planPieces([fileSource(file)], { jobs: 2, parallelThreshold: 0, explain: 'short' })).toBeUndefined();
    expect(planPieces([fileSource(file)], { jobs: 2 })).toBeUndefined();
    expect(planPieces([fileSource(file), fileSource('-')], { jobs: 2, parallelThreshold: 0 })).toBeUndefined();
    expect(planPieces([fileSource(gz)], { jobs: 2, parallelThreshold: 0 })).toBeUndefined();
  });
});

describe('worker threads (the built package)', () => {
  it('give what one thread gives, with and without -p', async () => {
    const lib = await import('porthole');
    const file = dir.join('threads.log');
    writeFileSync(file, LOG.repeat(50));
    for (const opts of [{ xperms: true }, { policy: lib.readPolicyFile(new URL('examples/demo-policy.33', ROOT).pathname), name: 'm' }]) {
      const one = await lib.learnFromLogs({ path: file }, { ...opts, jobs: 1 });
      const three = await lib.learnFromLogs({ path: file }, { ...opts, jobs: 3, parallelThreshold: 0 });
      expect(lib.printTe(three.module)).toBe(lib.printTe(one.module));
      expect(three.module).toEqual(one.module);
      expect(three.stats).toEqual(one.stats);
    }
  });
});
