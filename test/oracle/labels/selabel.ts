// The file-label oracle: libselinux's selabel_lookup on many (path, mode)
// pairs in one /usr/bin/python3 process (selabel_batch.py), and the committed
// path corpus (test/fixtures/labels/corpus.txt.gz, made by
// scripts/gen-label-corpus.mjs).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { SYSTEM_PYTHON } from '../support/oracles.js';

export const BATCH = fileURLToPath(new URL('./selabel_batch.py', import.meta.url));
export const CORPUS = fileURLToPath(new URL('../../fixtures/labels/corpus.txt.gz', import.meta.url));

/** The modes every path is looked up with: any, then matchpathcon's seven. */
export const SWEEP_MODES = [0, 0o100000, 0o040000, 0o120000, 0o020000, 0o060000, 0o140000, 0o010000] as const;

/** The corpus paths as latin1 strings (one char per byte). */
export function readCorpus(file = CORPUS): string[] {
  const text = gunzipSync(readFileSync(file)).toString('latin1');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/\\(\\|n|x[0-9a-f]{2})/g, (_, e: string) => (e === '\\' ? '\\' : e === 'n' ? '\n' : String.fromCharCode(parseInt(e.slice(1), 16)))));
}

/** libselinux's answers: the context, null for ENOENT (`<<none>>`), `!ERRNO` for another error. */
export function selabelLookups(fc: string, queries: ReadonlyArray<readonly [string, number]>): { answers: Array<string | null>; elapsed: number } {
  const input = JSON.stringify({ fc, queries: queries.map(([p, m]) => [Buffer.from(p, 'latin1').toString('hex'), m]) });
  const r = spawnSync(SYSTEM_PYTHON, ['-s', BATCH], { input, encoding: 'utf8', maxBuffer: 1 << 30, timeout: 900_000 });
  if (r.status !== 0) throw new Error(`selabel_batch.py failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as { answers: Array<string | null>; elapsed: number };
}
