// The differential harness: the same logs and options through audit2allow
// (audit2allow_batch.py, one Python process per batch) and through our
// `porthole allow` (in-process, src/cli/main.ts), then compareCase().
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ioctlRequestNumber } from '../../../src/audit/record/ioctlNames.js';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { type GenOptions, generateLog, type LogFormat } from '../../gen/index.js';
import { type BatchJob, type BatchResult, type Classification, type RunResult, runAudit2allowBatch } from './batch.js';
import { AVC_PATH_LINE_RE, diffLines, diffStructure, formatLineDiff, type LineDiff, logFacts, normaliseOutputs, type StructDiff, type Structure, structDiffEmpty, structureOf } from './compare.js';
import { findOracles } from './oracles.js';

/** Run ours with `-p $SE_POLICY` (default; PORTHOLE_ORACLE_NO_POLICY=1 runs without, as before the policy reader). */
export const WITH_POLICY = !process.env.PORTHOLE_ORACLE_NO_POLICY;

/** The option sets of the spec: plain, -m NAME, -D, -e, -x, -r, -v. */
export const OPTION_SETS: Array<{ name: string; args: (modName: string) => string[] }> = [
  { name: 'plain', args: () => [] },
  { name: '-m', args: (m) => ['-m', m] },
  { name: '-D', args: () => ['-D'] },
  { name: '-e', args: () => ['-e'] },
  { name: '-x', args: () => ['-x'] },
  { name: '-r', args: () => ['-r'] },
  { name: '-v', args: () => ['-v'] },
];

/**
 * Option sets run on the corpus, sample and edge logs, and on generated logs whose auditd starts
 * are all in the old form: `-l` (audit 3 DAEMON_START records are README difference 5 by design).
 */
export const FIXED_LOG_OPTION_SETS: Array<{ name: string; args: (modName: string) => string[] }> = [{ name: '-l', args: () => ['-l'] }];

const ALL_OPTION_SETS = [...OPTION_SETS, ...FIXED_LOG_OPTION_SETS];

/** Option sets compared byte for byte (stdout after normaliseOutputs, and the exit code) on missing-rule-only logs. */
export const FULL_OUTPUT_OPTIONS = new Set(['plain', '-m', '-D', '-e', '-x', '-r', '-v', '-l']);

export interface OracleCase {
  id: string;
  file: string;
  origin: 'corpus' | 'sample' | 'edge' | 'generated';
  /** Option set names (keys of OPTION_SETS) to run. */
  options: string[];
  moduleName: string;
  gen?: GenOptions;
  /** How the log was prepared before either side read it (README items). */
  prepared?: string[];
}

export interface RunComparison {
  option: string;
  args: string[];
  expected: RunResult;
  actual: RunResult;
  /** Our own failure (exception from run()) if any. */
  crash?: string;
  struct: StructDiff;
  /** Same exit code (checked on every log). */
  exitOk: boolean;
  /** struct empty, same exit code, no crash. */
  structOk: boolean;
  /** Sanity check of the harness: audit2allow's plain rules vs its own parser's union. */
  oracleSelfCheck?: string;
  /** Byte-for-byte comparison (after normaliseOutputs), when the log qualifies. */
  /** ok: stdout (normalised) and exit code identical. stderr is reported (stderrOk) but does not count. */
  /** applied: the normalisations (README items) that changed something in this run. */
  full?: { ok: boolean; exitOk: boolean; stderrOk: boolean; diff: LineDiff[]; applied: string[] };
}

export interface CaseResult {
  case: OracleCase;
  classify: Classification;
  eligibleFull: boolean;
  /** How the inputs were prepared (README items), e.g. lines left out of our side's input. */
  inputNotes: string[];
  runs: RunComparison[];
}

/** The shared data directories corpusCases() reads (see sharedDirs()). */
export const CORPUS_DIRS = ['corpora/selinux', 'tools/samples'] as const;

/**
 * Our hand-written edge cases (test/oracle/edge/*.log) and, from the shared
 * data directories given (sharedDirs(CORPUS_DIRS)), the public corpora and
 * the oracle samples.
 */
