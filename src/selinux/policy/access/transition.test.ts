// Unit tests of compute_create (transition.ts), the TE allow lookup
// (transitionAllow.ts), the domain transition graph (dta*.ts), on a small
// policy built in memory.
import { describe, expect, it } from 'vitest';
import { AvTab } from '../binary/avtab.js';
import { AVTAB } from '../binary/constants.js';
import { PolicyIndex } from '../indexes.js';
import type { ClassDef, CondExpr, CondNode, Policy, TypeDef } from '../model.js';
import { DomainTransitionGraph, lookupDomain, printSedtaPaths, printSedtaTransitions } from './dta.js';
import { avtabHash, avtabMask, libsepolAvtabOrder } from './dtaOrder.js';
import { condExprText, ruleText } from './dtaText.js';
import { DtaView } from './dtaView.js';
import { computeCreate, contextText, execChecks, parseContextIn, parseRange, rangeText } from './transition.js';
import { evalCondExpr, TeAllow } from './transitionAllow.js';

type Rule = [string, string, string, string, string | string[]];

interface Spec {
  types: string[];
  attrs: Record<string, string[]>;
  classes: Record<string, string[]>;
  rules: Rule[];
  /** [bool, true-branch rules, false-branch rules] */
  conds?: [string, Rule[], Rule[]][];
  bools?: Record<string, boolean>;
}

function makePolicy(spec: Spec): Policy {
  const types: TypeDef[] = [];
  const tv = new Map<string, number>();
  for (const n of spec.types) {
    tv.set(n, types.length + 1);
    types.push({ name: n, value: types.length + 1, isAttribute: false, aliases: [], bounds: 0, permissive: false, neveraudit: false, attrs: [] });
  }
  for (const [a, members] of Object.entries(spec.attrs)) {
    const v = types.length + 1;
    tv.set(a, v);
    const m = members.map((x) => tv.get(x)!).sort((x, y) => x - y);
    types.push({ name: a, value: v, isAttribute: true, aliases: [], bounds: 0, permissive: false, neveraudit: false, attrs: m });
    for (const x of m) types[x - 1]!.attrs.push(v);
  }
  const classes: ClassDef[] = Object.entries(spec.classes).map(([name, perms], i) => ({
    name,
    value: i + 1,
    perms,
    allPerms: perms,
    constraints: [],
    validatetrans: [],
    defaultUser: 0,
    defaultRole: 0,
    defaultType: 0,
    defaultRange: 0,
    ...(name.endsWith('_socket') && { common: 'socket' }),
  }));
  const cv = (n: string): number => classes.find((c) => c.name === n)!.value;
  const fill = (tab: AvTab, rules: Rule[]): void => {
    for (const [kind, s, t, c, x] of rules) {
      const i = tab.count++;
      tab.src[i] = tv.get(s)!;
      tab.tgt[i] = tv.get(t)!;
      tab.cls[i] = cv(c);
      if (kind === 'allow') {
        tab.spec[i] = AVTAB.ALLOWED;
        const perms = classes[cv(c) - 1]!.allPerms;
        tab.data[i] = (Array.isArray(x) ? x : [x]).reduce((b, p) => b | (1 << perms.indexOf(p)), 0);
      } else {
        tab.spec[i] = AVTAB.TRANSITION;
        tab.data[i] = tv.get(x as string)!;
      }
    }
  };
  const avtab = new AvTab(spec.rules.length + 1);
  fill(avtab, spec.rules);
  avtab.seal();
  const condRules = (spec.conds ?? []).flatMap(([, a, b]) => [...a, ...b]);
  const condAvtab = new AvTab(condRules.length + 1);
  const boolNames = Object.keys(spec.bools ?? {});
  const conds: CondNode[] = [];
  for (const [b, tr, fr] of spec.conds ?? []) {
    const expr: CondExpr[] = [{ kind: 'bool', bool: boolNames.indexOf(b) + 1 }];
    const trueStart = condAvtab.count;
    fill(condAvtab, tr);
    const falseStart = condAvtab.count;
    fill(condAvtab, fr);
    conds.push({ expr, state: spec.bools![b]!, trueStart, trueEnd: falseStart, falseStart, falseEnd: condAvtab.count });
  }
  condAvtab.seal();
  const lvl = (sens: number, cats: number[] = []) => ({ sens, cats });
  const allCats = [1, 2, 3, 4];
  const p = {
    version: 33,
    target: 'selinux',
    mls: true,
    handleUnknown: 'deny',
    polcaps: [],
    polcapNames: [],
    nprim: { commons: 0, classes: classes.length, roles: 3, types: types.length, users: 1, bools: boolNames.length, levels: 2, cats: 4 },
    commons: [],
    classes,
    roles: [
      { name: 'object_r', value: 1, bounds: 0, dominates: [1], types: [] },
      { name: 'system_r', value: 2, bounds: 0, dominates: [2], types: [...tv.values()].filter((v) => !types[v - 1]!.isAttribute) },
      { name: 'user_r', value: 3, bounds: 0, dominates: [3], types: [tv.get('user_t') ?? 1] },
    ],
    types,
    users: [{ name: 'system_u', value: 1, bounds: 0, roles: [1, 2, 3], range: { low: lvl(1), high: lvl(2, allCats) }, defaultLevel: lvl(1) }],
    bools: boolNames.map((name, i) => ({ name, value: i + 1, state: spec.bools![name]! })),
    sensitivities: [
      { name: 's0', value: 1, aliases: [], level: lvl(1, allCats) },
      { name: 's1', value: 2, aliases: [], level: lvl(2, allCats) },
    ],
    categories: ['c0', 'c1', 'c2', 'c3'].map((name, i) => ({ name, value: i + 1, aliases: [] })),
    avtab,
    condAvtab,
    conds,
    roleTransitions: [],
    roleAllows: [],
    filenameTransitions: [],
    ocontexts: { initialSids: [], fs: [], ports: [], netifs: [], nodes: [], nodes6: [], fsUses: [], ibpkeys: [], ibendports: [] },
    genfs: [],
    rangeTransitions: [],
  } as unknown as Policy;
  (p as { index: PolicyIndex }).index = new PolicyIndex(p);
  return p;
}

