import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/tempDir.js';
import type { Diagnostic } from '../base/diagnostic.js';
import { auditLogPath, auditLogSources, bootTime, DEFAULT_AUDIT_LOG } from './hostLogs.js';
import { readAuditEvents } from './read.js';

describe('host logs', () => {
  const dir = tempDir('host-logs').path;

  it('reads log_file from auditd.conf, else the default', () => {
    writeFileSync(join(dir, 'auditd.conf'), '# comment\nlocal_events = yes\nlog_file = /srv/audit/audit.log\nlog_format = ENRICHED\n');
    expect(auditLogPath(join(dir, 'auditd.conf'))).toBe('/srv/audit/audit.log');
    expect(auditLogPath(join(dir, 'missing.conf'))).toBe(DEFAULT_AUDIT_LOG);
  });

  it('lists rotations oldest first, then the live log', () => {
    for (const f of ['audit.log', 'audit.log.1', 'audit.log.2.gz', 'audit.log.10', 'audit.log.old', 'other.log.3']) writeFileSync(join(dir, f), '');
    expect(auditLogSources(join(dir, 'audit.log')).map((s) => s.name.slice(dir.length + 1))).toEqual(['audit.log.10', 'audit.log.2.gz', 'audit.log.1', 'audit.log']);
  });

  it('rotated .gz logs give the trailing-garbage warning and keep the size limit, as named files do', async () => {
    const logs = join(dir, 'garbage');
    mkdirSync(logs);
    const avc = (n: number): string =>
      `type=AVC msg=audit(1700000000.000:${n}): avc:  denied  { read } for  pid=1 comm="a" name="f" scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0\n`;
    const member = gzipSync(avc(1));
    writeFileSync(join(logs, 'audit.log.1.gz'), Buffer.concat([member, Buffer.from('junk')]));
    writeFileSync(join(logs, 'audit.log'), avc(2));
    const warnings: Diagnostic[] = [];
    let events = 0;
    await readAuditEvents(auditLogSources(join(logs, 'audit.log'), { onWarning: (d) => warnings.push(d) }), {}, () => events++);
    expect(events).toBe(2);
    expect(warnings.map((d) => [d.severity, d.code, d.data?.file, d.data?.offset])).toEqual([['warning', 'trailing-garbage', join(logs, 'audit.log.1.gz'), member.length]]);
    await expect(readAuditEvents(auditLogSources(join(logs, 'audit.log'), { maxBytes: 10 }), {}, () => undefined)).rejects.toMatchObject({ code: 'input-too-large' });
  });

  it('computes the boot time from /proc/uptime', () => {
    const now = Date.now() / 1000;
    const t = bootTime(now);
    expect(t).toBeLessThan(now);
    expect(t).toBeGreaterThan(0);
  });
});
