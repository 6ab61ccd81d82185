// `allow` in ranges (parallel.ts, reduce.ts) against one sequential read: the log is cut at every
// line (one cut, and every line a range of its own), in every mode that changes what is learned,
// and the module (rules, notes, evidence), the read's counts and "saw SELinux" must be the same.
// From the TypeScript sources the ranges are read in this thread; the last test runs real worker
// threads through the built package.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir.js';
import { DecisionMemo } from '../../audit/record/decisions.js';
import { fileSource } from '../../base/source.js';
import { readPolicyFile } from '../policy/index.js';
import { printTe } from '../print/te.js';
import { policyAnalyzer } from './analysis.js';
import { type LearnFromLogsOptions, learnFromLogs } from './fromLogs.js';
import { ModuleLearner } from './learn.js';
import { learnInPieces, mergeParts, type Piece, planPieces, RANGES_PER_JOB } from './parallel.js';
import { PartReader } from './partWire.js';
import { reduceRange } from './reduce.js';
import { reduceRangeToWire, WireReducer } from './wireReducer.js';

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

  it.each(['policy', 'type', 'lastreload', 'evidence1'])('%s: new denials sent ahead of their range (every one, every other) change nothing', async (mode) => {
    const opts = MODES[mode]!;
    const file = dir.join('ahead.log');
    writeFileSync(file, LOG);
    const want = await sequential([file], opts);
    const starts = lineStarts(LOG);
    for (const previewEvery of [1, 2]) {
      for (const cut of starts.filter((_, i) => i % 5 === 0)) {
        expect(await inPieces([file], [[cut]], { ...opts, previewEvery } as LearnFromLogsOptions), `cut at byte ${cut}`).toEqual(want);
      }
      expect(await inPieces([file], [starts], { ...opts, previewEvery } as LearnFromLogsOptions)).toEqual(want);
    }
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
  it('sends a denial once per worker, then its number, and merges as the ranges themselves', async () => {
    const file = dir.join('wire.log');
    writeFileSync(file, LOG);
    const range = { file, name: 'w.log', start: 0, end: Buffer.byteLength(LOG) };
    const parts = [await reduceRange(range, { lastLoadOnly: false }, 3), await reduceRange(range, { lastLoadOnly: false }, 3)];
    expect(parts[0]!.denials.length).toBeGreaterThan(5);
    expect(parts[0]!.denials.some((f) => f.denial.ioctlcmd !== undefined)).toBe(true);
    const reducer = new WireReducer(3);
    const decisions = new DecisionMemo();
    const wires = [structuredClone(await reduceRangeToWire(range, { lastLoadOnly: false }, reducer, decisions))];
    wires.push(structuredClone(await reduceRangeToWire(range, { lastLoadOnly: false }, reducer, decisions)));
    expect(wires[0]!.newDenials.length).toBe(6 * parts[0]!.denials.length);
    expect(wires[0]!.contexts.length).toBeLessThan(2 * parts[0]!.denials.length);
    // The second range repeats the first: numbers only.
    expect(wires[1]!.newDenials.length).toBe(0);
    expect(wires[1]!.contexts).toEqual([]);
    const pieces = [{ source: 0 }, { source: 0 }];
    for (const opts of [{ xperms: true }, { analyze: policyAnalyzer(policy), name: 'm' }]) {
      const direct = new ModuleLearner(opts);
      const viaWire = new ModuleLearner(opts);
      const a = mergeParts(pieces, parts, direct);
      const reader = new PartReader();
      for (const wire of wires) reader.learn(wire);
      const b = mergeParts(
        pieces,
        wires.map((wire) => ({ wire, reader })),
        viaWire,
      );
      expect(b).toEqual(a);
      expect(viaWire.toModule()).toEqual(direct.toModule());
      expect(printTe(viaWire.toModule())).toContain('ioctl');
    }
  });
});

describe('the wire reducer: a denial seen before is a count and a few lines', () => {
  const avc = (serial: number, pid: number, tail = 'tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0'): string =>
    `type=AVC msg=audit(1700000101.${serial}:${serial}): avc:  denied  { read } for  pid=${pid} comm="a" ino=${serial} scontext=system_u:system_r:httpd_t:s0 ${tail}\n`;
  const LOAD = 'type=MAC_POLICY_LOAD msg=audit(1700000300.002:702): auid=4294967295 ses=4294967295 lsm=selinux res=1\n';
  const reduce = async (texts: string[], opts: { lastLoadOnly?: boolean } = {}) => {
    const reducer = new WireReducer(5);
    const decisions = new DecisionMemo();
    const wires = [];
    for (const [i, text] of texts.entries()) {
      const file = dir.join(`fast-${i}.log`);
      writeFileSync(file, text);
      wires.push(await reduceRangeToWire({ file, name: 'f.log', start: 0, end: Buffer.byteLength(text) }, opts, reducer, decisions));
    }
    return wires;
  };
  /** Per denial of a part: [number, count, its lines]. */
  const facts = (w: Float64Array): Array<[number, number, number[]]> => {
    const out: Array<[number, number, number[]]> = [];
    for (let i = 0; i < w.length; ) {
      const n = w[i++]!;
      const count = w[i++]!;
      const len = w[i++]!;
      const lines: number[] = [];
      for (let k = 0; k < len; k++, i += 2) lines.push(w[i + 1]!);
      out.push([n, count, lines]);
    }
    return out;
  };

  it("counts a repeated event (other stamp, pid, inode) under the first one's number", async () => {
    const [w] = await reduce([avc(1, 10) + avc(2, 11) + avc(3, 12)]);
    expect(w!.newDenials.length).toBe(6);
    expect(facts(w!.denials)).toEqual([[0, 3, [1, 2, 3]]]);
  });

  it('gives a changed field of the decision its own number', async () => {
    const [w] = await reduce([
      avc(1, 10) + avc(2, 10, 'tcontext=system_u:object_r:etc_t:s0 tclass=dir permissive=0') + avc(3, 10) + avc(4, 10, 'tcontext=system_u:object_r:tmp_t:s0 tclass=file permissive=0'),
    ]);
    expect(w!.newDenials.length).toBe(18);
    expect(facts(w!.denials)).toEqual([
      [0, 2, [1, 3]],
      [1, 1, [2]],
      [2, 1, [4]],
    ]);
  });

  it('sends only numbers for a range that repeats an earlier one (an event on both sides of a cut)', async () => {
    const [a, b] = await reduce([avc(1, 10) + avc(2, 11), avc(2, 11) + avc(3, 12)]);
    expect(a!.newDenials.length).toBe(6);
    expect(b!.newDenials.length).toBe(0);
    expect(facts(b!.denials)).toEqual([[0, 2, [1, 2]]]);
  });

  it('starts over at a policy load (-l) but keeps the numbers', async () => {
    const [w] = await reduce([avc(1, 10) + avc(2, 10, 'tcontext=system_u:object_r:tmp_t:s0 tclass=file permissive=0') + LOAD + avc(3, 12)], { lastLoadOnly: true });
    expect(w!.reset).toBe(true);
    expect(w!.newDenials.length).toBe(12);
    expect(facts(w!.denials)).toEqual([[0, 1, [4]]]);
    const [plain] = await reduce([avc(1, 10) + LOAD + avc(3, 12)]);
    expect(plain!.reset).toBe(false);
    expect(facts(plain!.denials)).toEqual([[0, 2, [1, 3]]]);
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
