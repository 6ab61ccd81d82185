// Denials -> text: a readable table, or the data of a JSON line with every
// field. Values from the log are shown safely: control bytes escaped in the
// table (`\xHH`); JSON lines are written with jsonLine (src/base/jsonLine.ts).

import { CUT_MARK, MAX_CELL_WIDTH, MAX_EVENT_RECORDS } from '../../base/limits.js';
import { escapeControl } from '../../base/printDiagnostic.js';
import type { Span } from '../../base/span.js';
import { formatContext } from '../../selinux/ir/context.js';
import type { Denial } from '../avc.js';
import { syscallName } from '../syscalls.js';

const loc = (l: Span): string => `${l.file}:${l.line}`;

/**
 * Where a denial's event is, for `avc --json`: its number (the same for every
 * denial of the event), and whether this denial is the event's first, which
 * alone lists the event's records.
 */
export interface DenialEvent {
  event: number;
  first: boolean;
}

/**
 * A denial as JSON data. `records` lists where the event's records are (at most
 * MAX_EVENT_RECORDS of them, the rest counted in `recordsOmitted`); given `at`,
 * only the event's first denial lists them and every denial carries `event`.
 */
export function denialToJson(d: Denial, at?: DenialEvent): Record<string, unknown> {
  const { scontext, tcontext, loc: where, eventLocs, ...rest } = d;
  const records = at === undefined || at.first ? eventLocs.slice(0, MAX_EVENT_RECORDS).map(loc) : undefined;
  return {
    ...rest,
    scontext: formatContext(scontext),
    tcontext: formatContext(tcontext),
    ...(d.syscall?.syscall !== undefined ? { syscallName: syscallName(d.syscall.arch, d.syscall.syscall) } : {}),
    source: scontext.type,
    target: tcontext.type,
    loc: loc(where),
    ...(at !== undefined ? { event: at.event } : {}),
    ...(records !== undefined ? { records } : {}),
    ...(records !== undefined && eventLocs.length > records.length ? { recordsOmitted: eventLocs.length - records.length } : {}),
  };
}

export const TABLE_COLUMNS = ['TIME', 'RESULT', 'SOURCE', 'TARGET', 'CLASS', 'PERMS', 'COMM', 'PATH', 'SYSCALL', 'AT'] as const;

/** Local time, as ausearch shows it and as `-t` reads it: `2023-11-14 22:13:20.123`; an `ausearch -i` stamp as printed. */
function time(d: Denial): string {
  // A stamp past the dates a Date can hold (±8.64e15 ms) is shown raw, like ausearch -i's (counted by report.ts).
  if (d.time !== undefined && showableTime(d.time)) return localTime(d.time);
  return d.stamp?.slice(0, d.stamp.lastIndexOf(':')) ?? '-';
}

/** Whether a time (seconds since the epoch) is within the dates a JavaScript Date can show. */
export function showableTime(seconds: number): boolean {
  return Number.isFinite(seconds) && Math.abs(seconds * 1000) <= 8.64e15;
}

export function localTime(seconds: number): string {
  const t = new Date(Math.round(seconds * 1000));
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}.${p(t.getMilliseconds(), 3)}`;
}

/** The path as well as the records tell it: AVC path=, then PATH name= (made absolute with cwd), then name=. */
export function bestPath(d: Denial): string | undefined {
  if (d.path !== undefined) return d.path;
  if (d.avcPath !== undefined) return d.avcPath;
  const p = d.paths?.[d.paths.length - 1];
  if (p !== undefined) return p.startsWith('/') || d.cwd === undefined ? p : `${d.cwd.replace(/\/$/, '')}/${p}`;
  return d.name;
}

export interface TableOptions {
  /** Cells as the log has them: control bytes not escaped (`avc --raw`). */
  raw?: boolean;
  /** Cells whole, however long (`avc --wide`); columns are still padded to MAX_CELL_WIDTH at most. */
  wide?: boolean;
}

/** The table row of a denial, every cell escaped (control bytes as \xHH) and cut to MAX_CELL_WIDTH, unless the options say otherwise. */
export function denialRow(d: Denial, opts: TableOptions = {}): string[] {
  const result = d.denied ? (d.permissive ? 'denied*' : 'denied') : 'granted';
  const perms = d.perms.join(',') + (d.ioctlcmd !== undefined ? ` ioctl=0x${d.ioctlcmd.toString(16)}` : '');
  const sc = syscallName(d.syscall?.arch, d.syscall?.syscall);
  const row = [time(d), result, d.scontext.type, d.tcontext.type, d.tclass, perms, d.comm ?? d.syscall?.comm ?? '-', bestPath(d) ?? '-', sc ?? '-', loc(d.loc)];
  return row.map((c) => {
    const cell = opts.raw ? c : escapeControl(c);
    return opts.wide ? cell : cutCell(cell);
  });
}

/** The cell, or its first characters and CUT_MARK when it is longer than MAX_CELL_WIDTH. */
export function cutCell(cell: string): string {
  if (cell.length <= MAX_CELL_WIDTH) return cell;
  let head = cell.slice(0, MAX_CELL_WIDTH - CUT_MARK.length);
  // Never half a surrogate pair.
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  return head + CUT_MARK;
}

/**
 * Aligns rows into columns separated by two spaces; the last column is not
 * padded, and no column is padded past MAX_CELL_WIDTH (a longer cell, under
 * `--wide`, pushes its row's later cells right: output stays in proportion to input).
 */
export function formatTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) for (const [i, c] of r.entries()) widths[i] = Math.min(MAX_CELL_WIDTH, Math.max(widths[i] ?? 0, c.length));
  return rows
    .map(
      (r) =>
        r
          .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
          .join('  ')
          .trimEnd() + '\n',
    )
    .join('');
}
