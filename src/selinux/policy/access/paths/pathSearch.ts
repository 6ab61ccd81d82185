// Path searches over the domain transition graph (or a view of it), in networkx's order so that
// sedta's output is matched line for line: all shortest paths (sedta -S: BFS over each node's
// successors in order) and all simple paths up to a length (sedta -A).

/** What a path search needs of a graph: each node's successors, in order, and its nodes. */
export interface DtaAdjacency {
  succ: ReadonlyMap<number, readonly number[]>;
  hasNode(v: number): boolean;
}

/**
 * All shortest paths from `source` to `target` as lists of types, in the
 * order networkx's all_shortest_paths yields them. [] when there is none;
 * [[source]] when source === target and it is in the graph.
 */
export function shortestPaths(g: DtaAdjacency, source: number, target: number): number[][] {
  if (!g.hasNode(source)) return [];
  // nx.predecessor: BFS keeping every predecessor at the previous level.
  const seen = new Map<number, number>([[source, 0]]);
  const pred = new Map<number, number[]>([[source, []]]);
  let level = 0;
  let next = [source];
  while (next.length) {
    level++;
    const cur = next;
    next = [];
    for (const v of cur) {
      for (const w of g.succ.get(v) ?? []) {
        const lw = seen.get(w);
        if (lw === undefined) {
          pred.set(w, [v]);
          seen.set(w, level);
          next.push(w);
        } else if (lw === level) pred.get(w)!.push(v);
      }
    }
  }
  if (!pred.has(target)) return [];
  // nx _build_paths_from_predecessors: depth-first from the target.
  const out: number[][] = [];
  const seenPath = new Set<number>([target]);
  const stack: [number, number][] = [[target, 0]];
  let top = 0;
  while (top >= 0) {
    const frame = stack[top]!;
    const node = frame[0];
    const i = frame[1];
    if (node === source)
      out.push(
        stack
          .slice(0, top + 1)
          .map((f) => f[0])
          .reverse(),
      );
    const p = pred.get(node)!;
    if (p.length > i) {
      frame[1] = i + 1;
      const n = p[i]!;
      if (seenPath.has(n)) continue;
      seenPath.add(n);
      top++;
      if (top === stack.length) stack.push([n, 0]);
      else stack[top] = [n, 0];
    } else {
      seenPath.delete(node);
      top--;
    }
  }
  return out;
}

/**
 * All simple paths from `source` to `target` of at most `cutoff` steps, in the order networkx's
 * all_simple_paths yields them (sedta -A).
 */
export function simplePaths(g: DtaAdjacency, source: number, target: number, cutoff: number): number[][] {
  if (!g.hasNode(source) || !g.hasNode(target) || source === target || cutoff < 1) return [];
  const out: number[][] = [];
  const visited: number[] = [source];
  const onPath = new Set<number>([source]);
  const stack: { list: readonly number[]; i: number }[] = [{ list: g.succ.get(source) ?? [], i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.i >= top.list.length) {
      stack.pop();
      onPath.delete(visited.pop()!);
      continue;
    }
    const child = top.list[top.i++]!;
    if (visited.length < cutoff) {
      if (onPath.has(child)) continue;
      if (child === target) {
        out.push([...visited, child]);
        // The target is the only one: no path goes on through it.
        continue;
      }
      visited.push(child);
      onPath.add(child);
      stack.push({ list: g.succ.get(child) ?? [], i: 0 });
    } else {
      // At the cutoff: the target among this node's remaining successors (child included) ends one more path.
      if (!onPath.has(target) && (child === target || top.list.slice(top.i).includes(target))) out.push([...visited, target]);
      stack.pop();
      onPath.delete(visited.pop()!);
    }
  }
  return out;
}
