// Rendering generated events in the formats audit records reach people in.
//
//   raw          auditd's audit.log:      type=AVC msg=audit(1700000000.123:456): avc:  denied ...
//   node         auditd with name_format: node=web01 type=AVC msg=audit(...): ...
//   numeric      numeric record types:    type=1400 msg=audit(...): ...
//   enriched     auditd log_format=ENRICHED: raw, then \x1d and interpreted
//                upper-case fields (ARCH=x86_64 SYSCALL=openat AUID="root" ...)
//   syslog       old kernel printk via syslog:  Nov 14 22:13:20 web01 kernel: audit(1700000000.123:456): avc: ...
//                (userspace denials: `dbus-daemon[900]: avc:  denied ...`)
//   syslog-type  kauditd printk via syslog:     Nov 14 22:13:20 web01 kernel: audit: type=1400 audit(...): avc: ...
//   dmesg        kernel ring buffer:            [   12.345678] audit: type=1400 audit(...): avc: ...
//   journal      journalctl -o short: journald's audit transport
//                (`Nov 14 22:13:20 web01 audit[1234]: AVC avc:  denied ...`, no
//                msg=audit() header) mixed with kernel printk lines
//   ausearch-i   `ausearch -i` output: ---- between events, records of an event
//                in reverse order, msg=audit(11/14/23 22:13:20.123:456) : ,
//                interpreted unquoted values, a space at the end of each line
//
// Times are UTC (ausearch -i must then be run with TZ=UTC to match).

import { type AuditEvent, type AuditRecord, enrichedSuffix, interpretedBody, rawBody } from './model.js';
import { Rng } from './prng.js';

export const LOG_FORMATS = ['raw', 'node', 'numeric', 'enriched', 'syslog', 'syslog-type', 'dmesg', 'journal', 'ausearch-i'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface RenderOptions {
  seed: number;
  formats: readonly LogFormat[];
  /** Max events whose records may be mixed; <= 1: none. */
  interleave: number;
  host: string;
  /** Probability that a line carrying an AVC is cut short (syslog line limits, a bad copy). */
  truncate?: number;
  /** End lines with \r\n (a log that went through Windows). */
  crlf?: boolean;
}

export interface Rendered {
  text: string;
  /** Lines cut short by `truncate`. */
  truncated: string[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number, w: number, ch = '0'): string {
  return String(n).padStart(w, ch);
}

function stamp(ev: AuditEvent): string {
  return `${ev.sec}.${pad(ev.ms, 3)}:${ev.serial}`;
}

function syslogDate(sec: number): string {
  const d = new Date(sec * 1000);
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate(), 2, ' ')} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
}

/** `11/14/23 22:13:20.123` as ausearch -i prints it (TZ=UTC). */
export function ausearchDate(sec: number, ms: number): string {
  const d = new Date(sec * 1000);
  return `${pad(d.getUTCMonth() + 1, 2)}/${pad(d.getUTCDate(), 2)}/${pad(d.getUTCFullYear() % 100, 2)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(ms, 3)}`;
}

function rawLine(ev: AuditEvent, r: AuditRecord, typeName: string): string {
  return `type=${typeName} msg=audit(${stamp(ev)}): ${rawBody(r.parts)}`;
}

