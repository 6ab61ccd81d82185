// The index that gives a lookup its regex candidates: a radix tree over the
// specs' fixed prefixes. Walking a path down the tree (no slicing, no
// hashing) ends at the node of the longest prefix it starts with; that node's
// list holds every regex spec whose prefix the path starts with, highest
// (winning) first, so the lookup checks no prefix itself. The lists are made
// on first use per node and per file type, from the parent's: their number is
// bounded by the specs, not by the paths looked up. Not here: matching
// (lookup.ts, specs.ts).

const NONE: readonly number[] = [];

/**
 * A list of regex spec indexes, highest (winning) first, with its sublists for each file type
 * (made on first use): a lookup for a type walks only the specs that can apply to it.
 */
export class Candidates {
  private readonly byMode: Array<readonly number[] | undefined> = [];
  constructor(
    readonly all: readonly number[],
    /** S_IFMT bits of each spec by index (0: every type). */
    private readonly modes: Uint32Array,
  ) {}

  /** The indexes whose spec is for every file type or for `m` (S_IFMT bits; 0: all of them). */
  forMode(m: number): readonly number[] {
    const slot = m >>> 12;
    let list = this.byMode[slot];
    if (list === undefined) {
      list = m === 0 ? this.all : this.all.filter((i) => this.modes[i] === 0 || this.modes[i] === m);
      this.byMode[slot] = list;
    }
    return list;
  }
}

class PrefixNode {
  /** Children by the first character of their label. */
  readonly kids = new Map<number, PrefixNode>();
  /** The specs whose prefix ends here, in ascending order while the tree is built. */
  readonly own: number[] = [];
  /** Own merged with the parent's, made on first use (the parent's own object when this node has none). */
  candidates: Candidates | undefined;
  constructor(
    /** The text from the parent to here. */
    public label: string,
    public parent: PrefixNode | undefined,
  ) {}
}

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

/** Regex specs by their fixed prefix. */
export class PrefixIndex {
  private readonly root = new PrefixNode('', undefined);

  /** `prefixes` and `modes` by spec index; `regexes` the indexes of the regex specs, ascending. */
  constructor(
    prefixes: readonly string[],
    regexes: readonly number[],
    private readonly modes: Uint32Array,
  ) {
    for (const i of regexes) this.insert(prefixes[i]!, i);
  }

  private insert(prefix: string, i: number): void {
    let node = this.root;
    let pos = 0;
    for (;;) {
      if (pos === prefix.length) {
        node.own.push(i);
        return;
      }
      const c = prefix.charCodeAt(pos);
      const next = node.kids.get(c);
      if (next === undefined) {
        const leaf = new PrefixNode(prefix.slice(pos), node);
        leaf.own.push(i);
        node.kids.set(c, leaf);
        return;
      }
      const label = next.label;
      let k = 1;
      while (k < label.length && pos + k < prefix.length && label.charCodeAt(k) === prefix.charCodeAt(pos + k)) k++;
      if (k < label.length) {
        // The prefix leaves the label part way: a node where they part.
        const mid = new PrefixNode(label.slice(0, k), node);
        node.kids.set(c, mid);
        next.label = label.slice(k);
        next.parent = mid;
        mid.kids.set(next.label.charCodeAt(0), next);
        node = mid;
      } else node = next;
      pos += k;
    }
  }

  /** The candidates of a path: every regex spec whose prefix the path starts with, highest first. */
  lookup(key: string): Candidates {
    let node = this.root;
    let pos = 0;
    while (pos < key.length) {
      const next = node.kids.get(key.charCodeAt(pos));
      if (next === undefined || !key.startsWith(next.label, pos)) break;
      pos += next.label.length;
      node = next;
    }
    return node.candidates ?? this.candidatesOf(node);
  }

  private candidatesOf(node: PrefixNode): Candidates {
    if (node.candidates) return node.candidates;
    const inherited = node.parent ? this.candidatesOf(node.parent) : undefined;
    const own = node.own.length === 0 ? NONE : [...node.own].reverse();
    node.candidates = own.length === 0 && inherited ? inherited : new Candidates(mergeDescending(inherited?.all ?? NONE, own), this.modes);
    return node.candidates;
  }
}
