// `ausearch -i` prints some ioctl requests by name (`ioctlcmd=TIOCINQ`); we
// read them back as numbers (src/audit/ioctlNames.ts), so `porthole allow -x`
// prints the same bytes on a raw log and on the real ausearch's rendering of
// it. Checked on generated logs with ioctl denials and on a log with one
// request of every name of our table, where the real ausearch must print the
// names our table has (for AVCs' ioctlcmd= and for ioctl(2)'s a1=).

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IOCTL_REQUEST_NUMBERS, ioctlRequestNumber } from '../../src/audit/record/ioctlNames.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { type GenOptions, generateLog } from '../gen/index.js';
import { tempDir } from '../support/tempDir.js';
import { describeOracle, findOracles } from './support/oracles.js';

const scratch = tempDir('ausearch-ioctl');

/** The real `ausearch -i` of a raw log (ORACLES.md: TZ=UTC LC_ALL=C, -if FILE). */
function ausearchInterpret(raw: string, name: string): string {
  const file = join(scratch.path, `${name}.raw.log`);
  writeFileSync(file, raw);
  const r = spawnSync(findOracles().ausearch, ['-if', file, '-i'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TZ: 'UTC', LC_ALL: 'C' } });
  expect(r.status, r.stderr).toBe(0);
  const out = join(scratch.path, `${name}.i.log`);
  writeFileSync(out, r.stdout);
  return out;
}

async function allow(file: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: scratch.path, env: {} });
  const code = await run(['allow', '-i', file, ...args], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

/** Generated logs: both modes, several seeds, ioctlcmd=0x0 now and then. */
const SPECS: GenOptions[] = [];
for (let seed = 3; seed <= 14; seed++) SPECS.push({ seed, events: 60, missingRuleOnly: seed % 3 !== 0, interleave: 0, mix: { ioctlZero: 0.2, truncate: 0, crlf: 0 } });

/** One ioctl event per name of the table: SYSCALL ioctl(fd, REQUEST, ...) and its AVC (the 16 bits the kernel logs). */
function tableLog(): string {
  let serial = 500;
  let out = '';
  for (const n of Object.values(IOCTL_REQUEST_NUMBERS)) {
    serial++;
    const stamp = `msg=audit(1700000000.${serial}:${serial}):`;
    out += `type=SYSCALL ${stamp} arch=c000003e syscall=16 success=no exit=-13 a0=3 a1=${n.toString(16)} a2=7ffd0000 a3=0 items=0 ppid=1 pid=${serial} auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm="app" exe="/usr/bin/app" subj=system_u:system_r:httpd_t:s0 key=(null)\n`;
    out += `type=AVC ${stamp} avc:  denied  { ioctl } for  pid=${serial} comm="app" path="/dev/pts/0" dev="devpts" ino=3 ioctlcmd=0x${(n & 0xffff).toString(16)} scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:user_devpts_t:s0 tclass=chr_file permissive=0\n`;
  }
  return out;
}

describeOracle('porthole allow -x: raw log == its ausearch -i rendering', () => {
  describe('generated logs with ioctl denials', () => {
    let named = 0;
    for (const spec of SPECS) {
      it(`seed ${spec.seed}${spec.missingRuleOnly ? ' (missing-rule)' : ''}`, async () => {
        const raw = generateLog({ ...spec, format: 'raw' }).text;
        const interpreted = ausearchInterpret(raw, `seed${spec.seed}`);
        const rawFile = join(scratch.path, `seed${spec.seed}.raw.log`);
        named += [...readFileSync(interpreted, 'utf8').matchAll(/ ioctlcmd=[A-Z]/g)].length;
        for (const args of [['-x'], ['-x', '-C']]) {
          const a = await allow(rawFile, args);
          const b = await allow(interpreted, args);
          expect(b.out, `allow ${args.join(' ')}`).toBe(a.out);
          expect(b.code).toBe(a.code);
        }
      });
    }
    it('ausearch printed ioctl names in them (else the comparison shows nothing)', () => {
      expect(named).toBeGreaterThan(5);
    });
  });

  it('every name of our table is the one ausearch prints, and reads back to its number', async () => {
    const raw = tableLog();
    const interpreted = ausearchInterpret(raw, 'table');
    const text = readFileSync(interpreted, 'utf8');
    // ausearch prints an event's records in reverse order; pair them by serial.
    const bySerial = new Map<string, { a1?: string; ioctlcmd?: string }>();
    for (const line of text.split('\n')) {
      const serial = /msg=audit\([^)]*:(\d+)\)/.exec(line)?.[1];
      if (serial === undefined) continue;
      const e = bySerial.get(serial) ?? {};
      const a1 = /^type=SYSCALL .* a1=(\S+) /.exec(line)?.[1];
      const cmd = /^type=AVC .* ioctlcmd=(\S+) /.exec(line)?.[1];
      if (a1 !== undefined) e.a1 = a1;
      if (cmd !== undefined) e.ioctlcmd = cmd;
      bySerial.set(serial, e);
    }
    const printed = [...bySerial.values()];
    const entries = Object.entries(IOCTL_REQUEST_NUMBERS);
    expect(printed.length).toBe(entries.length);
    for (const [k, [name, n]] of entries.entries()) {
      const e = printed[k]!;
      // ioctl(2)'s request, all 32 bits: ausearch names every entry of the table.
      expect(e.a1, `a1=${n.toString(16)}`).toBe(name);
      // The AVC's 16 bits: a name where the table has the 16-bit number, else hex; either reads back to the number.
      const cmd = e.ioctlcmd ?? '';
      expect(cmd === name || cmd === `0x${(n & 0xffff).toString(16)}`, `ioctlcmd for ${name}: ${cmd}`).toBe(true);
      if (cmd === name) expect(ioctlRequestNumber(cmd)).toBe(n & 0xffff);
    }
    const rawFile = join(scratch.path, 'table.raw.log');
    for (const args of [['-x'], ['-x', '-C']]) {
      const a = await allow(rawFile, args);
      const b = await allow(interpreted, args);
      expect(b.out).toBe(a.out);
      expect(b.err).toBe('');
    }
    // Every 16-bit request is in the rule, and nothing else.
    const te = (await allow(interpreted, ['-x'])).out;
    const set = /allowxperm httpd_t user_devpts_t:chr_file ioctl \{ ([^}]*) \};/.exec(te)?.[1] ?? '';
    const got = set.split(' ').flatMap((r) => {
      const [lo, hi] = r.split('-').map((x) => Number.parseInt(x, 16));
      return Array.from({ length: (hi ?? lo!) - lo! + 1 }, (_, i) => lo! + i);
    });
    expect(got).toEqual([...new Set(Object.values(IOCTL_REQUEST_NUMBERS).map((n) => n & 0xffff))].sort((a, b) => a - b));
  });
}, ['ausearch']);
