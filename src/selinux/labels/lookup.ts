// Lookups in loaded file contexts, with libselinux's semantics (lookup_all in
// label_file.c): `//` collapsed, one trailing `/` dropped, equivalence rules,
// then the specs in priority order (regexes in load order, then exact paths in
// load order; the last that matches wins), a spec applying when it has no stem
// or the path's stem, and no file type or the path's; `<<none>>` means no
// label. Fast: exact paths by table, regexes through an index of their fixed
// prefixes, each regex compiled on first use. explain() says how the answer
// came about. Not here: reading the files (load.ts).

import { PrefixIndex } from './prefixes.js';
import { type FileContextSpec, pathStem, specLead, specMatcher } from './specs.js';
import { type SubstitutionResult, type SubstitutionRule, substitute, substitutePath } from './subs.js';

const NONE: readonly number[] = [];

const firstComponent = (path: string): string => {
  const slash = path.indexOf('/', 1);
  return slash < 0 ? path : path.slice(0, slash);
};

const NO_CONTEXT: LabelAnswer = Object.freeze({ context: undefined, error: 'ENOENT' as const });

/** The S_IFMT bits of st_mode. */
export const S_IFMT = 0o170000;

/** matchpathcon's `-m` names and their st_mode file-type bits. */
export const LABEL_MODES: Readonly<Record<string, number>> = {
  file: 0o100000,
  dir: 0o040000,
  lnk_file: 0o120000,
  chr_file: 0o020000,
  blk_file: 0o060000,
  sock_file: 0o140000,
  pipe: 0o010000,
};

/** A lookup's answer (shared between lookups: read-only). */
export interface LabelAnswer {
  /** The context; undefined when there is none (no spec matched, or the winner says `<<none>>`). */
  readonly context: string | undefined;
  /** What libselinux reports: ENOENT for no context, EINVAL for an empty path. */
  readonly error?: 'ENOENT' | 'EINVAL' | undefined;
  /** The spec that decided (a `<<none>>` spec included). */
  readonly spec?: FileContextSpec | undefined;
}

export interface LabelExplanation extends LabelAnswer {
  /** The path as given (latin1). */
  input: string;
  /** After `//` collapse and trailing `/` drop. */
  cleaned: string;
  /** After the equivalence rules: what the specs are matched against. */
  substituted: SubstitutionResult;
  mode: number;
  /** Other specs that match the path, in priority order (after the winner), and why they lost. */
  losers: Array<{ spec: FileContextSpec; reason: 'lower-priority' | 'file-type' | 'stem' }>;
}

/** Loaded file contexts: specs in libselinux's priority order and equivalence rules. */
export class FileContexts {
  /** Specs in libselinux's order after sort_specs: later ones win. */
  readonly specs: readonly FileContextSpec[];
  private readonly exact = new Map<string, number[]>();
  /** The regex specs by their fixed prefix. */
  private readonly prefixes: PrefixIndex;
  /** By spec index: 1 when a regex spec's stem is not implied by its prefix (the lookup compares it). */
  private readonly stemChecks: Uint8Array;
  /** The first component (up to the second `/`) of every equivalence rule's alias: other paths skip the rules. */
  private readonly subsFirst: Set<string>;
  private readonly firstExact: number;
  /** answerOf()'s answers by spec index. */
  private readonly answers: Array<LabelAnswer | undefined> = [];

  constructor(
    loadOrder: readonly FileContextSpec[],
    readonly subs: readonly SubstitutionRule[] = [],
    readonly subsDist: readonly SubstitutionRule[] = [],
  ) {
    this.specs = [...loadOrder.filter((s) => s.hasMetaChars), ...loadOrder.filter((s) => !s.hasMetaChars)];
    this.subsFirst = new Set([...subs, ...subsDist].map((r) => firstComponent(r.src)));
    this.firstExact = loadOrder.filter((s) => s.hasMetaChars).length;
    this.stemChecks = new Uint8Array(this.specs.length);
    const regexes: number[] = [];
    this.specs.forEach((s, i) => {
      if (s.exact !== undefined) {
        const list = this.exact.get(s.exact) ?? [];
        list.unshift(i); // highest index first
        this.exact.set(s.exact, list);
        return;
      }
      regexes.push(i);
      // A path that starts with the prefix has the stem when the prefix is the stem and a `/` (the stem has no other `/`).
      if (s.stem !== undefined && !(s.prefix.startsWith(s.stem) && s.prefix.charCodeAt(s.stem.length) === 47)) this.stemChecks[i] = 1;
    });
    this.prefixes = new PrefixIndex(
      this.specs.map((s) => s.prefix),
      regexes,
      Uint32Array.from(this.specs, (s) => s.mode),
    );
  }

  /** The `//` collapse and the trailing `/` drop of lookup_all. */
  static clean(path: string): string {
    let p = path.includes('//') ? path.replace(/\/{2,}/g, '/') : path;
    if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
    return p;
  }

