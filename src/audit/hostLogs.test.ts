import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/tempDir.js';
import { auditLogPath, auditLogSources, bootTime, DEFAULT_AUDIT_LOG } from './hostLogs.js';

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

  it('computes the boot time from /proc/uptime', () => {
    const now = Date.now() / 1000;
    const t = bootTime(now);
    expect(t).toBeLessThan(now);
    expect(t).toBeGreaterThan(0);
  });
});