const SPEC: Spec = {
  types: ['init_t', 'sshd_t', 'sshd_exec_t', 'bin_t', 'tmp_t', 'sshd_tmp_t', 'user_t', 'su_t', 'su_exec_t'],
  attrs: { domain: ['init_t', 'sshd_t', 'user_t', 'su_t'], exec_type: ['sshd_exec_t', 'bin_t', 'su_exec_t'] },
  classes: { process: ['transition', 'dyntransition', 'setexec', 'setcurrent'], file: ['read', 'execute', 'entrypoint', 'execute_no_trans'], tcp_socket: ['bind'] },
  rules: [
    ['allow', 'init_t', 'sshd_t', 'process', 'transition'],
    ['allow', 'domain', 'exec_type', 'file', ['execute', 'read']],
    ['allow', 'sshd_t', 'sshd_exec_t', 'file', 'entrypoint'],
    ['type_transition', 'init_t', 'sshd_exec_t', 'process', 'sshd_t'],
    ['type_transition', 'sshd_t', 'tmp_t', 'file', 'sshd_tmp_t'],
    ['allow', 'sshd_t', 'user_t', 'process', 'dyntransition'],
    ['allow', 'sshd_t', 'sshd_t', 'process', 'setcurrent'],
    // Two ways from user_t to sshd_t... via su_t and via init_t (two shortest paths of length 2).
    ['allow', 'user_t', 'su_t', 'process', 'transition'],
    ['allow', 'user_t', 'init_t', 'process', 'transition'],
    ['allow', 'user_t', 'user_t', 'process', 'setexec'],
    ['allow', 'su_t', 'su_exec_t', 'file', 'entrypoint'],
    ['allow', 'init_t', 'bin_t', 'file', 'entrypoint'],
    ['allow', 'user_t', 'bin_t', 'file', 'entrypoint'],
    ['allow', 'su_t', 'sshd_t', 'process', 'transition'],
    ['type_transition', 'su_t', 'sshd_exec_t', 'process', 'sshd_t'],
  ],
  conds: [
    [
      'b1',
      [
        ['type_transition', 'init_t', 'bin_t', 'process', 'user_t'],
        ['allow', 'init_t', 'user_t', 'process', 'transition'],
      ],
      [],
    ],
  ],
  bools: { b1: false },
};

