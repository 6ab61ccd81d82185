// The logs of the host we run on: auditd's log and its rotations (read
// directly, no ausearch), the kernel ring buffer, and the boot time.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type FileSourceOptions, fileSource, type LogSource } from '../base/source.js';

export const AUDITD_CONF = '/etc/audit/auditd.conf';
export const DEFAULT_AUDIT_LOG = '/var/log/audit/audit.log';

/** auditd.conf's `log_file`, or the default when the file or key is absent. */
export function auditLogPath(confPath = AUDITD_CONF): string {
  let conf: string;
  try {
    conf = readFileSync(confPath, 'utf8');
  } catch {
    return DEFAULT_AUDIT_LOG;
  }
  for (const line of conf.split('\n')) {
    const m = /^\s*log_file\s*=\s*(\S+)\s*$/.exec(line);
    if (m) return m[1]!;
  }
  return DEFAULT_AUDIT_LOG;
}

/**
 * The audit log and its rotations (`audit.log.N`, possibly `.gz`), oldest
 * first, so that events come in time order and `-l` sees the last reload.
 * Each is a `fileSource` with these options (a size limit, where trailing
 * garbage after gzip data is told), as a log named on the command line is.
 */
export function auditLogSources(logPath = auditLogPath(), opts: Omit<FileSourceOptions, 'name'> = {}): LogSource[] {
  const dir = dirname(logPath);
  const base = basename(logPath);
  const rotations: Array<{ n: number; path: string }> = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    // The log itself is reported missing when it is opened.
  }
  for (const name of names) {
    if (!name.startsWith(base + '.')) continue;
    const m = /^\.(\d+)(\.gz)?$/.exec(name.slice(base.length));
    if (m) rotations.push({ n: Number(m[1]), path: join(dir, name) });
  }
  rotations.sort((a, b) => b.n - a.n);
  return [...rotations.map((r) => fileSource(r.path, opts)), fileSource(logPath, opts)];
}

/** The kernel ring buffer, through dmesg (as audit2allow -d reads it). */
export function dmesgSource(): LogSource {
  return {
    name: 'dmesg',
    open: () => {
      const child = spawn('dmesg', [], { stdio: ['ignore', 'pipe', 'inherit'] });
      child.on('error', (err) => child.stdout.destroy(err));
      return child.stdout;
    },
  };
}

/** Seconds since the epoch at which this host booted. */
export function bootTime(now = Date.now() / 1000): number {
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(/\s+/)[0]);
  return now - uptime;
}
