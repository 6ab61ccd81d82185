// Differential tests of `policy transition` (security_compute_create) and
// `policy paths` (sedta -S) against setools' Python API on $SE_POLICY, in one
// /usr/bin/python3 process (sedta as a process costs ~1.5 s per call).
//
// (a) Every type_transition rule setools lists for `process` and for a seeded
//     sample of object classes (all classes with PORTHOLE_FULL_SWEEP=1) is
//     reproduced: computeCreate(source type, target type, class[, filename])
//     gives the rule's default type (conditional rules: when their branch is
//     enabled by the current booleans; else the unconditional default). Same for
//     role_transition (role) and range_transition (range). No loaded policy is
//     available here, so libselinux's security_compute_create cannot be the
//     oracle; binary type rules are keyed by types (libsepol expands
//     attributes), so no more specific rule can exist for a rule's own key.
// (b) `policy paths` text equals sedta -S on 50 seeded random (source, target)
//     domain pairs (300 with PORTHOLE_FULL_SWEEP=1); the first few also with
//     --full, entrypoint blocks sorted by name on both sides (sedta prints them
//     in Python set order, different on every run).
// (c) sedta's other analyses through the same graph: transitions out of (and,
//     with -r, into) a domain, reversed paths, excluded types, -A with 2 or 3
//     steps, -l; 60 seeded runs (300 with PORTHOLE_FULL_SWEEP=1).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';

import { DomainTransitionGraph } from '../../src/selinux/policy/access/paths/dtaGraph.js';
import { DtaView } from '../../src/selinux/policy/access/paths/dtaView.js';
import { printSedtaPaths, printSedtaTransitions } from '../../src/selinux/policy/access/paths/sedtaText.js';
import { computeCreate } from '../../src/selinux/policy/access/transition/computeCreate.js';
import { parseRange } from '../../src/selinux/policy/access/transition/contextText.js';
import { type Policy, readPolicy } from '../../src/selinux/policy/index.js';
import { rangeText } from '../../src/selinux/policy/level.js';
import { Rng } from '../gen/prng.js';
import { describeOracle, findOracles, SYSTEM_PYTHON } from './support/oracles.js';

const FULL = /^(1|true|yes)$/i.test(process.env.PORTHOLE_FULL_SWEEP ?? '');
const SEED = 20240611;
const PAIRS = FULL ? 300 : 50;
const FULL_TEXT_PAIRS = FULL ? 40 : 6;
/** sedta runs beyond -S (transitions, -r, exclude, -A, -l). */
const MORE = FULL ? 300 : 60;
const OBJECT_CLASSES = FULL ? Infinity : 8;