describe('computeCreate (security_compute_create)', () => {
  const p = makePolicy(SPEC);
  const ctx = (t: string) => parseContextIn(p, t);
  const cls = (n: string) => p.index.classValues.get(n)!;
  const create = (s: string, t: string, c: string, o = {}) => contextText(p, computeCreate(p, ctx(s), ctx(t), cls(c), o).context);

  it('process: type_transition, source role, source range', () => {
    expect(create('system_u:system_r:init_t:s0-s1:c0.c3', 'system_u:object_r:sshd_exec_t:s0', 'process')).toBe('system_u:system_r:sshd_t:s0-s1:c0.c3');
    // No rule: the source type stays.
    expect(create('system_u:system_r:init_t:s0', 'system_u:object_r:tmp_t:s0', 'process')).toBe('system_u:system_r:init_t:s0');
  });

  it('objects: object_r, target type without a rule, source low level', () => {
    expect(create('system_u:system_r:sshd_t:s0:c1-s1:c0.c3', 'system_u:object_r:tmp_t:s1', 'file')).toBe('system_u:object_r:sshd_tmp_t:s0:c1');
    expect(create('system_u:system_r:init_t:s0', 'system_u:object_r:tmp_t:s0', 'file')).toBe('system_u:object_r:tmp_t:s0');
    // Sockets are like processes.
    expect(create('system_u:system_r:init_t:s0-s1', 'system_u:object_r:tmp_t:s0', 'tcp_socket')).toBe('system_u:system_r:init_t:s0-s1');
  });

  it('filename transitions override type_transition, by exact name', () => {
    p.filenameTransitions.push({ name: 'special', ttype: p.index.typeValues.get('tmp_t')!, tclass: cls('file'), otype: p.index.typeValues.get('bin_t')!, stypes: [p.index.typeValues.get('sshd_t')!] });
    expect(create('system_u:system_r:sshd_t:s0', 'system_u:object_r:tmp_t:s0', 'file', { name: 'special' })).toBe('system_u:object_r:bin_t:s0');
    expect(create('system_u:system_r:sshd_t:s0', 'system_u:object_r:tmp_t:s0', 'file', { name: 'other' })).toBe('system_u:object_r:sshd_tmp_t:s0');
    p.filenameTransitions.pop();
  });

  it('conditional type rules follow the booleans', () => {
    expect(create('system_u:system_r:init_t:s0', 'system_u:object_r:bin_t:s0', 'process')).toBe('system_u:system_r:init_t:s0');
    expect(create('system_u:system_r:init_t:s0', 'system_u:object_r:bin_t:s0', 'process', { bools: new Map([['b1', true]]) })).toBe('system_u:system_r:user_t:s0');
  });

  it('class defaults, role_transition and range_transition', () => {
    const file = p.classes[cls('file') - 1]!;
    file.defaultUser = 2;
    file.defaultRole = 1;
    file.defaultType = 1;
    file.defaultRange = 6;
    p.users.push({ name: 'other_u', value: 2, bounds: 0, roles: [1, 2], range: { low: { sens: 1, cats: [] }, high: { sens: 1, cats: [] } }, defaultLevel: { sens: 1, cats: [] } });
    p.index.userValues.set('other_u', 2);
    expect(create('system_u:system_r:init_t:s0', 'other_u:object_r:tmp_t:s1:c2', 'file')).toBe('other_u:system_r:init_t:s1:c2');
    file.defaultRange = 7; // glblub
    expect(create('system_u:system_r:init_t:s0-s1:c0.c2', 'system_u:object_r:tmp_t:s0:c1-s1:c1,c3', 'file')).toBe('system_u:system_r:init_t:s0-s1:c1');
    Object.assign(file, { defaultUser: 0, defaultRole: 0, defaultType: 0, defaultRange: 0 });
    p.roleTransitions.push({ role: 2, type: p.index.typeValues.get('sshd_exec_t')!, tclass: cls('process'), newRole: 3 });
    p.rangeTransitions.push({ source: p.index.typeValues.get('init_t')!, target: p.index.typeValues.get('sshd_exec_t')!, tclass: cls('process'), range: parseRange(p, 's1:c0') });
    const r = computeCreate(p, ctx('system_u:system_r:init_t:s0'), ctx('system_u:object_r:sshd_exec_t:s0'), cls('process'));
    expect(contextText(p, r.context)).toBe('system_u:user_r:sshd_t:s1:c0');
    // user_r is not authorized for sshd_t.
    expect(r.invalid).toMatch(/role user_r is not authorized for type sshd_t/);
    p.roleTransitions.pop();
    p.rangeTransitions.pop();
  });

  it('prints categories like the kernel', () => {
    expect(rangeText(p, parseRange(p, 's0:c0,c1,c3-s1:c0.c3'))).toBe('s0:c0,c1,c3-s1:c0.c3');
    expect(rangeText(p, parseRange(p, 's1:c1.c2'))).toBe('s1:c1,c2');
    expect(() => parseContextIn(p, 'system_u:system_r:domain:s0')).toThrow(/attribute/);
    expect(() => parseContextIn(p, 'system_u:system_r:nope_t')).toThrow(/unknown type nope_t/);
  });
});

