// Composes the stages: sources -> lines -> records -> events, with counts of
// malformed records and optional progress on a terminal.

import { type Diagnostic, diagnostic } from '../base/diagnostic.js';
import { LineSplitter, MAX_LINE_BYTES } from '../base/lines.js';
import { escapeControl } from '../base/printDiagnostic.js';
import type { LogSource } from '../base/source.js';
import { type AuditEvent, DEFAULT_EVENT_WINDOW, EventAssembler } from './event.js';
import { type AuditRecord, type MalformedRecord, type ParseOptions, parseRecord } from './record.js';

export interface ReadStats {
  lines: number;
  bytes: number;
  records: number;
  malformed: number;
  firstMalformed?: MalformedRecord;
}

export interface ReadOptions extends Partial<ParseOptions> {
  window?: number;
  /** Group records into events by stamp (default); when false each record is an event. */
  group?: boolean;
  /** Called with a progress line (no newline) now and then; '' at the end. */
  progress?: (line: string) => void;
  /** Called for every malformed record (after counting it). */
  onMalformed?: (m: MalformedRecord) => void;
}

/**
 * Reads every source in order and calls `onEvent` for each assembled event,
 * in input order. Events never span sources.
 */
export async function readAuditEvents(sources: LogSource[], opts: ReadOptions, onEvent: (ev: AuditEvent) => void): Promise<ReadStats> {
  const stats: ReadStats = { lines: 0, bytes: 0, records: 0, malformed: 0 };
  const parse: ParseOptions = { full: opts.full ?? true, keepText: opts.keepText ?? false };
  if (opts.keys) parse.keys = opts.keys;
  if (opts.decisions) parse.decisions = opts.decisions;
  const group = opts.group ?? true;
  const malformed = (m: MalformedRecord): void => {
    stats.malformed++;
    stats.firstMalformed ??= m;
    opts.onMalformed?.(m);
  };
  const total = sources.reduce((n, s) => n + (s.size ?? 0), 0);
  let lastProgress = 0;
  for (const source of sources) {
    const events = new EventAssembler(onEvent, opts.window ?? DEFAULT_EVENT_WINDOW);
    const file = source.name;
    const loc = { file, line: 0 };
    const splitter = new LineSplitter(
      (buf, start, end, line) => {
        loc.line = line;
        const r = parseRecord(buf, start, end, loc, parse);
        if (r === null) return;
        if (r.kind === 'record') {
          stats.records++;
          if (group) events.push(r as AuditRecord);
          else onEvent(single(r as AuditRecord));
        } else if (r.kind === 'malformed') {
          malformed(r);
        } else {
          stats.records++;
        }
      },
      (line, bytes) => malformed({ kind: 'malformed', loc: { file, line }, col: 1, reason: `line of ${bytes} bytes is longer than the ${MAX_LINE_BYTES}-byte limit` }),
    );
    const stream = source.open();
    for await (const chunk of stream) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      stats.bytes += b.length;
      splitter.push(b);
      if (opts.progress) {
        const now = Date.now();
        if (now - lastProgress > 250) {
          lastProgress = now;
          const mb = (stats.bytes / 1e6).toFixed(0);
          opts.progress(total > 0 ? `reading ${file}: ${mb} of ${(total / 1e6).toFixed(0)} MB (${Math.floor((100 * stats.bytes) / total)}%)` : `reading ${file}: ${mb} MB`);
        }
      }
    }
    splitter.end();
    events.flush();
    stats.lines += splitter.line;
  }
  opts.progress?.('');
  return stats;
}

/** `skipped N malformed records; first at FILE:LINE:COL: REASON`, control bytes escaped (the reason quotes the log). */
export function describeMalformed(stats: ReadStats): string | undefined {
  const m = stats.firstMalformed;
  if (!m) return undefined;
  const what = stats.malformed === 1 ? 'record' : 'records';
  return escapeControl(`skipped ${stats.malformed} malformed ${what}; first at ${m.loc.file}:${m.loc.line}:${m.col}: ${m.reason}`);
}

/** The malformed records as one diagnostic at the first of them (for `--json`), or undefined when there were none. */
export function malformedDiagnostic(stats: ReadStats, severity: 'error' | 'warning'): Diagnostic | undefined {
  const m = stats.firstMalformed;
  if (!m) return undefined;
  const what = stats.malformed === 1 ? 'record' : 'records';
  return diagnostic(severity, 'malformed-record', m.reason, {
    span: { file: m.loc.file, line: m.loc.line, column: m.col },
    notes: [`skipped ${stats.malformed} malformed ${what}; this is the first`],
    data: { count: stats.malformed },
  });
}

function single(r: AuditRecord): AuditEvent {
  const ev: AuditEvent = { records: [r] };
  if (r.stamp !== undefined) ev.stamp = r.stamp;
  if (r.serial !== undefined) ev.serial = r.serial;
  if (r.time !== undefined) ev.time = r.time;
  if (r.node !== undefined) ev.node = r.node;
  return ev;
}