const PY = String.raw`
import json, sys
import setools
req = json.load(sys.stdin)
p = setools.SELinuxPolicy(req["policy"])
out = {"tt": [], "rt": [], "mt": [], "dta": []}
classes = set(req["classes"]) if req["classes"] is not None else None
for r in p.terules():
    if r.ruletype != setools.TERuletype.type_transition:
        continue
    c = str(r.tclass)
    if c != "process" and classes is not None and c not in classes:
        continue
    try:
        fn = r.filename
    except Exception:
        fn = None
    enabled = True
    try:
        cond = r.conditional
        enabled = cond.evaluate() == r.conditional_block
    except Exception:
        pass
    for s in r.source.expand():
        for t in r.target.expand():
            out["tt"].append([str(s), str(t), c, str(r.default), fn, enabled])
for r in p.rbacrules():
    if r.ruletype.name != "role_transition":
        continue
    for t in r.target.expand():
        out["rt"].append([str(r.source), str(t), str(r.tclass), str(r.default)])
for r in p.mlsrules():
    for s in r.source.expand():
        for t in r.target.expand():
            out["mt"].append([str(s), str(t), str(r.tclass), str(r.default)])

g = setools.DomainTransitionAnalysis(p)
def step_text(trans):
    o = ["\n"]
    if trans.transition:
        o.append("Domain transition rule(s):\n")
        o.extend(str(t) + "\n" for t in trans.transition)
        if trans.setexec:
            o.append("\nSet execution context rule(s):\n")
            o.extend(str(s) + "\n" for s in trans.setexec)
        for e in sorted(trans.entrypoints, key=lambda e: str(e.name)):
            o.append("\nEntrypoint {0}:\n".format(e.name))
            o.append("\tDomain entrypoint rule(s):\n")
            o.extend("\t{0}\n".format(x) for x in e.entrypoint)
            o.append("\n\tFile execute rule(s):\n")
            o.extend("\t{0}\n".format(x) for x in e.execute)
            if e.type_transition:
                o.append("\n\tType transition rule(s):\n")
                o.extend("\t{0}\n".format(x) for x in e.type_transition)
            o.append("\n")
    if trans.dyntransition:
        o.append("Dynamic transition rule(s):\n")
        o.extend(str(d) + "\n" for d in trans.dyntransition)
        o.append("\nSet current process context rule(s):\n")
        o.extend(str(s) + "\n" for s in trans.setcurrent)
        o.append("\n")
    o.append("\n")
    return "".join(o)
for k, (s, t) in enumerate(req["pairs"]):
    full = k < req["full"]
    o = []
    i = 0
    for i, path in enumerate(g.all_shortest_paths(s, t), start=1):
        o.append("Domain transition path {0}:\n".format(i))
        for n, step in enumerate(path, start=1):
            o.append("Step {0}: {1} -> {2}\n".format(n, step.source, step.target))
            if full:
                o.append(step_text(step))
        o.append("\n")
    o.append("\n{} domain transition path(s) found.\n".format(i))
    out["dta"].append("".join(o))
# sedta's other analyses, through the same graph: its main program with -r, exclude, -A, -l and no -t.
out["more"] = []
for q in req["more"]:
    g.reverse = q["reverse"]
    g.exclude = q["exclude"]
    # Excluding entrypoints deletes them from edge data the subgraph shares with the graph
    # (a shallow copy): the graph must be built anew for the runs after such a one.
    if q["exclude"]:
        g.rebuildgraph = True
    o = []
    i = 0
    limit = q["limit"]
    if q["target"] is not None:
        paths = g.all_paths(q["source"], q["target"], q["maxlen"]) if q["maxlen"] else g.all_shortest_paths(q["source"], q["target"])
        for i, path in enumerate(paths, start=1):
            o.append("Domain transition path {0}:\n".format(i))
            for n, step in enumerate(path, start=1):
                o.append("Step {0}: {1} -> {2}\n".format(n, step.source, step.target))
                if q["full"]:
                    o.append(step_text(step))
            if limit and i >= limit:
                break
            o.append("\n")
        o.append("\n{} domain transition path(s) found.\n".format(i))
    else:
        for i, step in enumerate(g.transitions(q["source"]), start=1):
            o.append("Transition {0}: {1} -> {2}\n".format(i, step.source, step.target))
            if q["full"]:
                o.append(step_text(step))
            if limit and i >= limit:
                break
        o.append("\n{} domain transition(s) found.\n".format(i))
    out["more"].append("".join(o))
json.dump(out, sys.stdout)
`;

/** One sedta run beyond -S FROM TO: transitions (no target), reverse, excluded types, -A, -l. */
interface MoreQuery {
  source: string;
  target: string | null;
  /** -A MAX_STEPS; 0 for -S. */
  maxlen: number;
  reverse: boolean;
  exclude: string[];
  limit: number;
  full: boolean;
}

interface PyOut {
  more: string[];
  /** source, target, class, default, filename, enabled */
  tt: [string, string, string, string, string | null, boolean][];
  rt: [string, string, string, string][];
  mt: [string, string, string, string][];
  dta: string[];
}

