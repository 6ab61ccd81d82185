// Sources -> Kubernetes audit events, streamed. A source is JSON (one Event
// per line, or Events, Lists, EventLists and Cloud Logging entries written
// one after another, compact or pretty-printed, or a JSON array of them) or
// YAML (documents separated by `---`), told apart by its first character.
// A line that holds a whole JSON object is parsed alone (the fast path);
// other lines are gathered until their brackets balance. An entry that does
// not parse, or is not an audit Event, is counted and the first is reported
// with its file and line; the rest of the input is still read. Memory holds
// one chunk and one entry at a time.
import { parseDocument } from 'yaml';
import { type Diagnostic, diagnostic } from '../../base/diagnostic.js';
import { LineSplitter } from '../../base/lines.js';
import { type LogInput, toLogSources } from '../../base/source.js';
import type { Span } from '../../base/span.js';
import { cloudEntryToEvent, isCloudLoggingEntry } from './cloudLogging.js';
import { decodeValue, type KubeAuditEvent, toAuditEvent } from './event.js';

export interface KubeReadStats {
  sources: number;
  bytes: number;
  events: number;
  malformed: number;
  firstMalformed?: { span: Span; reason: string } | undefined;
}

export interface ReadKubeEventsOptions {
  /** Called for every malformed entry (after counting it). */
  onMalformed?: (span: Span, reason: string) => void;
  /** Called with a progress line now and then; '' at the end. */
  progress?: (line: string) => void;
}

/** Reads every source in order and calls `onEvent` for each audit Event, with where it starts. */
export async function readKubeEvents(input: LogInput | readonly LogInput[], onEvent: (event: KubeAuditEvent, span: Span) => void, opts: ReadKubeEventsOptions = {}): Promise<KubeReadStats> {
  const stats: KubeReadStats = { sources: 0, bytes: 0, events: 0, malformed: 0 };
  const malformed = (span: Span, reason: string): void => {
    stats.malformed++;
    if (!stats.firstMalformed) stats.firstMalformed = { span, reason };
    opts.onMalformed?.(span, reason);
  };
  let lastProgress = 0;
  for (const source of toLogSources(input)) {
    stats.sources++;
    const file = source.name;
    const take = (value: unknown, line: number): void => {
      const span = { file, line };
      const top = (v: unknown, inList: boolean): void => {
        if (v !== null && typeof v === 'object' && !Array.isArray(v) && isCloudLoggingEntry(v as Record<string, unknown>)) {
          const e = cloudEntryToEvent(v as Record<string, unknown>);
          if (typeof e === 'string') malformed(span, e);
          else {
            stats.events++;
            onEvent(e, span);
          }
          return;
        }
        const e = toAuditEvent(v, inList);
        if (typeof e === 'string') malformed(span, e);
        else {
          stats.events++;
          onEvent(e, span);
        }
      };
      if (Array.isArray(value)) {
        for (const v of value) top(v, false);
        return;
      }
      const d = decodeValue(value);
      if ('error' in d) {
        malformed(span, d.error);
        return;
      }
      const inList = d.events.length !== 1 || d.events[0] !== value;
      for (const v of d.events) top(v, inList);
    };
    const reader = new EntryReader(take, (line, reason) => malformed({ file, line }, reason));
    for await (const chunk of source.open()) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      stats.bytes += buf.length;
      reader.push(buf);
      if (opts.progress && stats.bytes - lastProgress > 64 * 1024 * 1024) {
        lastProgress = stats.bytes;
        opts.progress(`${file}: ${(stats.bytes / 1048576).toFixed(0)} MiB, ${stats.events} events`);
      }
    }
    reader.end();
  }
  opts.progress?.('');
  return stats;
}

/** The diagnostic for the malformed entries of a read (warning; error with --strict). */
export function malformedEventDiagnostic(stats: KubeReadStats, strict = false): Diagnostic | undefined {
  const m = stats.firstMalformed;
  if (!m) return undefined;
  const note = stats.malformed === 1 ? 'the entry was skipped; the rest of the input was read' : `${stats.malformed} malformed entries were skipped, this is the first; the rest of the input was read`;
  return diagnostic(strict ? 'error' : 'warning', 'malformed-event', m.reason, { span: m.span, notes: [note], data: { count: stats.malformed } });
}

type Mode = 'unknown' | 'json' | 'yaml';

