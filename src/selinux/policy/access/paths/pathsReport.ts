// `policy paths` (sedta) as a library call: the domain transition paths from one domain to
// another (all shortest, or all up to a length), or the transitions out of (into, reversed) a
// domain, over the graph without the excluded types; the result as sedta's text and as JSON.
import { fail } from '../../../../base/diagnostic.js';
import type { Policy } from '../../model.js';
import { ruleText } from '../ruleText.js';
import type { RuleRef } from '../teLookup.js';
import { DomainTransitionGraph } from './dtaGraph.js';
import { DtaView } from './dtaView.js';
import { printSedtaPaths, printSedtaTransitions } from './sedtaText.js';

export interface PathsRequest {
  /** The domain the paths start from (sedta -s); with `reverse`, where they end. */
  source: string;
  /** The domain they lead to (sedta -t); without it, the transitions out of (into) `source`. */
  target?: string;
  /** All paths of at most this many steps (sedta -A); else all shortest paths (sedta -S). Only with a target. */
  maxSteps?: number;
  /** Follow the transitions backwards (sedta -r). */
  reverse?: boolean;
  /** Types left out, as domains and as entrypoints (sedta's exclude list). */
  exclude?: readonly string[];
  /** Stop after this many paths or transitions (sedta -l; 0: no limit). */
  limit?: number;
  /** The rules of each step (sedta --full). */
  full?: boolean;
  /** The graph's numbers of nodes and edges (sedta --stats). */
  stats?: boolean;
}

export interface PathsReport {
  request: PathsRequest;
  /** The graph analysed (reversed, without the excluded types): its steps give the rules. @internal */
  view: DtaView;
  source: number;
  target: number | undefined;
  /** Without a target: the transitions, as (from, to) in the view's direction. */
  transitions: [number, number][];
  /** With a target: the paths, as lists of the view's nodes. */
  paths: number[][];
  /** The whole graph's (not reversed, nothing excluded), as sedta --stats counts them. */
  stats: { nodes: number; edges: number };
}

/** A type's value by name (aliases too); an unknown name or an attribute is setools' `X is not a valid type` (`unknown-name`). */
export function lookupDomain(policy: Policy, name: string): number {
  const v = policy.index.typeValues.get(name);
  if (v === undefined || policy.types[v - 1]?.isAttribute) fail('unknown-name', `${name} is not a valid type`, { data: { kind: 'type', name } });
  return v;
}

/** sedta's analysis; its checks in its order: the excluded types, the path length, the source, the target. */
export function analyzePaths(policy: Policy, req: PathsRequest): PathsReport {
  const exclude = (req.exclude ?? []).map((n) => lookupDomain(policy, n));
  const maxSteps = req.target === undefined ? undefined : req.maxSteps;
  if (maxSteps !== undefined && maxSteps < 1) fail('usage', 'Maximum path length must be positive.', { data: { maxSteps } });
  const source = lookupDomain(policy, req.source);
  const target = req.target === undefined ? undefined : lookupDomain(policy, req.target);
  const graph = new DomainTransitionGraph(policy);
  const view = new DtaView(graph, { reverse: !!req.reverse, exclude });
  const limit = req.limit ?? 0;
  const cut = <T>(list: T[]): T[] => (limit > 0 ? list.slice(0, limit) : list);
  let transitions: [number, number][] = [];
  let paths: number[][] = [];
  if (target === undefined) transitions = cut(view.transitions(source));
  else paths = cut(maxSteps !== undefined ? view.allPaths(source, target, maxSteps) : view.shortestPaths(source, target));
  return { request: req, view, source, target, transitions, paths, stats: { nodes: graph.nodeOrder.length, edges: graph.edgeCount } };
}

/** The report as sedta prints it (--stats block included when asked). */
export function formatPaths(policy: Policy, r: PathsReport): string {
  const opts = { full: !!r.request.full, limit: r.request.limit ?? 0 };
  const text = r.target === undefined ? printSedtaTransitions(policy, r.view, r.transitions, opts) : printSedtaPaths(policy, r.view, r.paths, opts);
  return text + (r.request.stats ? `\nGraph statistics:\nGraph nodes: ${r.stats.nodes}\nGraph edges: ${r.stats.edges}\n` : '');
}

/** The report as `policy paths --json` prints it (before JSON.stringify). */
export function pathsJson(policy: Policy, r: PathsReport): Record<string, unknown> {
  const req = r.request;
  const tn = (v: number): string => policy.types[v - 1]?.name ?? `type${v}`;
  const text = (x: RuleRef): string => ruleText(policy, x);
  const step = (a: number, b: number): object => {
    const st = r.view.step(a, b);
    return {
      source: tn(st.source),
      target: tn(st.target),
      ...(req.full && {
        transition: st.transition.map(text),
        setexec: st.setexec.map(text),
        entrypoints: st.entrypoints.map((e) => ({ type: tn(e.type), entrypoint: e.entrypoint.map(text), execute: e.execute.map(text), typeTransition: e.typeTransition.map(text) })),
        dyntransition: st.dyntransition.map(text),
        setcurrent: st.setcurrent.map(text),
      }),
    };
  };
  const head = { from: req.source, ...(req.target !== undefined ? { to: req.target } : {}), reverse: !!req.reverse, exclude: [...(req.exclude ?? [])] };
  const stats = req.stats ? { stats: r.stats } : {};
  if (r.target === undefined) return { ...head, transitions: r.transitions.map(([a, b]) => step(a, b)), ...stats };
  const maxSteps = req.maxSteps;
  return { ...head, algorithm: maxSteps !== undefined ? { all: maxSteps } : 'shortest', paths: r.paths.map((p) => p.slice(1).map((b, i) => step(p[i]!, b))), ...stats };
}