export function corpusCases(shared: ReadonlyMap<(typeof CORPUS_DIRS)[number], string>): OracleCase[] {
  const out: OracleCase[] = [];
  const dirs: Array<[string | undefined, OracleCase['origin'], RegExp]> = [
    [shared.get('corpora/selinux'), 'corpus', /\.(log|txt)$/],
    [shared.get('tools/samples'), 'sample', /\.log$/],
    [fileURLToPath(new URL('../edge', import.meta.url)), 'edge', /\.log$/],
  ];
  for (const [dir, origin, re] of dirs) {
    if (dir === undefined) continue;
    for (const f of readdirSync(dir).sort()) {
      if (!re.test(f)) continue;
      out.push({ id: `${origin}:${f}`, file: join(dir, f), origin, options: ALL_OPTION_SETS.map((o) => o.name), moduleName: 'mymod' });
    }
  }
  return out;
}

const MODULE_NAMES = ['mymod', 'local_fix', 'my-app.v2', 'A1', 'porthole_gen'];

/** Write generated logs to dir and describe them as cases. */
export function generatedCases(dir: string, specs: Array<{ gen: GenOptions; options?: string[] }>): OracleCase[] {
  return specs.map(({ gen, options }) => {
    const g = generateLog(gen);
    const fmt = (gen.formats ?? [gen.format ?? 'raw']).join('+');
    const id = `gen:${gen.missingRuleOnly ? 'missing' : 'random'}:${fmt}:seed${gen.seed}`;
    const file = join(dir, `${id.replace(/[^A-Za-z0-9_.+-]/g, '_')}.log`);
    const text = (gen.formats ?? [gen.format]).includes('ausearch-i') ? numberIoctlNames(g.text) : g.text;
    writeFileSync(file, text);
    writeFileSync(`${file}.meta.json`, JSON.stringify(g.meta, null, 1));
    // -l only where audit2allow sees every restart and load: old-form auditd starts, and no
    // type=1200 (numeric) or journald lines, whose loads and starts it misses (README difference 5).
    const lastLoad = gen.mix?.daemonStartOld === 1 && !(gen.formats ?? [gen.format ?? 'raw']).some((f) => f === 'numeric' || f === 'journal');
    const sets = lastLoad ? ALL_OPTION_SETS : OPTION_SETS;
    const prepared = text === g.text ? [] : ['README #12: ausearch -i ioctl names written as numbers for both sides'];
    return { id, file, origin: 'generated' as const, options: options ?? sets.map((o) => o.name), moduleName: MODULE_NAMES[gen.seed % MODULE_NAMES.length] ?? 'mymod', gen, prepared };
  });
}

/**
 * README "Differences" #12: `ausearch -i` prints some ioctl requests by name
 * (`ioctlcmd=TIOCINQ`); we read them back as numbers, audit2allow drops them
 * (`int(name, 16)` fails), so `-x` would differ. Both sides get the numbers, as
 * the raw log has them. (That we read the names as ausearch means them is
 * test/oracle/ausearch-ioctl.oracle.test.ts's, against the real ausearch.)
 */
export function numberIoctlNames(logText: string): string {
  return logText.replace(/ ioctlcmd=([A-Za-z][A-Za-z0-9_]*)(?= )/g, (whole, name: string) => {
    const n = ioctlRequestNumber(name);
    return n === undefined ? whole : ` ioctlcmd=0x${n.toString(16)}`;
  });
}

function argsFor(c: OracleCase, option: string): string[] {
  const o = ALL_OPTION_SETS.find((x) => x.name === option);
  if (!o) throw new Error(`unknown option set ${option}`);
  return o.args(c.moduleName);
}

/** Our `porthole allow -i FILE ARGS...`, in process. */
export async function runOurs(file: string, args: string[], cwd: string): Promise<{ result: RunResult; crash?: string }> {
  const io = memoryIo({ cwd, env: {} });
  const argv = ['allow', '-i', file, ...args];
  try {
    const code = await run(argv, io);
    return { result: { args: argv, stdout: io.out.join(''), stderr: io.err.join(''), exit: code } };
  } catch (e) {
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { result: { args: argv, stdout: io.out.join(''), stderr: io.err.join(''), exit: -1 }, crash: msg };
  }
}

