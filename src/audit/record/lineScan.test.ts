// The WebAssembly line loop (lineScan.ts) against the parser it stands in for: the same log read
// with `fast` (the loop on) and without (every line parsed) must give the same repeats, events
// and counts, whatever the chunks, and the loop must really read lines (hits, skipped records).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, no types
import { assembleWasm, WASM_MODULES } from '../../../scripts/build-wasm.mjs';
import { Rng } from '../../../test/gen/prng.js';
import type { LogSource } from '../../base/source.js';
import { formatContext } from '../../selinux/ir/context.js';
import type { AuditEvent } from '../event.js';
import { readAuditEvents } from '../read.js';
import { WordMatcher } from './bytes.js';
import { DecisionMemo } from './decisions.js';
import type { InvalidContextMessage } from './record.js';

const ROOT = new URL('../../../', import.meta.url);
const read = (p: string): string => readFileSync(new URL(p, ROOT), 'utf8');
const FIXTURES = ['examples/denials.log', 'test/oracle/edge/lastreload.log', 'test/oracle/edge/selinux-err-forms.log', 'test/oracle/edge/ioctl-forms.log', 'test/oracle/edge/bad-avcs.log']
  .map(read)
  .join('');

const avc = (stamp: string, body: string, tail: string): string => `type=AVC msg=audit(${stamp}): avc:  ${body} for  pid=1 comm="x" ${tail}`;
const TAIL = 'scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0';
// Lines the loop reads, lines it must leave to the parser, and lines near its every test.
const EDGES = [
  avc('1.1:1', 'denied  { read }', TAIL),
  avc('1.2:2', 'denied  { read }', TAIL), // a repeat
  `${avc('1.3:3', 'denied  { read }', TAIL)}\r`, // CRLF: the same decision
  ` ${avc('1.4:4', 'denied  { read }', TAIL)}`, // leading space: the parser's
  avc('1.5:5', 'granted  { read }', TAIL), // a grant: the parser's
  avc('1.5:50', 'denies  { read }', TAIL), // not a verb (malformed)
  avc('1.6:6', 'denied  { read open }', TAIL),
  avc('1.7:7', 'denied  { read open }', TAIL),
  avc('1.8:8', 'denied  { read  open }', TAIL), // other bytes, the same permissions
  avc('1.9:9', 'denied  { ioctl } for  ioctlcmd=0x5401', TAIL),
  avc('1.10:10', 'denied  { ioctl } for  ioctlcmd=0x5401', TAIL),
  avc('1.11:11', 'denied  { ioctl } for  ioctlcmd=0x5402', TAIL),
  avc('1.12:12', 'denied  { ioctl }', TAIL), // no ioctlcmd
  avc('1.13:13', 'denied  { ioctl }', TAIL),
  avc('1.14:14', 'denied  { read }', `name="scontext=x" ${TAIL}`),
  avc('1.15:15', 'denied  { read }', `${TAIL} scontext=system_u:system_r:sshd_t:s0`), // the last scontext= counts
  avc('1.16:16', 'denied  { read }', `${TAIL} scontext=system_u:system_r:sshd_t:s0`),
  avc('1.17:17', 'denied  { read }', `path="${'p'.repeat(1100)}" ${TAIL}`),
  avc('1.18:18', 'denied  { read }', `${TAIL} ${'x'.repeat(1100)}`), // scontext= too far from the end
  avc('1.19:19', 'denied  { read }', `${TAIL} ${'x'.repeat(1100)}`),
  avc('1.20:20', 'denied  { read', TAIL), // unbalanced
  avc('1.21:21', 'denied  {read }', TAIL),
  avc('1.22:22', 'denied  { read } }', TAIL),
  avc('1.23:23', 'denied  { }', TAIL),
  avc('1.24:24', 'denied  { read { }', TAIL),
  avc('1.25', 'denied  { read }', TAIL), // no serial
  avc('1.26:1234567890123456', 'denied  { read }', TAIL), // serial too long for the fast form
  avc('11/14/23 22:13:20.123:27', 'denied  { read }', TAIL),
  avc('1.28:28', 'denied  { read }', TAIL).replace('): avc:', ')  avc:'),
  avc('1.29:29', 'denied  { read }', TAIL).replace('): avc:', '):avc:'),
  avc('1.30:30', 'denied  { read }', TAIL).replace('type=AVC', 'type=1400'),
  avc('1.31:31', 'denied  { read }', TAIL).replace('type=AVC', 'type=1400'),
  avc('1.32:32', 'denied  { read }', TAIL).replace('msg=audit', 'msg=Audit'),
  avc('1.33:33', 'denied  { read }', TAIL).replace('type=AVC', 'node=h type=AVC'),
  avc('1.34:34', 'denied  { read }', TAIL).replace('permissive=0', 'permissive=1'),
  avc('1.35:35', 'denied  { read }', TAIL).replace('tclass=file', 'tclass=(null)'), // malformed, twice
  avc('1.36:36', 'denied  { read }', TAIL).replace('tclass=file', 'tclass=(null)'),
  avc('1.37:37', 'denied  { read }', TAIL.replace(' tcontext=system_u:object_r:etc_t:s0', '')),
  avc('1.38:38', 'denied  { read }', TAIL.replace(' tcontext=system_u:object_r:etc_t:s0', '')),
  'type=SYSCALL msg=audit(1.39:39): arch=c000003e syscall=2 success=no exit=-13',
  'type=SYSCALL msg=audit(1.40:40): arch=c000003e syscall=2 success=no exit=-13',
  'type=SYSCALL msg=audit(1.41): arch=c000003e', // malformed stamp
  'type=SYSCALL msg=audit(1.42:x): arch=c000003e',
  'type=SYSCALL msg=audit(1.43:43 arch=c000003e',
  'type=SYSCALL  msg=audit(1.44:44): two spaces',
  'type=SYSCALL',
  'type= msg=audit(1.45:45): no type',
  'type=PROCTITLE msg=audit(1.46:46): proctitle=6C73',
  'type=USER_AVC msg=audit(1.47:47): pid=1 uid=0 auid=0 ses=1 subj=system_u:system_r:init_t:s0 msg=\'avc:  denied  { start } for auid=0 uid=0 gid=0 path="/x" scontext=system_u:system_r:init_t:s0 tcontext=system_u:object_r:etc_t:s0 tclass=service exe="/usr/lib/systemd/systemd" sauid=0 hostname=? addr=? terminal=?\'',
  ...[
    "pid=1 uid=0 auid=0 ses=1 subj=system_u:system_r:init_t:s0 msg='",
    "pid=1  uid=0 msg='", // two spaces
    "pid=1\tuid=0 msg='", // a tab
    "pid=1 path=/x msg='", // a field the parser keeps
    "pid=1 scontext=system_u:system_r:init_t:s0 msg='",
    "pid=1 subj=avc:x msg='", // the message would start there
    'pid=1 exe="/a b" msg=\'',
    "pid=1 foo=1 msg='",
    "pid=1 uid msg='",
    "msg='",
    '',
  ].map(
    (prefix, i) =>
      `type=${i % 2 ? '1107' : 'USER_AVC'} msg=audit(1.60:${60 + i}): ${prefix}avc:  ${i === 9 ? 'granted' : 'denied'}  { start } for auid=0 uid=0 gid=0 path="/x" scontext=system_u:system_r:init_t:s0 tcontext=system_u:object_r:etc_t:s0 tclass=service exe="/usr/lib/systemd/systemd" sauid=0 hostname=? addr=? terminal=?${prefix.endsWith("'") ? "'" : ''}`,
  ),
  'type=MAC_POLICY_LOAD msg=audit(1.48:48): auid=0 ses=32 lsm=selinux res=1',
  'type=MAC_POLICY_LOAD msg=audit(1.70): auid=0', // malformed
  'type=DAEMON_START msg=audit(1.71:71): op=start ver=3.0.9 format=raw',
  'type=1403 msg=audit(1.72:72): auid=0',
  'type=SELINUX_ERR msg=audit(1.73:73): security_compute_sid:  invalid context u:r:c_t:s0 for scontext=u:r:d_t:s0 tcontext=u:object_r:e_t:s0 tclass=process',
  'type=SELINUX_ERR msg=audit(1.74:74): security_compute_sid:  invalid context u:r:c_t:s0  for scontext=u:r:d_t:s0 tcontext=u:object_r:e_t:s0 tclass=process',
  'type=1401 msg=audit(1.75:75): security_compute_sid:  invalid context u:r:c_t:s0 for scontext=u:r:d_t:s0 tcontext=u:object_r:e_t:s0 tclass=process',
  'type=SELINUX_ERR msg=audit(1.76): security_compute_sid:  invalid context u:r:c_t:s0 for scontext=u:r:d_t:s0 tcontext=u:object_r:e_t:s0 tclass=process',
  'type=SELINUX_ERR msg=audit(1.77:77): security_compute_sid:  invalid context u:r:c;_t:s0 for scontext=u:r:d_t:s0 tcontext=u:object_r:e_t:s0 tclass=process',
  '',
  '----',
  'Nov 14 22:13:20 host kernel: audit: type=1400 audit(1.49:49): avc:  denied  { read } for  pid=1 comm="x" scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0',
];
// More than the loop's 64 type words, each seen twice.
const TYPES = Array.from({ length: 70 }, (_, i) => `type=T${i} msg=audit(2.${i}:${i}): x=1`);
const LOG = [FIXTURES, EDGES.join('\n'), TYPES.join('\n'), TYPES.join('\n'), FIXTURES, EDGES.join('\n'), 'type=SYSCALL msg=audit(9.9:9): no newline at the end'].join('\n');