describeOracle('policy transition / paths vs setools', () => {
  let policy: Policy;
  let py: PyOut;
  let pairs: [string, string][];
  let graph: DomainTransitionGraph;
  let more: MoreQuery[];

  beforeAll(() => {
    const path = findOracles().policy;
    policy = readPolicy(new Uint8Array(readFileSync(path)));
    const rng = new Rng(SEED);
    const domainAttr = policy.index.typeValues.get('domain')!;
    const domains = policy.types[domainAttr - 1]!.attrs.map((v) => policy.types[v - 1]!.name);
    graph = new DomainTransitionGraph(policy);
    // Half uniform pairs; half with a target our graph says is reachable (so that paths, and
    // their order when there are several, get compared too).
    const reachable = (s: string): string[] => {
      const seen = new Set<number>([policy.index.typeValues.get(s)!]);
      const queue = [...seen];
      for (let i = 0; i < queue.length; i++)
        for (const w of graph.succ.get(queue[i]!) ?? [])
          if (!seen.has(w)) {
            seen.add(w);
            queue.push(w);
          }
      return [...seen].slice(1).map((v) => policy.types[v - 1]!.name);
    };
    const sources = domains.filter((d) => graph.succ.has(policy.index.typeValues.get(d)!));
    pairs = Array.from({ length: PAIRS }, (_, k) => {
      if (k % 2 === 0) return [rng.pick(domains), rng.pick(domains)] as [string, string];
      const s = rng.pick(sources);
      const r = reachable(s);
      return [s, r.length ? rng.pick(r) : rng.pick(domains)] as [string, string];
    });
    more = moreQueries(policy, graph, rng, domains, sources);
    const objClasses = policy.classes.filter((c) => c && c.name !== 'process').map((c) => c.name);
    const classes =
      OBJECT_CLASSES === Infinity
        ? null
        : [
            'file',
            'dir',
            ...rng.sample(
              objClasses.filter((c) => c !== 'file' && c !== 'dir'),
              OBJECT_CLASSES - 2,
            ),
          ];
    const r = spawnSync(SYSTEM_PYTHON, ['-s', '-c', PY], {
      input: JSON.stringify({ policy: path, pairs, full: FULL_TEXT_PAIRS, classes, more }),
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      timeout: 600_000,
    });
    if (r.status !== 0) throw new Error(`setools batch failed (${r.status}): ${r.stderr}`);
    py = JSON.parse(r.stdout) as PyOut;
  });

  const ctx = (type: string, role = 'system_r') => ({
    user: policy.index.userValues.get('system_u')!,
    role: policy.index.roleValues.get(role)!,
    type: policy.index.typeValues.get(type)!,
    range: parseRange(policy, 's0-s0:c0.c1023'),
  });

  it('reproduces every type_transition setools lists (process + sampled object classes)', () => {
    const bad: string[] = [];
    let n = 0;
    let fname = 0;
    let cond = 0;
    // Keys with an enabled rule: a disabled conditional rule must then not apply.
    const enabledKey = new Set(py.tt.filter((x) => x[5]).map((x) => `${x[0]} ${x[1]} ${x[2]} ${x[4] ?? ''}`));
    for (const [s, t, c, def, name, enabled] of py.tt) {
      const key = `${s} ${t} ${c} ${name ?? ''}`;
      if (!enabled && enabledKey.has(key)) continue;
      const tclass = policy.index.classValues.get(c)!;
      const r = computeCreate(policy, ctx(s), ctx(t, 'object_r'), tclass, name === null ? {} : { name });
      const got = policy.types[r.context.type - 1]!.name;
      n++;
      if (name !== null) fname++;
      if (!enabled) cond++;
      if (enabled ? got !== def : got === def && def !== (c === 'process' ? s : t)) bad.push(`${key} -> want ${enabled ? '' : 'not '}${def}, got ${got}`);
    }
    console.log(`type_transition: ${n} checked (${fname} filename, ${cond} disabled conditional), ${bad.length} wrong`);
    expect(bad.slice(0, 20)).toEqual([]);
    expect(n).toBeGreaterThan(1000);
  });

  it('reproduces every role_transition and range_transition', () => {
    const bad: string[] = [];
    for (const [r, t, c, def] of py.rt) {
      const res = computeCreate(policy, ctx('init_t', r), ctx(t, 'object_r'), policy.index.classValues.get(c)!);
      const got = policy.roles[res.context.role - 1]!.name;
      if (got !== def) bad.push(`role_transition ${r} ${t}:${c} -> want ${def}, got ${got}`);
    }
    for (const [s, t, c, def] of py.mt) {
      const res = computeCreate(policy, ctx(s), ctx(t, 'object_r'), policy.index.classValues.get(c)!);
      const want = rangeText(policy, parseRange(policy, def.replace(' - ', '-')));
      const got = rangeText(policy, res.context.range);
      if (got !== want) bad.push(`range_transition ${s} ${t}:${c} -> want ${want}, got ${got}`);
    }
    console.log(`role_transition: ${py.rt.length}, range_transition: ${py.mt.length} checked, ${bad.length} wrong`);
    expect(bad.slice(0, 20)).toEqual([]);
    expect(py.rt.length + py.mt.length).toBeGreaterThan(100);
  });

  it(`prints the same paths as sedta -S on ${PAIRS} random domain pairs`, () => {
    let withPaths = 0;
    let multi = 0;
    const diffs: string[] = [];
    pairs.forEach(([s, t], k) => {
      const sv = policy.index.typeValues.get(s)!;
      const tv = policy.index.typeValues.get(t)!;
      const paths = graph.allShortestPaths(sv, tv);
      if (paths.length) withPaths++;
      if (paths.length > 1) multi++;
      const ours = printSedtaPaths(policy, graph, paths, { full: k < FULL_TEXT_PAIRS });
      if (ours !== py.dta[k]) diffs.push(`${s} -> ${t}${k < FULL_TEXT_PAIRS ? ' (--full)' : ''}`);
    });
    console.log(`sedta: ${pairs.length} pairs, ${withPaths} with paths, ${multi} with several, ${diffs.length} different`);
    expect(diffs).toEqual([]);
    expect(withPaths).toBeGreaterThan(0);
  });

  it(`prints the same as sedta's other analyses (transitions, -r, exclude, -A, -l) on ${MORE} runs`, () => {
    const diffs: string[] = [];
    const kinds = new Map<string, number>();
    more.forEach((q, k) => {
      const view = new DtaView(graph, { reverse: q.reverse, exclude: q.exclude.map((n) => policy.index.typeValues.get(n)!) });
      const s = policy.index.typeValues.get(q.source)!;
      const opts = { full: q.full, limit: q.limit };
      let ours: string;
      if (q.target === null) ours = printSedtaTransitions(policy, view, view.transitions(s), opts);
      else {
        const t = policy.index.typeValues.get(q.target)!;
        ours = printSedtaPaths(policy, view, q.maxlen ? view.allPaths(s, t, q.maxlen) : view.shortestPaths(s, t), opts);
      }
      const kind = `${q.target === null ? 'transitions' : q.maxlen ? `-A ${q.maxlen}` : '-S'}${q.reverse ? ' -r' : ''}${q.exclude.length ? ' exclude' : ''}${q.limit ? ' -l' : ''}`;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      if (ours !== py.more[k]) diffs.push(`${kind}: ${q.source} -> ${q.target ?? '*'} ${q.exclude.join(',')}${q.full ? ' (--full)' : ''}\n${firstDiff(ours, py.more[k]!)}`);
    });
    const nonEmpty = py.more.filter((o) => !/^\n0 domain/.test(o)).length;
    console.log(`sedta (other analyses): ${more.length} runs, ${nonEmpty} with results, ${diffs.length} different; ${[...kinds].map(([k, n]) => `${k}: ${n}`).join(', ')}`);
    expect(diffs.slice(0, 5)).toEqual([]);
    expect(nonEmpty).toBeGreaterThan(more.length / 2);
  });
}, ['policy', 'python-setools']);

