// `porthole check`'s work: policy sources (.te, .if, .fc: a module, several,
// or a whole refpolicy tree) through the lint rules (rules.ts), read as
// written without m4, and, for the modules asked, through the build
// (buildModule: m4, the parser and checkmodule's verdicts). The rules read the
// sources once; the build is what costs (m4 over the include tree per module),
// so it runs only where asked. Findings come back by file (inputs' order) and
// line, each rule's in the registry's order.
import { type Diagnostic, PortholeError } from '../../../base/diagnostic.js';
import type { FileContexts } from '../../labels/lookup.js';
import type { SubstitutionRule } from '../../labels/subs.js';
import { buildModule } from '../build/build.js';
import type { AccessIndex } from '../iface/accessIndex.js';
import { lintRawAllows, writtenRuleSpans } from '../iface/lint.js';
import { lowerModule } from '../te/lower/lower.js';
import { type CachedSource, type KeptSummary, LintCache, type LintCacheOptions } from './cache.js';
import { declaredNames, groupModules, type LintContext, type LintEnv, type LintInput, type LintModule, lintSource, lintSourceParts } from './context.js';
import { PRIMER } from './primer.js';
import type { LintRule } from './rules/rule.js';
import { LINT_RULES } from './rules.js';
import { addAll, type DefinitionSummary, joinSummaries, type SourceSummary, summarizeSource } from './summary.js';

export interface LintOptions {
  /** The system file_contexts: its equivalence rules, and its specs for conflicts. */
  system?: FileContexts | undefined;
  /** More equivalence rules (`--subs`). */
  subs?: readonly SubstitutionRule[] | undefined;
  /** The include tree's .if files (devel headers): definitions the rules follow, names its require blocks list. */
  include?: readonly LintInput[] | undefined;
  /** Which modules go through the build: those whose .te was named (default), all, or none. */
  build?: 'named' | 'all' | 'none' | undefined;
  /** The build's include tree (default the devel headers). */
  includeDir?: string | undefined;
  /**
   * The include tree's access index (`iface for`'s): with it, each module built is also checked
   * for raw allow rules one interface grants exactly (`lint-raw-allow-interface`). A function is
   * called once, when the first module is built: the index costs seconds when not cached.
   */
  accessIndex?: AccessIndex | (() => AccessIndex) | undefined;
  /** The rules to run (default LINT_RULES). */
  rules?: readonly LintRule[] | undefined;
  /** Keep what each source gave on disk, and take it from there while the source's bytes are the same (cache.ts). */
  cache?: LintCacheOptions | undefined;
}

/** The context of the rules across files, from the sources' summaries and the include tree's. */
function contextOf(sources: SourceSummary[], included: readonly SourceSummary[], opts: LintOptions): LintContext {
  const modules = groupModules(sources);
  const defs = new Map<string, DefinitionSummary>();
  const known = new Set<string>();
  for (const s of [...sources, ...included]) for (const d of s.definitions) if (!defs.has(d.name)) defs.set(d.name, d);
  for (const s of included) for (const n of s.required) known.add(n);
  return { sources, modules, declared: declaredNames(modules), known, definitions: defs, system: opts.system, subs: opts.subs ?? [] };
}

const includedSummaries = (opts: LintOptions, cache?: LintCache): SourceSummary[] =>
  (opts.include ?? []).flatMap((x) => {
    if (!x.file.endsWith('.if')) return [];
    const hash = cache && LintCache.hash(x.file, x.text, 'include');
    const key = `include\0${x.file}`;
    const hit = hash === undefined ? undefined : cache?.get(key, hash);
    if (hit) return [{ ...hit.summary, file: x.file, text: x.text, named: Boolean(x.named) }];
    const summary = summarizeSource(lintSource(x), true);
    if (hash !== undefined) cache?.set(key, { hash, findings: {}, summary: kept(summary) });
    return [summary];
  });

const kept = ({ file: _f, text: _t, named: _n, ...rest }: SourceSummary): KeptSummary => rest;

/** The lint context of a set of inputs: their summaries (exported for tests and for rules added elsewhere). */
export function lintContext(inputs: readonly LintInput[], opts: LintOptions = {}): LintContext {
  return contextOf(
    inputs.map((x) => summarizeSource(lintSource(x))),
    includedSummaries(opts),
    opts,
  );
}

