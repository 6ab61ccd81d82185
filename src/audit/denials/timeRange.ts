// Time ranges for reading denials (`avc -t START[,END]`, `--start`, `--end`):
// ausearch's keywords, `@EPOCH` and ISO 8601 dates and times, and the time of
// an event to test against them. Local time unless a zone is given, as
// ausearch. Not here: reading the logs (read.ts).
//
// Keywords, as ausearch (src/ausearch-time.c) computes them: now; recent (10
// minutes ago); boot (now minus /proc/uptime, to the second); today,
// yesterday (midnight); this-week (midnight on Sunday, ausearch's day 0);
// week-ago (midnight 7 days ago); this-month (midnight on the 1st);
// this-year (midnight on January 1). As an END, `today` means now, as in
// ausearch.
//
// Both ends are included, and an END includes all of what it names: an END
// of 22:13:20 takes an event at 22:13:20.900 (ausearch compares seconds),
// 22:13 the whole minute, a date alone the whole day. A START is the first
// instant it names (a date alone: midnight).
import { fail } from '../../base/diagnostic.js';
import type { AuditEvent } from '../event.js';

/** Seconds since the epoch: `since` included, `until` excluded. */
export interface TimeRange {
  since?: number;
  until?: number;
}

export interface TimeContext {
  /** Now, in milliseconds since the epoch (default Date.now()). */
  now?: number;
  /** When this host booted, in seconds since the epoch (for `boot`). */
  bootTime?: () => number;
}

export const TIME_KEYWORDS = ['now', 'recent', 'boot', 'today', 'yesterday', 'this-week', 'week-ago', 'this-month', 'this-year'] as const;

const EXPECTED = `${TIME_KEYWORDS.join(', ')}, @EPOCH, or an ISO 8601 date or time (2023-11-14, 2023-11-14T22:13:20, 22:13, with Z or +HH:MM for a zone other than local time)`;

/** A point parsed: its first second and the first second after the stretch it names (a second, or a whole day for a date). */
interface TimePoint {
  start: number;
  end: number;
}

/**
 * Parses `START[,END]` (either may be empty: `,END`, `START,`). A value that
 * is not a time, or an END before START, is a usage error naming `flag`.
 */
export function parseTimeRange(text: string, flag: string, ctx: TimeContext = {}): TimeRange {
  const comma = text.indexOf(',');
  const start = comma < 0 ? text : text.slice(0, comma);
  const end = comma < 0 ? '' : text.slice(comma + 1);
  if (start === '' && end === '') fail('usage', `${flag}: expected START[,END], got '${text}'`);
  return timeRange(start === '' ? undefined : start, end === '' ? undefined : end, flag, ctx);
}

/**
 * The range from START to END (either may be absent), as `--start` and
 * `--end` give them; `flag` names the option(s) in errors.
 */
export function timeRange(start: string | undefined, end: string | undefined, flag: string | { start: string; end: string }, ctx: TimeContext = {}): TimeRange {
  const flags = typeof flag === 'string' ? { start: flag, end: flag } : flag;
  const r: TimeRange = {};
  if (start !== undefined) r.since = parseTimePoint(start, 'start', flags.start, ctx).start;
  if (end !== undefined) r.until = parseTimePoint(end, 'end', flags.end, ctx).end;
  if (r.since !== undefined && r.until !== undefined && r.since >= r.until) {
    const where = flags.start === flags.end ? flags.start : `${flags.start}/${flags.end}`;
    fail('usage', `${where}: the time range is empty: '${start}' is after '${end}'`);
  }
  return r;
}

/** Whether an event at `time` (seconds) is in the range; an event without a time is (it cannot be placed). */
export function inTimeRange(time: number | undefined, range: TimeRange): boolean {
  if (time === undefined) return true;
  return (range.since === undefined || time >= range.since) && (range.until === undefined || time < range.until);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](.*))?$/;
