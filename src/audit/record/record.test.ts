import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuditRecord, type MalformedRecord, parseAuditRecord, parseRecord } from './record.js';

const loc = { file: 'x.log', line: 1 };
const rec = (line: string, full = true): AuditRecord => {
  const r = parseAuditRecord(line, loc, { full });
  if (r === null || r.kind !== 'record') throw new Error(`not a record: ${JSON.stringify(r)}`);
  return r;
};
const bad = (line: string): MalformedRecord => {
  const r = parseAuditRecord(line, loc);
  if (r === null || r.kind !== 'malformed') throw new Error(`not malformed: ${JSON.stringify(r)}`);
  return r;
};

const AVC =
  'type=AVC msg=audit(1234567890.123:456): avc:  denied  { read write } for  pid=1234 comm="useradd" name="usr" dev="dm-0" ino=123 scontext=system_u:system_r:useradd_t:s0 tcontext=system_u:object_r:usr_t:s0 tclass=dir permissive=0';

describe('parseRecord: raw audit.log', () => {
  it('reads the header and an AVC denial', () => {
    const r = rec(AVC);
    expect(r.type).toBe('AVC');
    expect(r.stamp).toBe('1234567890.123:456');
    expect(r.serial).toBe(456);
    expect(r.time).toBeCloseTo(1234567890.123);
    expect(r.header).toBe('audit(1234567890.123:456):');
    expect(r.avc).toEqual({
      verb: 'denied',
      perms: ['read', 'write'],
      scontext: { user: 'system_u', role: 'system_r', type: 'useradd_t', level: 's0' },
      tcontext: { user: 'system_u', role: 'object_r', type: 'usr_t', level: 's0' },
      tclass: 'dir',
      permissive: false,
    });
    expect(r.fields.comm).toBe('useradd');
    expect(r.fields.dev).toBe('dm-0');
  });

  it('takes node= and host= prefixes', () => {
    const r = rec(`node=web01 ${AVC}`);
    expect(r.node).toBe('web01');
    expect(r.avc?.tclass).toBe('dir');
  });

  it('maps numeric record types', () => {
    expect(rec(AVC.replace('type=AVC', 'type=1400')).type).toBe('AVC');
    expect(rec('type=1403 msg=audit(1.2:3): auid=0 ses=1 lsm=selinux res=1').type).toBe('MAC_POLICY_LOAD');
  });

  it('keeps granted AVCs and MLS ranges', () => {
    const r = rec(AVC.replace('denied', 'granted').replace('useradd_t:s0', 'useradd_t:s0-s0:c0.c1023'));
    expect(r.avc?.verb).toBe('granted');
    expect(r.avc?.scontext.level).toBe('s0-s0:c0.c1023');
  });

  it('reads ioctlcmd as hex', () => {
    const r = rec(AVC.replace('{ read write }', '{ ioctl }').replace('ino=123', 'ino=123 ioctlcmd=0x5401'));
    expect(r.avc?.ioctlcmd).toBe(0x5401);
  });

  it('decodes hex-encoded untrusted strings', () => {
    const r = rec(AVC.replace('comm="useradd"', 'comm=6D7920617070'));
    expect(r.fields.comm).toBe('my app');
    const p = rec('type=PROCTITLE msg=audit(1.2:3): proctitle=2F7573722F62696E2F636174002F6574632F6D792066696C65');
    expect(p.fields.proctitle).toBe('/usr/bin/cat /etc/my file');
    const path = rec('type=PATH msg=audit(1.2:3): item=0 name=2F746D70 inode=1');
    expect(path.fields.name).toBe('/tmp');
    // a0..aN are strings only in EXECVE; in SYSCALL they are numbers.
    expect(rec('type=EXECVE msg=audit(1.2:3): argc=2 a0="ls" a1=2D6C').fields.a1).toBe('-l');
    expect(rec('type=SYSCALL msg=audit(1.2:3): arch=c000003e a1=1ED').fields.a1).toBe('1ED');
  });

  it('parses USER_AVC with its nested msg', () => {
    const r = rec(
      'type=USER_AVC msg=audit(1234567899.000:466): pid=1 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:init_t:s0 msg=\'avc:  denied  { status } for auid=n/a uid=0 gid=0 cmdline="/usr/bin/systemctl status" scontext=system_u:system_r:logrotate_t:s0 tcontext=system_u:system_r:init_t:s0 tclass=system exe="/lib/systemd/systemd" sauid=0 hostname=? addr=? terminal=?\'',
    );
    expect(r.type).toBe('USER_AVC');
    expect(r.avc?.perms).toEqual(['status']);
    expect(r.avc?.scontext.type).toBe('logrotate_t');
    expect(r.fields.cmdline).toBe('/usr/bin/systemctl status');
    expect(r.fields.terminal).toBe('?');
    expect(r.fields.subj).toBe('system_u:system_r:init_t:s0');
  });

  it('treats avc policyload notices as valid records without a decision', () => {
    const r = rec('type=USER_AVC msg=audit(1.2:3): pid=1 uid=81 msg=\'avc:  received policyload notice (seqno=2)  exe="/usr/bin/dbus-daemon"\'');
    expect(r.avc).toBeUndefined();
    expect(r.avcNotice).toBe(true);
    expect(rec('type=AVC msg=audit(1.2:3): avc:  op=setenforce lsm=selinux enforcing=1 old_enforcing=0 auid=0 ses=1').avcNotice).toBe(true);
  });

  it('splits ENRICHED fields at \\x1d', () => {
    const r = rec('type=SYSCALL msg=audit(1.2:3): arch=c000003e syscall=257 success=no auid=0 uid=0\x1dARCH=x86_64 SYSCALL=openat AUID="root" UID="root"');
    expect(r.fields.syscall).toBe('257');
    expect(r.enriched).toEqual({ ARCH: 'x86_64', SYSCALL: 'openat', AUID: 'root', UID: 'root' });
  });

  it('reads SELINUX_ERR invalid contexts, old and new forms', () => {
    const old = rec(
      'type=SELINUX_ERR msg=audit(1.2:3): security_compute_sid:  invalid context system_u:system_r:foo_t:s0 for scontext=system_u:system_r:init_t:s0 tcontext=system_u:object_r:foo_exec_t:s0 tclass=process',
    );
    expect(old.invalidContext?.context).toEqual({ user: 'system_u', role: 'system_r', type: 'foo_t', level: 's0' });
    expect(old.invalidContext?.tclass).toBe('process');
    const neu = rec(
      'type=SELINUX_ERR msg=audit(1.2:3): op=security_compute_sid invalid_context="unconfined_u:unconfined_r:foo_t:s0" scontext=unconfined_u:unconfined_r:unconfined_t:s0 tcontext=system_u:object_r:foo_exec_t:s0 tclass=process',
    );
    expect(neu.invalidContext?.context.role).toBe('unconfined_r');
  });
});

