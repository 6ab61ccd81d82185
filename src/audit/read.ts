// Composes the stages: sources -> lines -> records -> events, with counts of
// malformed records and optional progress on a terminal.

import { type Diagnostic, diagnostic } from '../base/diagnostic.js';
import { LineSplitter, MAX_LINE_BYTES } from '../base/lines.js';
import { type LogInput, toLogSources } from '../base/source.js';
import { type AuditEvent, DEFAULT_EVENT_WINDOW, EventAssembler } from './event.js';
import { skipToken } from './record/bytes.js';
import { type FastRecords, type LineScanner, TYPE_SKIPPED } from './record/lineScan.js';
import { type AuditRecord, type MalformedRecord, type ParseOptions, parseRecord, SKIPPED } from './record/record.js';

export interface ReadStats {
  lines: number;
  bytes: number;
  records: number;
  malformed: number;
  firstMalformed?: MalformedRecord;
  /** Events cut because they reached MAX_EVENT_RECORDS records (a crafted log repeating one stamp). */
  eventsSplit?: number;
}

export interface ReadOptions extends Partial<ParseOptions> {
  window?: number;
  /** Group records into events by stamp (default); when false each record is an event. */
  group?: boolean;
  /** Called with a progress line (no newline) now and then; '' at the end. */
  progress?: (line: string) => void;
  /** Called for every malformed record (after counting it). */
  onMalformed?: (m: MalformedRecord) => void;
  /**
   * Called after each chunk of input; reading waits for the promise it returns
   * (if any). Output written as events arrive can make the read wait for its
   * reader (a pipe), so that memory does not grow with the output.
   */
  backpressure?: () => Promise<unknown> | undefined;
  /**
   * Records that `decisions` knows by their bytes, given without a record or event (found by the
   * WebAssembly loop of lineScan.ts, without the parser): what onEvent would get for each is a
   * one-record event whose record holds only what FastRecords says. Used only when nothing else
   * of a record is asked for: `decisions` given, `group`, `stamps`, `full` and `keepText` false.
   * @internal
   */
  fast?: FastRecords;
}

/**
 * Reads every source in order and calls `onEvent` for each assembled event,
 * in input order. Events never span sources.
 */
export async function readAuditEvents(input: LogInput | readonly LogInput[], opts: ReadOptions, onEvent: (ev: AuditEvent) => void): Promise<ReadStats> {
  const sources = toLogSources(input);
  const stats: ReadStats = { lines: 0, bytes: 0, records: 0, malformed: 0 };
  const parse: ParseOptions = { full: opts.full ?? true, keepText: opts.keepText ?? false };
  if (opts.keys) parse.keys = opts.keys;
  if (opts.decisions) parse.decisions = opts.decisions;
  if (opts.stamps === false) parse.stamps = false;
  const group = opts.group ?? true;
  const fast = opts.fast;
  const scanner = fast && opts.decisions && !group && opts.stamps === false && !parse.full && !parse.keepText ? opts.decisions.scanner() : undefined;
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
    const lineSink = (buf: Buffer, start: number, end: number, line: number): void => {
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
        // The loop counts this type's records from now on.
        if (scanner !== undefined && r === SKIPPED) teachSkippedType(scanner, buf, start, end);
      }
    };
    const splitter = new LineSplitter(lineSink, (line, bytes) =>
      malformed({ kind: 'malformed', loc: { file, line }, col: 1, reason: `line of ${bytes} bytes is longer than the ${MAX_LINE_BYTES}-byte limit` }),
    );
    const stream = source.open();
    for await (const chunk of stream) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      stats.bytes += b.length;
      if (scanner && fast) {
        // Not `stats.records += ...`: the parser counts the lines it reads during the call.
        const records = scanner.push(b, file, splitter, lineSink, fast);
        stats.records += records;
      } else splitter.push(b);
      const wait = opts.backpressure?.();
      if (wait) await wait;
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
    if (events.split > 0) stats.eventsSplit = (stats.eventsSplit ?? 0) + events.split;
    stats.lines += splitter.line;
  }
  opts.progress?.('');
  return stats;
}

/**
 * The malformed records of a read as one diagnostic, at the first of them
 * (`FILE:LINE:COL: warning[malformed-record]: REASON` and a note with the
 * count); an error with `strict`. Undefined when there were none.
 */
export function malformedDiagnostic(stats: ReadStats, strict = false): Diagnostic | undefined {
  const m = stats.firstMalformed;
  if (!m) return undefined;
  const note =
    stats.malformed === 1 ? 'the record was skipped; the rest of the input was read' : `${stats.malformed} malformed records were skipped, this is the first; the rest of the input was read`;
  return diagnostic(strict ? 'error' : 'warning', 'malformed-record', m.reason, {
    span: { file: m.loc.file, line: m.loc.line, column: m.col },
    notes: [note],
    data: { count: stats.malformed },
  });
}

/**
 * The note that says an input held nothing to work on: how much was read, so
 * that an empty file, a wrong file and a log of another format look different.
 * An error with `strict` (the command then exits 1).
 */
export function noSelinuxRecordsDiagnostic(stats: ReadStats, names: readonly string[], strict = false): Diagnostic {
  const what = stats.lines === 0 ? 'the input is empty' : `${plural(stats.lines, 'line')} read, ${plural(stats.records, 'audit record')} among them, none of them SELinux's`;
  return diagnostic(strict ? 'error' : 'note', 'no-selinux-records', `no SELinux records in ${names.join(', ') || 'the input'}: ${what}`, {
    notes: ['the input should hold AVC, USER_AVC or SELINUX_ERR records (an audit.log, `ausearch` output, syslog, dmesg or journal lines)'],
    data: { lines: stats.lines, records: stats.records, malformed: stats.malformed },
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The type word of a raw record (`type=WORD msg=audit(`) the parser skipped, taught to the loop. */
function teachSkippedType(scanner: LineScanner, buf: Buffer, start: number, end: number): void {
  if (end - start < 6 || buf[start] !== 0x74 || buf.toString('latin1', start, start + 5) !== 'type=') return;
  scanner.teachType(buf.toString('latin1', start + 5, skipToken(buf, start + 5, end)), TYPE_SKIPPED);
}

function single(r: AuditRecord): AuditEvent {
  const ev: AuditEvent = { records: [r] };
  if (r.stamp !== undefined) ev.stamp = r.stamp;
  if (r.serial !== undefined) ev.serial = r.serial;
  if (r.time !== undefined) ev.time = r.time;
  if (r.node !== undefined) ev.node = r.node;
  return ev;
}