function buildFindings(m: LintModule, includeDir: string | undefined, accessIndex: (() => AccessIndex) | undefined): Diagnostic[] {
  const te = m.te!;
  const src = (s: typeof m.if) => (s ? { name: s.file, text: s.text } : undefined);
  try {
    const built = buildModule({ te: { name: te.file, text: te.text }, if: src(m.if), fc: src(m.fc) }, { includeDir, outputName: te.file });
    if (accessIndex === undefined || built.diagnostics.some((d) => d.severity === 'error')) return built.diagnostics;
    // The suggestions look at the rules the user wrote: not those an interface call produced.
    const index = accessIndex();
    const written = built.expanded ? writtenRuleSpans(built.module, built.map, new Set(index.interfaces.map((e) => e.name))) : undefined;
    return [...built.diagnostics, ...lintRawAllows(lowerModule(built.module), index, { written })];
  } catch (e) {
    if (e instanceof PortholeError) return [...e.diagnostics];
    throw e;
  }
}

/** Whether this process has read the primer (primer.ts). */
let primed = false;

/** Reads the primer (primer.ts) through the rules, dropping what they find: V8's feedback then knows every kind of item. */
function prime(rules: readonly LintRule[], env: LintEnv, opts: LintOptions): void {
  primed = true;
  const summaries = PRIMER.map((p) => {
    const src = lintSource(p);
    for (const r of rules) r.source?.(src, env);
    return summarizeSource(src);
  });
  const ctx = contextOf(summaries, [], opts);
  for (const rule of rules) rule.policy?.(ctx);
}

/**
 * Lints policy sources (and builds the modules asked); the findings by file and line. Each source
 * is read, given to the rules that read one source, and summarized, one after the other: only the
 * summaries stay for the rules across files.
 */
export function lintPolicy(inputs: readonly LintInput[], opts: LintOptions = {}): Diagnostic[] {
  const rules = opts.rules ?? LINT_RULES;
  const env = { system: opts.system, subs: opts.subs ?? [] };
  // The .fc rules' findings depend on the equivalence rules: another set, another store.
  const cache = opts.cache && new LintCache(opts.cache, JSON.stringify([env.subs, env.system?.subs ?? [], env.system?.subsDist ?? []]));
  const sourceRules = rules.filter((r) => r.source !== undefined);
  // Each rule's findings apart, so that they come out rule by rule as when each rule read every source.
  const byRule = new Map<LintRule, Diagnostic[]>(rules.map((r) => [r, []]));
  const summaries: SourceSummary[] = [];
  for (const input of inputs) {
    // A .fc named on the command line is checked against the system's specs too: not kept.
    const keep = cache !== undefined && !(input.named === true && input.file.endsWith('.fc') && env.system !== undefined);
    const hash = keep ? LintCache.hash(input.file, input.text, input.named === true ? 'named' : 'found') : undefined;
    const hit = hash === undefined ? undefined : cache?.get(input.file, hash);
    if (hit && sourceRules.every((r) => Object.hasOwn(hit.findings, r.code))) {
      for (const r of sourceRules) addAll(byRule.get(r)!, hit.findings[r.code]!);
      summaries.push({ ...hit.summary, file: input.file, text: input.text, named: Boolean(input.named) });
      continue;
    }
    // The first source read in this process: the primer before it (a run that takes every source
    // from the store reads none, and needs none).
    if (!primed) prime(rules, env, opts);
    const findings: CachedSource['findings'] = {};
    for (const r of sourceRules) findings[r.code] = [];
    let summary: SourceSummary | undefined;
    lintSourceParts(input, (src) => {
      for (const r of sourceRules) {
        addAll(findings[r.code]!, r.source!(src, env));
      }
      const part = summarizeSource(src);
      summary = summary === undefined ? part : joinSummaries(summary, part);
    });
    for (const r of sourceRules) addAll(byRule.get(r)!, findings[r.code]!);
    if (summary === undefined) throw new Error(`${input.file}: read in no part`);
    summaries.push(summary);
    if (hash !== undefined) cache?.set(input.file, { hash, findings, summary: kept(summary) });
  }
  const ctx = contextOf(summaries, includedSummaries(opts, cache), opts);
  cache?.save();
  const found: Diagnostic[] = [];
  const build = opts.build ?? 'named';
  const given = opts.accessIndex;
  let index: AccessIndex | undefined;
  const accessIndex = given === undefined ? undefined : () => (index ??= typeof given === 'function' ? given() : given);
  if (build !== 'none') for (const m of ctx.modules) if (m.te && (build === 'all' || m.te.named)) addAll(found, buildFindings(m, opts.includeDir, accessIndex));
  for (const rule of rules) {
    addAll(found, byRule.get(rule)!);
    if (rule.policy) addAll(found, rule.policy(ctx));
  }
  const order = new Map(inputs.map((x, i) => [x.file, i]));
  const rank = (d: Diagnostic): number => (d.span ? (order.get(d.span.file) ?? inputs.length) : inputs.length + 1);
  return found
    .map((d, i) => ({ d, i }))
    .sort((a, b) => rank(a.d) - rank(b.d) || (a.d.span?.line ?? 0) - (b.d.span?.line ?? 0) || a.i - b.i)
    .map((x) => x.d);
}
