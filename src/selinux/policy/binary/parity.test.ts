// The reader's ways of reading the same bytes agree: the WebAssembly loops
// (readerKernel.wat) and the JavaScript ones, a file through a window of any
// size and the bytes in memory, the statistics scan and the reader. On valid
// policies at every version, and on corrupt and truncated ones, which must end
// in a policy-format PortholeError or a usable Policy: never another
// exception, never a hang (the test timeout catches one; every loop in the
// reader is bounded by the bytes left). The scan must agree with the reader on
// every file the reader accepts.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, no types
import { assembleWasm, WASM_MODULES } from '../../../../scripts/build-wasm.mjs';
import { policyError, policyErrorPlace, readOutcome } from '../../../../test/fixtures/policy/outcome.js';
import { smallPolicy } from '../../../../test/fixtures/policy/writer.js';
import { Rng } from '../../../../test/gen/prng.js';
import type { AvTabIndex } from '../indexes.js';
import type { Policy } from '../model.js';
import { PolicyLister, printSeinfoListings } from '../query/listings.js';
import { policyStats, printSeinfoStats } from '../query/stats.js';
import type { AvTab } from './avtab.js';
import { useReaderKernel } from './kernel/readerKernel.js';
import { readPolicy, readPolicyFile } from './read.js';
import { scanPolicyFile, scanPolicyStats } from './scan.js';

