// Corrupt and truncated policies must end in PolicyReadError or a usable
// Policy: never another exception, never a hang (the test timeout catches one;
// every loop in the reader is bounded by the bytes left). The same for the
// statistics scan, which must agree with the reader on every file the reader
// accepts.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOutcome } from '../../../../test/fixtures/policy/outcome.js';
import { smallPolicy } from '../../../../test/fixtures/policy/writer.js';
import { Rng } from '../../../../test/gen/prng.js';
import { policyStats, printSeinfoStats } from '../query/stats.js';
import { PolicyReadError } from './errors.js';
import { readPolicy, readPolicyFile } from './read.js';
import { useReaderKernel } from './readerKernel.js';
import { scanPolicyFile, scanPolicyStats } from './scan.js';

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
  }
  let scanned: unknown;
  try {
    scanned = scanPolicyStats(bytes);
  } catch (e) {
    expectReadError(e, bytes);
  }
  // The scan checks structure, not every cross-reference: it may accept a
  // file the reader rejects, never the other way round.
  if (outcome === 'ok') expect(scanned).toEqual(stats);
  return { outcome };
}

function expectReadError(e: unknown, bytes: Uint8Array): void {
  if (!(e instanceof PolicyReadError)) throw e;
  expect(e.offset).toBeGreaterThanOrEqual(0);
  expect(e.offset).toBeLessThanOrEqual(bytes.length);
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

const dir = mkdtempSync(join(tmpdir(), 'porthole-fuzz-'));

/** What readPolicy and scanPolicyStats make of the bytes: the error message or the statistics. */
function inMemory(bytes: Uint8Array): [unknown, unknown] {
  return [settle(() => policyStats(readPolicy(bytes))), settle(() => scanPolicyStats(bytes))];
}

function throughFile(bytes: Uint8Array): [unknown, unknown] {
  const file = join(dir, 'mutated');
  writeFileSync(file, bytes);
  return [settle(() => policyStats(readPolicyFile(file, 7))), settle(() => scanPolicyFile(file, 7))];
}

/**
 * The WebAssembly loops (readerKernel.wat) against the JavaScript ones on the same bytes: the same
 * policy (constraints decoded, so none fails later) or the same error. `whole`: compare all of it.
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
          expect(() => scanPolicyStats(cut), `truncated to ${len} bytes scanned fine (v${version})`).toThrow(PolicyReadError);
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
  }, 120_000);

  const DEBIAN = '/etc/selinux/default/policy/policy.33';
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
