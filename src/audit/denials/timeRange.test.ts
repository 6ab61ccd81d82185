import { describe, expect, it } from 'vitest';
import { PortholeError } from '../../base/diagnostic.js';
import { eventTime, inTimeRange, parseTimeRange, TIME_KEYWORDS, timeRange } from './timeRange.js';

// Local times are built with the local Date constructor, so the tests hold in any TZ.
const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number => new Date(y, mo - 1, d, h, mi, s, ms).getTime() / 1000;
// Wednesday 15 November 2023, 14:30:45.250 local.
const NOW = local(2023, 11, 15, 14, 30, 45, 250);
const ctx = { now: NOW * 1000, bootTime: () => NOW - 3600.4 };

const usage = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof PortholeError && e.code === 'usage') return e.message;
    throw e;
  }
  throw new Error('no usage error');
};

describe('parseTimeRange: keywords (as ausearch computes them)', () => {
  const start = (k: string) => parseTimeRange(k, '-t', ctx).since;
  const end = (k: string) => parseTimeRange(`,${k}`, '-t', ctx).until;

  it('gives each keyword its instant as a START', () => {
    expect(start('now')).toBe(Math.floor(NOW));
    expect(start('recent')).toBe(Math.floor(NOW) - 600);
    expect(start('boot')).toBe(Math.floor(NOW) - 3600);
    expect(start('today')).toBe(local(2023, 11, 15));
    expect(start('yesterday')).toBe(local(2023, 11, 14));
    // Sunday is day 0 of the week.
    expect(start('this-week')).toBe(local(2023, 11, 12));
    expect(start('week-ago')).toBe(local(2023, 11, 8));
    expect(start('this-month')).toBe(local(2023, 11, 1));
    expect(start('this-year')).toBe(local(2023, 1, 1));
    expect(TIME_KEYWORDS.every((k) => start(k) !== undefined)).toBe(true);
  });

  it('takes the second an END names, and today as now', () => {
    expect(end('now')).toBe(Math.floor(NOW) + 1);
    expect(end('today')).toBe(Math.floor(NOW) + 1);
    expect(end('yesterday')).toBe(local(2023, 11, 14) + 1);
  });
});

describe('parseTimeRange: dates and times', () => {
  it('reads ISO 8601 in local time, or in the zone it names', () => {
    expect(parseTimeRange('2023-11-14T22:13:20', '-t', ctx)).toEqual({ since: local(2023, 11, 14, 22, 13, 20) });
    expect(parseTimeRange('2023-11-14 22:13', '-t', ctx).since).toBe(local(2023, 11, 14, 22, 13));
    expect(parseTimeRange('2023-11-14T22:13:20Z', '-t', ctx).since).toBe(Date.UTC(2023, 10, 14, 22, 13, 20) / 1000);
    expect(parseTimeRange('2023-11-14T22:13:20+02:00', '-t', ctx).since).toBe(Date.UTC(2023, 10, 14, 20, 13, 20) / 1000);
    expect(parseTimeRange('2023-11-14T22:13:20-0130', '-t', ctx).since).toBe(Date.UTC(2023, 10, 14, 23, 43, 20) / 1000);
    expect(parseTimeRange('2023-11-14T22:13:20.5Z', '-t', ctx).since).toBe(Date.UTC(2023, 10, 14, 22, 13, 20, 500) / 1000);
    // A time alone is today.
    expect(parseTimeRange('09:05', '-t', ctx).since).toBe(local(2023, 11, 15, 9, 5));
    expect(parseTimeRange('@1700000000', '-t', ctx)).toEqual({ since: 1700000000 });
  });

  it('makes an END include all of what it names', () => {
    expect(parseTimeRange(',2023-11-14', '-t', ctx).until).toBe(local(2023, 11, 15));
    expect(parseTimeRange(',2023-11-14T22:13', '-t', ctx).until).toBe(local(2023, 11, 14, 22, 14));
    expect(parseTimeRange(',2023-11-14T22:13:20', '-t', ctx).until).toBe(local(2023, 11, 14, 22, 13, 21));
    expect(parseTimeRange(',@1700000000', '-t', ctx).until).toBe(1700000001);
    expect(parseTimeRange('2023-11-14', '-t', ctx).since).toBe(local(2023, 11, 14));
  });

  it('takes --start and --end apart, either open', () => {
    expect(timeRange('@10', '@20', { start: '--start', end: '--end' }, ctx)).toEqual({ since: 10, until: 21 });
    expect(timeRange(undefined, '@20', '--end', ctx)).toEqual({ until: 21 });
    expect(timeRange(undefined, undefined, '--end', ctx)).toEqual({});
  });
});

describe('parseTimeRange: bad values are usage errors', () => {
  it('names the flag, the value and what is expected', () => {
    const m = usage(() => parseTimeRange('tomorrow', '-t/--time', ctx));
    expect(m).toMatch(/^-t\/--time: invalid time 'tomorrow' \(expected now, recent, boot, .*@EPOCH, or an ISO 8601/);
    for (const bad of [
      '2023-13-01',
      '2023-02-30',
      '2023-11-14T24:00',
      '2023-11-14T22:60',
      '2023-11-14T22:13:61',
      '2023-11-14T22:13+25:00',
      '@-5',
      '@',
      '1700000000',
      'checkpoint',
      ' now',
      'NOW',
      '2023-11-14T',
    ]) {
      expect(
        usage(() => parseTimeRange(bad, '-t', ctx)),
        bad,
      ).toMatch(/invalid time/);
    }
    expect(usage(() => parseTimeRange(',', '-t', ctx))).toMatch(/expected START\[,END\]/);
    expect(usage(() => parseTimeRange('@20,@10', '-t', ctx))).toBe("-t: the time range is empty: '@20' is after '@10'");
    expect(usage(() => timeRange('@20', '@10', { start: '--start', end: '--end' }, ctx))).toMatch(/^--start\/--end: the time range is empty/);
  });

  it('says when boot cannot be known', () => {
    expect(usage(() => parseTimeRange('boot', '-t', { now: NOW * 1000 }))).toMatch(/'boot' needs the host's uptime/);
  });
});

describe('inTimeRange and eventTime', () => {
  it('includes since, excludes until, and keeps undated events', () => {
    const r = { since: 100, until: 200 };
    expect([99.999, 100, 150, 199.999, 200].map((t) => inTimeRange(t, r))).toEqual([false, true, true, true, false]);
    expect(inTimeRange(undefined, r)).toBe(true);
    expect(inTimeRange(5, {})).toBe(true);
  });

  it("reads raw stamps, and ausearch -i's local stamps", () => {
    expect(eventTime({ time: 1700000000.123, stamp: '1700000000.123:5', records: [] })).toBe(1700000000.123);
    expect(eventTime({ stamp: '11/14/23 22:13:20.123:1001', records: [] })).toBe(local(2023, 11, 14, 22, 13, 20, 123));
    expect(eventTime({ stamp: '01/02/99 00:00:01.5:1', records: [] })).toBe(local(1999, 1, 2, 0, 0, 1, 500));
    expect(eventTime({ stamp: 'garbage:1', records: [] })).toBeUndefined();
    expect(eventTime({ records: [] })).toBeUndefined();
  });
});