function oracleSelfCheck(plain: Structure, cls: Classification, dontaudit: boolean): string | undefined {
  const rule = dontaudit ? 'dontaudit' : 'allow';
  const fromParser = new Map<string, string>();
  for (const u of cls.expected) fromParser.set(`${rule} ${u.source} ${u.target} ${u.tclass}`, u.perms.join(' '));
  const fromOutput = new Map<string, string>();
  for (const [k, v] of plain.rules) fromOutput.set(k, [...v].sort().join(' '));
  const a = JSON.stringify([...fromParser.entries()].sort());
  const b = JSON.stringify([...fromOutput.entries()].sort());
  return a === b ? undefined : `audit2allow output rules != its parser's union (harness bug?): parser ${a.slice(0, 300)} output ${b.slice(0, 300)}`;
}

/**
 * May the whole output be compared? When the policy made audit2allow drop no AVC line and
 * every denial it kept is a missing-rule case (TERULE): then its output has no
 * `#!!!!` policy-analysis comments, which we cannot print without the binary
 * policy. (A log without any denial qualifies: "Nothing to do", empty output.)
 */
export function fullOutputComparable(cls: Classification): boolean {
  return !cls.invalid.some((x) => x.reason === 'policy') && cls.avcs.every((a) => !a.denial || a.result === 'TERULE');
}

/** Lines of text (line ends \n or \r\n), without their line ends. */
function textLines(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\r$/, ''));
}

/**
 * Our side's input: c.file, or a copy of it without
 *  - the AVC lines audit2allow drops because the policy rejects them, which
 *    we cannot do before we read the binary policy (malformed lines stay: we
 *    must drop those ourselves);
 *  - README "Differences" #7 and #11: the AVC lines with an empty permission
 *    list or an empty tclass=, or naming something that is not an SELinux
 *    identifier (audit2allow ran without them too: oracle.excluded);
 *  - README "Differences" #6: the SELINUX_ERR `security_compute_sid` records
 *    that audit2allow cannot read by word position (node= prefix, syslog,
 *    dmesg and journald headers, ausearch -i, the `op=security_compute_sid
 *    invalid_context=` form): we read them and would print their `role R
 *    types T;` lines (and `role R;` / `type T;` requires). When they were the
 *    only lines audit2allow took as SELinux input, it prints an empty module
 *    where we then say "Nothing to do": see LogFacts.selinuxOnlyUnreadComputeSid.
 * `removed` is what was left out, by reason.
 */
export function ourInputLog(
  c: OracleCase,
  logText: string,
  oracle: BatchResult,
  dir: string,
): { file: string; removed: { policy: number; badAvc: number; unreadComputeSid: number; unreadComputeSidTriggers: number } } {
  const cls = oracle.classify;
  if (!cls) throw new Error(`no classification for ${c.id}`);
  const policy = new Set(cls.invalid.filter((x) => x.reason === 'policy').map((x) => x.line));
  const badAvc = new Set(oracle.excluded ?? []);
  const unread = new Set(cls.unreadComputeSid.map((x) => x.line));
  const removed = {
    policy: cls.invalid.filter((x) => x.reason === 'policy').length,
    badAvc: badAvc.size,
    unreadComputeSid: cls.unreadComputeSid.length,
    unreadComputeSidTriggers: cls.unreadComputeSid.filter((x) => x.trigger).length,
  };
  if (policy.size + badAvc.size + unread.size === 0) return { file: c.file, removed };
  const lines = logText.split('\n');
  const kept = lines.filter((l) => {
    const t = l.replace(/\r$/, '');
    return !policy.has(t) && !badAvc.has(t) && !unread.has(t);
  });
  const file = join(dir, `${c.id.replace(/[^A-Za-z0-9_.+-]/g, '_')}.ours.log`);
  writeFileSync(file, kept.join('\n'));
  return { file, removed };
}