describe('parseRecord: other formats', () => {
  it('reads syslog lines', () => {
    const r = rec(
      'Sep 12 08:26:43 dhcp83-5 kernel: audit(1158064002.046:4): avc:  denied  { read } for  pid=2496 comm="bluez-pin" name=".gdm1K3IFT" dev=dm-0 ino=3601333 scontext=user_u:system_r:bluetooth_helper_t:s0-s0:c0 tcontext=system_u:object_r:xdm_tmp_t:s0 tclass=file',
    );
    expect(r.type).toBe('AVC');
    expect(r.serial).toBe(4);
    expect(r.avc?.tcontext.type).toBe('xdm_tmp_t');
  });

  it('reads dmesg and journal lines with numeric types', () => {
    const line =
      '[   12.345678] audit: type=1400 audit(1700000000.123:88): avc:  denied  { search } for  pid=1 comm="systemd" name="/" dev="tmpfs" ino=1 scontext=system_u:system_r:init_t:s0 tcontext=system_u:object_r:tmpfs_t:s0 tclass=dir permissive=1';
    const r = rec(line);
    expect(r.type).toBe('AVC');
    expect(r.avc?.permissive).toBe(true);
    expect(rec(`Nov 23 10:00:00 host kernel: audit: type=1400 audit(1700000000.123:88): ${line.split('): ')[1]}`).serial).toBe(88);
  });

  it('reads a bare avc: line without a stamp', () => {
    const r = rec('Nov 23 10:00:00 host audit[123]: AVC avc:  denied  { read } for  pid=1 comm="x" scontext=a:b:c_t tcontext=a:object_r:d_t tclass=file');
    expect(r.stamp).toBeUndefined();
    expect(r.avc?.scontext.level).toBeUndefined();
  });

  it('reads ausearch -i output', () => {
    const r = rec(
      'type=AVC msg=audit(11/14/23 22:13:21.456:1002) : avc:  denied  { write } for  pid=1234 comm=useradd name=usr dev="dm-0" ino=123 scontext=system_u:system_r:useradd_t:s0 tcontext=system_u:object_r:usr_t:s0 tclass=dir permissive=0 ',
    );
    expect(r.interpreted).toBe(true);
    expect(r.serial).toBe(1002);
    expect(r.time).toBeUndefined();
    expect(r.header).toBe('audit(11/14/23 22:13:21.456:1002):');
    expect(r.fields.comm).toBe('useradd');
    const p = rec('type=PATH msg=audit(11/14/23 22:13:20.123:1001) : item=0 name=/etc/my file inode=1234 dev=fd:00 ');
    expect(p.fields.name).toBe('/etc/my file');
  });

  it('reads old auditd records that have no colon after the stamp', () => {
    const r = rec('type=DAEMON_START msg=audit(1162905957.883:2600) auditd start, ver=1.2.9, format=raw, auid=4294967295 pid=2166 res=success, auditd pid=2166');
    expect(r.type).toBe('DAEMON_START');
    expect(r.fields.ver).toBe('1.2.9,');
    expect(bad('type=AVC msg=audit(1.2:3)x avc:').reason).toMatch(/expected ':'/);
  });

  it('reads journald audit lines, which have no stamp', () => {
    const u = rec('Nov 18 04:25:16 host audit[900]: USER_AVC pid=900 uid=0 msg=\'avc:  denied  { send_msg } for scontext=a:b:c_t:s0 tcontext=a:b:d_t:s0 tclass=dbus exe="/usr/bin/dbus-daemon"\'');
    expect(u.type).toBe('USER_AVC');
    expect(u.avc?.tclass).toBe('dbus');
    // audit2allow's header for such a line is the value of its msg= token.
    expect(u.header).toBe("'avc:");
    const e = rec('Nov 18 04:25:16 host audit: SELINUX_ERR op=security_compute_sid invalid_context="u:r:x_t:s0" scontext=u:r:y_t:s0 tcontext=u:object_r:z_t:s0 tclass=process');
    expect(e.type).toBe('SELINUX_ERR');
    expect(e.invalidContext?.context.type).toBe('x_t');
    expect(rec('Nov 18 04:25:19 host audit[44252]: SYSCALL arch=c000003e syscall=1 success=no').fields.syscall).toBe('1');
  });

  it('reads ioctlcmd as Python int(x, 16) does', () => {
    const withCmd = (v: string) => rec(AVC.replace('{ read write }', '{ ioctl }').replace('ino=123', `ino=123 ioctlcmd=${v}`)).avc?.ioctlcmd;
    expect(withCmd('0x5401')).toBe(0x5401);
    expect(withCmd('5401')).toBe(0x5401);
    expect(withCmd('0X54_01')).toBe(0x5401);
    expect(withCmd('FIONBIO')).toBeUndefined();
  });

  it('continues only values that may hold spaces in ausearch -i output', () => {
    const r = rec('type=AVC msg=audit(11/14/23 22:13:21.456:1002) : avc:  denied  { read } for  pid=1 comm=my app name=a b scontext=a:b:c_t:s0 tcontext=a:b:d_t:s0 tclass=file p');
    expect(r.fields.comm).toBe('my app');
    expect(r.fields.name).toBe('a b');
    expect(r.avc?.tclass).toBe('file');
  });

  it('ignores lines that are not audit records', () => {
    for (const line of ['', '----', 'time->Tue Nov 14 22:13:20 2023', 'Nov 23 10:00:00 host sshd[1]: Accepted publickey for root', 'type of thing']) {
      expect(parseAuditRecord(line, loc)).toBeNull();
    }
  });
});

