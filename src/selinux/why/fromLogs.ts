// The `why` pipeline: every AVC record of the logs, in log order (duplicates
// and granted records included, as audit2why iterates sepolgen's avc_msgs),
// analysed against the policy; records the policy rejects (unknown user,
// role, type, level or permission) are dropped, as audit2why drops them.
import { type ReadOptions, type ReadStats, readAuditEvents } from '../../audit/read.js';
import { HeldText } from '../../base/heldText.js';
import { type LogInput, type LogSource, toLogSources } from '../../base/source.js';
import { formatContext } from '../ir/context.js';
import { type AccessAnalysis, accessDecider } from '../policy/access/decide.js';
import type { Policy } from '../policy/model.js';
import { formatWhy, type WhyRecord } from './report.js';

export interface WhyOptions extends Pick<ReadOptions, 'backpressure'> {
  /** Only events at or after this time, in seconds since the epoch (audit2why -b). */
  since?: number;
  /**
   * Only the records after the last policy load or audit daemon start (audit2why -l; like
   * `allow -l`, every DAEMON_START counts, not only the old `auditd start` form sepolgen knows:
   * README "Differences" 5). The text is then held back until the input ends.
   */
  lastLoadOnly?: boolean;
  /**
   * Hold the text until the input ends, and write none of it when a denial
   * has no permissions (audit2why stops on such a denial before printing
   * anything; the result's emptyPermsDenial says which). Memory stays small:
   * held text goes to a temporary file past a few MB.
   */
  holdOutput?: boolean;
  /** Boolean descriptions (sepolicy.boolean_desc); without it no Description lines are printed. */
  describe?: (bool: string) => string;
  /** Keep the records the policy rejects, reporting them to this callback instead of dropping them silently. */
  onRejected?: (rec: WhyRecord, a: AccessAnalysis) => void;
  /** The text of one record (default: audit2why's, formatWhy); with it, rejected records are written too. */
  format?: (rec: WhyRecord, a: AccessAnalysis) => string;
  progress?: (line: string) => void;
}

export interface WhyResult {
  stats: ReadStats;
  /** AVC records analysed (printed or not). */
  records: number;
  /** AVC records dropped because the policy rejects a context, class or permission. */
  rejected: number;
  /** Whether any line audit2allow would look at (AVC, policy load, ...) was seen; audit2why says "Nothing to do" otherwise. */
  sawSelinux: boolean;
  /**
   * The first denial (not rejected by the policy) with no permissions:
   * audit2allow turns every denial into an access vector before printing, and
   * one without permissions stops it with
   * `List must contain at least four elements ['source_t', 'target_t', 'class']` (exit 1).
   */
  emptyPermsDenial?: { source: string; target: string; tclass: string };
}

/** Passes bytes through and counts the newlines: line N ended with one when N <= newlines. */
interface NewlineCounter {
  newlines: number;
}

/** The chunks of `raw`, counting their newlines into `counter` on the way. */
async function* countNewlines(raw: AsyncIterable<Buffer | string>, counter: NewlineCounter): AsyncIterable<Buffer> {
  for await (const chunk of raw) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) counter.newlines++;
    yield b;
  }
}

const ANALYSIS_DROPPED = new Set(['BADSCON', 'BADTCON', 'BADPERM', 'BADCOMPUTE']);

/**
 * audit2why over log sources: calls `write` with the text of each record, in
 * order. The last line of a source is printed without a newline when the
 * source does not end with one (audit2why prints lines as Python read them).
 */
export async function whyFromLogs(input: LogInput | readonly LogInput[], policy: Policy, opts: WhyOptions, writeOut: (text: string) => void): Promise<WhyResult> {
  const held = opts.lastLoadOnly || opts.holdOutput ? new HeldText() : undefined;
  try {
    return await explain(toLogSources(input), policy, opts, held, writeOut);
  } finally {
    held?.close();
  }
}

