import { describe, expect, it } from 'vitest';

import { smallPolicy } from '../../../test/fixtures/policy/writer.js';
import { textSource } from '../../base/source.js';
import { readPolicy } from '../policy/index.js';
import { type WhyOptions, type WhyResult, whyFromLogs } from './fromLogs.js';

const policy = readPolicy(smallPolicy({ version: 33 }));
const avc = (time: number, serial: number, perm: string): string =>
  `type=AVC msg=audit(${time}.000:${serial}): avc:  denied  { ${perm} } for  pid=1 comm="app" scontext=u_u:r_r:a_t:s0 tcontext=u_u:object_r:b_t:s0 tclass=file permissive=0\n`;

async function whyRun(text: string, opts: WhyOptions = {}): Promise<{ text: string; result: WhyResult }> {
  const out: string[] = [];
  const result = await whyFromLogs([textSource(text)], policy, opts, (t) => void out.push(t));
  return { text: out.join(''), result };
}
const why = async (text: string, since?: number): Promise<string> => (await whyRun(text, since === undefined ? {} : { since })).text;
const load = (time: number, serial: number): string => `type=MAC_POLICY_LOAD msg=audit(${time}.000:${serial}): auid=4294967295 ses=4294967295 lsm=selinux res=1\n`;
const start = (time: number, serial: number): string =>
  `type=DAEMON_START msg=audit(${time}.000:${serial}): op=start ver=3.1 format=enriched kernel=6.1.0 auid=4294967295 pid=9 uid=0 ses=4294967295 res=success\n`;

describe('whyFromLogs', () => {
  it('explains every AVC, in log order', async () => {
    const text = await why(avc(100, 1, 'execute') + avc(200, 2, 'write'));
    expect(text.match(/Was caused by:/g)).toHaveLength(2);
    expect(text.indexOf('{ execute }')).toBeLessThan(text.indexOf('{ write }'));
  });

  it('since: only events at or after that time (audit2why -b)', async () => {
    const text = await why(avc(100, 1, 'execute') + avc(200, 2, 'write'), 150);
    expect(text).not.toContain('{ execute }');
    expect(text).toContain('{ write }');
  });

  it('lastLoadOnly: only what follows the last policy load or daemon start (audit2why -l)', async () => {
    const log = avc(100, 1, 'execute') + load(110, 2) + avc(120, 3, 'write') + start(130, 4) + avc(140, 5, 'read') + avc(150, 6, 'execute');
    expect((await why(log)).match(/Was caused by:/g)).toHaveLength(4);
    const { text, result } = await whyRun(log, { lastLoadOnly: true });
    expect(text.match(/\{ \w+ \}/g)).toEqual(['{ read }', '{ execute }']);
    expect(result.records).toBe(2);
    expect(result.sawSelinux).toBe(true);
  });

  it('lastLoadOnly: the rejected records before the last load are not reported either', async () => {
    const bad = avc(100, 1, 'execute').replace('a_t', 'nosuch_t');
    const seen: string[] = [];
    const { result } = await whyRun(bad + load(110, 2) + bad.replace('100.000:1', '120.000:3'), { lastLoadOnly: true, onRejected: (r) => void seen.push(r.message) });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toContain('120.000:3');
    expect(result.rejected).toBe(1);
  });

  it('lastLoadOnly: nothing after the last load is "nothing to do", and the last line keeps its missing newline', async () => {
    const { text, result } = await whyRun(avc(100, 1, 'execute') + load(110, 2), { lastLoadOnly: true });
    expect(text).toBe('');
    expect(result.sawSelinux).toBe(false);
    const cut = await whyRun(load(90, 1) + avc(100, 2, 'execute').trimEnd(), { lastLoadOnly: true });
    expect(cut.text).toBe(await why(avc(100, 2, 'execute').trimEnd()));
  });
});
