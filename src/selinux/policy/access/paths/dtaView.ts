// The graph sedta analyses (setools' DomainTransitionAnalysis._build_subgraph):
// the domain transition graph, reversed for -r (parents instead of
// children), without the excluded types: no excluded domain, and no
// transition that only an excluded entrypoint type made possible.
//
// Order matters, as paths and transitions come out in networkx's adjacency
// order: forward, each domain's successors in edge-creation order; reversed
// (networkx's DiGraph.reverse), each domain's predecessors in the order of
// the graph's nodes.
import type { DomainTransitionGraph, DtaStep } from './dtaGraph.js';
import { type DtaAdjacency, shortestPaths, simplePaths } from './pathSearch.js';

export interface DtaViewOptions {
  /** Follow transitions backwards (sedta -r). */
  reverse?: boolean;
  /** Types left out (sedta's exclude arguments), as domains and as entrypoints. */
  exclude?: Iterable<number>;
}

export class DtaView implements DtaAdjacency {
  readonly succ = new Map<number, number[]>();
  readonly reverse: boolean;
  private readonly exclude: ReadonlySet<number>;

  constructor(
    readonly graph: DomainTransitionGraph,
    opts: DtaViewOptions = {},
  ) {
    this.reverse = !!opts.reverse;
    const x = (this.exclude = new Set(opts.exclude ?? []));
    const kept = (s: number, t: number): boolean => {
      if (x.has(s) || x.has(t)) return false;
      if (x.size === 0) return true;
      const listed = graph.listedEntrypoints(s, t);
      // An edge none of whose entrypoints is excluded stays as it is; otherwise it needs another entrypoint or a dyntransition.
      return !listed.some((e) => x.has(e)) || listed.some((e) => !x.has(e)) || graph.validDyn(s, t);
    };
    for (const s of graph.nodeOrder) {
      for (const t of graph.succ.get(s) ?? []) {
        if (!kept(s, t)) continue;
        const [a, b] = this.reverse ? [t, s] : [s, t];
        const l = this.succ.get(a);
        if (l) l.push(b);
        else this.succ.set(a, [b]);
      }
    }
  }

  hasNode(v: number): boolean {
    return this.graph.hasNode(v) && !this.exclude.has(v);
  }

  /** All shortest paths, as lists of this view's nodes (sedta -S). */
  shortestPaths(source: number, target: number): number[][] {
    return shortestPaths(this, source, target);
  }

  /** All simple paths of at most maxSteps steps (sedta -A). */
  allPaths(source: number, target: number, maxSteps: number): number[][] {
    return simplePaths(this, source, target, maxSteps);
  }

  /** The edges out of `source` in this view (sedta without -t). */
  transitions(source: number): [number, number][] {
    if (!this.hasNode(source)) return [];
    return (this.succ.get(source) ?? []).map((t) => [source, t]);
  }

  /** The step from `a` to `b` of this view, as sedta prints it: the transition's real source and target, and its rules. */
  step(a: number, b: number): DtaStep {
    return this.reverse ? this.graph.step(b, a, this.exclude) : this.graph.step(a, b, this.exclude);
  }
}
