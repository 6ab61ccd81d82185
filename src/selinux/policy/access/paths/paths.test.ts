// Unit tests of the domain transition analysis (sedta): the graph (dtaGraph.ts), its views
// (dtaView.ts), path searches (pathSearch.ts), setools' rule order (avtabOrder.ts), sedta's text
// (sedtaText.ts) and the report of `policy paths` (pathsReport.ts); rule texts (../ruleText.ts).
import { describe, expect, it } from 'vitest';
import { makePolicy, SPEC } from '../../../../../test/fixtures/policy/memoryPolicy.js';
import { thrownDiagnostic } from '../../../../../test/fixtures/thrown.js';
import type { PortholeError } from '../../../../base/diagnostic.js';
import { ruleText } from '../ruleText.js';
import { avtabHash, avtabMask, libsepolAvtabOrder } from './avtabOrder.js';
import { DomainTransitionGraph } from './dtaGraph.js';
import { DtaView } from './dtaView.js';
import { analyzePaths, formatPaths, lookupDomain, type PathsRequest, pathsJson } from './pathsReport.js';
import { printSedtaPaths, printSedtaTransitions } from './sedtaText.js';

describe('domain transition analysis (sedta)', () => {
  const p = makePolicy(SPEC);
  const g = new DomainTransitionGraph(p);
  const v = (n: string) => lookupDomain(p, n);
  const names = (paths: number[][]) => paths.map((x) => x.map((t) => p.types[t - 1]!.name).join(' > '));

  it('needs transition, execute + entrypoint, and setexec or a type_transition', () => {
    expect(g.hasEdge(v('init_t'), v('sshd_t'))).toBe(true);
    // user_t -> su_t: no type_transition but user_t has setexec.
    expect(g.hasEdge(v('user_t'), v('su_t'))).toBe(true);
    // su_t -> sshd_t: type_transition via sshd_exec_t; sshd_t -> user_t: dyntransition + setcurrent.
    expect(g.hasEdge(v('su_t'), v('sshd_t'))).toBe(true);
    expect(g.hasEdge(v('sshd_t'), v('user_t'))).toBe(true);
    // init_t -> user_t: the conditional transition counts whatever the boolean (like setools),
    // and the conditional type_transition makes it valid.
    expect(g.hasEdge(v('init_t'), v('user_t'))).toBe(true);
  });

  it('finds all shortest paths in networkx order and prints them like sedta', () => {
    // Both middles, in the order user_t's edges were created (networkx's BFS order).
    const mids = g.succ.get(v('user_t'))!.filter((x) => x === v('su_t') || x === v('init_t'));
    expect(mids.length).toBe(2);
    expect(names(g.allShortestPaths(v('user_t'), v('sshd_t')))).toEqual(mids.map((m) => `user_t > ${p.types[m - 1]!.name} > sshd_t`));
    expect(printSedtaPaths(p, g, g.allShortestPaths(v('init_t'), v('sshd_t')))).toBe('Domain transition path 1:\nStep 1: init_t -> sshd_t\n\n\n1 domain transition path(s) found.\n');
    expect(printSedtaPaths(p, g, g.allShortestPaths(v('init_t'), v('init_t')))).toBe('Domain transition path 1:\n\n\n1 domain transition path(s) found.\n');
    expect(printSedtaPaths(p, g, g.allShortestPaths(v('su_t'), v('tmp_t')))).toBe('\n0 domain transition path(s) found.\n');
    expect(thrownDiagnostic(() => v('domain'))).toMatchObject({ code: 'unknown-name', message: 'domain is not a valid type', data: { kind: 'type', name: 'domain' } });
  });

  it('lists the rules of a step (sedta --full)', () => {
    const text = printSedtaPaths(p, g, [[v('init_t'), v('sshd_t')]], { full: true });
    expect(text).toContain('Domain transition rule(s):\nallow init_t sshd_t:process transition;\n');
    expect(text).toContain('Entrypoint sshd_exec_t:\n\tDomain entrypoint rule(s):\n\tallow sshd_t sshd_exec_t:file entrypoint;\n');
    expect(text).toContain('\tFile execute rule(s):\n\tallow domain exec_type:file { execute read };\n');
    expect(text).toContain('\tType transition rule(s):\n\ttype_transition init_t sshd_exec_t:process sshd_t;\n');
    const dyn = printSedtaPaths(p, g, [[v('sshd_t'), v('user_t')]], { full: true });
    expect(dyn).toContain('Dynamic transition rule(s):\nallow sshd_t user_t:process dyntransition;\n\nSet current process context rule(s):\nallow sshd_t sshd_t:process setcurrent;\n');
    expect(ruleText(p, { cond: true, index: 0 })).toBe('type_transition init_t bin_t:process user_t; [ b1 ]:True');
  });

  it('reverses, excludes, enumerates paths up to a length and lists transitions (sedta -r, exclude, -A, no -t, -l)', () => {
    const fwd = new DtaView(g);
    expect(fwd.transitions(v('init_t')).map(([, t]) => p.types[t - 1]!.name)).toEqual(g.succ.get(v('init_t'))!.map((t) => p.types[t - 1]!.name));
    const rev = new DtaView(g, { reverse: true });
    // Into sshd_t: its predecessors, printed the way the transitions go.
    const into = printSedtaTransitions(p, rev, rev.transitions(v('sshd_t')));
    expect(into).toMatch(/^Transition 1: \w+ -> sshd_t\n/);
    expect(into.endsWith(`\n${rev.transitions(v('sshd_t')).length} domain transition(s) found.\n`)).toBe(true);
    expect(printSedtaPaths(p, rev, rev.shortestPaths(v('sshd_t'), v('init_t')))).toBe('Domain transition path 1:\nStep 1: init_t -> sshd_t\n\n\n1 domain transition path(s) found.\n');
    // Without its only entrypoint, init_t -> sshd_t goes; excluded domains leave the graph.
    const noEntry = new DtaView(g, { exclude: [v('sshd_exec_t')] });
    expect(noEntry.succ.get(v('init_t')) ?? []).not.toContain(v('sshd_t'));
    expect(noEntry.hasNode(v('init_t'))).toBe(true);
    expect(new DtaView(g, { exclude: [v('init_t')] }).transitions(v('init_t'))).toEqual([]);
    // -A: every simple path of at most that many steps; -l cuts the list and the last blank line.
    const all = fwd.allPaths(v('user_t'), v('sshd_t'), 3);
    for (const shortest of names(g.allShortestPaths(v('user_t'), v('sshd_t')))) expect(names(all)).toContain(shortest);
    expect(all.every((x) => x.length <= 4 && new Set(x).size === x.length)).toBe(true);
    expect(fwd.allPaths(v('user_t'), v('sshd_t'), 1)).toEqual([]);
    expect(printSedtaPaths(p, fwd, all, { limit: 1 })).toBe(
      `Domain transition path 1:\n${all[0]!
        .slice(1)
        .map((t, i) => `Step ${i + 1}: ${p.types[all[0]![i]! - 1]!.name} -> ${p.types[t - 1]!.name}\n`)
        .join('')}\n1 domain transition path(s) found.\n`,
    );
  });

  it("orders rules like libsepol's avtab hash table", () => {
    expect([0, 1, 3, 4, 100, 1 << 24].map(avtabMask)).toEqual([0, 1, 3, 1, 31, (1 << 20) - 1]);
    const mask = avtabMask(p.avtab.count);
    const order = libsepolAvtabOrder(p.avtab, () => true);
    const key = (i: number) => [avtabHash(p.avtab.src[i]!, p.avtab.tgt[i]!, p.avtab.cls[i]!, mask), p.avtab.src[i]!, p.avtab.tgt[i]!];
    for (let k = 1; k < order.length; k++) {
      const a = key(order[k - 1]!);
      const b = key(order[k]!);
      expect(a[0]! < b[0]! || (a[0] === b[0] && (a[1]! < b[1]! || (a[1] === b[1] && a[2]! <= b[2]!)))).toBe(true);
    }
  });
});

