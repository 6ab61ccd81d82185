// Hostile logs: text from a log stays in its place (one comment line, one
// table cell, escaped), and output stays in proportion to the input.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { BooleanDescriber } from '../../src/selinux/why/booleanDesc.js';
import { smallPolicy } from '../fixtures/policy/writer.js';
import { BREAKOUT, breakoutLog } from '../support/hostileLogs.js';
import { tempDir } from '../support/tempDir.js';

const dir = tempDir('hostile-cli');

async function porthole(args: string[], stdin: string | Buffer = '') {
  const io = memoryIo({ cwd: dir.path, stdin: Readable.from([Buffer.from(stdin)]), env: { PATH: process.env.PATH } });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('text from a log stays in its place', () => {
  for (const flag of ['-v', '-e']) {
    it(`allow ${flag}: a decoded comm holding newlines stays in its comment`, async () => {
      const r = await porthole(['allow', flag], breakoutLog());
      expect(r.code).toBe(0);
      const lines = r.out.split('\n').filter((l) => l !== '');
      expect(lines.filter((l) => !l.startsWith('#'))).toEqual(['allow httpd_t etc_t:file read;']);
      expect(r.out).toContain('comm="x"\\x0arequire{type shadow_t;');
      expect(r.out).not.toContain('\u001b');
    });
  }

  it('avc: the table escapes terminal controls, --raw prints them, --json keeps the decoded value', async () => {
    const table = await porthole(['avc'], breakoutLog());
    expect(table.out).not.toContain('\u001b');
    expect(table.out.split('\n').filter(Boolean)).toHaveLength(2);
    const raw = await porthole(['avc', '--raw', '--wide'], breakoutLog());
    expect(raw.out).toContain(BREAKOUT.replace(/\n/g, '\n'));
    const json = await porthole(['avc', '--json'], breakoutLog());
    expect(JSON.parse(json.out.split('\n')[0]!).comm).toBe(BREAKOUT);
  });
});

describe('output stays in proportion to the input', () => {
  it('avc --json lists an event’s records once', async () => {
    const log = Array.from({ length: 300 }, () => breakoutLog(7)).join('');
    const r = await porthole(['avc', '--json'], log);
    const lines = r.out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { event: number; records?: string[] });
    expect(lines).toHaveLength(300);
    expect(lines.filter((l) => l.records !== undefined)).toHaveLength(1);
    expect(lines[0]!.records).toHaveLength(300);
    expect(new Set(lines.map((l) => l.event))).toEqual(new Set([1]));
  });

  it('avc: one long name does not widen every row', async () => {
    const long = `a${'b'.repeat(100_000)}_t`;
    const line = (t: string, s: number) =>
      `type=AVC msg=audit(1700000000.100:${s}): avc:  denied  { read } for  pid=1 comm="c" name="x" scontext=system_u:system_r:${t}:s0 tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0\n`;
    const log = line(long, 1) + Array.from({ length: 400 }, (_, i) => line('httpd_t', i + 2)).join('');
    const r = await porthole(['avc'], log);
    expect(r.out.length).toBeLessThan(log.length);
    const wide = await porthole(['avc', '--wide'], log);
    expect(wide.out).toContain(long);
    expect(wide.out.length).toBeLessThan(log.length + 100_000);
  });
});

describe('correct answers', () => {
  const avc = (stamp: string, extra = '') =>
    `type=AVC msg=audit(${stamp}): avc:  denied  { ioctl } for  pid=1 comm="a" path="/dev/x"${extra} scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0\n`;

  it('avc: a stamp past the dates a Date holds is shown raw, with a warning', async () => {
    const r = await porthole(['avc'], avc('99999999999999999.100:10'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('99999999999999999.100  denied');
    expect(r.err).toContain('-:1: warning[time-out-of-range]');
  });

  it('allow -x: an ioctl request past 16 bits makes the record malformed', async () => {
    const r = await porthole(['allow', '-x'], avc('1700000000.100:10', ' ioctlcmd=0xfffffffff') + avc('1700000000.100:11', ' ioctlcmd=0x5401'));
    expect(r.out).not.toContain('0xfffffffff');
    expect(r.out).toContain('allowxperm httpd_t etc_t:file ioctl 0x5401;');
    expect(r.err).toContain('warning[malformed-record]');
    const cil = await porthole(['allow', '-x', '-C'], avc('1700000000.100:10', ' ioctlcmd=0xfffffffff'));
    expect(cil.err).not.toContain('internal error');
  });
});

describe('exit codes', () => {
  const random = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919 + 13) % 251));

  for (const cmd of ['allow', 'why', 'avc']) {
    it(`${cmd} --strict: input without a single SELinux record exits 1 (random bytes, gzip of them)`, async () => {
      const r = await porthole([cmd, '--strict'], random);
      expect(r.code).toBe(1);
      expect(r.err).toContain('error[no-selinux-records]');
      expect((await porthole([cmd], random)).code).toBe(0);
      expect((await porthole([cmd, '--strict'], gzipSync(random))).code).toBe(1);
    });
  }

  it('a bad regular expression is a usage error (exit 2)', async () => {
    expect((await porthole(['allow', '-t', '('], breakoutLog())).code).toBe(2);
  });

  it('avc reads gzip without a .gz name, from stdin too', async () => {
    const r = await porthole(['avc', '--json'], gzipSync(breakoutLog()));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out.split('\n')[0]!).comm).toBe(BREAKOUT);
  });
});

