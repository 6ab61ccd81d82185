// The `allow` pipeline as one library call: read logs, keep the denials
// audit2allow would keep, learn a module.
import { type Denial, toDenials } from '../../audit/avc.js';
import { malformedDiagnostic, noSelinuxRecordsDiagnostic, type ReadStats, readAuditEvents } from '../../audit/read.js';
import { WordMatcher } from '../../audit/record/bytes.js';
import { DecisionMemo } from '../../audit/record/decisions.js';
import type { AuditRecord } from '../../audit/record/record.js';
import { type Diagnostic, fail } from '../../base/diagnostic.js';
import { pythonRegex } from '../../base/pythonRe.js';
import { type LogInput, toLogSources } from '../../base/source.js';
import type { Module } from '../ir/index.js';
import type { Policy } from '../policy/model.js';
import { policyAnalyzer } from './analysis.js';
import { type LearnOptions, ModuleLearner } from './learn.js';

export interface LearnFromLogsOptions extends LearnOptions {
  /** Only what follows the last policy load or audit daemon start (audit2allow -l). */
  lastLoadOnly?: boolean;
  /** Only events at or after this time, in seconds since the epoch (audit2allow -b). */
  since?: number;
  /** Analyse every denial against this policy (audit2allow -p): rules split by verdict, with `#!!!!` notes. */
  policy?: Policy;
  /**
   * Keep only denials whose source or target type matches this Python regular
   * expression, anchored at the start (audit2allow -t). `typeFilter` takes a RegExp instead.
   */
  type?: string;
  /** Malformed records make the diagnostic an error (the caller decides what that means). */
  strict?: boolean;
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
  /** What the reading found: malformed records (a warning, an error with `strict`), no SELinux records (a note). */
  diagnostics: Diagnostic[];
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

/**
 * audit2allow in one call: reads the logs (paths, text, streams, lines; see
 * LogInput), keeps the denials audit2allow keeps, and learns the module. Print
 * it with printTe or printCil.
 */
export async function learnFromLogs(input: LogInput | readonly LogInput[], opts: LearnFromLogsOptions = {}): Promise<LearnFromLogsResult> {
  const sources = toLogSources(input);
  const learnOpts: LearnOptions = { ...opts };
  if (opts.policy) learnOpts.analyze = policyAnalyzer(opts.policy);
  if (opts.type !== undefined) learnOpts.typeFilter = typeFilterOf(opts.type);
  const learner = new ModuleLearner(learnOpts);
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
      ...(explain ? {} : { decisions: new DecisionMemo() }),
      ...(opts.progress ? { progress: opts.progress } : {}),
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
              learner.reset();
              sawSelinux = false;
            }
            break;
          case 'AVC':
          case 'USER_AVC':
            if (r.avc) {
              sawSelinux = true;
              if (r.decisionId !== undefined && r.avc.verb === 'denied' && learner.addRepeat(r.decisionId, r.loc)) break;
              // Each event holds one record here (group: false).
              const d = toDenials(event)[0]!;
              paths?.denial(r, d);
              learner.addDenial(d);
              sawSelinux = true;
            } else if (r.avcNotice) {
              sawSelinux = true;
            }
            break;
          case 'AVC_PATH':
            paths?.path(r);
            sawSelinux = true;
            break;
          case 'SELINUX_ERR':
            if (r.invalidContext) learner.addInvalidContext(r.invalidContext, r.loc);
            if (r.invalidContext || r.fields.op === 'security_compute_sid') sawSelinux = true;
            break;
        }
      }
    },
  );
  const diagnostics: Diagnostic[] = [];
  const malformed = malformedDiagnostic(stats, opts.strict);
  if (malformed) diagnostics.push(malformed);
  if (!sawSelinux)
    diagnostics.push(
      noSelinuxRecordsDiagnostic(
        stats,
        sources.map((s) => s.name),
        opts.strict,
      ),
    );
  return { module: learner.toModule(), stats, sawSelinux, diagnostics };
}

/** audit2allow -t: a Python `re.match` pattern; a bad one is a usage error. */
function typeFilterOf(pattern: string): RegExp {
  try {
    return pythonRegex(pattern);
  } catch (e) {
    return fail('usage', `invalid type pattern (-t) '${pattern}': ${(e as Error).message}`);
  }
}
