import { describe, expect, it } from 'vitest';
import { WordMatcher } from './bytes.js';
import { DecisionMemo } from './decisions.js';
import { IOCTL_REQUEST_NUMBERS, ioctlRequestNumber } from './ioctlNames.js';
import { type AuditRecord, type MalformedRecord, type ParseOptions, parseAuditRecord, parseRecord } from './record.js';

const loc = { file: 'x.log', line: 1 };
const parse = (line: string): AuditRecord | MalformedRecord => {
  const r = parseAuditRecord(line, loc);
  if (r === null || r.kind === 'skipped') throw new Error(`not parsed: ${JSON.stringify(r)}`);
  return r;
};
const rec = (line: string): AuditRecord => {
  const r = parse(line);
  if (r.kind !== 'record') throw new Error(`malformed: ${r.reason}`);
  return r;
};
const bad = (line: string): MalformedRecord => {
  const r = parse(line);
  if (r.kind !== 'malformed') throw new Error(`not malformed: ${JSON.stringify(r.avc ?? r.invalidContext)}`);
  return r;
};
/** The 1-based byte column of `what` in `line`. */
const col = (line: string, what: string): number => Buffer.byteLength(line.slice(0, line.indexOf(what))) + 1;

const AVC = (perms: string, s: string, t: string, cls: string, extra = '') =>
  `type=AVC msg=audit(1700000000.100:10): avc:  denied  { ${perms} } for  pid=1 comm="app"${extra} scontext=${s} tcontext=${t} tclass=${cls} permissive=0`;

describe('identifiers in AVC records', () => {
  it('makes the injection log malformed, pointing at the bad type, the value escaped', () => {
    const line = AVC('read', 'u:r:a_t;allow:s0', 'u:object_r:b)_t:s0', 'file');
    const m = bad(line);
    expect(m.reason).toBe("invalid type 'a_t;allow' in scontext 'u:r:a_t;allow:s0' (not an SELinux identifier)");
    expect(m.col).toBe(col(line, 'a_t;allow'));
    expect(m.type).toBe('AVC');
    const t = AVC('read', 'u:r:a_t:s0', 'u:object_r:b)_t:s0', 'file');
    expect(bad(t).reason).toBe("invalid type 'b)_t' in tcontext 'u:object_r:b)_t:s0' (not an SELinux identifier)");
    expect(bad(t).col).toBe(col(t, 'b)_t'));
  });

  it('checks user, role, class and every permission', () => {
    const user = AVC('read', 'u{x:r:a_t:s0', 'u:object_r:b_t:s0', 'file');
    expect(bad(user).reason).toMatch(/^invalid user 'u\{x' in scontext/);
    expect(bad(user).col).toBe(col(user, 'u{x'));
    const role = AVC('read', 'u:r:a_t:s0', 'u:obj ect_r:b_t:s0', 'file');
    // The space ends the value: `u:obj` is no context at all.
    expect(bad(role).reason).toMatch(/^invalid tcontext 'u:obj'/);
    expect(bad(AVC('read', 'u:r(:a_t:s0', 'u:object_r:b_t:s0', 'file')).reason).toMatch(/^invalid role 'r\(' in scontext/);
    const cls = AVC('0x2', 'u:r:a_t:s0', 'u:object_r:b_t:s0', '(null)');
    expect(bad(cls).reason).toBe("invalid tclass '(null)' (not an SELinux identifier)");
    expect(bad(cls).col).toBe(col(cls, '(null)'));
    const perm = AVC('read wr;ite', 'u:r:a_t:s0', 'u:object_r:b_t:s0', 'file');
    expect(bad(perm).reason).toBe("invalid permission 'wr;ite' (not an SELinux identifier)");
    expect(bad(perm).col).toBe(col(perm, 'wr;ite'));
  });

  it('escapes control bytes and keeps columns in bytes', () => {
    const line = AVC('read', 'u:r:é_t\x1b[2J:s0', 'u:object_r:b_t:s0', 'file');
    const m = bad(line);
    expect(m.reason).toBe("invalid type 'é_t\\x1b[2J' in scontext 'u:r:é_t\\x1b[2J:s0' (not an SELinux identifier)");
    expect(m.col).toBe(col(line, 'é_t'));
  });

  it('checks USER_AVC records', () => {
    const line = 'type=USER_AVC msg=audit(1.2:3): pid=1 uid=0 msg=\'avc:  denied  { send_msg } for scontext=a:b:c_t:s0 tcontext=a:b:d_t}:s0 tclass=dbus exe="/x"\'';
    expect(bad(line).reason).toMatch(/^invalid type 'd_t\}' in tcontext/);
    expect(bad(line).type).toBe('USER_AVC');
  });

  it('passes the names real policies have, CIL block names and MLS ranges', () => {
    const r = rec(AVC('module_load x_application_data', 'system_u:system_r:foo.process:s0-s0:c0.c1023', 'staff_u:object_r:my-app_t:s0:c1,c3', 'key_socket'));
    expect(r.avc?.scontext.type).toBe('foo.process');
    expect(r.avc?.tcontext.type).toBe('my-app_t');
    expect(r.avc?.perms).toEqual(['module_load', 'x_application_data']);
  });

  it('never memoises a bad decision: a repeat of it is malformed too', async () => {
    const { DecisionMemo } = await import('./decisions.js');
    const memo = new DecisionMemo();
    const line = Buffer.from(AVC('read', 'u:r:a_t;allow:s0', 'u:object_r:b_t:s0', 'file'));
    const { parseRecord } = await import('./record.js');
    for (let i = 0; i < 3; i++) expect(parseRecord(line, 0, line.length, loc, { full: false, keepText: false, decisions: memo })?.kind).toBe('malformed');
    expect(memo.messages).toEqual([]);
  });
});

