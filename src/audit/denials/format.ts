// Denials -> text: a readable table, or the data of a JSON line with every
// field. Values from the log are shown safely: control bytes escaped in the
// table (`\xHH`); JSON lines are written with jsonLine (src/base/jsonLine.ts).

import { escapeControl } from '../../base/printDiagnostic.js';
import type { Span } from '../../base/span.js';
import { formatContext } from '../../selinux/ir/context.js';
import type { Denial } from '../avc.js';
import { syscallName } from '../syscalls.js';

const loc = (l: Span): string => `${l.file}:${l.line}`;

export function denialToJson(d: Denial): Record<string, unknown> {
  const { scontext, tcontext, loc: at, eventLocs, ...rest } = d;
  return {
    ...rest,
    scontext: formatContext(scontext),
    tcontext: formatContext(tcontext),
    ...(d.syscall?.syscall !== undefined ? { syscallName: syscallName(d.syscall.arch, d.syscall.syscall) } : {}),
    source: scontext.type,
    target: tcontext.type,
    loc: loc(at),
    records: eventLocs.map(loc),
  };
}

export const TABLE_COLUMNS = ['TIME', 'RESULT', 'SOURCE', 'TARGET', 'CLASS', 'PERMS', 'COMM', 'PATH', 'SYSCALL', 'AT'] as const;

/** Local time, as ausearch shows it and as `-t` reads it: `2023-11-14 22:13:20.123`; an `ausearch -i` stamp as printed. */
function time(d: Denial): string {
  if (d.time !== undefined) return localTime(d.time);
  return d.stamp?.slice(0, d.stamp.lastIndexOf(':')) ?? '-';
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

/** The table row of a denial, every cell escaped (control bytes as \xHH). */
export function denialRow(d: Denial): string[] {
  const result = d.denied ? (d.permissive ? 'denied*' : 'denied') : 'granted';
  const perms = d.perms.join(',') + (d.ioctlcmd !== undefined ? ` ioctl=0x${d.ioctlcmd.toString(16)}` : '');
  const sc = syscallName(d.syscall?.arch, d.syscall?.syscall);
  const row = [time(d), result, d.scontext.type, d.tcontext.type, d.tclass, perms, d.comm ?? d.syscall?.comm ?? '-', bestPath(d) ?? '-', sc ?? '-', loc(d.loc)];
  return row.map(escapeControl);
}

/** Aligns rows into columns separated by two spaces; the last column is not padded. */
export function formatTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) for (const [i, c] of r.entries()) widths[i] = Math.max(widths[i] ?? 0, c.length);
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