/** Lines -> parsed values (JSON or YAML), with the line each starts on. */
class EntryReader {
  private mode: Mode = 'unknown';
  private readonly lines: LineSplitter;
  // JSON: a value spread over lines, and the bracket scanner's state.
  private pending: string[] = [];
  private pendingLine = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  // YAML: the lines of the current document.
  private doc: string[] = [];
  private docLine = 0;

  constructor(
    private readonly take: (value: unknown, line: number) => void,
    private readonly bad: (line: number, reason: string) => void,
  ) {
    this.lines = new LineSplitter(
      (buf, start, end, line) => this.line(buf, start, end, line),
      (line, bytes) => this.bad(line, `an entry of ${bytes} bytes, over the limit`),
    );
  }

  push(buf: Buffer): void {
    this.lines.push(buf);
  }

  end(): void {
    this.lines.end();
    if (this.pending.length > 0) this.bad(this.pendingLine, 'the input ends inside a JSON value');
    this.pending = [];
    if (this.doc.length > 0) this.flushYaml();
  }

  private line(buf: Buffer, start: number, end: number, line: number): void {
    if (this.mode === 'unknown') {
      let i = start;
      while (i < end && (buf[i] === 32 || buf[i] === 9 || buf[i] === 13)) i++;
      if (i === end) return;
      if (buf[i] === 0xef && buf[i + 1] === 0xbb && buf[i + 2] === 0xbf) start = i += 3;
      this.mode = buf[i] === 0x7b || buf[i] === 0x5b ? 'json' : 'yaml';
    }
    if (this.mode === 'yaml') {
      this.yamlLine(buf.toString('utf8', start, end), line);
      return;
    }
    // Fast path: a line that is one whole object.
    if (this.pending.length === 0 && buf[start] === 0x7b && buf[end - 1] === 0x7d) {
      const text = buf.toString('utf8', start, end);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        this.scan(text, line);
        return;
      }
      this.take(value, line);
      return;
    }
    this.scan(buf.toString('utf8', start, end), line);
  }

  /** Feeds a line to the bracket scanner; complete values are parsed. */
  private scan(text: string, line: number): void {
    // A line that starts an object at column 0 while one is open: the open one was cut short.
    if (this.pending.length > 0 && (text.startsWith('{"') || text === '{') && this.depth > 0 && !this.inString) {
      this.bad(this.pendingLine, 'a JSON value that does not end (cut short?)');
      this.reset();
    }
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92) this.escaped = true;
        else if (c === 34) this.inString = false;
        continue;
      }
      if (this.depth === 0) {
        if (c === 32 || c === 9 || c === 13 || c === 44) {
          from = i + 1;
          continue;
        }
        if (c !== 123 && c !== 91) {
          this.bad(line, `not JSON: unexpected ${JSON.stringify(text[i])} at column ${i + 1}`);
          return;
        }
        from = i;
        this.pendingLine = line;
      }
      if (c === 34) this.inString = true;
      else if (c === 123 || c === 91) this.depth++;
      else if (c === 125 || c === 93) {
        this.depth--;
        if (this.depth === 0) {
          this.pending.push(text.slice(from, i + 1));
          const whole = this.pending.join('\n');
          const startLine = this.pendingLine;
          this.reset();
          let value: unknown;
          try {
            value = JSON.parse(whole);
          } catch (e) {
            this.bad(startLine, `not JSON: ${(e as Error).message}`);
            from = i + 1;
            continue;
          }
          this.take(value, startLine);
          from = i + 1;
        }
      }
    }
    if (this.depth > 0 || this.inString) this.pending.push(text.slice(from));
  }

  private reset(): void {
    this.pending = [];
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }

  private yamlLine(text: string, line: number): void {
    if (/^---(\s|$)/.test(text) || /^\.\.\.(\s|$)/.test(text)) {
      this.flushYaml();
      this.docLine = line + 1;
      return;
    }
    if (this.doc.length === 0) this.docLine = line;
    this.doc.push(text);
  }

  private flushYaml(): void {
    const lines = this.doc;
    this.doc = [];
    if (lines.every((l) => /^\s*(#.*)?$/.test(l))) return;
    const doc = parseDocument(lines.join('\n'), { version: '1.1', prettyErrors: false });
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const at = e.linePos?.[0]?.line ?? 1;
      this.bad(this.docLine + at - 1, `not YAML: ${e.message.split('\n')[0]}`);
      return;
    }
    this.take(doc.toJS(), this.docLine);
  }
}