describe('identifiers in SELINUX_ERR records', () => {
  it('makes a bad invalid context, scontext, tcontext or tclass malformed', () => {
    const old = (ctx: string, s = 'u:r:init_t:s0', cls = 'process') =>
      `type=SELINUX_ERR msg=audit(1.2:3): security_compute_sid:  invalid context ${ctx} for scontext=${s} tcontext=u:object_r:x_exec_t:s0 tclass=${cls}`;
    const l1 = old('u:system_r;role:x_t:s0');
    expect(bad(l1).reason).toBe("invalid context 'u:system_r;role:x_t:s0' (its role 'system_r;role' is not an SELinux identifier)");
    expect(bad(l1).col).toBe(col(l1, 'u:system_r;role'));
    expect(bad(old('u:x_t')).reason).toBe("invalid context 'u:x_t' (expected user:role:type[:level])");
    expect(bad(old('u:r:x_t:s0', 'u:r:init(_t:s0')).reason).toMatch(/^invalid type 'init\(_t' in scontext/);
    expect(bad(old('u:r:x_t:s0', 'u:r:init_t:s0', 'pro;cess')).reason).toMatch(/^invalid tclass 'pro;cess'/);
    const neu = 'type=SELINUX_ERR msg=audit(1.2:3): op=security_compute_sid invalid_context="u:r:x)_t:s0" scontext=u:r:y_t:s0 tcontext=u:object_r:z_t:s0 tclass=process';
    expect(bad(neu).reason).toMatch(/^invalid context 'u:r:x\)_t:s0' \(its type 'x\)_t'/);
    expect(bad(neu).col).toBe(col(neu, 'u:r:x)_t'));
    expect(rec(old('u:r:x_t:s0')).invalidContext?.context.type).toBe('x_t');
  });
});

describe('ioctlcmd in ausearch -i output', () => {
  const IOCTL = (v: string) =>
    `type=AVC msg=audit(11/14/23 22:13:21.456:1002) : avc:  denied  { ioctl } for  pid=1 comm=app path=/dev/pts/0 dev="devpts" ino=3 ioctlcmd=${v} scontext=u:r:a_t:s0 tcontext=u:object_r:b_t:s0 tclass=chr_file permissive=0 `;
  const cmd = (v: string) => rec(IOCTL(v)).avc?.ioctlcmd;

  it('reads the names ausearch prints back as numbers, for every class of request', () => {
    expect(cmd('TCGETS')).toBe(0x5401); // terminal
    expect(cmd('TIOCINQ')).toBe(0x541b);
    expect(cmd('FIONBIO')).toBe(0x5421);
    expect(cmd('SIOCGIFHWADDR')).toBe(0x8927); // socket
    expect(cmd('SIOCBRADDIF')).toBe(0x89a2);
    expect(cmd('CDROMEJECT')).toBe(0x5309); // block (cdrom)
    expect(cmd('KDSETMODE')).toBe(0x4b3a); // console
    // 32-bit requests: the 16 bits an AVC carries.
    expect(cmd('TIOCSPTLCK')).toBe(0x5431);
    expect(cmd('DRM_IOCTL_MODE_PAGE_FLIP')).toBe(0x64b0);
  });

  it('reads numbers ausearch printed in hex', () => {
    expect(cmd('0x8912')).toBe(0x8912);
    expect(cmd('0x0')).toBe(0);
  });

  it('makes a record with a request past 16 bits malformed, in raw logs too', () => {
    const raw = IOCTL('0xfffffffff').replace('audit(11/14/23 22:13:21.456:1002) :', 'audit(1700000000.100:10):');
    expect(bad(raw).reason).toBe("ioctl request '0xfffffffff' in ioctlcmd is out of range (16 bits: 0 to 0xffff)");
    expect(bad(raw).col).toBe(col(raw, '0xfffffffff'));
    expect(bad(IOCTL('0x10000')).reason).toMatch(/out of range/);
    expect(cmd('0xffff')).toBe(0xffff);
  });

  it('makes a record with a name ausearch does not print malformed', () => {
    const line = IOCTL('TIOCNOSUCH');
    expect(bad(line).reason).toBe("unknown ioctl request name 'TIOCNOSUCH' in ioctlcmd (not one ausearch prints; read the raw log instead)");
    expect(bad(line).col).toBe(col(line, 'TIOCNOSUCH'));
    // Names are matched exactly, and nothing inherited from Object counts.
    expect(bad(IOCTL('tcgets')).reason).toMatch(/unknown ioctl request name/);
    expect(ioctlRequestNumber('constructor')).toBeUndefined();
  });

  it('leaves names in raw logs alone, as audit2allow does (no number, no xperm)', () => {
    const raw = IOCTL('FIONBIO').replace('audit(11/14/23 22:13:21.456:1002) :', 'audit(1700000000.100:10):');
    expect(rec(raw).interpreted).toBe(false);
    expect(rec(raw).avc?.ioctlcmd).toBeUndefined();
  });

  it('has one number per name, within 32 bits', () => {
    for (const [name, n] of Object.entries(IOCTL_REQUEST_NUMBERS)) {
      expect(name).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThanOrEqual(0xffffffff);
    }
  });
});

describe('the memo of SELINUX_ERR bodies', () => {
  it('gives a body seen before the invalid context its parse gives, and leaves bad ones to the parser', () => {
    const bodies = [
      'security_compute_sid:  invalid context unconfined_u:unconfined_r:rpm_script_t:s0 for scontext=unconfined_u:unconfined_r:rpm_t:s0 tcontext=system_u:object_r:rpm_script_exec_t:s0 tclass=process',
      'op=security_compute_sid invalid_context="unconfined_u:unconfined_r:httpd_t:s0" scontext=unconfined_u:unconfined_r:unconfined_t:s0 tcontext=system_u:object_r:httpd_exec_t:s0 tclass=process',
      'security_compute_sid:  invalid context user_u:user_r:httpd_t:s0 for scontext=user_u:user_r:user_t:s0 tcontext=system_u:object_r:httpd_exec_t:s0',
      'security_compute_sid:  invalid context user_u:user_r:httpd_t:s0 for scontext=user_u:user_r:user_t:s0 tcontext=system_u:object_r:httpd_exec_t:s0 tclass=proc;ess',
      'security_compute_sid:  invalid context user_u:user_r:ht;tpd_t:s0 for scontext=user_u:user_r:user_t:s0',
      'op=security_compute_sid reason=other',
    ];
    const memo = new DecisionMemo();
    const keys = new WordMatcher(['scontext', 'tcontext', 'tclass', 'op', 'invalid_context']);
    const opts: ParseOptions = { full: false, keepText: false, keys, decisions: memo };
    const plain: ParseOptions = { full: false, keepText: false, keys };
    const seen: unknown[] = [];
    for (let round = 0; round < 3; round++) {
      for (const [i, body] of bodies.entries()) {
        const buf = Buffer.from(`type=SELINUX_ERR msg=audit(1700000400.${round}:${i}): ${body}`);
        const got = parseRecord(buf, 0, buf.length, loc, opts);
        const want = parseRecord(buf, 0, buf.length, loc, plain);
        const view = (r: typeof got) => (r !== null && r.kind === 'record' ? r.invalidContext : r);
        expect(view(got), body).toEqual(view(want));
        if (round === 0) seen.push(view(got));
        // The same object from the second time on: the memo answered.
        else if (got?.kind === 'record' && got.invalidContext) expect(view(got)).toBe(seen[i]);
      }
    }
    expect(seen.filter((m) => m !== undefined && (m as { kind?: string }).kind === undefined).length).toBe(3);
  });
});