/** Compare one case given audit2allow's batch result. */
export async function compareCase(c: OracleCase, oracle: BatchResult, cwd: string): Promise<CaseResult> {
  const cls = oracle.classify;
  if (!cls) throw new Error(`no classification for ${c.id}`);
  const logText = readFileSync(c.file, 'utf8');
  // With -p we analyse against the same policy as audit2allow, so every
  // log's whole output is comparable, #!!!! notes and verdict splits included.
  const eligibleFull = WITH_POLICY || fullOutputComparable(cls);
  // Until we read the binary policy we cannot drop the AVCs the policy
  // rejects, as audit2allow does: we run on the log without them ("over the
  // AVCs audit2allow keeps"); and without the lines of README #6 and #7.
  const { file: ourFile, removed } = ourInputLog(c, logText, oracle, cwd);
  const avcPathLines = textLines(logText).filter((l) => AVC_PATH_LINE_RE.test(l));
  const seenPaths = new Set(cls.paths.map((p) => p.line));
  const facts = logFacts(logText, {
    avcPathsUnseen: avcPathLines.some((l) => !seenPaths.has(l)),
    // Every line audit2allow took as SELinux input was left out of ours (policy-rejected AVCs, README #6 lines).
    selinuxOnlyUnreadComputeSid: removed.policy + removed.unreadComputeSidTriggers > 0 && cls.triggerLines === removed.policy + removed.unreadComputeSidTriggers,
    policyDroppedLeftOut: removed.policy > 0,
  });
  const runs: RunComparison[] = [];
  for (let k = 0; k < c.options.length; k++) {
    const option = c.options[k] ?? 'plain';
    const expected = oracle.runs[k];
    if (!expected) throw new Error(`missing oracle run ${option} for ${c.id}`);
    const args = argsFor(c, option);
    const { result: actual, crash } = await runOurs(ourFile, WITH_POLICY ? ['-p', findOracles().policy, ...args] : args, cwd);
    const es = structureOf(expected.stdout);
    const as = structureOf(actual.stdout);
    const struct = diffStructure(es, as);
    const exitOk = expected.exit === actual.exit;
    const cmp: RunComparison = { option, args, expected, actual, struct, exitOk, structOk: structDiffEmpty(struct) && exitOk && crash === undefined };
    if (crash !== undefined) cmp.crash = crash;
    if ((option === 'plain' || option === '-D') && expected.exit === 0) {
      const self = oracleSelfCheck(es, cls, option === '-D');
      if (self) cmp.oracleSelfCheck = self;
    }
    if (eligibleFull && FULL_OUTPUT_OPTIONS.has(option)) {
      const n = normaliseOutputs(expected.stdout, actual.stdout, facts);
      const exitOk = expected.exit === actual.exit;
      const stderrOk = expected.stderr === actual.stderr;
      const ok = n.expected === n.actual && exitOk && crash === undefined;
      cmp.full = { ok, exitOk, stderrOk, diff: ok ? [] : diffLines(n.expected, n.actual), applied: n.applied };
    }
    runs.push(cmp);
  }
  const inputNotes: string[] = [...(c.prepared ?? [])];
  if (removed.policy) inputNotes.push('AVCs the policy made audit2allow drop: left out of our input');
  if (removed.badAvc) inputNotes.push('README #7, #11: AVCs with { }, an empty tclass= or names that are not identifiers: both sides ran without them');
  if (removed.unreadComputeSid) inputNotes.push('README #6: SELINUX_ERR lines audit2allow cannot read: left out of our input');
  if (facts.avcPathsUnseen) inputNotes.push('README #10: AVC_PATH records audit2allow does not see');
  return { case: c, classify: cls, eligibleFull, inputNotes, runs };
}

/** Run the cases: audit2allow in `chunks` Python processes (at most `parallel` at once), ours in process; cwd holds our inputs and outputs. */
export async function runCases(cases: OracleCase[], opts: { chunk?: number; parallel?: number; cwd: string; onProgress?: (done: number, total: number) => void }): Promise<CaseResult[]> {
  const chunk = opts.chunk ?? cases.length;
  const parallel = opts.parallel ?? 1;
  const cwd = opts.cwd;
  const chunks: OracleCase[][] = [];
  for (let i = 0; i < cases.length; i += chunk) chunks.push(cases.slice(i, i + chunk));
  const results: CaseResult[][] = new Array(chunks.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const idx = next++;
      const ch = chunks[idx];
      if (ch === undefined) return;
      const jobs: BatchJob[] = ch.map((c) => ({ id: c.id, file: c.file, argsets: c.options.map((o) => argsFor(c, o)), classify: true, excludeBadAvcs: true }));
      const resp = await runAudit2allowBatch(jobs);
      const out: CaseResult[] = [];
      for (const c of ch) {
        const r = resp.results.find((x) => x.id === c.id);
        if (!r) throw new Error(`batch lost ${c.id}`);
        out.push(await compareCase(c, r, cwd));
      }
      results[idx] = out;
      done += ch.length;
      opts.onProgress?.(done, cases.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, () => worker()));
  return results.flat();
}

