// Lookups in loaded file contexts, with libselinux's semantics (lookup_all in
// label_file.c): `//` collapsed, one trailing `/` dropped, equivalence rules,
// then the specs in priority order (regexes in load order, then exact paths in
// load order; the last that matches wins), a spec applying when it has no stem
// or the path's stem, and no file type or the path's; `<<none>>` means no
// label. Fast: exact paths by table, regexes through an index of their fixed
// prefixes, each regex compiled on first use. explain() says how the answer
// came about. Not here: reading the files (load.ts).
import { type FileContextSpec, pathStem, specMatcher } from './specs.js';
import { type SubstitutionResult, type SubstitutionRule, substitute } from './subs.js';

const NONE: readonly number[] = [];

interface DirEntry {
  inherited: readonly number[];
  byFirst: Map<string, number[]> | undefined;
  atDir: readonly number[];
}

const firstComponent = (path: string): string => {
  const slash = path.indexOf('/', 1);
  return slash < 0 ? path : path.slice(0, slash);
};

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

export interface LabelAnswer {
  /** The context; undefined when there is none (no spec matched, or the winner says `<<none>>`). */
  context: string | undefined;
  /** What libselinux reports: ENOENT for no context, EINVAL for an empty path. */
  error?: 'ENOENT' | 'EINVAL' | undefined;
  /** The spec that decided (a `<<none>>` spec included). */
  spec?: FileContextSpec | undefined;
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
  /** The first component (up to the second `/`) of every equivalence rule's alias: other paths skip the rules. */
  private readonly subsFirst: Set<string>;
  private readonly firstExact: number;

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
   * For a directory (a key up to its last `/`): the regex specs whose fixed prefix lies in a
   * directory above it and is a prefix of it (`inherited`, highest first), and its own specs by the
   * first character after it. Made on first use per directory from its parent's; bounded: memory
   * follows the distinct directories looked up.
   */
  private dirEntry(dir: string): DirEntry {
    const cached = this.dirCache.get(dir);
    if (cached) return cached;
    const byFirst = this.byDir.get(dir);
    const entry: DirEntry = { inherited: NONE, byFirst, atDir: byFirst?.get('') ?? NONE };
    if (dir !== '') {
      const up = dir.slice(0, -1);
      const parentDir = up.slice(0, up.lastIndexOf('/') + 1);
      const parent = this.dirEntry(parentDir).inherited;
      const own: number[] = [];
      for (const list of this.byDir.get(parentDir)?.values() ?? []) for (const i of list) if (dir.startsWith(this.specs[i]!.prefix)) own.push(i);
      own.sort((x, y) => y - x);
      const out: number[] = [];
      let a = 0;
      let b = 0;
      while (a < parent.length || b < own.length) {
        if (b >= own.length || (a < parent.length && parent[a]! > own[b]!)) out.push(parent[a++]!);
        else out.push(own[b++]!);
      }
      entry.inherited = out;
    }
    if (this.dirCache.size > 100_000) this.dirCache.clear();
    this.dirCache.set(dir, entry);
    return entry;
  }

  /** The regex candidates for a key, highest first: three descending lists (merged by the caller); only the third needs a prefix check. */
  private regexLists(key: string): [readonly number[], readonly number[], readonly number[]] {
    const dir = key.slice(0, key.lastIndexOf('/') + 1);
    const e = this.dirEntry(dir);
    return [e.inherited, e.atDir, (key.length > dir.length && e.byFirst?.get(key[dir.length]!)) || NONE];
  }

  /** Candidate spec indexes for a path, highest (winning) first. */
  private *candidates(key: string): Generator<number> {
    const exact = [...(this.exact.get(key) ?? []), ...(key.endsWith('\n') ? (this.exact.get(key.slice(0, -1)) ?? []) : [])];
    const [x, y, z] = this.regexLists(key);
    const all = [...exact, ...x, ...y, ...z.filter((i) => key.startsWith(this.specs[i]!.prefix))];
    yield* all.sort((p, q) => q - p);
  }

  private passes(spec: FileContextSpec, key: string, stem: string | undefined, m: number): boolean {
    if (spec.stem !== undefined && spec.stem !== stem) return false;
    if (m !== 0 && spec.mode !== 0 && spec.mode !== m) return false;
    return this.matches(spec, key);
  }

  private matches(spec: FileContextSpec, key: string): boolean {
    if (spec.exact !== undefined) return key === spec.exact || key === spec.exact + '\n';
    spec.matcher ??= specMatcher(spec);
    return spec.matcher(key);
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
    const key = this.subsFirst.has(firstComponent(cleaned)) ? substitute(this.subs, this.subsDist, cleaned).path : cleaned;
    const stem = pathStem(key);
    const m = mode & S_IFMT;
    // The best exact path first (a table lookup); then the regexes above it in priority, best first.
    let best = -1;
    for (const i of this.exact.get(key) ?? NONE) if (i > best && this.passes(this.specs[i]!, key, stem, m)) best = i;
    if (key.endsWith('\n')) for (const i of this.exact.get(key.slice(0, -1)) ?? NONE) if (i > best && this.passes(this.specs[i]!, key, stem, m)) best = i;
    const [x, y, z] = this.regexLists(key);
    let a = 0;
    let b = 0;
    let c = 0;
    for (;;) {
      const i = Math.max(x[a] ?? -1, y[b] ?? -1, z[c] ?? -1);
      if (i < 0 || i < best) break;
      if (i === x[a]) a++;
      else if (i === y[b]) b++;
      else c++;
      const spec = this.specs[i]!;
      if (m !== 0 && spec.mode !== 0 && spec.mode !== m) continue;
      if (i === z[c - 1] && !key.startsWith(spec.prefix)) continue;
      if (!this.passes(spec, key, stem, m)) continue;
      best = i;
      break;
    }
    if (best >= 0) {
      const spec = this.specs[best]!;
      return spec.context === '<<none>>' ? { context: undefined, error: 'ENOENT', spec } : { context: spec.context, spec };
    }
    return { context: undefined, error: 'ENOENT' };
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
