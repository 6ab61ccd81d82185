// `porthole avc`: inputs, time ranges, -l, the summary, --strict, safe output.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'porthole-avc-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function porthole(args: string[], stdin = '') {
  const io = memoryIo({ cwd: dir, stdin: Readable.from([Buffer.from(stdin)]), env: { PATH: process.env.PATH } });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const AVC = (t: number, serial: number, type: string, extra = '') =>
  `type=AVC msg=audit(${t}.250:${serial}): avc:  denied  { read } for  pid=1 comm="app"${extra} scontext=system_u:system_r:${type}:s0 tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0\n`;
const LOAD = (t: number, serial: number) => `type=MAC_POLICY_LOAD msg=audit(${t}.000:${serial}): auid=0 ses=1 lsm=selinux res=1\n`;
const T0 = 1700000000;
const LOG = AVC(T0, 1, 'a_t') + AVC(T0 + 100, 2, 'b_t') + LOAD(T0 + 150, 3) + AVC(T0 + 200, 4, 'c_t') + AVC(T0 + 300, 5, 'c_t');
writeFileSync(join(dir, 'a.log'), LOG);
writeFileSync(join(dir, 'b.log'), AVC(T0 + 400, 6, 'd_t'));

/** The SOURCE column of the table. */
const sources = (out: string): string[] =>
  out
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split(/\s{2,}/)[2]!);

describe('porthole avc: inputs', () => {
  it('reads -i (repeatable), LOG arguments and stdin, and sums them up on stderr', async () => {
    const r = await porthole(['avc', '-i', 'a.log', 'b.log']);
    expect(r.code).toBe(0);
    expect(sources(r.out)).toEqual(['a_t', 'b_t', 'c_t', 'c_t', 'd_t']);
    expect(r.err).toBe('avc summary: denials=5 granted=0 triples=4 files=2 malformed=0\n');
    expect((await porthole(['avc'], LOG)).err).toBe('avc summary: denials=4 granted=0 triples=3 files=1 malformed=0\n');
  });

  it('-l: only what follows the last policy load', async () => {
    const r = await porthole(['avc', '-l', 'a.log']);
    expect(sources(r.out)).toEqual(['c_t', 'c_t']);
    expect(r.err).toBe('avc summary: denials=2 granted=0 triples=1 files=1 malformed=0\n');
  });

  it('--interpret is accepted and changes nothing', async () => {
    expect(await porthole(['avc', '--interpret', 'a.log'])).toEqual(await porthole(['avc', 'a.log']));
  });

  it('reports input conflicts as audit2allow does', async () => {
    expect((await porthole(['avc', '-d', '-i', 'a.log'])).err).toMatch(/^porthole: warning\[usage\]: --input conflicts with --dmesg\n/);
  });
});

