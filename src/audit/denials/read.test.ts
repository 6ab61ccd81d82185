import { describe, expect, it } from 'vitest';
import { textSource } from '../../base/source.js';
import type { Denial } from '../avc.js';
import { type ReadDenialsOptions, readDenials } from './read.js';

const AVC = (t: number, serial: number, type: string) =>
  `type=AVC msg=audit(${t}.000:${serial}): avc:  denied  { read } for  pid=1 comm="app" name="x" scontext=system_u:system_r:${type}:s0 tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0\n`;
const LOAD = (t: number, serial: number) => `type=MAC_POLICY_LOAD msg=audit(${t}.000:${serial}): auid=0 ses=1 lsm=selinux res=1\n`;
const START = (t: number, serial: number) =>
  `type=DAEMON_START msg=audit(${t}.000:${serial}): op=start ver=3.0.9 format=enriched kernel=6.1.0 auid=4294967295 pid=1 uid=0 ses=4294967295 res=success\n`;

async function sources(log: string, opts: ReadDenialsOptions = {}): Promise<string[]> {
  const seen: Denial[] = [];
  await readDenials([textSource(log, 'a.log')], opts, (d) => void seen.push(d));
  return seen.map((d) => `${d.scontext.type}@${d.loc.line}`);
}

const LOG = AVC(100, 1, 'a_t') + LOAD(200, 2) + AVC(300, 3, 'b_t') + START(400, 4) + AVC(500, 5, 'c_t') + AVC(600, 6, 'd_t');

describe('readDenials', () => {
  it('gives every denial in input order', async () => {
    expect(await sources(LOG)).toEqual(['a_t@1', 'b_t@3', 'c_t@5', 'd_t@6']);
  });

  it('with lastLoadOnly, only what follows the last policy load or daemon start', async () => {
    expect(await sources(LOG, { lastLoadOnly: true })).toEqual(['c_t@5', 'd_t@6']);
    expect(await sources(AVC(100, 1, 'a_t') + LOAD(200, 2), { lastLoadOnly: true })).toEqual([]);
    // No load at all: everything.
    expect(await sources(AVC(100, 1, 'a_t'), { lastLoadOnly: true })).toEqual(['a_t@1']);
  });

  it('held denials come back whole (every field, through JSON)', async () => {
    const held: Denial[] = [];
    const plain: Denial[] = [];
    const log = LOAD(1, 1) + AVC(300, 3, 'b_t');
    await readDenials([textSource(log)], { lastLoadOnly: true }, (d) => void held.push(d));
    await readDenials([textSource(log)], {}, (d) => void plain.push(d));
    expect(held).toEqual(JSON.parse(JSON.stringify(plain)));
    expect(held[0]?.scontext).toEqual({ user: 'system_u', role: 'system_r', type: 'b_t', level: 's0' });
  });

  it('leaves out events outside the time range, policy loads included', async () => {
    expect(await sources(LOG, { since: 300, until: 501 })).toEqual(['b_t@3', 'c_t@5']);
    expect(await sources(LOG, { until: 300 })).toEqual(['a_t@1']);
    // The daemon start at 400 is outside the range: it does not reset.
    expect(await sources(LOG, { since: 250, until: 350, lastLoadOnly: true })).toEqual(['b_t@3']);
    expect(await sources(LOG, { since: 450, lastLoadOnly: true })).toEqual(['c_t@5', 'd_t@6']);
  });

  it('keeps records without a time', async () => {
    const bare = 'Nov 23 10:00:00 host kernel: avc:  denied  { read } for  pid=1 comm="x" scontext=a:b:e_t tcontext=a:object_r:d_t tclass=file\n';
    expect(await sources(bare + AVC(100, 1, 'a_t'), { since: 200 })).toEqual(['e_t@1']);
  });
});
