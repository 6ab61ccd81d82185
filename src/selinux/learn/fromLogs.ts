// The `allow` pipeline as one library call: read logs, keep the denials
// audit2allow would keep, learn a module.
import { toDenials } from '../../audit/avc.js';
import { WordMatcher } from '../../audit/bytes.js';
import { DecisionMemo } from '../../audit/decisions.js';
import { type LogSource, readAuditEvents, type ReadStats } from '../../audit/read.js';
import type { Module } from '../module.js';
import { type LearnOptions, ModuleLearner } from './learn.js';

export interface LearnFromLogsOptions extends LearnOptions {
  /** Only what follows the last policy load or audit daemon start (audit2allow -l). */
  lastLoadOnly?: boolean;
  /** Only events at or after this time, in seconds since the epoch (audit2allow -b). */
  since?: number;
  progress?: (line: string) => void;
}

export interface LearnFromLogsResult {
  module: Module;
  stats: ReadStats;
  /**
   * Whether any SELinux record was seen (since the last reset with -l);
   * audit2allow says "Nothing to do" when none was.
   */
  sawSelinux: boolean;
}

/** The fields `allow` reads. */
const DECISION_KEYS_LIST = ['scontext', 'tcontext', 'tclass', 'permissive', 'ioctlcmd', 'op', 'invalid_context', 'path'];
const DECISION_KEYS = new WordMatcher(DECISION_KEYS_LIST);
const EXPLAIN_KEYS = new WordMatcher([...DECISION_KEYS_LIST, 'comm', 'exe', 'name']);

const SELINUX_RECORDS = new Set(['AVC', 'USER_AVC', 'AVC_PATH', 'MAC_POLICY_LOAD', 'DAEMON_START']);

export async function learnFromLogs(sources: LogSource[], opts: LearnFromLogsOptions = {}): Promise<LearnFromLogsResult> {
  const learner = new ModuleLearner(opts);
  let sawSelinux = false;
  const stats = await readAuditEvents(
    sources,
    {
      full: false,
      keepText: opts.explain === 'long',
      // Grouping records into events only matters for AVC_PATH paths (shown by -v/-e).
      group: (opts.explain ?? 'none') !== 'none',
      // Stamps are needed for grouping, for -e's headers and for -b's times.
      stamps: (opts.explain ?? 'none') !== 'none' || opts.since !== undefined,
      keys: opts.explain !== undefined && opts.explain !== 'none' ? EXPLAIN_KEYS : DECISION_KEYS,
      // Without explanations only the decision matters: recognise repeats by their bytes.
      ...((opts.explain ?? 'none') === 'none' ? { decisions: new DecisionMemo() } : {}),
      ...(opts.progress ? { progress: opts.progress } : {}),
      onMalformed: (m) => {
        if (m.type === undefined || SELINUX_RECORDS.has(m.type) || m.type === 'SELINUX_ERR') sawSelinux = true;
      },
    },
    (event) => {
      if (opts.since !== undefined && event.time !== undefined && event.time < opts.since) return;
      let denials: ReturnType<typeof toDenials> | undefined;
      let next = 0;
      for (const r of event.records) {
        switch (r.type) {
          case 'MAC_POLICY_LOAD':
          case 'DAEMON_START':
            sawSelinux = true;
            if (opts.lastLoadOnly) {
              learner.reset();
              sawSelinux = false;
            }
            break;
          case 'AVC':
          case 'USER_AVC':
            if (r.avc) {
              denials ??= toDenials(event);
              learner.addDenial(denials[next++]!);
              sawSelinux = true;
            } else if (r.avcNotice) {
              sawSelinux = true;
            }
            break;
          case 'AVC_PATH':
            sawSelinux = true;
            break;
          case 'SELINUX_ERR':
            if (r.invalidContext) {
              learner.addInvalidContext(r.invalidContext, r.loc);
              sawSelinux = true;
            }
            break;
        }
      }
    },
  );
  return { module: learner.toModule(), stats, sawSelinux };
}