function firstDiff(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return `  line ${i + 1}:\n  ours:   ${JSON.stringify(x[i])}\n  sedta:  ${JSON.stringify(y[i])}`;
}

/** Seeded sedta runs: transitions out of and into domains, reversed and excluding paths, -A with 2 or 3 steps, limits. */
function moreQueries(policy: Policy, graph: DomainTransitionGraph, rng: Rng, domains: string[], sources: string[]): MoreQuery[] {
  const name = (v: number): string => policy.types[v - 1]!.name;
  const v = (n: string): number => policy.index.typeValues.get(n)!;
  const reverse = new DtaView(graph, { reverse: true });
  const targets = domains.filter((d) => reverse.succ.has(v(d)));
  const q = (source: string, target: string | null, x: Partial<MoreQuery> = {}): MoreQuery => ({ source, target, maxlen: 0, reverse: false, exclude: [], limit: 0, full: false, ...x });
  const out: MoreQuery[] = [];
  const n = MORE / 6;
  for (let k = 0; k < n; k++) out.push(q(rng.pick(sources), null, { full: k < 3, limit: k % 4 === 3 ? 2 : 0 }));
  for (let k = 0; k < n; k++) out.push(q(rng.pick(targets), null, { reverse: true, full: k < 2 }));
  for (let k = 0; k < n; k++) {
    // A reversed path: from a domain back to one of its ancestors.
    const t = rng.pick(targets);
    const seen = new Set([v(t)]);
    const queue = [v(t)];
    for (let i = 0; i < queue.length && queue.length < 200; i++)
      for (const w of reverse.succ.get(queue[i]!) ?? [])
        if (!seen.has(w)) {
          seen.add(w);
          queue.push(w);
        }
    out.push(q(t, name(rng.pick(queue.slice(1).length ? queue.slice(1) : queue)), { reverse: true, full: k < 2, limit: k % 3 === 2 ? 1 : 0 }));
  }
  for (let k = 0; k < n; k++) {
    // Excluding part of a shortest path: a middle domain, or an entrypoint type of its first step.
    const [s, t] = [rng.pick(sources), rng.pick(domains)];
    const path = graph.allShortestPaths(v(s), v(t))[0] ?? [v(s), graph.succ.get(v(s))![0]!];
    const exclude = path.length > 2 && rng.chance(0.5) ? [name(path[1]!)] : graph.listedEntrypoints(path[0]!, path[1]!).slice(0, 2).map(name);
    out.push(q(s, path.length > 1 ? name(path.at(-1)!) : t, { exclude, full: k < 2 }));
  }
  for (let k = 0; k < n; k++) {
    // -A: low fan-out sources keep the number of paths small.
    const s = rng.pick(sources.filter((d) => (graph.succ.get(v(d))?.length ?? 0) <= 8));
    const path = graph.allShortestPaths(v(s), v(rng.pick(domains)))[0];
    const t = path && path.length <= 3 ? name(path.at(-1)!) : name(graph.succ.get(v(s))![0]!);
    out.push(q(s, t, { maxlen: rng.chance(0.5) ? 2 : 3, limit: k % 4 === 3 ? 3 : 0, full: k < 1 }));
  }
  for (let k = 0; k < n; k++) out.push(q(rng.pick(sources), null, { exclude: [rng.pick(domains)], limit: k % 2 ? 0 : 5 }));
  return out;
}