/** A source giving `bytes` in chunks of the given sizes (the rest in one). */
function chunked(bytes: Buffer, sizes: number[]): LogSource {
  return {
    name: 'log',
    open: async function* () {
      let at = 0;
      for (const n of sizes) {
        if (at >= bytes.length) break;
        yield bytes.subarray(at, at + n);
        at += n;
      }
      if (at < bytes.length) yield bytes.subarray(at);
    },
  };
}

const KEYS = new WordMatcher(['scontext', 'tcontext', 'tclass', 'permissive', 'ioctlcmd', 'op', 'invalid_context', 'path']);

function describeEvent(ev: AuditEvent): string {
  const r = ev.records[0]!;
  const a = r.avc;
  // As the loop reports them (what allow reads of such records).
  if (r.decisionId !== undefined && a?.verb === 'denied') return `repeat ${r.decisionId} ${r.loc.line}`;
  if (r.decisionId !== undefined && a?.verb === 'granted') return `grant ${r.loc.line}`;
  if (r.invalidContext) return `invalid ${JSON.stringify(r.invalidContext)} ${r.loc.line}`;
  if (r.type === 'MAC_POLICY_LOAD' || r.type === 'DAEMON_START') return `load ${r.loc.line}`;
  const what = a ? `${a.verb} ${a.perms.join(',')} ${formatContext(a.scontext)} ${formatContext(a.tcontext)} ${a.tclass} ${a.ioctlcmd ?? ''}` : JSON.stringify(r.fields);
  return `event ${r.type} ${r.loc.line} ${r.decisionId ?? '-'} ${what}`;
}

