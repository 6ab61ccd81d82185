// The reading loop of `allow`: records in input order to what audit2allow keeps (denials, repeats
// of memoised decisions, invalid contexts, resets at policy loads), fed to a sink: the module
// learner, or the reducer of a range read by a worker thread.
import { type Denial, toDenials } from '../../audit/avc.js';
import { type ReadStats, readAuditEvents } from '../../audit/read.js';
import { WordMatcher } from '../../audit/record/bytes.js';
import { DecisionMemo } from '../../audit/record/decisions.js';
import type { AuditRecord, InvalidContextMessage } from '../../audit/record/record.js';
import type { LogSource } from '../../base/source.js';
import type { Span } from '../../base/span.js';
import type { ExplainLevel } from './learn.js';

/** The options of the reading loop: which records count, and how they are read. */
export interface ReadDenialsOptions {
  /** Explanations (-v/-e) need the records' text, stamps and AVC_PATH paths. */
  explain?: ExplainLevel;
  /** Only what follows the last policy load or audit daemon start (audit2allow -l). */
  lastLoadOnly?: boolean;
  /** Only events at or after this time, in seconds since the epoch (audit2allow -b). */
  since?: number;
  progress?: (line: string) => void;
  /** The memo of decisions to use (without explanations), when it outlives this read (reduce.ts). @internal */
  decisions?: DecisionMemo;
}

/** The fields `allow` reads. */
const DECISION_KEYS_LIST = ['scontext', 'tcontext', 'tclass', 'permissive', 'ioctlcmd', 'op', 'invalid_context', 'path'];
const DECISION_KEYS = new WordMatcher(DECISION_KEYS_LIST);
const EXPLAIN_KEYS = new WordMatcher([...DECISION_KEYS_LIST, 'comm', 'exe', 'name']);

const SELINUX_RECORDS = new Set(['AVC', 'USER_AVC', 'AVC_PATH', 'MAC_POLICY_LOAD', 'DAEMON_START']);

/**
 * audit2allow -v/-e show the path of an AVC_PATH record of the same event.
 * Records are fed to the learner in line order (so -e lists messages as the
 * log has them), and paths are attached afterwards to the denials of recent
 * stamps, since AVC_PATH may come after its AVC.
 */
class AvcPaths {
  private readonly recent = new Map<string, { path?: string; denials: Denial[] }>();

  constructor(private readonly window = 64) {}

  private entry(r: AuditRecord): { path?: string; denials: Denial[] } | undefined {
    if (r.stamp === undefined) return undefined;
    const key = r.node === undefined ? r.stamp : `${r.node}\u0000${r.stamp}`;
    let e = this.recent.get(key);
    if (e === undefined) {
      this.recent.set(key, (e = { denials: [] }));
      if (this.recent.size > this.window) this.recent.delete(this.recent.keys().next().value!);
    }
    return e;
  }

  denial(r: AuditRecord, d: Denial): void {
    const e = this.entry(r);
    if (e === undefined) return;
    if (e.path !== undefined) d.avcPath = e.path;
    e.denials.push(d);
  }

  path(r: AuditRecord): void {
    const e = this.entry(r);
    const path = r.fields.path;
    if (e === undefined || path === undefined) return;
    e.path = path;
    for (const d of e.denials) d.avcPath = path;
  }
}

/** What the reading loop feeds: a ModuleLearner, or the reducer of a range read in a worker (reduce.ts). */
export interface DenialSink {
  /** Forgets everything (a policy reload with `-l`). */
  reset(): void;
  /** One more denial of a memoised decision already added, at `file`:`line`; false when it is new (then addDenial). */
  addRepeat(decisionId: number, file: string, line: number): boolean;
  addDenial(d: Denial): void;
  addInvalidContext(m: InvalidContextMessage, loc: Span): void;
}

/**
 * Reads the sources and feeds what audit2allow keeps to `sink`, in input order: denials, repeats
 * of memoised decisions, invalid contexts, resets at policy loads (with `lastLoadOnly`). Returns
 * the read's counts and whether any SELinux record was seen since the last reset.
 */
export async function readDenials(sources: readonly LogSource[], opts: ReadDenialsOptions, sink: DenialSink): Promise<{ stats: ReadStats; sawSelinux: boolean }> {
  const explain = (opts.explain ?? 'none') !== 'none';
  const paths = explain ? new AvcPaths() : undefined;
  let sawSelinux = false;
  const stats = await readAuditEvents(
    sources,
    {
      full: false,
      keepText: opts.explain === 'long',
      group: false,
      // Stamps are needed for AVC_PATH paths and -e's headers (-v/-e) and for -b's times.
      stamps: explain || opts.since !== undefined,
      keys: explain ? EXPLAIN_KEYS : DECISION_KEYS,
      // Without explanations only the decision matters: recognise repeats by their bytes.
      ...(explain ? {} : { decisions: opts.decisions ?? new DecisionMemo() }),
      ...(opts.progress ? { progress: opts.progress } : {}),
      // Records found without the parser (read.ts): as the cases below.
      fast: {
        repeat: (decisionId, file, line) => {
          sawSelinux = true;
          return sink.addRepeat(decisionId, file, line);
        },
        invalidContext: (m, file, line) => {
          sink.addInvalidContext(m, { file, line });
          sawSelinux = true;
        },
        load: () => {
          sawSelinux = true;
          if (opts.lastLoadOnly) {
            sink.reset();
            sawSelinux = false;
          }
        },
        grant: () => {
          sawSelinux = true;
        },
      },
      onMalformed: (m) => {
        if (m.type === undefined || SELINUX_RECORDS.has(m.type) || m.type === 'SELINUX_ERR') sawSelinux = true;
      },
    },
    (event) => {
      if (opts.since !== undefined && event.time !== undefined && event.time < opts.since) return;
      for (const r of event.records) {
        switch (r.type) {
          case 'MAC_POLICY_LOAD':
          case 'DAEMON_START':
            sawSelinux = true;
            if (opts.lastLoadOnly) {
              sink.reset();
              sawSelinux = false;
            }
            break;
          case 'AVC':
          case 'USER_AVC':
            if (r.avc) {
              sawSelinux = true;
              if (r.decisionId !== undefined && r.avc.verb === 'denied' && sink.addRepeat(r.decisionId, r.loc.file, r.loc.line)) break;
              // Each event holds one record here (group: false).
              const d = toDenials(event)[0]!;
              paths?.denial(r, d);
              sink.addDenial(d);
            } else if (r.avcNotice) {
              sawSelinux = true;
            }
            break;
          case 'AVC_PATH':
            paths?.path(r);
            sawSelinux = true;
            break;
          case 'SELINUX_ERR':
            if (r.invalidContext) sink.addInvalidContext(r.invalidContext, r.loc);
            if (r.invalidContext || r.fields.op === 'security_compute_sid') sawSelinux = true;
            break;
        }
      }
    },
  );
  return { stats, sawSelinux };
}