describe('gzip logs as gzip -d reads them', () => {
  const avc = (comm: string, perm: string): string =>
    `type=AVC msg=audit(1700000000.000:1): avc:  denied  { ${perm} } for  pid=1 comm="${comm}" name="f" scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0\n`;
  // Two members, then garbage holding a gzip member of a third denial that must not be read.
  const log = Buffer.concat([gzipSync(avc('a', 'read')), gzipSync(avc('b', 'open')), Buffer.from('junk'), gzipSync(avc('c', 'write'))]);

  for (const cmd of [['avc'], ['avc', '--json'], ['allow'], ['rbac', '--all-subjects', '-f', '-']]) {
    it(`${cmd.join(' ')}: every member before trailing garbage is read, and the garbage is one warning naming the offset`, async () => {
      const r = await porthole(cmd, log);
      expect(r.code).toBe(cmd[0] === 'rbac' ? 1 : 0);
      const warnings = r.err.split('\n').filter((l) => l.includes('trailing-garbage'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`byte ${log.length - gzipSync(avc('c', 'write')).length - 4}`);
      if (cmd[0] === 'allow') expect(r.out).toContain('allow httpd_t etc_t:file { open read };');
      if (cmd[0] === 'avc') {
        expect(r.out).toContain('read');
        expect(r.out).toContain('open');
        expect(r.out).not.toContain('write');
      }
    });
  }

  // --strict: the same warning is an error, and the command exits 1 (avc, rbac: after their output; allow: without a module).
  const strict: Array<[string[], number]> = [
    [['avc', '--strict'], 1],
    [['avc', '--json', '--strict'], 1],
    [['allow', '--strict'], 1],
    [['why', '--strict'], 1],
    [['allow', '-w', '--strict'], 1],
    [['rbac', '--all-subjects', '--strict', '-f', '-'], 1],
    [['rbac', 'check', '--strict', '--rbac', 'rbac.yaml', '-f', '-'], 1],
  ];
  for (const [cmd, code] of strict) {
    it(`${cmd.join(' ')}: trailing garbage is an error naming the offset, exit ${code}`, async () => {
      writeFileSync(join(dir.path, 'policy.33'), smallPolicy({ version: 33 }));
      writeFileSync(join(dir.path, 'rbac.yaml'), 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\nrules: []\n');
      const policy = cmd[0] === 'why' || cmd.includes('-w') ? ['--no-descriptions', '-p', 'policy.33'].slice(cmd[0] === 'why' ? 0 : 1) : [];
      const r = await porthole([...cmd, ...policy], log);
      const lines = r.err.split('\n').filter((l) => l.includes('trailing-garbage'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(cmd.includes('--json') ? /"severity":"error"/ : /^porthole: error\[trailing-garbage\]/);
      expect(r.err).toContain('--strict');
      expect(r.code).toBe(code);
      if (cmd[0] === 'allow' && !cmd.includes('-w')) expect(r.out).toBe('');
    });
  }
  for (const cmd of [['avc'], ['allow'], ['why']]) {
    it(`${cmd.join(' ')} without --strict: a warning, exit as before`, async () => {
      writeFileSync(join(dir.path, 'policy.33'), smallPolicy({ version: 33 }));
      const policy = cmd[0] === 'why' ? ['--no-descriptions', '-p', 'policy.33'] : [];
      const r = await porthole([...cmd, ...policy], log);
      expect(r.err).toMatch(/^porthole: warning\[trailing-garbage\]/m);
      expect(r.code).toBe(0);
    });
  }
});

describe('files read whole stop at their limit', () => {
  it('policy info /dev/zero: input-too-large, exit 1', async () => {
    const r = await porthole(['policy', 'info', '/dev/zero']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^porthole: error\[input-too-large\]: \/dev\/zero is larger than 67108864 bytes/);
  });

  it('policy XML from /dev/zero: input-too-large, not memory without end', () => {
    expect(() => new BooleanDescriber('/dev/zero', 1 << 20).describe('httpd_can_network_connect')).toThrow(/larger than 1048576 bytes/);
  });
});
