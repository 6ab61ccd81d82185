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
  /** Children by the char code of their label's first character (a sparse array), made when first walked through. */
  kids: PrefixNode[] | undefined = undefined;
  /** Own merged with the parent's, made on first use (the parent's own object when this node has none). */
  candidates: Candidates | undefined = undefined;
  constructor(
    /** The text from the parent to here. */
    readonly label: string,
    readonly parent: PrefixNode | undefined,
    /** The length of the node's text (its prefix). */
    readonly depth: number,
    /** The specs whose prefix ends here, ascending. */
    readonly own: readonly number[],
    /** The specs whose prefix goes on past here, ascending: the children's, until they are made. */
    readonly below: readonly number[],
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

/**
 * Regex specs by their fixed prefix. The tree grows as paths walk it: a node's children are made
 * the first time a path goes through it, so a single lookup pays only for its own path.
 */
export class PrefixIndex {
  private readonly root: PrefixNode;

  /** `prefixes` and `modes` by spec index; `regexes` the indexes of the regex specs, ascending. */
  constructor(
    private readonly prefixes: readonly string[],
    regexes: readonly number[],
    private readonly modes: Uint32Array,
  ) {
    const own = regexes.filter((i) => prefixes[i] === '');
    this.root = new PrefixNode('', undefined, 0, own, own.length === 0 ? regexes : regexes.filter((i) => prefixes[i] !== ''));
  }

  /** A node's children: its specs below grouped by their next character, each group under the text they all share. */
  private expand(node: PrefixNode): PrefixNode[] {
    const kids: PrefixNode[] = [];
    const groups = new Map<number, number[]>();
    for (const i of node.below) {
      const c = this.prefixes[i]!.charCodeAt(node.depth);
      const g = groups.get(c);
      if (g) g.push(i);
      else groups.set(c, [i]);
    }
    for (const [c, group] of groups) {
      const first = this.prefixes[group[0]!]!;
      let end = first.length;
      for (const i of group) {
        const p = this.prefixes[i]!;
        if (p.length < end) end = p.length;
        let k = node.depth + 1;
        while (k < end && p.charCodeAt(k) === first.charCodeAt(k)) k++;
        end = k;
      }
      const own = group.filter((i) => this.prefixes[i]!.length === end);
      const below = own.length === 0 ? group : group.filter((i) => this.prefixes[i]!.length > end);
      kids[c] = new PrefixNode(first.slice(node.depth, end), node, end, own, below);
    }
    node.kids = kids;
    return kids;
  }

  /** The candidates of a path: every regex spec whose prefix the path starts with, highest first. */
  lookup(key: string): Candidates {
    let node = this.root;
    let pos = 0;
    while (pos < key.length) {
      const next = (node.kids ?? this.expand(node))[key.charCodeAt(pos)];
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
