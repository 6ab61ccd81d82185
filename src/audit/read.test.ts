// The log reader on hostile input: random records with random bytes in every
// field, cut into chunks at random places, plain or gzipped (in one member or
// several): the same events whatever the cuts and the compression, never an
// exception other than a diagnostic.
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '../../test/support/fuzzRuns.js';
import type { PortholeError } from '../base/diagnostic.js';
import { fileSource, textSource } from '../base/source.js';
import { type ReadStats, readAuditEvents } from './read.js';

const field = fc.uint8Array({ maxLength: 24 }).map((b) => {
  const s = Buffer.from(b);
  // As the kernel writes untrusted strings: quoted when plain, else hex.
  return /^[\x21\x23-\x7e]*$/.test(s.toString('latin1')) && s.length > 0 ? `"${s.toString('latin1')}"` : s.length > 0 ? s.toString('hex').toUpperCase() : '""';
});
const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
const record = fc
  .record({ serial: fc.integer({ min: 1, max: 40 }), comm: field, exe: field, path: field, src: name, tgt: name, cls: name, perm: name, raw: fc.uint8Array({ maxLength: 30 }), kind: fc.nat(3) })
  .map((r) => {
    const stamp = `audit(1700000000.${String(r.serial).padStart(3, '0')}:${r.serial})`;
    if (r.kind === 0) return Buffer.from(r.raw);
    if (r.kind === 1) return Buffer.from(`type=SYSCALL msg=${stamp}: arch=c000003e syscall=2 success=no exit=-13 comm=${r.comm} exe=${r.exe}\n`);
    return Buffer.from(
      `type=AVC msg=${stamp}: avc:  denied  { ${r.perm} } for  pid=1 comm=${r.comm} exe=${r.exe} path=${r.path} scontext=u:r:${r.src}_t:s0 tcontext=u:object_r:${r.tgt}_t:s0 tclass=${r.cls} permissive=0\n`,
    );
  });
const log = fc.array(record, { maxLength: 30 }).map((rs) => Buffer.concat(rs));

async function events(source: Parameters<typeof readAuditEvents>[0]): Promise<{ events: string[]; stats: ReadStats }> {
  const out: string[] = [];
  const stats = await readAuditEvents(source, {}, (ev) => out.push(JSON.stringify(ev.records.map((r) => [r.type, r.loc.line, r.avc ?? null, r.fields]))));
  return { events: out, stats };
}

/** The bytes cut at the given places. */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((a) => a % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out.filter((b) => b.length > 0);
}

describe('the log reader on random logs', () => {
  it('reads the same events whatever the chunks, plain or gzipped in one member or several', async () => {
    await fc.assert(
      fc.asyncProperty(log, fc.array(fc.nat(), { maxLength: 6 }), async (bytes, at) => {
        const whole = await events(textSource(bytes));
        const chunks = cut(bytes, at);
        const stdin = (parts: Buffer[]) => fileSource('-', { name: '<string>', stdin: Readable.from(parts) });
        expect(await events(stdin(chunks))).toEqual(whole);
        const members = Buffer.concat(chunks.map((c) => gzipSync(c)));
        if (members.length > 0) expect(await events(stdin(cut(members, at)))).toEqual(whole);
      }),
      { seed: 11, numRuns: fuzzRuns() },
    );
  });
});

describe('the log reader on corrupt gzip', () => {
  it('reads what inflates, or stops with one file-read error naming the file, on random flips and cuts', async () => {
    const good = gzipSync(Buffer.from('type=AVC msg=audit(1700000000.100:1): avc:  denied  { read } for  pid=1 comm="a" scontext=u:r:a_t:s0 tcontext=u:object_r:b_t:s0 tclass=file\n'.repeat(50)));
    const mutated = fc.tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }), fc.nat()).map(([flips, len]) => {
      const b = Buffer.from(good);
      for (const [at, x] of flips) b[2 + (at % (b.length - 2))]! ^= x;
      return b.subarray(0, 2 + (len % (b.length - 1)));
    });
    await fc.assert(
      fc.asyncProperty(mutated, async (bytes) => {
        try {
          await events(fileSource('-', { name: 'bad.gz', stdin: Readable.from([bytes]) }));
        } catch (e) {
          const d = (e as PortholeError).diagnostics?.[0];
          expect(d?.code).toBe('file-read');
          expect(d?.message).toMatch(/^cannot read bad\.gz: not a valid gzip stream \(.*\) (at|in) compressed bytes? \d+/);
          expect(d?.message).not.toContain('\n');
        }
      }),
      { seed: 11, numRuns: fuzzRuns() },
    );
  });
});