describe('policy paths report', () => {
  const p = makePolicy(SPEC);

  it("checks in sedta's order: excluded types, path length, source, target", () => {
    const code = (req: PathsRequest) => {
      try {
        analyzePaths(p, req);
      } catch (e) {
        return [(e as PortholeError).code, (e as Error).message];
      }
      return [];
    };
    expect(code({ source: 'nope_t', target: 'x_t', maxSteps: 0, exclude: ['bad_t'] })).toEqual(['unknown-name', 'bad_t is not a valid type']);
    expect(code({ source: 'nope_t', target: 'x_t', maxSteps: 0 })).toEqual(['usage', 'Maximum path length must be positive.']);
    expect(code({ source: 'nope_t', target: 'x_t' })).toEqual(['unknown-name', 'nope_t is not a valid type']);
    expect(code({ source: 'init_t', target: 'domain' })).toEqual(['unknown-name', 'domain is not a valid type']);
  });

  it('prints paths and transitions as sedta, with --stats, and as JSON', () => {
    const r = analyzePaths(p, { source: 'init_t', target: 'sshd_t', stats: true });
    expect(formatPaths(p, r)).toMatch(/^Domain transition path 1:\nStep 1: init_t -> sshd_t\n\n\n1 domain transition path\(s\) found\.\n\nGraph statistics:\nGraph nodes: \d+\nGraph edges: \d+\n$/);
    expect(pathsJson(p, r)).toMatchObject({ from: 'init_t', to: 'sshd_t', algorithm: 'shortest', paths: [[{ source: 'init_t', target: 'sshd_t' }]], stats: r.stats });
    const out = analyzePaths(p, { source: 'user_t', limit: 1, full: true });
    expect(out.transitions).toHaveLength(1);
    expect(formatPaths(p, out)).toMatch(/^Transition 1: user_t -> \w+\n\nDomain transition rule\(s\):\n/);
    expect(pathsJson(p, out)).toMatchObject({ from: 'user_t', transitions: [{ source: 'user_t', transition: [expect.stringMatching(/^allow user_t /)] }] });
  });
});

describe('ruleText', () => {
  const p = makePolicy({ ...SPEC, bools: { b1: true, b: false, c: true } });
  it('prints a conditional rule with the expression as sesearch prints it', () => {
    expect(ruleText(p, { cond: true, index: 0 })).toBe('type_transition init_t bin_t:process user_t; [ b1 ]:True');
    expect(ruleText(p, { cond: false, index: 1 })).toBe('allow domain exec_type:file { execute read };');
    p.conds[0]!.expr = [{ kind: 'bool', bool: 1 }, { kind: 'bool', bool: 2 }, { kind: 'eq' }, { kind: 'bool', bool: 3 }, { kind: 'and' }];
    // setools' precedences: == binds tighter than &&, so no parentheses.
    expect(ruleText(p, { cond: true, index: 0 })).toBe('type_transition init_t bin_t:process user_t; [ c && b == b1 ]:True');
  });
});
