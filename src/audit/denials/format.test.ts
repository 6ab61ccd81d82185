import { describe, expect, it } from 'vitest';
import type { Denial } from '../avc.js';
import { cutCell, denialRow, denialToJson, formatTable, localTime, showableTime } from './format.js';

const denial = (over: Partial<Denial> = {}): Denial => ({
  record: 'AVC',
  denied: true,
  permissive: false,
  scontext: { user: 'u', role: 'r', type: 'a_t', level: 's0' },
  tcontext: { user: 'u', role: 'object_r', type: 'b_t', level: 's0' },
  tclass: 'file',
  perms: ['read', 'ioctl'],
  ioctlcmd: 0x541b,
  header: 'audit(1700000000.123:5):',
  loc: { file: 'a.log', line: 3 },
  eventLocs: [
    { file: 'a.log', line: 2 },
    { file: 'a.log', line: 3 },
  ],
  time: 1700000000.123,
  ...over,
});

describe('denialRow', () => {
  it('shows local time, the result, the names and where', () => {
    expect(denialRow(denial({ comm: 'app', path: '/etc/x' }))).toEqual([localTime(1700000000.123), 'denied', 'a_t', 'b_t', 'file', 'read,ioctl ioctl=0x541b', 'app', '/etc/x', '-', 'a.log:3']);
    expect(denialRow(denial({ permissive: true }))[1]).toBe('denied*');
    expect(denialRow(denial({ denied: false }))[1]).toBe('granted');
  });

  it('escapes control bytes from the log', () => {
    const row = denialRow(denial({ comm: 'a\u001b[2Jb', path: '/tmp/x\ny\u009b' }));
    expect(row[6]).toBe('a\\x1b[2Jb');
    expect(row[7]).toBe('/tmp/x\\x0ay\\x9b');
    expect(formatTable([row]).split('\n')).toHaveLength(2);
  });

  it('shows the stamp of ausearch -i records as printed', () => {
    expect(denialRow(denial({ time: undefined, stamp: '11/14/23 22:13:20.123:1001' }))[0]).toBe('11/14/23 22:13:20.123');
  });
});

describe('localTime', () => {
  it('is the local date and time to the millisecond', () => {
    const t = new Date(2023, 10, 14, 9, 5, 7, 42).getTime() / 1000;
    expect(localTime(t)).toBe('2023-11-14 09:05:07.042');
  });
});

describe('denialToJson', () => {
  it('writes contexts as text and locations as FILE:LINE', () => {
    const j = denialToJson(denial());
    expect(j).toMatchObject({ scontext: 'u:r:a_t:s0', tcontext: 'u:object_r:b_t:s0', source: 'a_t', target: 'b_t', loc: 'a.log:3', records: ['a.log:2', 'a.log:3'] });
  });
});

describe('bounded output', () => {
  it('lists the records of an event on its first denial only, and at most 1024 of them', () => {
    const many = Array.from({ length: 1030 }, (_, i) => ({ file: 'a.log', line: i + 1 }));
    const first = denialToJson(denial({ eventLocs: many }), { event: 7, first: true });
    expect(first.event).toBe(7);
    expect(first.records).toHaveLength(1024);
    expect(first.recordsOmitted).toBe(6);
    const next = denialToJson(denial({ eventLocs: many }), { event: 7, first: false });
    expect(next.event).toBe(7);
    expect(next).not.toHaveProperty('records');
    expect(next).not.toHaveProperty('recordsOmitted');
  });

  it('cuts long cells with a marker unless wide, and pads no column past the cut', () => {
    const long = 'x'.repeat(1000);
    const row = denialRow(denial({ comm: long }));
    expect(row[6]).toBe(`${'x'.repeat(63)}…`);
    expect(denialRow(denial({ comm: long }), { wide: true })[6]).toBe(long);
    const table = formatTable([denialRow(denial({ comm: long }), { wide: true }), denialRow(denial())]);
    expect(table.length).toBeLessThan(1300);
    expect(cutCell('a'.repeat(62) + '\u{1f600}x')).toBe(`${'a'.repeat(62)}…`);
  });

  it('prints cells as the log has them with raw', () => {
    expect(denialRow(denial({ comm: 'a\u001bb' }), { raw: true })[6]).toBe('a\u001bb');
  });
});

describe('times past the dates a Date holds', () => {
  it('are shown as the raw stamp', () => {
    expect(showableTime(1700000000)).toBe(true);
    expect(showableTime(1e17)).toBe(false);
    expect(denialRow(denial({ time: 1e17, stamp: '99999999999999999.100:10' }))[0]).toBe('99999999999999999.100');
  });
});