const DEBIAN = '/etc/selinux/default/policy/policy.33';
const dir = mkdtempSync(join(tmpdir(), 'porthole-parity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `bytes` as a file in the test's directory. */
function asFile(name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** Everything the avtab and its index hold, as plain data. */
function tables(p: Policy): object {
  const one = (tab: AvTab, ix: AvTabIndex): object => {
    const chains: number[][] = [];
    for (let i = 0; i < tab.count; i++) if (ix.first(tab.src[i]!, tab.tgt[i]!, tab.cls[i]!) === i) chains.push(ix.lookup(tab.src[i]!, tab.tgt[i]!, tab.cls[i]!));
    const xperms = [];
    for (let i = 0; i < tab.count; i++) {
      const x = tab.xpermOf(i);
      if (x) xperms.push([i, x.specified, x.driver, [...x.perms]]);
    }
    return { cols: [tab.src, tab.tgt, tab.cls, tab.spec, tab.data].map((a) => [...a]), size: ix.size, chains, xperms };
  };
  const map = p.typeAttrMap!;
  const keys = p.types.map((t) => [...p.index.keysOf(t.value)]);
  const constraints = JSON.stringify(p.classes.map((c) => [c.constraints, c.validatetrans]));
  return { avtab: one(p.avtab, p.index.avtab), cond: one(p.condAvtab, p.index.condAvtab), map: [[...map.ends], [...map.values]], attrs: p.types.map((t) => t.attrs), keys, constraints };
}

/** Everything a reader produced that can be compared: the model as JSON (lazy parts decoded), and seinfo's listings. */
function snapshot(p: Policy): string {
  const listings = new PolicyLister(p).listings({
    type: true,
    attribute: true,
    role: true,
    user: true,
    bool: true,
    class: true,
    common: true,
    sensitivity: true,
    category: true,
    portcon: true,
    genfscon: true,
    fsUse: true,
    initialSid: true,
    polcap: true,
    permissive: true,
  });
  return JSON.stringify(p) + printSeinfoListings(listings, { expand: true, flat: false });
}

describe("the reader's WebAssembly loops (avtab, its index, the type attribute map, constraints)", () => {
  afterEach(() => useReaderKernel(true));

  it('are the assembly of readerKernel.wat (run node scripts/build-wasm.mjs after editing it)', async () => {
    const committed = readFileSync(new URL('./kernel/readerKernel.wasm.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await assembleWasm(WASM_MODULES[0]));
  });

  for (const version of [24, 29, 33, 34, 35]) {
    it(`read and index what the JavaScript loops do (version ${version}, whole and through small windows)`, () => {
      const bytes = smallPolicy({ version });
      const withKernel = readPolicy(bytes);
      expect(withKernel.avtab.arena).toBeDefined();
      useReaderKernel(false);
      const plain = readPolicy(bytes);
      expect(plain.avtab.arena).toBeUndefined();
      expect(tables(withKernel)).toEqual(tables(plain));
      useReaderKernel(true);
      const file = asFile(`kernel.${version}`, bytes);
      // Windows that cut entries (and xperm entries) at every offset.
      for (const window of [1, 7, 12, 13, 41, 42, 100]) expect(tables(readPolicyFile(file, { window }))).toEqual(tables(plain));
    });
  }

  it.skipIf(!existsSync(DEBIAN))('read and index the Debian policy as the JavaScript loops do', () => {
    const withKernel = readPolicyFile(DEBIAN);
    expect(withKernel.avtab.arena).toBeDefined();
    useReaderKernel(false);
    const plain = readPolicyFile(DEBIAN);
    expect(tables(withKernel)).toEqual(tables(plain));
  });
});

describe('a file read through a window that moves along it', () => {
  for (const version of [24, 29, 33, 35]) {
    it(`reads and scans what is read in memory, and fails where it fails, at version ${version}`, () => {
      const bytes = smallPolicy({ version });
      const file = asFile(`policy.${version}`, bytes);
      const want = snapshot(readPolicy(bytes));
      const stats = scanPolicyStats(bytes);
      for (const window of [1, 5, 12, 100, 65536]) expect(snapshot(readPolicyFile(file, { window }))).toBe(want);
      for (const window of [1, 3, 7, 12, 64, 1000, 65536]) expect(scanPolicyFile(file, { window })).toEqual(stats);
      // Truncated anywhere: the same error, naming the same section and offset.
      for (let len = 0; len < bytes.length; len += 7) {
        const cut = asFile(`cut.${version}`, bytes.subarray(0, len));
        expect(
          readOutcome(() => readPolicyFile(cut, { window: 7 })),
          `${len} bytes`,
        ).toEqual(readOutcome(() => readPolicy(bytes.subarray(0, len))));
        const mem = readOutcome(() => scanPolicyStats(bytes.subarray(0, len)));
        for (const window of [5, 64])
          expect(
            readOutcome(() => scanPolicyFile(cut, { window })),
            `${len} bytes, window ${window}`,
          ).toEqual(mem);
      }
    });
  }

  it('reads what is not a regular file whole first (a pipe, /dev/stdin: test/cli/bin.test.ts)', () => {
    expect(readOutcome(() => scanPolicyFile('/dev/null'))).toBe('header at byte 0: truncated data: need 4 bytes, 0 left');
  });

  it.skipIf(!existsSync(DEBIAN))('the Debian policy', () => {
    expect(snapshot(readPolicyFile(DEBIAN))).toBe(snapshot(readPolicy(new Uint8Array(readFileSync(DEBIAN)))));
    expect(scanPolicyFile(DEBIAN)).toEqual(scanPolicyStats(new Uint8Array(readFileSync(DEBIAN))));
  });
});

/** The same cases every run. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.u32();
}

type Outcome = 'ok' | 'error';

/** Reads, and on success uses every index and the stats; returns how it ended. */
function attempt(bytes: Uint8Array): { outcome: Outcome } {
  let outcome: Outcome;
  let stats: unknown;
  try {
    const p = readPolicy(bytes);
    p.index.buildAll();
    stats = policyStats(p);
    printSeinfoStats(p, 'fuzz');
    outcome = 'ok';
  } catch (e) {
    expectReadError(e, bytes);
    outcome = 'error';
    stats = (e as Error).message;
  }
  let scanned: unknown;
  try {
    scanned = scanPolicyStats(bytes);
  } catch (e) {
    expectReadError(e, bytes);
    scanned = (e as Error).message;
  }
  // The scan makes the reader's checks: the same statistics, or the same error (policy info
  // rejects what policy search rejects, with the same words).
  expect(scanned).toEqual(stats);
  return { outcome };
}

function expectReadError(e: unknown, bytes: Uint8Array): void {
  const pe = policyError(e);
  if (!pe) throw e;
  if (pe.code !== 'policy-format') return;
  const { offset } = policyErrorPlace(pe);
  expect(offset).toBeGreaterThanOrEqual(0);
  expect(offset).toBeLessThanOrEqual(bytes.length);
}

/** One mutated copy: truncation, byte flips, or 32-bit words overwritten with extreme values. */
function mutate(src: Uint8Array, next: () => number): Uint8Array {
  const kind = next() % 4;
  if (kind === 0) return src.slice(0, next() % src.length);
  const b = src.slice();
  const view = new DataView(b.buffer);
  const n = 1 + (next() % 4);
  for (let i = 0; i < n; i++) {
    const at = next() % b.length;
    if (kind === 1) b[at] = next() & 0xff;
    else if (at + 4 <= b.length) {
      const values = [0, 1, 2, 0xffffffff, 0x7fffffff, 0x10000, next(), 64, 63];
      view.setUint32(kind === 2 ? at & ~3 : at, values[next() % values.length]!, true);
    }
  }
  return b;
}

/** What readPolicy and scanPolicyStats make of the bytes: the error message or the statistics. */
function inMemory(bytes: Uint8Array): [unknown, unknown] {
  return [settle(() => policyStats(readPolicy(bytes))), settle(() => scanPolicyStats(bytes))];
}

function throughFile(bytes: Uint8Array): [unknown, unknown] {
  const file = asFile('mutated', bytes);
  return [settle(() => policyStats(readPolicyFile(file, { window: 7 }))), settle(() => scanPolicyFile(file, { window: 7 }))];
}

/**
 * The WebAssembly loops against the JavaScript ones on the same bytes: the same policy
 * (constraints decoded, so none fails later) or the same error. `whole`: compare all of it.
 */
function kernelParity(bytes: Uint8Array, whole: boolean): void {
  const summary = (): string =>
    readOutcome(() => {
      const p = readPolicy(bytes);
      p.index.buildAll();
      if (whole) return JSON.stringify(p);
      return JSON.stringify([policyStats(p), p.classes, p.index.avtab.size, p.index.condAvtab.size, p.typeAttrMap?.values.length]);
    });
  const withKernel = summary();
  useReaderKernel(false);
  try {
    expect(withKernel).toEqual(summary());
  } finally {
    useReaderKernel(true);
  }
}

function settle(f: () => unknown): unknown {
  return readOutcome(() => JSON.stringify(f()));
}

describe('fuzzing the reader', () => {
  it('small hand-built policies at every version', () => {
    const next = rng(0x5eed);
    const counts = { ok: 0, error: 0 };
    for (let version = 24; version <= 35; version++) {
      for (const mls of [true, false]) {
        const src = smallPolicy({ version, mls });
        // every truncation point
        for (let len = 0; len < src.length; len++) {
          const cut = src.subarray(0, len);
          const r = attempt(cut);
          expect(r.outcome, `truncated to ${len} bytes read fine (v${version})`).toBe('error');
          expect(
            readOutcome(() => scanPolicyStats(cut)),
            `truncated to ${len} bytes scanned fine (v${version})`,
          ).toEqual(expect.any(String));
        }
        for (let i = 0; i < 300; i++) {
          const bytes = mutate(src, next);
          counts[attempt(bytes).outcome]++;
          kernelParity(bytes, true);
          // Through a file and a small window (FileCursor): the same result.
          if (i % 10 === 0) expect(throughFile(bytes)).toEqual(inMemory(bytes));
        }
      }
    }
    expect(counts.error).toBeGreaterThan(0);
    // ≈ 40 s alone on 2 cores; more when other suites share them.
  }, 300_000);

  it.skipIf(!existsSync(DEBIAN))(
    'the Debian policy',
    () => {
      const src = new Uint8Array(readFileSync(DEBIAN));
      const next = rng(0xdeb12);
      for (let i = 0; i < 60; i++) {
        const bytes = mutate(src, next);
        attempt(bytes);
        kernelParity(bytes, false);
      }
      // truncation inside each part of the file
      for (const frac of [0.0001, 0.001, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.9999]) {
        expect(attempt(src.subarray(0, Math.floor(src.length * frac))).outcome).toBe('error');
      }
    },
    120_000,
  );
});
