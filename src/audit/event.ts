// Stage 3: records -> events. The kernel writes one event as several records
// (AVC, SYSCALL, CWD, PATH, PROCTITLE, ...) sharing one `audit(time:serial)`
// stamp, possibly interleaved with other events. Events are emitted in the
// order of their first record, when complete (EOE) or when they fall out of a
// window of recent stamps, so memory stays bounded on any input size. An
// event that reaches MAX_EVENT_RECORDS records (no kernel event has so many: a
// crafted log repeating one stamp) is emitted then, with every event opened
// before it, and the records that follow with its stamp make a new event.
import { MAX_EVENT_RECORDS } from '../base/limits.js';
import type { AuditRecord } from './record/record.js';

export interface AuditEvent {
  node?: string;
  stamp?: string;
  serial?: number;
  time?: number;
  records: AuditRecord[];
}

/** How many events may be open at once before the oldest is emitted. */
export const DEFAULT_EVENT_WINDOW = 64;

export class EventAssembler {
  private readonly open = new Map<string, AuditEvent & { complete: boolean }>();
  /** Events emitted because they reached the record limit (their stamp's later records make new events). */
  split = 0;

  constructor(
    private readonly emit: (event: AuditEvent) => void,
    private readonly window = DEFAULT_EVENT_WINDOW,
    private readonly maxRecords = MAX_EVENT_RECORDS,
  ) {}

  push(rec: AuditRecord): void {
    if (rec.stamp === undefined) {
      // A bare syslog avc: line has no stamp: it is an event of its own,
      // emitted after everything before it to keep input order.
      this.drain(0);
      this.emit({ records: [rec] });
      return;
    }
    const key = rec.node === undefined ? rec.stamp : `${rec.node}\u0000${rec.stamp}`;
    let ev = this.open.get(key);
    if (ev === undefined) {
      ev = { stamp: rec.stamp, records: [], complete: false };
      if (rec.node !== undefined) ev.node = rec.node;
      if (rec.serial !== undefined) ev.serial = rec.serial;
      if (rec.time !== undefined) ev.time = rec.time;
      this.open.set(key, ev);
    }
    if (rec.type === 'EOE') ev.complete = true;
    else ev.records.push(rec);
    if (ev.records.length >= this.maxRecords) {
      // Emitted now, in order: every event opened before it first.
      this.split++;
      ev.complete = true;
      for (const [k, e] of this.open) {
        if (e === ev) break;
        this.open.delete(k);
        this.emitOpen(e);
      }
    }
    this.drain(this.window);
  }

  /** Emits every open event. */
  flush(): void {
    this.drain(0);
  }

  /** Emits from the oldest while it is complete or the window is over `max`. */
  private drain(max: number): void {
    for (const [key, ev] of this.open) {
      if (!ev.complete && this.open.size <= max) break;
      this.open.delete(key);
      this.emitOpen(ev);
    }
  }

  private emitOpen(ev: AuditEvent & { complete: boolean }): void {
    if (ev.records.length === 0) return;
    const { complete: _complete, ...event } = ev;
    this.emit(event);
  }
}
