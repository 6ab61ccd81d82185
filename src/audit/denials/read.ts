// The `avc` pipeline: every denial (and auditallow grant) of the input with
// its event's context, in input order, optionally only those of a time range
// and only those after the last policy load or audit daemon start (the reset
// rule `allow -l` and `why -l` follow). Not here: formatting (format.ts,
// report.ts).

import { HeldText } from '../../base/heldText.js';
import type { LogInput } from '../../base/source.js';
import { type Denial, toDenials } from '../avc.js';
import { type ReadOptions, type ReadStats, readAuditEvents } from '../read.js';
import { eventTime, inTimeRange, type TimeRange } from './timeRange.js';

export interface ReadDenialsOptions extends TimeRange, Pick<ReadOptions, 'progress' | 'onMalformed' | 'window' | 'backpressure'> {
  /**
   * Only the denials after the last MAC_POLICY_LOAD or DAEMON_START record
   * (in range). They are held until the input ends (in a temporary file past
   * 16 MB), so memory stays bounded.
   */
  lastLoadOnly?: boolean;
}

/**
 * Calls `onDenial` for each denial to show, in input order, with the number of
 * its event (1, 2, ... in the order events are read: denials of one event share
 * it); returns what was read.
 */
export async function readDenials(input: LogInput | readonly LogInput[], opts: ReadDenialsOptions, onDenial: (d: Denial, event: number) => void): Promise<ReadStats> {
  const held = opts.lastLoadOnly ? new HeldText() : undefined;
  const range: TimeRange = {};
  if (opts.since !== undefined) range.since = opts.since;
  if (opts.until !== undefined) range.until = opts.until;
  const ranged = range.since !== undefined || range.until !== undefined;
  const read: ReadOptions = { full: true };
  if (opts.progress) read.progress = opts.progress;
  if (opts.onMalformed) read.onMalformed = opts.onMalformed;
  if (opts.window !== undefined) read.window = opts.window;
  if (opts.backpressure) read.backpressure = opts.backpressure;
  try {
    let events = 0;
    const stats = await readAuditEvents(input, read, (event) => {
      events++;
      if (ranged && !inTimeRange(eventTime(event), range)) return;
      if (held && event.records.some((r) => r.type === 'MAC_POLICY_LOAD' || r.type === 'DAEMON_START')) held.clear();
      for (const d of toDenials(event)) {
        // One JSON line per held denial (JSON escapes newlines): plain data, read back as it was.
        if (held) held.push(`${JSON.stringify([events, d])}\n`);
        else onDenial(d, events);
      }
    });
    if (held) {
      let partial = '';
      held.drain((text) => {
        const lines = (partial + text).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          const [event, d] = JSON.parse(line) as [number, Denial];
          onDenial(d, event);
        }
      });
    }
    return stats;
  } finally {
    held?.close();
  }
}
