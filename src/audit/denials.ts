// The `avc` pipeline: every denial of the input with its event's context.

import type { LogSource } from '../base/source.js';
import { type Denial, toDenials } from './avc.js';
import { type ReadOptions, type ReadStats, readAuditEvents } from './read.js';

export async function readDenials(sources: LogSource[], opts: ReadOptions, onDenial: (d: Denial) => void): Promise<ReadStats> {
  return readAuditEvents(sources, { ...opts, full: true }, (event) => {
    for (const d of toDenials(event)) onDenial(d);
  });
}
