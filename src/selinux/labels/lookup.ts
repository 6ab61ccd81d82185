// Lookups in loaded file contexts, with libselinux's semantics (lookup_all in
// label_file.c): `//` collapsed, one trailing `/` dropped, equivalence rules,
// then the specs in priority order (regexes in load order, then exact paths in
// load order; the last that matches wins), a spec applying when it has no stem
// or the path's stem, and no file type or the path's; `<<none>>` means no
// label. Fast: exact paths by table, regexes through an index of their fixed
// prefixes, each regex compiled on first use. explain() says how the answer
// came about. Not here: reading the files (load.ts).
import { toJsSource } from './pcre.js';
import { type FileContextSpec, pathStem } from './specs.js';
import { type SubstitutionResult, type SubstitutionRule, substitute } from './subs.js';

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

interface TrieNode {
  next: Map<number, TrieNode>;
  specs: number[];
}

/** Loaded file contexts: specs in libselinux's priority order and equivalence rules. */
export class FileContexts {
  /** Specs in libselinux's order after sort_specs: later ones win. */
  readonly specs: readonly FileContextSpec[];
  private readonly exact = new Map<string, number[]>();
  private readonly root: TrieNode = { next: new Map(), specs: [] };
  private readonly firstExact: number;

  constructor(
    loadOrder: readonly FileContextSpec[],
    readonly subs: readonly SubstitutionRule[] = [],
    readonly subsDist: readonly SubstitutionRule[] = [],
  ) {
    this.specs = [...loadOrder.filter((s) => s.hasMetaChars), ...loadOrder.filter((s) => !s.hasMetaChars)];
    this.firstExact = loadOrder.filter((s) => s.hasMetaChars).length;
    this.specs.forEach((s, i) => {
      if (s.exact !== undefined) {
        const list = this.exact.get(s.exact) ?? [];
        list.unshift(i); // highest index first
        this.exact.set(s.exact, list);
        return;
      }
      let node = this.root;
      for (let k = 0; k < s.prefix.length; k++) {
        const c = s.prefix.charCodeAt(k);
        let n = node.next.get(c);
        if (!n) node.next.set(c, (n = { next: new Map(), specs: [] }));
        node = n;
      }
      node.specs.push(i);
    });
  }

  /** The `//` collapse and the trailing `/` drop of lookup_all. */
  static clean(path: string): string {
    let p = path.includes('//') ? path.replace(/\/{2,}/g, '/') : path;
    if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
    return p;
  }

  /** Candidate spec indexes for a path, highest (winning) first: exact paths, then regexes whose prefix the path starts with. */
  private candidates(key: string): number[] {
    const out: number[] = [];
    const ex = this.exact.get(key);
    if (ex) out.push(...ex);
    if (key.endsWith('\n')) {
      const ex2 = this.exact.get(key.slice(0, -1));
      if (ex2) out.push(...ex2);
    }
    const regexes: number[] = [...this.root.specs];
    let node: TrieNode | undefined = this.root;
    for (let k = 0; k < key.length && node; k++) {
      node = node.next.get(key.charCodeAt(k));
      if (node && node.specs.length > 0) for (const i of node.specs) regexes.push(i);
    }
    regexes.sort((a, b) => b - a);
    if (out.length > 1) out.sort((a, b) => b - a);
    return out.concat(regexes);
  }

  private matches(spec: FileContextSpec, key: string): boolean {
    if (spec.exact !== undefined) return key === spec.exact || key === spec.exact + '\n';
    spec.compiled ??= new RegExp(toJsSource(spec.tree), 's');
    return spec.compiled.test(key);
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
    const key = substitute(this.subs, this.subsDist, cleaned).path;
    const stem = pathStem(key);
    const m = mode & S_IFMT;
    for (const i of this.candidates(key)) {
      const spec = this.specs[i]!;
      if (spec.stem !== undefined && spec.stem !== stem) continue;
      if (m !== 0 && spec.mode !== 0 && spec.mode !== m) continue;
      if (!this.matches(spec, key)) continue;
      if (spec.context === '<<none>>') return { context: undefined, error: 'ENOENT', spec };
      return { context: spec.context, spec };
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
