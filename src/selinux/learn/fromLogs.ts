// The `allow` pipeline as one library call: read logs, keep the denials
// audit2allow would keep, learn a module.
import { malformedDiagnostic, noSelinuxRecordsDiagnostic, type ReadStats } from '../../audit/read.js';
import { type Diagnostic, fail } from '../../base/diagnostic.js';
import { pythonRegex } from '../../base/pythonRe.js';
import { type LogInput, toLogSources } from '../../base/source.js';
import type { Module } from '../ir/index.js';
import type { Policy } from '../policy/model.js';
import { policyAnalyzer } from './analysis.js';
import { type LearnOptions, ModuleLearner } from './learn.js';
import { learnInPieces, planPieces } from './parallel.js';
import { type ReadDenialsOptions, readDenials } from './readDenials.js';

export interface LearnFromLogsOptions extends LearnOptions, ReadDenialsOptions {
  /** Analyse every denial against this policy (audit2allow -p): rules split by verdict, with `#!!!!` notes. */
  policy?: Policy;
  /**
   * Keep only denials whose source or target type matches this Python regular
   * expression, anchored at the start (audit2allow -t). `typeFilter` takes a RegExp instead.
   */
  type?: string;
  /** Malformed records make the diagnostic an error (the caller decides what that means). */
  strict?: boolean;
  /**
   * Worker threads for large plain files (read in line-aligned byte ranges, reduced to distinct
   * denials, merged in input order, with the same result): default the number of cores
   * (`availableParallelism()`). Inputs under 768 MiB, stdin, `.gz` and explanations (-v/-e) are
   * always read in this thread.
   */
  jobs?: number;
  /** The input size from which `jobs` applies (default 768 MiB). */
  parallelThreshold?: number;
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

/**
 * audit2allow in one call: reads the logs (paths, text, streams, lines; see
 * LogInput), keeps the denials audit2allow keeps, and learns the module. Print
 * it with printTe or printCil. Large plain files are read in ranges by worker
 * threads (`jobs`), with the same result.
 */
export async function learnFromLogs(input: LogInput | readonly LogInput[], opts: LearnFromLogsOptions = {}): Promise<LearnFromLogsResult> {
  const sources = toLogSources(input);
  const learnOpts: LearnOptions = { ...opts };
  if (opts.policy) learnOpts.analyze = policyAnalyzer(opts.policy);
  if (opts.type !== undefined) learnOpts.typeFilter = typeFilterOf(opts.type);
  const learner = new ModuleLearner(learnOpts);
  const pieces = planPieces(sources, opts);
  const { stats, sawSelinux } = pieces ? await learnInPieces(pieces, opts, learner) : await readDenials(sources, opts, learner);
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