// ---------------------------------------------------------------------------
// Reports

export interface Summary {
  logs: number;
  structIdentical: number;
  fullEligible: number;
  fullIdentical: number;
  /** per option: [identical, compared] for the full-output comparison */
  fullByOption: Record<string, [number, number]>;
  crashes: number;
  oracleSelfCheckFailures: number;
  /** Full-output runs whose stderr differs (not counted as differences). */
  stderrDiffers: number;
}

export function summarise(results: CaseResult[]): Summary {
  const s: Summary = { logs: results.length, structIdentical: 0, fullEligible: 0, fullIdentical: 0, fullByOption: {}, crashes: 0, oracleSelfCheckFailures: 0, stderrDiffers: 0 };
  for (const r of results) {
    if (r.runs.every((x) => x.structOk)) s.structIdentical++;
    if (r.eligibleFull) {
      s.fullEligible++;
      if (r.runs.every((x) => !x.full || x.full.ok)) s.fullIdentical++;
    }
    for (const x of r.runs) {
      if (x.crash) s.crashes++;
      if (x.oracleSelfCheck) s.oracleSelfCheckFailures++;
      if (x.full) {
        if (!x.full.stderrOk) s.stderrDiffers++;
        const v = (s.fullByOption[x.option] ??= [0, 0]);
        v[1]++;
        if (x.full.ok) v[0]++;
      }
    }
  }
  return s;
}

export function summaryLine(label: string, s: Summary): string {
  const per = Object.entries(s.fullByOption)
    .map(([o, [ok, n]]) => `${o} ${ok}/${n}`)
    .join(', ');
  return (
    `${label}: ${s.logs} logs, per-(src,tgt,class) identical ${s.structIdentical}/${s.logs}, full-output identical ${s.fullIdentical}/${s.fullEligible}` +
    (per ? ` (runs: ${per})` : '') +
    (s.crashes ? `, crashes ${s.crashes}` : '') +
    (s.oracleSelfCheckFailures ? `, harness self-check failures ${s.oracleSelfCheckFailures}` : '') +
    (s.stderrDiffers ? `; stderr differs in ${s.stderrDiffers} compared runs (not counted)` : '')
  );
}

/** Human-readable list of every difference (for assertion messages and the sweep report). */
export function describeDifferences(results: CaseResult[], opts: { maxCases?: number; maxLines?: number; stderrNotes?: boolean } = {}): string {
  const out: string[] = [];
  let n = 0;
  for (const r of results) {
    for (const x of r.runs) {
      const problems: string[] = [];
      if (x.crash) problems.push(`  ours threw: ${x.crash}`);
      if (x.oracleSelfCheck) problems.push(`  ${x.oracleSelfCheck}`);
      if (!x.exitOk)
        problems.push(
          `  exit code: audit2allow ${x.expected.exit} (stdout ${JSON.stringify(x.expected.stdout.slice(0, 200))}), ours ${x.actual.exit} (stdout ${JSON.stringify(x.actual.stdout.slice(0, 200))})`,
        );
      for (const d of x.struct.rules) problems.push(`  rule ${d.key}: audit2allow ${d.expected ? `{ ${d.expected.join(' ')} }` : '(none)'} ours ${d.actual ? `{ ${d.actual.join(' ')} }` : '(none)'}`);
      for (const k of ['roles', 'xperms', 'unparsed'] as const) {
        for (const m of x.struct[k].missing) problems.push(`  ${k}: missing in ours: ${m}`);
        for (const m of x.struct[k].extra) problems.push(`  ${k}: extra in ours: ${m}`);
      }
      if (x.full && !x.full.ok) {
        if (x.full.diff.length > 0) problems.push(formatLineDiff(x.full.diff.slice(0, opts.maxLines ?? 30)));
      }
      if (x.full && !x.full.stderrOk && opts.stderrNotes !== false) {
        problems.push(`  note (stderr, not counted): audit2allow ${JSON.stringify(x.expected.stderr.slice(0, 300))}, ours ${JSON.stringify(x.actual.stderr.slice(0, 300))}`);
      }
      if (problems.length === 0) continue;
      if (n++ >= (opts.maxCases ?? 50)) continue;
      out.push(`${r.case.id} [${basename(r.case.file)}] option ${x.option} (${['allow', '-i', 'FILE', ...x.args].join(' ')}):`, ...problems);
    }
  }
  if (n > (opts.maxCases ?? 50)) out.push(`... and ${n - (opts.maxCases ?? 50)} more runs with differences`);
  return out.join('\n');
}