describe('TE allow lookup and exec checks', () => {
  const p = makePolicy(SPEC);
  const v = (n: string) => p.index.typeValues.get(n)!;
  const ctx = (t: string) => parseContextIn(p, t);

  it('matches attribute-keyed rules and enabled conditionals only', () => {
    const te = new TeAllow(p);
    const file = p.index.classValues.get('file')!;
    const proc = p.index.classValues.get('process')!;
    expect(te.allows(v('init_t'), v('bin_t'), file, 'execute')).toBe(true);
    expect(te.allows(v('init_t'), v('tmp_t'), file, 'execute')).toBe(false);
    expect(te.allows(v('init_t'), v('user_t'), proc, 'transition')).toBe(false);
    expect(new TeAllow(p, [true]).allows(v('init_t'), v('user_t'), proc, 'transition')).toBe(true);
    expect(te.allows(v('init_t'), v('bin_t'), file, 'nonexistent')).toBeUndefined();
  });

  it('lists what an exec needs and what is missing', () => {
    const s = ctx('system_u:system_r:init_t:s0');
    const checks = execChecks(p, s, v('sshd_exec_t'), ctx('system_u:system_r:sshd_t:s0'), false);
    expect(checks.map((c) => [c.what, c.allowed])).toEqual([
      ['process transition', true],
      ['file entrypoint', true],
      ['file execute', true],
    ]);
    const explicit = execChecks(p, s, v('bin_t'), ctx('system_u:system_r:sshd_t:s0'), true);
    expect(explicit.filter((c) => !c.allowed).map((c) => c.rules[0])).toEqual(['allow init_t init_t:process setexec;', 'allow sshd_t bin_t:file entrypoint;']);
    const same = execChecks(p, s, v('bin_t'), s, false);
    expect(same.map((c) => [c.what, c.allowed])).toEqual([
      ['file execute', true],
      ['file execute_no_trans', false],
    ]);
  });

  it('evaluates postfix boolean expressions', () => {
    expect(evalCondExpr([{ kind: 'bool', bool: 1 }, { kind: 'bool', bool: 2 }, { kind: 'and' }, { kind: 'not' }], [true, false])).toBe(true);
    expect(evalCondExpr([{ kind: 'and' }], [true])).toBeUndefined();
  });
});

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
    expect(() => v('domain')).toThrow('domain is not a valid type');
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

describe('condExprText (setools infix)', () => {
  const p = makePolicy({ ...SPEC, bools: { a: true, b: false, c: true } });
  const B = (n: number): CondExpr => ({ kind: 'bool', bool: n });
  it('prints operands top first and parenthesizes like setools', () => {
    expect(condExprText(p, [B(1)])).toBe('a');
    expect(condExprText(p, [B(1), B(2), { kind: 'and' }])).toBe('b && a');
    expect(condExprText(p, [B(3), B(2), { kind: 'and' }, B(1), { kind: 'and' }])).toBe('( a && b && c )');
    expect(condExprText(p, [B(1), { kind: 'not' }, B(2), { kind: 'not' }, { kind: 'and' }])).toBe('! b && ! a');
  });
});
