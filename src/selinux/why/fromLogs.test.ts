import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';

import { smallPolicy } from '../../../test/fixtures/policy/writer.js';
import { fileSource } from '../../audit/read.js';
import { readPolicy } from '../policy/index.js';
import { whyFromLogs } from './fromLogs.js';

const policy = readPolicy(smallPolicy({ version: 33 }));
const avc = (time: number, serial: number, perm: string): string =>
  `type=AVC msg=audit(${time}.000:${serial}): avc:  denied  { ${perm} } for  pid=1 comm="app" scontext=u_u:r_r:a_t:s0 tcontext=u_u:object_r:b_t:s0 tclass=file permissive=0\n`;

async function why(text: string, since?: number): Promise<string> {
  const out: string[] = [];
  await whyFromLogs([fileSource('-', Readable.from([Buffer.from(text)]))], policy, since === undefined ? {} : { since }, (t) => void out.push(t));
  return out.join('');
}

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
});
