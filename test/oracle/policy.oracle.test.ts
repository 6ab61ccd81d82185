// Differential test of the binary policy reader against setools' seinfo: our
// printSeinfoStats must equal `seinfo POLICY` byte for byte for
//  - $SE_POLICY (the Debian policy, v33, built by semodule/secilc),
//  - the same policy rebuilt by checkpolicy at older versions
//    (`checkpolicy -M -b -F -o pol.conf $SE_POLICY`, then `checkpolicy -M -c N`):
//    a fixed sample (24, 28, 31, 33) by default, every version 24..33 with
//    PORTHOLE_FULL_SWEEP=1,
//  - the hand-written test/fixtures/policy/small-*.conf compiled at 31 and 33.
// The policies are built once, in parallel, in a temp dir.
//
// Needs checkpolicy and seinfo (scripts/install-oracles.sh). Without them the
// suite is skipped, unless CI is set: then it fails saying what is missing.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';

import { printSeinfoStats, readPolicy } from '../../src/selinux/policy/index.js';
import { tempDir } from '../support/tempDir.js';
import { describeOracle, findOracles } from './support/oracles.js';

const run = promisify(execFile);
const FIXTURES = fileURLToPath(new URL('../fixtures/policy/', import.meta.url));
const FULL = /^(1|true|yes)$/i.test(process.env.PORTHOLE_FULL_SWEEP ?? '');
const VERSIONS = FULL ? [24, 25, 26, 27, 28, 29, 30, 31, 32, 33] : [24, 28, 31, 33];
const SMALL = ['small-nonmls', 'small-mls'];
const SMALL_VERSIONS = [31, 33];
const POLICY = findOracles().policy;

/** Runs jobs with at most `limit` at once. */
async function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return out;
}

async function seinfo(path: string): Promise<string> {
  return (await run('seinfo', [path], { maxBuffer: 1 << 20 })).stdout;
}

function ours(path: string): string {
  return printSeinfoStats(readPolicy(new Uint8Array(readFileSync(path))), path);
}

describeOracle('binary policy reader vs seinfo', () => {
  const scratch = tempDir('policy');
  let dir = '';
  const built = new Map<string, string>();
  const failed = new Map<string, string>();

  beforeAll(
    async () => {
      dir = scratch.path;
      const conf = join(dir, 'pol.conf');
      const jobs: (() => Promise<void>)[] = [];
      const build = (key: string, args: string[], out: string) => async (): Promise<void> => {
        try {
          await run('checkpolicy', [...args, '-o', out], { maxBuffer: 1 << 24 });
          built.set(key, out);
        } catch (e) {
          failed.set(key, String((e as { stderr?: string }).stderr ?? e));
        }
      };
      for (const name of SMALL) {
        for (const v of SMALL_VERSIONS) {
          const mls = name.includes('-mls') ? ['-M'] : [];
          jobs.push(build(`${name}.${v}`, [...mls, '-c', String(v), join(FIXTURES, `${name}.conf`)], join(dir, `${name}.${v}`)));
        }
      }
      const confDone = run('checkpolicy', ['-M', '-b', '-F', '-o', conf, POLICY], { maxBuffer: 1 << 24 });
      const small = pool(jobs, availableParallelism());
      await confDone;
      await small;
      await pool(
        VERSIONS.map((v) => build(`pol.${v}`, ['-M', '-c', String(v), conf], join(dir, `pol.${v}`))),
        availableParallelism(),
      );
    },
    FULL ? 600_000 : 180_000,
  );

  it(`$SE_POLICY (${POLICY})`, async () => {
    expect(ours(POLICY)).toBe(await seinfo(POLICY));
  });

  for (const v of VERSIONS) {
    it(`the same policy rebuilt at version ${v}`, async () => {
      const path = built.get(`pol.${v}`);
      expect(path, failed.get(`pol.${v}`)).toBeDefined();
      const text = ours(path!);
      expect(text).toContain(`Policy Version:             ${v} (MLS enabled)`);
      expect(text).toBe(await seinfo(path!));
    });
  }

  for (const name of SMALL) {
    for (const v of SMALL_VERSIONS) {
      it(`${name}.conf at version ${v}`, async () => {
        const path = built.get(`${name}.${v}`);
        expect(path, failed.get(`${name}.${v}`)).toBeDefined();
        expect(ours(path!)).toBe(await seinfo(path!));
      });
    }
  }
}, ['policy', 'checkpolicy', 'seinfo']);