/** The text after `msg='` up to the exe tail, as dbus-daemon / systemd log it to syslog. */
function userSyslogBody(r: AuditRecord): string {
  const body = rawBody(r.parts);
  const start = body.indexOf("msg='");
  const inner = start >= 0 ? body.slice(start + 5) : body;
  const tail = inner.lastIndexOf('  exe=');
  return tail >= 0 ? inner.slice(0, tail) : inner.replace(/'$/, '');
}

interface Block {
  lines: string[];
  /** May its lines be mixed with other blocks' lines? */
  mixable: boolean;
}

export function renderLog(events: AuditEvent[], opts: RenderOptions): Rendered {
  const rng = new Rng(opts.seed, 5);
  const host = opts.host;
  let boot = 3 + rng.int(200) + rng.int(1_000_000) / 1_000_000;
  let prevSec: number | undefined;
  const blocks: Block[] = [];
  for (const ev of events) {
    const format = rng.pick(opts.formats);
    if (prevSec !== undefined) boot += Math.max(0, ev.sec - prevSec) + rng.int(1000) / 1000;
    prevSec = ev.sec;
    const lines: string[] = [];
    const daemon = ev.records.some((r) => r.type === 'DAEMON_START');
    switch (format) {
      case 'raw':
        for (const r of ev.records) lines.push(rawLine(ev, r, r.type));
        break;
      case 'node':
        for (const r of ev.records) lines.push(`node=${host} ${rawLine(ev, r, r.type)}`);
        break;
      case 'numeric':
        for (const r of ev.records) lines.push(rawLine(ev, r, String(r.num)));
        break;
      case 'enriched':
        for (const r of ev.records) {
          const sfx = enrichedSuffix(r);
          lines.push(rawLine(ev, r, r.type) + (sfx.length > 0 ? `\x1d${sfx.join(' ')}` : ''));
        }
        break;
      case 'syslog':
        for (const r of ev.records) {
          if (r.kernel) lines.push(`${syslogDate(ev.sec)} ${host} kernel: audit(${stamp(ev)}): ${rawBody(r.parts)}`);
          else if (r.type === 'USER_AVC' && ev.userSyslog) lines.push(`${syslogDate(ev.sec)} ${host} ${ev.userSyslog.ident}[${ev.userSyslog.pid}]: ${userSyslogBody(r)}`);
        }
        break;
      case 'syslog-type':
        if (daemon) break;
        for (const r of ev.records) lines.push(`${syslogDate(ev.sec)} ${host} kernel: audit: type=${r.num} audit(${stamp(ev)}): ${rawBody(r.parts)}`);
        break;
      case 'dmesg': {
        if (daemon) break;
        const whole = Math.floor(boot);
        const micro = Math.round((boot - whole) * 1_000_000) % 1_000_000;
        for (const r of ev.records) lines.push(`[${pad(whole, 5, ' ')}.${pad(micro, 6)}] audit: type=${r.num} audit(${stamp(ev)}): ${rawBody(r.parts)}`);
        break;
      }
      case 'journal': {
        if (daemon) break;
        const printk = rng.chance(0.25);
        for (const r of ev.records) {
          if (printk) lines.push(`${syslogDate(ev.sec)} ${host} kernel: audit: type=${r.num} audit(${stamp(ev)}): ${rawBody(r.parts)}`);
          else lines.push(`${syslogDate(ev.sec)} ${host} ${r.pid !== undefined ? `audit[${r.pid}]` : 'audit'}: ${r.type} ${rawBody(r.parts)}`);
        }
        break;
      }
      case 'ausearch-i': {
        lines.push('----');
        for (const r of [...ev.records].reverse()) {
          lines.push(`type=${r.type} msg=audit(${ausearchDate(ev.sec, ev.ms)}:${ev.serial}) : ${interpretedBody(r.parts)} `);
        }
        blocks.push({ lines, mixable: false });
        continue;
      }
    }
    if (lines.length > 0) blocks.push({ lines, mixable: true });
  }

  const out: string[] = [];
  let i = 0;
  while (i < blocks.length) {
    const first = blocks[i];
    if (first === undefined) break;
    const w = opts.interleave > 1 && first.mixable && rng.chance(0.5) ? rng.range(2, opts.interleave) : 1;
    const chunk: Block[] = [];
    while (chunk.length < w && i < blocks.length) {
      const b = blocks[i];
      if (b === undefined || (!b.mixable && chunk.length > 0)) break;
      chunk.push(b);
      i++;
      if (!b.mixable) break;
    }
    const queues = chunk.map((b) => b.lines.slice());
    for (;;) {
      const live = queues.filter((q) => q.length > 0);
      if (live.length === 0) break;
      const q = rng.pick(live);
      const line = q.shift();
      if (line !== undefined) out.push(line);
    }
  }
  const truncated: string[] = [];
  if (opts.truncate) {
    const trunc = new Rng(opts.seed, 6);
    for (let k = 0; k < out.length; k++) {
      const line = out[k] ?? '';
      const at = line.indexOf('avc:');
      if (at < 0 || !trunc.chance(opts.truncate)) continue;
      const cut = line.slice(0, trunc.range(at + 4, line.length - 1));
      out[k] = cut;
      truncated.push(cut);
    }
  }
  const eol = opts.crlf ? '\r\n' : '\n';
  return { text: out.length > 0 ? `${out.join(eol)}${eol}` : '', truncated };
}