describe('parseRecord: malformed input', () => {
  it('names the problem and the column', () => {
    expect(bad('type=AVC msg=audit(1234567890.123:45').reason).toMatch(/unterminated audit\(/);
    expect(bad('type=AVC msg=audit(1234567890.123:45').col).toBe(20);
    expect(bad('type=AVC').reason).toMatch(/expected msg=audit/);
    expect(bad('type=AVC msg=audit(12:x): avc: denied { read } for').reason).toMatch(/SECONDS.MS:SERIAL/);
    expect(bad(AVC.replace(' } for', ' for')).reason).toMatch(/unbalanced braces/);
    expect(bad(AVC.replace('{ read write }', '{ read { write }')).reason).toMatch(/unbalanced braces/);
    expect(bad(AVC.replace('{ read write }', '{ }')).reason).toMatch(/empty permission list/);
    expect(bad(AVC.replace(' tclass=dir', '')).reason).toMatch(/no tclass=/);
    const ctx = bad(AVC.replace('scontext=system_u:system_r:useradd_t:s0', 'scontext=garbage'));
    expect(ctx.reason).toMatch(/invalid scontext 'garbage'/);
    expect(ctx.col).toBe(AVC.indexOf('scontext=') + 10);
    expect(bad(AVC.replace('denied', 'refused')).reason).toMatch(/'denied' or 'granted'/);
    expect(bad('type=AVC msg=audit(1.2:3): something else').reason).toMatch(/'avc:'/);
  });

  it('survives non-UTF-8 bytes', () => {
    const buf = Buffer.concat([Buffer.from(AVC.replace('comm="useradd"', 'comm="')), Buffer.from([0xff, 0xfe, 0x22])]);
    const r = parseRecord(buf, 0, buf.length, loc, { full: true, keepText: true });
    expect(r?.kind).toBe('record');
  });

  it('skips records the fast path does not need, after checking the header', () => {
    expect(parseAuditRecord('type=SYSCALL msg=audit(1.2:3): arch=c000003e', loc, { full: false })).toEqual({ kind: 'skipped' });
    expect(parseAuditRecord('type=SYSCALL msg=audit(1.2:3', loc, { full: false })?.kind).toBe('malformed');
  });
});

describe('parseRecord: fuzz', () => {
  const opts = [
    { full: true, keepText: true },
    { full: false, keepText: false },
  ];
  const check = (buf: Buffer): void => {
    for (const o of opts) {
      const r = parseRecord(buf, 0, buf.length, loc, o);
      if (r !== null) expect(['record', 'malformed', 'skipped']).toContain(r.kind);
    }
  };

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => check(Buffer.from(bytes))),
      { numRuns: 3000, seed: 42 },
    );
  });

  it('never throws on mutated and truncated records', () => {
    const seeds = [
      AVC,
      `node=a ${AVC}`,
      "type=USER_AVC msg=audit(1.2:3): pid=1 msg='avc:  denied  { status } for scontext=a:b:c tcontext=a:b:d tclass=system'",
      'type=SELINUX_ERR msg=audit(1.2:3): security_compute_sid:  invalid context a:b:c:s0 for scontext=a:b:c tcontext=a:b:d tclass=process',
      'type=SYSCALL msg=audit(1.2:3): arch=c000003e syscall=2\x1dARCH=x86_64',
      'type=AVC msg=audit(11/14/23 22:13:21.456:1002) : avc:  denied  { write } for comm=x scontext=a:b:c tcontext=a:b:d tclass=dir ',
    ];
    const mutated = fc.tuple(fc.constantFrom(...seeds), fc.nat(), fc.nat(), fc.uint8Array({ maxLength: 8 }), fc.boolean()).map(([s, cut, at, ins, truncate]) => {
      const b = Buffer.from(s);
      const p = at % (b.length + 1);
      if (truncate) return b.subarray(0, cut % (b.length + 1));
      return Buffer.concat([b.subarray(0, p), Buffer.from(ins), b.subarray(Math.min(b.length, p + (cut % 4)))]);
    });
    fc.assert(fc.property(mutated, check), { numRuns: 5000, seed: 7 });
  });

  it('parses a 1 MB line', () => {
    const long = Buffer.from(AVC.replace('ino=123', 'ino=123 ' + 'x=y '.repeat(250_000)));
    const r = parseRecord(long, 0, long.length, loc, { full: true, keepText: false });
    expect(r?.kind === 'record' && r.avc?.tclass).toBe('dir');
  });
});