export type { LogFormat };

/** Kinds of differences, with how many runs / logs show each and a few example logs (for report headers). */
export function categoriseDifferences(results: CaseResult[]): string {
  const cats = new Map<string, { runs: number; logs: Set<string> }>();
  const add = (k: string, id: string): void => {
    let c = cats.get(k);
    if (!c) cats.set(k, (c = { runs: 0, logs: new Set() }));
    c.runs++;
    c.logs.add(id);
  };
  for (const r of results) {
    for (const x of r.runs) {
      const id = r.case.id;
      if (x.crash) add('ours threw', id);
      if (!x.exitOk) add('exit code differs', id);
      if (x.struct.rules.length) add('struct: permissions of a (source, target, class) differ', id);
      for (const k of ['roles', 'xperms', 'unparsed'] as const) {
        if (x.struct[k].extra.length) add(`struct: ${k} only in ours`, id);
        if (x.struct[k].missing.length) add(`struct: ${k} only in audit2allow`, id);
      }
      if (x.full && !x.full.ok) {
        const exp = x.full.diff.filter((d) => d.expected !== undefined).map((d) => d.expected ?? '');
        const act = x.full.diff.filter((d) => d.actual !== undefined).map((d) => d.actual ?? '');
        const roleish = (l: string): boolean => /^(#=+ ROLES =+|role \S+ types \S+;|\trole \S+;|\ttype \S+;|)$/.test(l);
        const e2 = exp.filter((l) => !roleish(l));
        const a2 = act.filter((l) => !roleish(l));
        if (e2.length === 0 && a2.length === 0) {
          if (exp.length + act.length > 0) add('full: only role lines (and their require entries) differ', id);
        } else if (JSON.stringify([...e2].sort()) === JSON.stringify([...a2].sort())) {
          add(`full ${x.option}: same lines in another order`, id);
        } else {
          const kinds = new Set<string>();
          for (const l of [...e2, ...a2]) {
            if (/^#\s+comm=/.test(l)) kinds.add('comm/exe/path comment');
            else if (/^# (audit\(|\S*$)/.test(l) || l === '# ') kinds.add('-e header');
            else if (/^#\s+(message=|scontext=|class=|\s)/.test(l)) kinds.add('-e message block');
            else if (/^(allow|dontaudit)xperm /.test(l)) kinds.add('xperm rule');
            else if (/^(allow|dontaudit) /.test(l)) kinds.add('rule line');
            else kinds.add('other line');
          }
          add(`full ${x.option}: ${[...kinds].sort().join(' + ')}`, id);
        }
      }
    }
  }
  return [...cats.entries()]
    .sort((a, b) => b[1].logs.size - a[1].logs.size)
    .map(([k, v]) => `${String(v.logs.size).padStart(5)} logs ${String(v.runs).padStart(6)} runs  ${k}   e.g. ${[...v.logs].slice(0, 3).join(', ')}`)
    .join('\n');
}

/** How often each input preparation and normalisation (README items) applied: logs, and runs for normalisations. */
export function tallyAdjustments(results: CaseResult[]): string {
  const cats = new Map<string, { runs: number; logs: Set<string> }>();
  const add = (k: string, id: string, run: boolean): void => {
    let c = cats.get(k);
    if (!c) cats.set(k, (c = { runs: 0, logs: new Set() }));
    if (run) c.runs++;
    c.logs.add(id);
  };
  for (const r of results) {
    for (const n of r.inputNotes) add(`input: ${n}`, r.case.id, false);
    for (const x of r.runs) for (const n of x.full?.applied ?? []) add(`output: ${n}`, r.case.id, true);
  }
  return [...cats.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${String(v.logs.size).padStart(5)} logs ${v.runs ? `${String(v.runs).padStart(6)} runs` : '           '}  ${k}   e.g. ${[...v.logs].slice(0, 3).join(', ')}`)
    .join('\n');
}