describe('porthole avc: time ranges', () => {
  it('-t START,END, open ends, --start/--end', async () => {
    expect(sources((await porthole(['avc', '-t', `@${T0 + 100},@${T0 + 200}`, 'a.log'])).out)).toEqual(['b_t', 'c_t']);
    expect(sources((await porthole(['avc', '-t', `@${T0 + 200}`, 'a.log'])).out)).toEqual(['c_t', 'c_t']);
    expect(sources((await porthole(['avc', '-t', `,@${T0}`, 'a.log'])).out)).toEqual(['a_t']);
    expect(sources((await porthole(['avc', '--start', '2023-11-14T22:15:00Z', '--end', '2023-11-14T22:18:19Z', 'a.log'])).out)).toEqual(['b_t', 'c_t']);
    // An END includes its whole second (22:18:20.250), as ausearch compares seconds.
    expect(sources((await porthole(['avc', '--end', '2023-11-14T22:18:20Z', 'a.log'])).out)).toEqual(['a_t', 'b_t', 'c_t', 'c_t']);
    // A date alone as END: the whole day.
    expect(sources((await porthole(['avc', '--end', '2000-01-01', 'a.log'])).out)).toEqual([]);
    expect(sources((await porthole(['avc', '--end', '2099-01-01', 'a.log'])).out)).toHaveLength(4);
  });

  it('filters ausearch -i output by its local times', async () => {
    const d = new Date((T0 + 100) * 1000);
    const p = (n: number) => String(n).padStart(2, '0');
    const stamp = `${p(d.getMonth() + 1)}/${p(d.getDate())}/${p(d.getFullYear() % 100)} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.250:2`;
    const line = `type=AVC msg=audit(${stamp}) : avc:  denied  { read } for  pid=1 comm=app scontext=system_u:system_r:b_t:s0 tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0 \n`;
    expect(sources((await porthole(['avc', '-t', `@${T0 + 100}`], line)).out)).toEqual(['b_t']);
    expect(sources((await porthole(['avc', '-t', `@${T0 + 101}`], line)).out)).toEqual([]);
  });

  it('a bad value, an empty range or two ways of giving it are usage errors (exit 2)', async () => {
    const bad = await porthole(['avc', '-t', 'tomorrow', 'a.log']);
    expect(bad.code).toBe(2);
    expect(bad.out).toBe('');
    expect(bad.err).toMatch(/^porthole: error\[usage\]: -t\/--time: invalid time 'tomorrow' \(expected now, recent, boot/);
    expect((await porthole(['avc', '-t', '@20,@10', 'a.log'])).code).toBe(2);
    expect((await porthole(['avc', '--end', '2023-02-30', 'a.log'])).err).toMatch(/--end: invalid time '2023-02-30'/);
    expect((await porthole(['avc', '-t', '@1', '--start', '@2', 'a.log'])).err).toMatch(/-t\/--time conflicts with --start\/--end/);
  });
});

describe('porthole avc: malformed records and --strict', () => {
  const bad = `${AVC(T0, 1, 'a_t')}type=AVC msg=audit(${T0}.5:2): avc:  denied  { read } for  pid=1 scontext=u:r:x;y_t:s0 tcontext=u:object_r:b_t:s0 tclass=file\n`;

  it('reports the first one and counts them in the summary; --strict exits 1', async () => {
    const r = await porthole(['avc'], bad);
    expect(r.code).toBe(0);
    expect(sources(r.out)).toEqual(['a_t']);
    expect(r.err).toBe(
      "-:2:84: warning[malformed-record]: invalid type 'x;y_t' in scontext 'u:r:x;y_t:s0' (not an SELinux identifier)\n" +
        '  note: the record was skipped; the rest of the input was read\n' +
        'avc summary: denials=1 granted=0 triples=1 files=1 malformed=1\n',
    );
    const strict = await porthole(['avc', '--strict'], bad);
    expect(strict.code).toBe(1);
    expect(strict.out).toBe(r.out);
  });

  it('with --json, stdout stays JSON lines and stderr too', async () => {
    const r = await porthole(['avc', '--json', '--strict'], bad);
    expect(r.code).toBe(1);
    const out = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out).toHaveLength(1);
    const err = r.err
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(err[0]).toMatchObject({ severity: 'error', code: 'malformed-record', span: { file: '-', line: 2, column: 84 }, data: { count: 1 } });
    expect(err[1]).toEqual({ summary: { denials: 1, granted: 0, triples: 1, files: 1, malformed: 1 } });
    expect((await porthole(['avc', '--json'], bad)).err).toMatch(/"severity":"warning"/);
  });
});

describe('porthole avc: values from the log are shown safely', () => {
  // comm hex-encoded by the kernel: ESC [ 2 J, then DEL, NEL (C1) and U+2028 in UTF-8.
  const hex = Buffer.from('x\u001b[2J\u007f\u0085\u2028y').toString('hex').toUpperCase();
  const log = AVC(T0, 1, 'a_t').replace('comm="app"', `comm=${hex}`);

  it('escapes control bytes in the table', async () => {
    const r = await porthole(['avc'], log);
    expect(r.out).toContain('x\\x1b[2J\\x7f\\x85\\u{2028}y');
    expect(r.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
  });

  it('keeps JSON lines one line each, DEL, C1 and U+2028 escaped, the value intact', async () => {
    const r = await porthole(['avc', '--json'], log);
    expect(r.out.split('\n')).toHaveLength(2);
    expect(r.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(JSON.parse(r.out).comm).toBe('x\u001b[2J\u007f\u0085\u2028y');
  });
});