  /** Candidate spec indexes for a path, highest (winning) first. */
  private *candidates(key: string): Generator<number> {
    const exact = [...(this.exact.get(key) ?? []), ...(key.endsWith('\n') ? (this.exact.get(key.slice(0, -1)) ?? []) : [])];
    const all = [...exact, ...this.prefixes.lookup(key).all];
    yield* all.sort((p, q) => q - p);
  }

  private passes(spec: FileContextSpec, key: string, stemEnd: number, m: number): boolean {
    if (spec.stem !== undefined && !FileContexts.stemIs(spec.stem, key, stemEnd)) return false;
    if (m !== 0 && spec.mode !== 0 && spec.mode !== m) return false;
    return this.matches(spec, key);
  }

  private matches(spec: FileContextSpec, key: string): boolean {
    if (spec.exact !== undefined) return key === spec.exact || key === spec.exact + '\n';
    spec.matcher ??= specMatcher(spec);
    return spec.matcher(key);
  }

  /** Whether the stem of `key` (pathStem) is `stem`, given where the key's stem ends (its second `/`, or -1): no slicing. */
  private static stemIs(stem: string, key: string, stemEnd: number): boolean {
    return stemEnd === stem.length && key.startsWith(stem);
  }

  /**
   * The context of a path (a latin1 string: one char per byte) for a file of st_mode
   * `mode` (0: any type), as selabel_lookup answers.
   */
  lookup(path: string, mode = 0): LabelAnswer {
    if (path.includes('\0')) return { context: undefined, error: 'EINVAL' };
    const cleaned = FileContexts.clean(path);
    if (cleaned === '') return { context: undefined, error: 'EINVAL' };
    if (this.specs.length === 0) return { context: undefined, error: 'ENOENT' };
    const key = this.subsFirst.has(firstComponent(cleaned)) ? substitutePath(this.subs, this.subsDist, cleaned) : cleaned;
    const stemEnd = key.indexOf('/', 1);
    const m = mode & S_IFMT;
    // The best exact path first (a table lookup); then the regexes above it in priority, best first
    // (none is when an exact path won: exact paths come after every regex).
    let best = -1;
    for (const i of this.exact.get(key) ?? NONE) if (i > best && this.passes(this.specs[i]!, key, stemEnd, m)) best = i;
    if (key.endsWith('\n')) for (const i of this.exact.get(key.slice(0, -1)) ?? NONE) if (i > best && this.passes(this.specs[i]!, key, stemEnd, m)) best = i;
    if (best >= this.firstExact) return this.answerOf(best);
    const list = this.prefixes.lookup(key).forMode(m);
    for (let n = 0; n < list.length; n++) {
      const i = list[n]!;
      if (i < best) break;
      const spec = this.specs[i]!;
      if (this.stemChecks[i] === 1 && (spec.stem === undefined || !FileContexts.stemIs(spec.stem, key, stemEnd))) continue;
      const lead = spec.lead === undefined ? specLead(spec) : spec.lead;
      if (lead !== null && lead[key.charCodeAt(spec.prefix.length)] !== 1) continue;
      if (!this.matches(spec, key)) continue;
      best = i;
      break;
    }
    return best >= 0 ? this.answerOf(best) : NO_CONTEXT;
  }

  /** The answer a spec gives, made once per spec (lookups return the same object: read-only). */
  private answerOf(i: number): LabelAnswer {
    let a = this.answers[i];
    if (!a) {
      const spec = this.specs[i]!;
      a = Object.freeze(spec.context === '<<none>>' ? { context: undefined, error: 'ENOENT' as const, spec } : { context: spec.context, spec });
      this.answers[i] = a;
    }
    return a;
  }

  /** The lookup with its reasons: the rewritten path, the winner, and the other specs that match and why they lost. */
  explain(path: string, mode = 0): LabelExplanation {
    const answer = this.lookup(path, mode);
    const cleaned = FileContexts.clean(path);
    const substituted = substitute(this.subs, this.subsDist, cleaned);
    const key = substituted.path;
    const stem = pathStem(key);
    const m = mode & S_IFMT;
    const losers: LabelExplanation['losers'] = [];
    if (!answer.error || answer.error === 'ENOENT') {
      for (const i of this.candidates(key)) {
        const spec = this.specs[i]!;
        if (spec === answer.spec || !this.matches(spec, key)) continue;
        const reason = spec.stem !== undefined && spec.stem !== stem ? 'stem' : m !== 0 && spec.mode !== 0 && spec.mode !== m ? 'file-type' : 'lower-priority';
        losers.push({ spec, reason });
      }
    }
    return { ...answer, input: path, cleaned, substituted, mode, losers };
  }

  /** How many specs are exact paths (tried before every regex). */
  get exactCount(): number {
    return this.specs.length - this.firstExact;
  }
}