const ISO_TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function parseTimePoint(text: string, edge: 'start' | 'end', flag: string, ctx: TimeContext): TimePoint {
  const now = new Date(ctx.now ?? Date.now());
  const second = (ms: number): TimePoint => {
    const s = Math.floor(ms / 1000);
    return { start: s, end: s + 1 };
  };
  const midnight = (daysBack: number, day?: number, month?: number): TimePoint => {
    const d = new Date(now.getFullYear(), month ?? now.getMonth(), day ?? now.getDate() - daysBack);
    return second(d.getTime());
  };
  switch (text) {
    case 'now':
      return second(now.getTime());
    case 'recent':
      return second(now.getTime() - 10 * 60 * 1000);
    case 'boot': {
      if (!ctx.bootTime) fail('usage', `${flag}: 'boot' needs the host's uptime, which is not known here`);
      return second(Math.round(ctx.bootTime()) * 1000);
    }
    case 'today':
      return edge === 'end' ? second(now.getTime()) : midnight(0);
    case 'yesterday':
      return midnight(1);
    case 'this-week':
      return midnight(now.getDay());
    case 'week-ago':
      return midnight(7);
    case 'this-month':
      return midnight(0, 1);
    case 'this-year':
      return midnight(0, 1, 0);
  }
  const epoch = /^@(\d+)(?:\.(\d+))?$/.exec(text);
  if (epoch) {
    const s = Number(epoch[1]);
    // A fraction narrows the point to the millisecond (audit's precision).
    if (epoch[2] === undefined) return { start: s, end: s + 1 };
    const t = Number(`${epoch[1]}.${epoch[2]}`);
    return { start: t, end: t + 0.001 };
  }
  const bad = (): never => fail('usage', `${flag}: invalid time '${text}' (expected ${EXPECTED})`);
  const date = ISO_DATE.exec(text);
  let y = now.getFullYear();
  let mo = now.getMonth() + 1;
  let d = now.getDate();
  let timeText: string | undefined = text;
  if (date) {
    y = Number(date[1]);
    mo = Number(date[2]);
    d = Number(date[3]);
    timeText = date[4];
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) bad();
    if (timeText === undefined) {
      // A date alone: the whole day.
      const from = new Date(y, mo - 1, d).getTime() / 1000;
      const to = new Date(y, mo - 1, d + 1).getTime() / 1000;
      return { start: from, end: to };
    }
  }
  const time = ISO_TIME.exec(timeText);
  if (!time) return bad();
  const h = Number(time[1]);
  const mi = Number(time[2]);
  const s = time[3] === undefined ? 0 : Number(time[3]);
  if (h > 23 || mi > 59 || s > 59) bad();
  const fraction = time[4];
  const ms = fraction === undefined ? 0 : Number(`0.${fraction}`) * 1000;
  const zone = time[5];
  let t: number;
  if (zone === undefined) {
    t = new Date(y, mo - 1, d, h, mi, s).getTime() + ms;
  } else {
    const offset = zone === 'Z' ? 0 : zoneMinutes(zone, bad);
    t = Date.UTC(y, mo - 1, d, h, mi, s) + ms - offset * 60_000;
  }
  if (fraction !== undefined) return { start: t / 1000, end: t / 1000 + 0.001 };
  // HH:MM names its whole minute as an END; HH:MM:SS its second.
  const span = time[3] === undefined ? 60 : 1;
  return { start: t / 1000, end: t / 1000 + span };
}

function zoneMinutes(zone: string, bad: () => never): number {
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return bad();
  const h = Number(m[2]);
  const mi = m[3] === undefined ? 0 : Number(m[3]);
  if (h > 23 || mi > 59) bad();
  return (m[1] === '-' ? -1 : 1) * (h * 60 + mi);
}

function daysInMonth(y: number, mo: number): number {
  return new Date(y, mo, 0).getDate();
}

/**
 * When an event happened, in seconds since the epoch: its raw stamp, or the
 * local time `ausearch -i` printed (`11/14/23 22:13:20.123`, the C locale's
 * date); undefined for a record without a stamp (a bare syslog `avc:` line).
 */
export function eventTime(ev: AuditEvent): number | undefined {
  if (ev.time !== undefined) return ev.time;
  const stamp = ev.stamp;
  if (stamp === undefined) return undefined;
  const m = /^(\d{2})\/(\d{2})\/(\d{2}|\d{4}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?:\d+$/.exec(stamp);
  if (!m) return undefined;
  const yy = Number(m[3]);
  // strptime's %y: 69-99 are 1969-1999, 00-68 are 2000-2068.
  const year = m[3]!.length === 4 ? yy : yy < 69 ? 2000 + yy : 1900 + yy;
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  return new Date(year, Number(m[1]) - 1, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]), ms).getTime() / 1000;
}