/** What a read gives: repeats (from the loop or from events) and events in order, and the counts. */
async function readLog(source: LogSource, fast: boolean, refuse: (n: number) => boolean = () => false) {
  const out: string[] = [];
  let loopRepeats = 0;
  let loopOthers = 0;
  let refused = 0;
  const stats = await readAuditEvents(
    source,
    {
      full: false,
      keepText: false,
      group: false,
      stamps: false,
      keys: KEYS,
      decisions: new DecisionMemo(),
      ...(fast
        ? {
            fast: {
              repeat: (id: number, _file: string, line: number) => {
                if (refuse(loopRepeats++)) {
                  refused++;
                  return false;
                }
                out.push(`repeat ${id} ${line}`);
                return true;
              },
              invalidContext: (m: InvalidContextMessage, _file: string, line: number) => {
                loopOthers++;
                out.push(`invalid ${JSON.stringify(m)} ${line}`);
              },
              load: (_file: string, line: number) => {
                loopOthers++;
                out.push(`load ${line}`);
              },
              grant: (_file: string, line: number) => {
                loopOthers++;
                out.push(`grant ${line}`);
              },
            },
          }
        : {}),
    },
    (ev) => out.push(describeEvent(ev)),
  );
  const { firstMalformed, ...counts } = stats;
  return { out, counts, firstMalformed, loopRepeats, loopOthers, refused };
}

