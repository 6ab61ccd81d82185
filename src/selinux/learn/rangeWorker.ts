// The worker thread of `allow` on large files (parallel.ts): reads the ranges it is given and
// answers each with its reduction (reduce.ts), or with the error that stopped it.
import { parentPort } from 'node:worker_threads';
import { DecisionMemo } from '../../audit/record/decisions.js';
import { PortholeError } from '../../base/diagnostic.js';
import type { RangeReply, RangeRequest } from './parallel.js';
import { reduceRangeToWire, WireReducer } from './wireReducer.js';

const port = parentPort;
// One memo for every range this worker reads: a decision is parsed once per worker, not per range.
const decisions = new DecisionMemo();
// One reducer for every range: a denial is numbered once, and sent as its number afterwards (wireReducer.ts).
let reducer: WireReducer | undefined;
if (port) {
  port.on('message', (req: RangeRequest) => {
    reducer ??= new WireReducer(req.evidenceLimit);
    // New denials go ahead of the part when asked, for the main thread to analyse while this one reads.
    reducer.onNewDenials = req.previewEvery === undefined ? undefined : (w) => port.postMessage({ preview: w } satisfies RangeReply, [w.newDenials.buffer]);
    if (req.previewEvery !== undefined) reducer.previewEvery = req.previewEvery;
    reduceRangeToWire(req.range, req.read, reducer, decisions).then(
      (wire) => {
        port.postMessage({ part: wire } satisfies RangeReply, [wire.denials.buffer, wire.newDenials.buffer]);
      },
      (e: unknown) => {
        if (e instanceof PortholeError) return port.postMessage({ diagnostics: e.diagnostics } satisfies RangeReply);
        const err = e as NodeJS.ErrnoException;
        const error: Extract<RangeReply, { error: unknown }>['error'] = { message: err?.message ?? String(e) };
        if (err?.code !== undefined) error.code = err.code;
        if (typeof err?.path === 'string') error.path = err.path;
        if (err?.stack !== undefined) error.stack = err.stack;
        port.postMessage({ error } satisfies RangeReply);
      },
    );
  });
}
