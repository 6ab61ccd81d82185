// Stage 3: records -> events. The kernel writes one event as several records
// (AVC, SYSCALL, CWD, PATH, PROCTITLE, ...) sharing one `audit(time:serial)`
// stamp, possibly interleaved with other events. Events are emitted in the
// order of their first record, when complete (EOE) or when they fall out of a
// window of recent stamps, so memory stays bounded on any input size.
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

  constructor(
    private readonly emit: (event: AuditEvent) => void,
    private readonly window = DEFAULT_EVENT_WINDOW,
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
      if (ev.records.length > 0) {
        const { complete: _complete, ...event } = ev;
        this.emit(event);
      }
    }
  }
}
