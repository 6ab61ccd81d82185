// Lookups in loaded file contexts, with libselinux's semantics (lookup_all in
// label_file.c): `//` collapsed, one trailing `/` dropped, equivalence rules,
// then the specs in priority order (regexes in load order, then exact paths in
// load order; the last that matches wins), a spec applying when it has no stem
// or the path's stem, and no file type or the path's; `<<none>>` means no
// label. Fast: exact paths by table, regexes through an index of their fixed
// prefixes, each regex compiled on first use. explain() says how the answer
// came about. Not here: reading the files (load.ts).
import { type FileContextSpec, pathStem, specLead, specMatcher } from './specs.js';
import { type SubstitutionResult, type SubstitutionRule, substitute, substitutePath } from './subs.js';

const NONE: readonly number[] = [];

/**
 * A list of regex spec indexes, highest (winning) first, with its sublists for each file type
 * (made on first use): a lookup for a type walks only the specs that can apply to it.
 */
class Candidates {
  private readonly byMode: Array<readonly number[] | undefined> = [];
  constructor(
    readonly all: readonly number[],
    private readonly specs: readonly FileContextSpec[],
  ) {}

  /** The indexes whose spec is for every file type or for `m` (S_IFMT bits; 0: all of them). */
  forMode(m: number): readonly number[] {
    const slot = m >>> 12;
    let list = this.byMode[slot];
    if (list === undefined) {
      list = m === 0 ? this.all : this.all.filter((i) => this.specs[i]!.mode === 0 || this.specs[i]!.mode === m);
      this.byMode[slot] = list;
    }
    return list;
  }
}

interface DirEntry {
  /** The regex specs whose fixed prefix is a prefix of the directory (inherited from above or ending at it). */
  base: Candidates;
  /** The directory's own specs by the first character after it (their prefix goes on: checked per path). */
  byFirst: Map<string, Candidates> | undefined;
}

const firstComponent = (path: string): string => {
  const slash = path.indexOf('/', 1);
  return slash < 0 ? path : path.slice(0, slash);
};

/** Two descending lists merged into one. */
const mergeDescending = (p: readonly number[], q: readonly number[]): number[] => {
  const out: number[] = [];
  let a = 0;
  let b = 0;
  while (a < p.length || b < q.length) {
    if (b >= q.length || (a < p.length && p[a]! > q[b]!)) out.push(p[a++]!);
    else out.push(q[b++]!);
  }
  return out;
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
  /**
   * Regex specs by the directory part of their fixed prefix (up to its last `/`; '' when it has
   * none), then by the first character after it ('' when the prefix ends there); highest first.
   */
  private readonly byDir = new Map<string, Map<string, number[]>>();
  /** dirEntry()'s cache. */
  private readonly dirCache = new Map<string, DirEntry>();
  /** byDir's lists wrapped per directory (bounded by the specs). */
  private readonly firstLists = new Map<string, Map<string, Candidates>>();
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
    this.specs.forEach((s, i) => {
      if (s.exact !== undefined) {
        const list = this.exact.get(s.exact) ?? [];
        list.unshift(i); // highest index first
        this.exact.set(s.exact, list);
        return;
      }
      const dir = s.prefix.slice(0, s.prefix.lastIndexOf('/') + 1);
      const first = s.prefix.slice(dir.length, dir.length + 1);
      let byFirst = this.byDir.get(dir);
      if (!byFirst) this.byDir.set(dir, (byFirst = new Map()));
      const list = byFirst.get(first);
      if (list)
        list.unshift(i); // highest index first
      else byFirst.set(first, [i]);
    });
  }

  /** The `//` collapse and the trailing `/` drop of lookup_all. */
  static clean(path: string): string {
    let p = path.includes('//') ? path.replace(/\/{2,}/g, '/') : path;
    if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
    return p;
  }

  /**
   * For a directory (a key up to its last `/`): the regex specs whose fixed prefix is a prefix of
   * it (those of the directories above it, and its own that end at it), highest first, and its own
   * specs by the first character after it. Made on first use per directory from its parent's; a
   * directory that adds nothing shares its parent's list (so its per-type lists too). Bounded:
   * memory follows the distinct directories looked up.
   */
  private dirEntry(dir: string): DirEntry {
    const cached = this.dirCache.get(dir);
    if (cached) return cached;
    const own = this.byDir.get(dir);
    let inherited: Candidates | undefined;
    if (dir !== '') {
      const up = dir.slice(0, -1);
      const parentDir = up.slice(0, up.lastIndexOf('/') + 1);
      const parent = this.dirEntry(parentDir).base;
      const found: number[] = [];
      // The parent's specs whose prefix goes on past it and is a prefix of this directory: those
      // filed under the character that follows the parent here.
      for (const i of this.byDir.get(parentDir)?.get(dir[parentDir.length]!) ?? NONE) if (dir.startsWith(this.specs[i]!.prefix)) found.push(i);
      found.sort((x, y) => y - x);
      inherited = found.length === 0 ? parent : new Candidates(mergeDescending(parent.all, found), this.specs);
    }
    const atDir = own?.get('');
    const base = !atDir ? (inherited ?? new Candidates(NONE, this.specs)) : new Candidates(mergeDescending(inherited?.all ?? NONE, atDir), this.specs);
    let byFirst = this.firstLists.get(dir);
    if (own && !byFirst) {
      byFirst = new Map();
      for (const [first, list] of own) if (first !== '') byFirst.set(first, new Candidates(list, this.specs));
      this.firstLists.set(dir, byFirst);
    }
    const entry: DirEntry = { base, byFirst };
    if (this.dirCache.size > 100_000) this.dirCache.clear();
    this.dirCache.set(dir, entry);
    return entry;
  }

  /** The regex candidates for a key, highest first: two descending lists (merged by the caller); only the second needs a prefix check. */
  private regexLists(key: string, m: number): [readonly number[], readonly number[]] {
    const dir = key.slice(0, key.lastIndexOf('/') + 1);
    const e = this.dirEntry(dir);
    const more = key.length > dir.length ? e.byFirst?.get(key[dir.length]!) : undefined;
    return [e.base.forMode(m), more ? more.forMode(m) : NONE];
  }

  /** Candidate spec indexes for a path, highest (winning) first. */
  private *candidates(key: string): Generator<number> {
    const exact = [...(this.exact.get(key) ?? []), ...(key.endsWith('\n') ? (this.exact.get(key.slice(0, -1)) ?? []) : [])];
    const [x, z] = this.regexLists(key, 0);
    const all = [...exact, ...x, ...z.filter((i) => key.startsWith(this.specs[i]!.prefix))];
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
    const [x, z] = this.regexLists(key, m);
    let a = 0;
    let c = 0;
    for (;;) {
      const xi = a < x.length ? x[a]! : -1;
      const zi = c < z.length ? z[c]! : -1;
      let i: number;
      if (xi > zi) {
        i = xi;
        a++;
      } else {
        i = zi;
        c++;
      }
      if (i < 0 || i < best) break;
      const spec = this.specs[i]!;
      if (i === zi && !key.startsWith(spec.prefix)) continue;
      if (spec.stem !== undefined && !FileContexts.stemIs(spec.stem, key, stemEnd)) continue;
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