async function explain(sources: LogSource[], policy: Policy, opts: WhyOptions, held: HeldText | undefined, writeOut: (text: string) => void): Promise<WhyResult> {
  const write = held ? (text: string): void => held.push(text) : writeOut;
  // With -l the rejected records wait too: a later load may forget them.
  const heldRejected: [WhyRecord, AccessAnalysis][] = [];
  const reject = (rec: WhyRecord, a: AccessAnalysis): void => {
    if (!opts.onRejected) return;
    if (held) heldRejected.push([rec, a]);
    else opts.onRejected(rec, a);
  };
  const decider = accessDecider(policy);
  const cache = new Map<string, AccessAnalysis>();
  let records = 0;
  let rejected = 0;
  let sawSelinux = false;
  let emptyPermsDenial: WhyResult['emptyPermsDenial'];
  // The record on the last line read is held back until we know whether that line ended with a newline.
  let pending: { rec: WhyRecord; a: AccessAnalysis; line: number } | undefined;
  const flush = (counter: NewlineCounter | undefined): void => {
    if (!pending) return;
    const { rec, a, line } = pending;
    pending = undefined;
    if (!counter || line <= counter.newlines) rec.message += '\n';
    write(opts.format ? opts.format(rec, a) : formatWhy(rec, a, opts.describe));
  };
  const counters: NewlineCounter[] = [];
  let current = -1;
  const stats = await readAuditEvents(
    sources.map((s, i) => ({
      ...s,
      open: () => {
        flush(counters[current]);
        current = i;
        const counter: NewlineCounter = { newlines: 0 };
        counters[i] = counter;
        return countNewlines(s.open(), counter);
      },
    })),
    {
      full: false,
      keepText: true,
      group: false,
      stamps: opts.since !== undefined,
      ...(opts.progress ? { progress: opts.progress } : {}),
      ...(opts.backpressure ? { backpressure: opts.backpressure } : {}),
      onMalformed: (m) => {
        if (m.type === undefined || m.type === 'AVC' || m.type === 'USER_AVC' || m.type === 'MAC_POLICY_LOAD' || m.type === 'AVC_PATH' || m.type === 'DAEMON_START') sawSelinux = true;
      },
    },
    (event) => {
      if (opts.since !== undefined && event.time !== undefined && event.time < opts.since) return;
      for (const r of event.records) {
        if (held && opts.lastLoadOnly && (r.type === 'MAC_POLICY_LOAD' || r.type === 'DAEMON_START')) {
          // -l: what came before this load is forgotten, "Nothing to do" included.
          held.clear();
          heldRejected.length = 0;
          pending = undefined;
          records = 0;
          rejected = 0;
          emptyPermsDenial = undefined;
          sawSelinux = false;
          continue;
        }
        if (r.type === 'MAC_POLICY_LOAD' || r.type === 'DAEMON_START' || r.type === 'AVC_PATH' || r.avcNotice || r.invalidContext) sawSelinux = true;
        const avc = r.avc;
        if (!avc) continue;
        sawSelinux = true;
        records++;
        flush(undefined);
        const s = formatContext(avc.scontext);
        const t = formatContext(avc.tcontext);
        const key = `${s}\u0000${t}\u0000${avc.tclass}\u0000${avc.perms.join(' ')}`;
        let a = cache.get(key);
        if (!a) {
          a = decider.analyze(s, t, avc.tclass, avc.perms);
          cache.set(key, a);
        }
        const rec: WhyRecord = { message: r.text ?? '', scontext: avc.scontext, tcontext: avc.tcontext, loc: r.loc, tclass: avc.tclass, perms: avc.perms, denied: avc.verb === 'denied' };
        if (ANALYSIS_DROPPED.has(a.code)) {
          rejected++;
          reject(rec, a);
          if (!opts.format) continue;
        } else if (a.code === 'BADTCLASS') {
          // audit2why prints nothing for it (a negative code) but does not drop it: rejected all the same.
          rejected++;
          reject(rec, a);
        } else if (avc.verb === 'denied' && avc.perms.length === 0) emptyPermsDenial ??= { source: avc.scontext.type, target: avc.tcontext.type, tclass: avc.tclass };
        pending = { rec, a, line: r.loc.line };
      }
    },
  );
  flush(counters[current]);
  for (const [rec, a] of heldRejected) opts.onRejected?.(rec, a);
  if (held && !(opts.holdOutput && emptyPermsDenial)) {
    if (opts.backpressure) await held.drainPaced(writeOut, opts.backpressure);
    else held.drain(writeOut);
  }
  return { stats, records, rejected, sawSelinux, ...(emptyPermsDenial ? { emptyPermsDenial } : {}) };
}

/** Python's repr() of a str (what audit2allow's error message shows). */
export function pythonRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\' || ch === quote) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

/** audit2allow's message for a denial without permissions. */
export function emptyPermsMessage(d: { source: string; target: string; tclass: string }): string {
  return `List must contain at least four elements [${[d.source, d.target, d.tclass].map(pythonRepr).join(', ')}]`;
}