describe('the WebAssembly line loop', () => {
  const bytes = Buffer.from(LOG);

  it('is the assembly of lineScan.wat', async () => {
    const committed = readFileSync(new URL('lineScan.wasm.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await assembleWasm(WASM_MODULES.find((m: { wat: string }) => m.wat.endsWith('lineScan.wat'))));
  });

  it('reads what the parser reads, and finds repeats and skipped records itself', async () => {
    const slow = await readLog(chunked(bytes, []), false);
    const fast = await readLog(chunked(bytes, []), true);
    expect(fast.out).toEqual(slow.out);
    expect(fast.counts).toEqual(slow.counts);
    expect(fast.firstMalformed).toEqual(slow.firstMalformed);
    // Most of the log's repeats found by the loop (the rest are lines it leaves to the parser).
    const repeats = slow.out.filter((l) => l.startsWith('repeat')).length;
    expect(fast.loopRepeats).toBeGreaterThan(repeats / 2);
    // Grants, policy loads and SELINUX_ERR bodies seen before, too.
    expect(fast.loopOthers).toBeGreaterThan(10);
    expect(slow.counts.malformed).toBeGreaterThan(10);
  });

  it('gives the same reads whatever the chunks (cuts around every line start of the edge cases, small random chunks)', async () => {
    const edges = Buffer.from([EDGES.join('\n'), EDGES.join('\n')].join('\n'));
    const want = await readLog(chunked(edges, []), false);
    const cuts = [0, edges.length];
    for (let i = edges.indexOf(10); i >= 0; i = edges.indexOf(10, i + 1)) cuts.push(i - 1, i, i + 1, i + 2);
    for (const cut of cuts) {
      const got = await readLog(chunked(edges, [cut]), true);
      expect(got.out, `cut at ${cut}`).toEqual(want.out);
      expect(got.counts).toEqual(want.counts);
    }
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return 1 + (seed % 300);
    };
    const all = await readLog(chunked(bytes, []), false);
    for (let k = 0; k < 5; k++) {
      const sizes = Array.from({ length: 2000 }, random);
      const got = await readLog(chunked(bytes, sizes), true);
      expect(got.out).toEqual(all.out);
      expect(got.counts).toEqual(all.counts);
    }
  });

  it('hands a repeat the sink does not know to the parser, in its place', async () => {
    const slow = await readLog(chunked(bytes, []), false);
    const fast = await readLog(chunked(bytes, []), true, (n) => n % 3 === 0);
    expect(fast.refused).toBeGreaterThan(10);
    expect(fast.out).toEqual(slow.out);
    expect(fast.counts).toEqual(slow.counts);
  });

  it('reads what the parser reads on mutated logs (bytes changed, spaces and lines cut or doubled): 300 cases', async () => {
    const base = Buffer.from([EDGES.join('\n'), TYPES.slice(0, 5).join('\n'), EDGES.join('\n'), ''].join('\n'));
    const SPECIAL = Buffer.from(' \t\r\n={}()\':"\x1dxs0adenidgrt.');
    let fastLines = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const rng = new Rng(seed);
      const bytes = Buffer.from(base);
      for (let k = rng.range(1, 8); k > 0; k--) {
        const at = rng.int(bytes.length);
        bytes[at] = rng.chance(0.7) ? SPECIAL[rng.int(SPECIAL.length)]! : rng.int(256);
      }
      // A mutated line twice: its second reading is the loop's when it was taught.
      const nl = bytes.indexOf(10, rng.int(bytes.length));
      const text = nl < 0 ? bytes : Buffer.concat([bytes, bytes.subarray(bytes.lastIndexOf(10, nl - 1) + 1, nl + 1)]);
      const sizes = Array.from({ length: 50 }, () => rng.range(1, 2000));
      const slow = await readLog(chunked(text, []), false);
      const fast = await readLog(chunked(text, sizes), true);
      expect(fast.out, `seed ${seed}`).toEqual(slow.out);
      expect(fast.counts, `seed ${seed}`).toEqual(slow.counts);
      expect(fast.firstMalformed, `seed ${seed}`).toEqual(slow.firstMalformed);
      fastLines += fast.loopRepeats + fast.loopOthers;
    }
    expect(fastLines).toBeGreaterThan(300 * 20);
  });

  it('keeps finding repeats after its key table doubles (past 131,072 keys)', async () => {
    const lines = Array.from({ length: 140_000 }, (_, i) => avc(`4.${i}:${i}`, 'denied  { read }', `scontext=u:r:t${i}_t:s0 tcontext=u:object_r:f_t:s0 tclass=file`));
    const text = Buffer.from([...lines, ...lines, ''].join('\n'));
    const megabytes = Array.from({ length: 40 }, () => 1 << 20);
    const fast = await readLog(chunked(text, megabytes), true);
    expect(fast.loopRepeats).toBeGreaterThan(140_000 - megabytes.length);
    expect(fast.out.slice(140_000)).toEqual(lines.map((_, i) => `repeat ${i} ${140_001 + i}`));
  });

  it('keeps finding repeats after its memory grows (keys of 1,000 bytes past its first 8 MB)', async () => {
    const long = 'system_u:object_r:etc_t:s0:c0'.concat(Array.from({ length: 190 }, (_, i) => `,c${i + 1}`).join(''));
    const lines = Array.from({ length: 9000 }, (_, i) => avc(`3.${i}:${i}`, 'denied  { read }', `scontext=system_u:system_r:t${i}_t:s0 tcontext=${long} tclass=file permissive=0`));
    const text = Buffer.from([...lines, ...lines, ''].join('\n'));
    const megabytes = Array.from({ length: 30 }, () => 1 << 20);
    const fast = await readLog(chunked(text, megabytes), true);
    const slow = await readLog(chunked(text, megabytes), false);
    // All but those of lines that straddle two chunks.
    expect(fast.loopRepeats).toBeGreaterThan(9000 - megabytes.length);
    expect(fast.out).toEqual(slow.out);
  });
});
