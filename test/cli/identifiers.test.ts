// A crafted log must not inject policy: names that are not SELinux
// identifiers make their record malformed, through every command that reads
// logs (src/selinux/ir/identifier.ts, src/audit/selinuxRecord.ts).
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';

async function porthole(args: string[], stdin: string) {
  const io = memoryIo({ stdin: Readable.from([Buffer.from(stdin)]), env: { PATH: process.env.PATH } });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const INJECTION = 'type=AVC msg=audit(1700000000.100:10): avc:  denied  { read } for  pid=1 comm="app" scontext=u:r:a_t;allow:s0 tcontext=u:object_r:b)_t:s0 tclass=file permissive=0\n';
const REPORT =
  "-:1:98: warning[malformed-record]: invalid type 'a_t;allow' in scontext 'u:r:a_t;allow:s0' (not an SELinux identifier)\n  note: the record was skipped; the rest of the input was read\n";
const GOOD = 'type=AVC msg=audit(1700000000.200:11): avc:  denied  { read } for  pid=1 comm="app" scontext=u:r:c_t:s0 tcontext=u:object_r:d_t:s0 tclass=file permissive=0\n';

describe('names from logs are checked before they reach generated text', () => {
  it('allow: the injection log gives a malformed-record report and no rule', async () => {
    const r = await porthole(['allow'], INJECTION);
    // An AVC record was seen, so no "Nothing to do": an empty module, as for any malformed AVC.
    expect(r).toEqual({ code: 0, out: '\n\n', err: REPORT });
  });

  it('allow -C: no CIL either; the good denials around it still make rules', async () => {
    const r = await porthole(['allow', '-C'], INJECTION + GOOD);
    expect(r).toEqual({ code: 0, out: '(allow c_t d_t (file (read)))\n', err: REPORT });
  });

  it('allow --strict fails on it', async () => {
    expect((await porthole(['allow', '--strict'], INJECTION + GOOD)).code).not.toBe(0);
  });

  it('avc: the table and JSON leave it out and report it', async () => {
    const table = await porthole(['avc'], INJECTION + GOOD);
    expect(table.out).not.toContain('a_t');
    expect(table.out).toContain('c_t');
    expect(table.err).toContain(REPORT.trimEnd());
    const json = await porthole(['avc', '--json'], INJECTION);
    expect(json.out).toBe('');
  });

  it('a dbus USER_AVC with an unmapped class and permission is malformed, not `allow ... (null) 0x2`', async () => {
    const line =
      'type=USER_AVC msg=audit(1470087122.008:24063): pid=693 uid=81 auid=4294967295 ses=4294967295 subj=system_u:system_r:system_dbusd_t:s0 msg=\'avc:  denied  { 0x2 } for msgtype=signal scontext=system_u:system_r:systemd_logind_t:s0 tcontext=system_u:system_r:modemmanager_t:s0 tclass=(null) exe="/usr/bin/dbus-daemon"\'\n';
    const r = await porthole(['allow'], line);
    expect(r.out).toBe('\n\n');
    expect(r.err).toMatch(/^-:1:\d+: warning\[malformed-record\]: invalid tclass '\(null\)' \(not an SELinux identifier\)\n/);
  });
});
