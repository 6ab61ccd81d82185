// `avc`'s whole report: the denials of the input as a table or as JSON lines,
// streamed, and a summary of what was shown and read. The command line only
// picks the inputs and the options and prints (src/cli/avc.ts).

import { type Diagnostic, diagnostic } from '../../base/diagnostic.js';
import { jsonLine } from '../../base/jsonLine.js';
import { type LogInput, toLogSources } from '../../base/source.js';
import type { Span } from '../../base/span.js';
import type { ReadStats } from '../read.js';
import { denialRow, denialToJson, formatTable, showableTime, TABLE_COLUMNS, type TableOptions } from './format.js';
import { type ReadDenialsOptions, readDenials } from './read.js';

/**
 * `table`: aligned columns, cells escaped and cut (TableOptions). `json`: one
 * JSON line per denial; the first denial of an event lists the event's
 * records, every denial names its event by number (`event`).
 */
export interface DenialReportOptions extends ReadDenialsOptions, TableOptions {
  format: 'table' | 'json';
}

/** What a report showed and read. */
export interface DenialSummary {
  /** Denied records shown (permissive ones included). */
  denials: number;
  /** `avc: granted` (auditallow) records shown. */
  granted: number;
  /** Distinct (source type, target type, class) among the records shown. */
  triples: number;
  /** Inputs read. */
  files: number;
  /** What the reader saw, malformed records included. */
  stats: ReadStats;
  /** Denials shown whose time stamp is outside the dates a Date can show (shown raw), and where the first is. */
  timeOutOfRange: number;
  firstTimeOutOfRange?: Span;
}

/** Table rows are aligned in blocks, so that output streams. */
const TABLE_BLOCK = 500;

/** Writes the report of the input through `write`, in pieces; returns its summary. */
export async function writeDenialReport(input: LogInput | readonly LogInput[], opts: DenialReportOptions, write: (text: string) => void): Promise<DenialSummary> {
  const sources = toLogSources(input);
  let rows: string[][] = [[...TABLE_COLUMNS]];
  let denials = 0;
  let granted = 0;
  const triples = new Set<string>();
  let lastEvent = 0;
  let timeOutOfRange = 0;
  let firstTimeOutOfRange: Span | undefined;
  const table: TableOptions = { ...(opts.raw ? { raw: true } : {}), ...(opts.wide ? { wide: true } : {}) };
  const stats = await readDenials(sources, opts, (d, event) => {
    if (d.denied) denials++;
    else granted++;
    triples.add(`${d.scontext.type}\u0000${d.tcontext.type}\u0000${d.tclass}`);
    if (d.time !== undefined && !showableTime(d.time)) {
      timeOutOfRange++;
      firstTimeOutOfRange ??= d.loc;
    }
    if (opts.format === 'json') {
      write(jsonLine(denialToJson(d, { event, first: event !== lastEvent })));
      lastEvent = event;
      return;
    }
    rows.push(denialRow(d, table));
    if (rows.length >= TABLE_BLOCK) {
      write(formatTable(rows));
      rows = [];
    }
  });
  if (opts.format === 'table' && rows.length > 0) write(formatTable(rows));
  const summary: DenialSummary = { denials, granted, triples: triples.size, files: sources.length, stats, timeOutOfRange };
  if (firstTimeOutOfRange) summary.firstTimeOutOfRange = firstTimeOutOfRange;
  return summary;
}

/** The warning for denials whose time cannot be shown as a date, at the first of them; undefined when there were none. */
export function timeOutOfRangeDiagnostic(s: DenialSummary): Diagnostic | undefined {
  if (s.timeOutOfRange === 0) return undefined;
  return diagnostic('warning', 'time-out-of-range', 'the time stamp is outside the dates that can be shown: the raw stamp is shown', {
    ...(s.firstTimeOutOfRange ? { span: s.firstTimeOutOfRange } : {}),
    notes: [s.timeOutOfRange === 1 ? 'the denial is shown' : `${s.timeOutOfRange} denials have such a stamp, this is the first; they are shown`],
    data: { count: s.timeOutOfRange },
  });
}

/**
 * The summary line (no newline), stable for scripts:
 * `avc summary: denials=N granted=N triples=N files=N malformed=N`.
 */
export function formatDenialSummary(s: DenialSummary): string {
  return `avc summary: denials=${s.denials} granted=${s.granted} triples=${s.triples} files=${s.files} malformed=${s.stats.malformed}`;
}

/** The summary as data, for `--json`. */
export function denialSummaryJson(s: DenialSummary): Record<string, number> {
  return { denials: s.denials, granted: s.granted, triples: s.triples, files: s.files, malformed: s.stats.malformed };
}
