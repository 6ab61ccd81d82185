// Differential test of `porthole policy search` against sesearch (setools 4.4).
//
// Queries are generated with the seeded PRNG from the policy's own names
// (rule kinds x some of -s/-t/-c/-p/-b/-D/-ds/-dt/-ep/-Sp/-eb, now and then an
// unknown name), mostly around a rule picked from the policy so that most
// queries find something; a fifth of them then have some names turned into
// regular expressions (-rs/-rt/-rc/-rd/-rb) that find the name they replace. Each query's command line goes through our CLI's
// own parser (parseSearchArgs) and the library on a policy read once; the
// oracle side runs the same command lines through setools' Python API in one
// process per policy and chunk (sesearch costs ~1.5 s a call): the script
// below builds TERuleQuery / RBACRuleQuery / MLSRuleQuery exactly as
// /usr/bin/sesearch does and prints str(rule) of sorted(results()). Lines
// must be equal, in order; errors must have the same message.
//
// Policies: $SE_POLICY (200 queries; 1000 with PORTHOLE_FULL_SWEEP=1), the
// hand-written small-mls.conf and the extra policy below compiled by
// checkpolicy (xperms, conditionals with every operator, MLS ranges,
// roles), and with PORTHOLE_FULL_SWEEP=1 also $SE_POLICY rebuilt by
// checkpolicy at versions 24..33 (100 queries each). A few command lines also
// run through the whole CLI (`run`).
//
// Needs /usr/bin/python3 with setools and checkpolicy; without them the suite
// is skipped, or fails when CI is set.
import { execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';

import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { parseSearchArgs } from '../../src/cli/policy/search.js';
import { AVTAB } from '../../src/selinux/policy/binary/constants.js';
import { type Policy, readPolicy } from '../../src/selinux/policy/index.js';
import { searchRules } from '../../src/selinux/policy/query/search/search.js';
import { Rng } from '../gen/prng.js';
import { tempDir } from '../support/tempDir.js';
import { describeOracle, findOracles, SYSTEM_PYTHON } from './support/oracles.js';

const execFileP = promisify(execFile);
const FULL = /^(1|true|yes)$/i.test(process.env.PORTHOLE_FULL_SWEEP ?? '');
const FIXTURES = fileURLToPath(new URL('../fixtures/policy/', import.meta.url));
const SE_POLICY = findOracles().policy;
const MAIN_QUERIES = FULL ? 1000 : 200;
const VERSION_QUERIES = 100;
const VERSIONS = FULL ? [24, 25, 26, 27, 28, 29, 30, 31, 32, 33] : [];
const SMALL_QUERIES = 150;
/** Python processes per policy (the setools side is the slow one). */
const CHUNKS = 2;

// ------------------------------------------------------------------ the oracle

/** Runs command lines (sesearch arguments, policy last) through setools as /usr/bin/sesearch does. */
const ORACLE_PY = String.raw`
import json, sys
import setools

policy_path = sys.argv[1]
real = setools.SELinuxPolicy(policy_path)

# setools' match_indirect_regex expands both sides of every rule it looks at
# (set(criteria.expand()) per rule: seconds for an attribute criterion). The
# same function with the expansions memoized (they depend only on the symbol):
import setools.terulequery, setools.rbacrulequery, setools.mlsrulequery
_expanded = {}
def _expand(x):
    k = (type(x).__name__, str(x))
    s = _expanded.get(k)
    if s is None:
        s = _expanded[k] = frozenset(x.expand())
    return s
_matched = {}
def match_indirect_regex(obj, criteria, indirect, regex):
    if indirect and not regex:
        return bool(_expand(criteria) & _expand(obj))
    if regex:
        k = (type(obj).__name__, str(obj), criteria.pattern, indirect)
        m = _matched.get(k)
        if m is None:
            m = _matched[k] = setools.util.match_indirect_regex(obj, criteria, indirect, regex)
        return m
    return setools.util.match_indirect_regex(obj, criteria, indirect, regex)
for _m in (setools.terulequery, setools.rbacrulequery, setools.mlsrulequery):
    _m.match_indirect_regex = match_indirect_regex

# The TE rules, read once: by rule type, then by source name; and the conditional ones by rule type.
by_type = {}
cond_by_type = {}
symbol = {}
for r in real.terules():
    s, t = str(r.source), str(r.target)
    symbol[s] = r.source
    symbol[t] = r.target
    by_type.setdefault(r.ruletype, {}).setdefault(s, {}).setdefault(t, []).append(r)
    try:
        r.conditional
    except Exception:
        continue
    cond_by_type.setdefault(r.ruletype, []).append(r)

rbac_rules = list(real.rbacrules())
mls_rules = list(real.mlsrules())

class Cached:
    """The policy, with its RBAC and MLS rules read once."""
    def __init__(self, p):
        self._p = p
    def __getattr__(self, name):
        return getattr(self._p, name)
    def rbacrules(self):
        return iter(rbac_rules)
    def mlsrules(self):
        return iter(mls_rules)

cached = Cached(real)

class Proxy:
    """
    The policy, with terules() leaving out rules that TERuleQuery.results() would
    skip anyway, by its own tests: other rule types, unconditional rules when a
    Boolean is asked for, and sources and targets that do not match (the source
    test depends on the rule's source only, so it is made once per source name;
    the same for targets). results() still runs every test on the rules it gets.
    """
    def __init__(self, p, types):
        self._p = p
        self._types = types
        self.query = None
    def __getattr__(self, name):
        return getattr(self._p, name)
    def terules(self):
        q = self.query
        for t in self._types:
            if q.boolean:
                yield from cond_by_type.get(t, ())
                continue
            for sname, targets in by_type.get(t, {}).items():
                if q.source and not match_indirect_regex(symbol[sname], q.source, q.source_indirect, q.source_regex):
                    continue
                for tname, rules in targets.items():
                    if q.target and not match_indirect_regex(symbol[tname], q.target, q.target_indirect, q.target_regex):
                        continue
                    yield from rules

def parse(argv):
    import argparse
    a = argparse.Namespace(A=False, tertypes=None, rbacrtypes=None, mlsrtypes=None, source=None, target=None,
                           tclass=None, perms=None, xperms=None, default=None, boolean=None, boolean_equal=False,
                           perms_equal=False, xperms_equal=False, perms_subset=False, source_indirect=True,
                           target_indirect=True, source_regex=False, target_regex=False, tclass_regex=False,
                           default_regex=False, boolean_regex=False)
    te = {'--allow': 'allow', '--allowxperm': 'allowxperm', '--auditallow': 'auditallow',
          '--auditallowxperm': 'auditallowxperm', '--dontaudit': 'dontaudit', '--dontauditxperm': 'dontauditxperm',
          '--neverallow': 'neverallow', '--neverallowxperm': 'neverallowxperm', '-T': 'type_transition',
          '--type_trans': 'type_transition', '--type_change': 'type_change', '--type_member': 'type_member'}
    val = {'-s': 'source', '-t': 'target', '-c': 'tclass', '-p': 'perms', '-x': 'xperms', '-D': 'default', '-b': 'boolean'}
    flag = {'-eb': ('boolean_equal', True), '-ep': ('perms_equal', True), '-ex': ('xperms_equal', True),
            '-Sp': ('perms_subset', True), '-ds': ('source_indirect', False), '-dt': ('target_indirect', False),
            '-rs': ('source_regex', True), '-rt': ('target_regex', True), '-rc': ('tclass_regex', True),
            '-rd': ('default_regex', True), '-rb': ('boolean_regex', True)}
    i = 0
    while i < len(argv):
        x = argv[i]
        if x == '-A':
            a.A = True
        elif x in te:
            a.tertypes = (a.tertypes or []) + [setools.TERuletype.lookup(te[x])]
        elif x == '--role_allow':
            a.rbacrtypes = (a.rbacrtypes or []) + [setools.RBACRuletype.allow]
        elif x == '--role_trans':
            a.rbacrtypes = (a.rbacrtypes or []) + [setools.RBACRuletype.role_transition]
        elif x == '--range_trans':
            a.mlsrtypes = (a.mlsrtypes or []) + [setools.MLSRuletype.range_transition]
        elif x in val:
            i += 1
            setattr(a, val[x], argv[i])
        elif x in flag:
            setattr(a, *flag[x])
        else:
            raise SystemExit('oracle script: unknown argument ' + x)
        i += 1
    if a.A:
        a.tertypes = (a.tertypes or []) + [setools.TERuletype.allow, setools.TERuletype.allowxperm]
    return a

def search(args, out):
    # The body of /usr/bin/sesearch (setools 4.4.1), printing into out.
    if args.tertypes:
        proxy = Proxy(real, set(args.tertypes))
        terq = setools.TERuleQuery(proxy,
                                   ruletype=args.tertypes,
                                   source=args.source,
                                   source_indirect=args.source_indirect,
                                   source_regex=args.source_regex,
                                   target=args.target,
                                   target_indirect=args.target_indirect,
                                   target_regex=args.target_regex,
                                   tclass_regex=args.tclass_regex,
                                   perms_equal=args.perms_equal,
                                   perms_subset=args.perms_subset,
                                   xperms_equal=args.xperms_equal,
                                   default=args.default,
                                   default_regex=args.default_regex,
                                   boolean_regex=args.boolean_regex,
                                   boolean_equal=args.boolean_equal)
        if args.tclass:
            terq.tclass = args.tclass if args.tclass_regex else args.tclass.split(",")
        if args.perms:
            terq.perms = args.perms.split(",")
        if args.xperms:
            terq.xperms = setools.xperm_str_to_tuple_ranges(args.xperms)
        if args.boolean:
            terq.boolean = args.boolean if args.boolean_regex else args.boolean.split(",")
        proxy.query = terq
        for te_result in sorted(terq.results()):
            out.append(str(te_result))
    if args.rbacrtypes:
        rbacrq = setools.RBACRuleQuery(cached,
                                       ruletype=args.rbacrtypes,
                                       source=args.source,
                                       source_indirect=args.source_indirect,
                                       source_regex=args.source_regex,
                                       target=args.target,
                                       target_indirect=args.target_indirect,
                                       target_regex=args.target_regex,
                                       default=args.default,
                                       default_regex=args.default_regex,
                                       tclass_regex=args.tclass_regex)
        if args.tclass:
            rbacrq.tclass = args.tclass if args.tclass_regex else args.tclass.split(",")
        for rbac_result in sorted(rbacrq.results()):
            out.append(str(rbac_result))
    if args.mlsrtypes:
        mlsrq = setools.MLSRuleQuery(cached,
                                     ruletype=args.mlsrtypes,
                                     source=args.source,
                                     source_indirect=args.source_indirect,
                                     source_regex=args.source_regex,
                                     target=args.target,
                                     target_indirect=args.target_indirect,
                                     target_regex=args.target_regex,
                                     tclass_regex=args.tclass_regex,
                                     default=args.default)
        if args.tclass:
            mlsrq.tclass = args.tclass if args.tclass_regex else args.tclass.split(",")
        for mls_result in sorted(mlsrq.results()):
            out.append(str(mls_result))

for line in sys.stdin:
    argv = json.loads(line)
    out = []
    err = None
    try:
        search(parse(argv), out)
    except Exception as e:
        err = str(e)
    sys.stdout.write(json.dumps({'lines': out, 'error': err}) + '\n')
    sys.stdout.flush()
`;

interface OracleResult {
  lines: string[];
  error: string | null;
}

function oracleChunk(script: string, policy: string, queries: string[][]): Promise<OracleResult[]> {
  return new Promise((resolve, reject) => {
    const py = spawn(SYSTEM_PYTHON, ['-s', script, policy], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    py.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    py.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    py.on('error', reject);
    py.on('close', (code) => {
      if (code !== 0) return reject(new Error(`oracle script exited ${code}: ${err}`));
      const res = out
        .trimEnd()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as OracleResult);
      if (res.length !== queries.length) return reject(new Error(`oracle answered ${res.length} of ${queries.length} queries: ${err}`));
      resolve(res);
    });
    py.stdin.end(queries.map((q) => JSON.stringify(q)).join('\n') + '\n');
  });
}

async function oracle(script: string, policy: string, queries: string[][]): Promise<OracleResult[]> {
  const size = Math.ceil(queries.length / CHUNKS);
  const parts: string[][][] = [];
  for (let i = 0; i < queries.length; i += size) parts.push(queries.slice(i, i + size));
  return (await Promise.all(parts.map((q) => oracleChunk(script, policy, q)))).flat();
}

// ------------------------------------------------------------------ queries

const TE_FLAGS: [string, number][] = [
  ['-A', 30],
  ['--allow', 10],
  ['--auditallow', 4],
  ['--dontaudit', 12],
  ['-T', 14],
  ['--type_change', 5],
  ['--type_member', 4],
  ['--allowxperm', 3],
  ['--auditallowxperm', 2],
  ['--dontauditxperm', 2],
  ['--neverallow', 1],
];
const FLAG_KINDS: Record<string, number[]> = {
  '-A': [AVTAB.ALLOWED, AVTAB.XPERMS_ALLOWED],
  '--allow': [AVTAB.ALLOWED],
  '--auditallow': [AVTAB.AUDITALLOW],
  '--dontaudit': [AVTAB.AUDITDENY],
  '-T': [AVTAB.TRANSITION],
  '--type_change': [AVTAB.CHANGE],
  '--type_member': [AVTAB.MEMBER],
  '--allowxperm': [AVTAB.XPERMS_ALLOWED],
  '--auditallowxperm': [AVTAB.XPERMS_AUDITALLOW],
  '--dontauditxperm': [AVTAB.XPERMS_DONTAUDIT],
  '--neverallow': [],
};
/** Kinds that are few enough in a big policy to be searched without a type or boolean. */
const SMALL_KINDS = new Set(['--auditallow', '--type_change', '--type_member', '--allowxperm', '--auditallowxperm', '--dontauditxperm', '--neverallow']);

/** A name for a side of a rule: itself, or (indirect matching) one of its attributes or member types. */
function relatedName(p: Policy, rng: Rng, value: number): string {
  const t = p.types[value - 1]!;
  if (t.attrs.length > 0 && rng.chance(0.3)) return p.types[rng.pick(t.attrs) - 1]!.name;
  if (t.aliases.length > 0 && rng.chance(0.3)) return rng.pick(t.aliases);
  return t.name;
}

/** A -D range for range_transition queries: the rule's own, respelled, or one of setools' error cases. */
function rangeCriterion(p: Policy, rng: Rng, r: Policy['rangeTransitions'][number]['range']): string {
  const level = (l: typeof r.low): string => {
    const s = p.sensitivities[l.sens - 1];
    const sens = s && s.aliases.length > 0 && rng.chance(0.3) ? rng.pick(s.aliases) : (s?.name ?? 's0');
    const cats = l.cats.map((c) => p.categories[c - 1]!.name);
    if (cats.length === 0) return sens;
    // Each category on its own, or first.last when they run on.
    const run = l.cats.every((c, i) => i === 0 || c === l.cats[i - 1]! + 1);
    return `${sens}:${run && cats.length > 1 && rng.chance(0.6) ? `${cats[0]}.${cats.at(-1)}` : cats.join(',')}`;
  };
  const same = r.low.sens === r.high.sens && r.low.cats.join() === r.high.cats.join();
  switch (rng.int(8)) {
    case 0:
      return `${level(r.high)}-${level(r.low)}`; // reversed: not dominated, unless equal
    case 1:
      return `${level(r.low)}:c9999`;
    case 2:
      return 'nosens';
    case 3:
      return `${level(r.low)} - ${level(r.high)} - x`;
    case 4:
      return `${level(r.low)}:c0.c1.c2`;
    default:
      return same && rng.chance(0.5) ? level(r.low) : `${level(r.low)}${rng.chance(0.5) ? ' - ' : '-'}${level(r.high)}`;
  }
}

/** One random sesearch command line (without the policy), mostly around an existing rule. */
function randomQuery(p: Policy, rng: Rng): string[] {
  const args: string[] = [];
  const typeNames = p.types.map((t) => t.name);
  const roll = rng.next();
  if (roll < 0.1 && p.roleAllows.length + p.roleTransitions.length > 0) {
    // RBAC
    const kinds = rng.pick([['--role_allow'], ['--role_trans'], ['--role_allow', '--role_trans']]);
    args.push(...kinds);
    const ra = p.roleAllows.length && (kinds[0] === '--role_allow' || !p.roleTransitions.length) ? rng.pick(p.roleAllows) : undefined;
    const rt = !ra && p.roleTransitions.length ? rng.pick(p.roleTransitions) : undefined;
    const role = (v: number): string => p.roles[v - 1]!.name;
    if (rng.chance(0.6)) args.push('-s', role(ra ? ra.role : rt ? rt.role : rng.int(p.roles.length) + 1));
    if (rng.chance(0.4)) args.push('-t', ra ? role(ra.newRole) : rt ? relatedName(p, rng, rt.type) : rng.pick(typeNames));
    if (rng.chance(0.2)) args.push('-c', rt ? p.classes[rt.tclass - 1]!.name : 'process');
    if (rng.chance(0.15)) args.push('-D', role(rt ? rt.newRole : rng.int(p.roles.length) + 1));
    if (rng.chance(0.05)) args.push(rng.chance(0.5) ? '-s' : '-t', 'nonexist_r');
    // TE rules too: with a role as source, the TE part fails first (after no output).
    if (args.includes('-s') && rng.chance(0.1)) args.push('-A');
    return args;
  }
  if (roll < 0.15 && p.rangeTransitions.length > 0) {
    const r = rng.pick(p.rangeTransitions);
    args.push('--range_trans');
    if (rng.chance(0.5)) args.push('-s', relatedName(p, rng, r.source));
    if (rng.chance(0.5)) args.push('-t', relatedName(p, rng, r.target));
    if (rng.chance(0.3)) args.push('-c', p.classes[r.tclass - 1]!.name);
    if (rng.chance(0.2)) args.push('-ds');
    // Not where sensitivities or categories have aliases: setools 4.4 mishandles them (README "Differences").
    const aliased = [...p.sensitivities, ...p.categories].some((x) => x && x.aliases.length > 0);
    if (!aliased && rng.chance(0.3)) args.push('-D', rangeCriterion(p, rng, r.range));
    return args;
  }
  // TE
  const flags = [rng.weighted(TE_FLAGS)];
  if (rng.chance(0.25)) flags.push(rng.weighted(TE_FLAGS));
  args.push(...new Set(flags));
  const kinds = new Set(flags.flatMap((f) => FLAG_KINDS[f]!));
  // A rule to query around: an avtab entry of one of the kinds, or a name transition.
  const pickEntry = (): { tab: typeof p.avtab; i: number; cond?: number } | undefined => {
    for (let k = 0; k < 40; k++) {
      const cond = p.condAvtab.count > 0 && rng.chance(0.3);
      const tab = cond ? p.condAvtab : p.avtab;
      if (tab.count === 0) continue;
      const i = rng.int(tab.count);
      if (!kinds.has(tab.spec[i]!)) continue;
      const o = cond ? p.index.condOf[i]! : undefined;
      return { tab, i, ...(o === undefined ? {} : { cond: o < 0 ? ~o : o }) };
    }
    return undefined;
  };
  const e = pickEntry();
  const ft = kinds.has(AVTAB.TRANSITION) && p.filenameTransitions.length > 0 && rng.chance(0.3) ? rng.pick(p.filenameTransitions) : undefined;
  const src = ft ? rng.pick(ft.stypes) : e ? e.tab.src[e.i]! : rng.int(p.types.length) + 1;
  const tgt = ft ? ft.ttype : e ? e.tab.tgt[e.i]! : rng.int(p.types.length) + 1;
  const cls = ft ? ft.tclass : e ? e.tab.cls[e.i]! : rng.int(p.classes.length) + 1;
  let needNarrow = !flags.every((f) => SMALL_KINDS.has(f)) && p.avtab.count > 5000;
  const withSource = rng.chance(0.65);
  const withTarget = rng.chance(0.45);
  if (withSource) args.push('-s', relatedName(p, rng, src));
  if (withTarget) args.push('-t', relatedName(p, rng, tgt));
  if (withSource || withTarget) needNarrow = false;
  if (withSource && rng.chance(0.2)) args.push('-ds');
  if (withTarget && rng.chance(0.2)) args.push('-dt');
  if (rng.chance(0.3)) {
    const classes = [p.classes[cls - 1]!.name];
    if (rng.chance(0.3)) classes.push(rng.pick(p.classes).name);
    args.push('-c', classes.join(','));
  }
  if (rng.chance(0.25)) {
    const c = p.classes[cls - 1]!;
    const names = c.allPerms.filter((n): n is string => n !== undefined);
    if (names.length) {
      args.push('-p', rng.sample(names, rng.range(1, Math.min(3, names.length))).join(','));
      if (rng.chance(0.15)) args.push(rng.chance(0.5) ? '-ep' : '-Sp');
    }
  }
  if (rng.chance(needNarrow ? 0.5 : 0.15) && p.conds.length > 0) {
    const c = e?.cond !== undefined ? p.conds[e.cond]! : rng.pick(p.conds);
    const bools = c.expr.flatMap((x) => (x.kind === 'bool' ? [p.bools[x.bool - 1]!.name] : []));
    args.push('-b', rng.sample(bools, rng.range(1, bools.length)).join(','));
    if (rng.chance(0.2)) args.push('-eb');
    needNarrow = false;
  }
  if (needNarrow) args.push('-s', relatedName(p, rng, src));
  if ([AVTAB.XPERMS_ALLOWED, AVTAB.XPERMS_AUDITALLOW, AVTAB.XPERMS_DONTAUDIT].some((k) => kinds.has(k)) && rng.chance(0.3)) {
    const x = e ? e.tab.xpermOf(e.i) : undefined;
    const base = x ? (x.specified === 2 ? rng.int(256) << 8 : (x.driver << 8) | rng.int(256)) : rng.int(0x10000);
    const hex = (n: number): string => '0x' + n.toString(16);
    args.push('-x', rng.chance(0.5) ? hex(base) : `${hex(base)}-${hex(Math.min(0xffff, base + rng.int(0x300)))}`);
    if (rng.chance(0.2)) args.push('-ex');
  }
  if (rng.chance(0.1)) args.push('-D', relatedName(p, rng, e && (e.tab.spec[e.i]! & 0x70) !== 0 ? e.tab.data[e.i]! : tgt));
  if (rng.chance(0.04)) args.push('-s', 'nonexist_t');
  if (rng.chance(0.03)) args.push('-t', 'nonexist2_t');
  if (rng.chance(0.03)) args.push('-c', 'nonexist_class');
  if (rng.chance(0.03)) args.push('-p', 'nonexist_perm');
  if (rng.chance(0.03)) args.push('-b', 'nonexist_bool');
  if (rng.chance(0.03)) args.push(rng.pick(['--role_allow', '--range_trans', '--role_trans']));
  return args;
}

/** A pattern that finds `name` (and likely a few others): a piece of it, anchored or not, or an alternation. */
function patternFor(rng: Rng, name: string, others: readonly string[]): string {
  const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  switch (rng.int(5)) {
    case 0:
      return `^${esc(name)}$`;
    case 1: {
      const len = Math.min(name.length, rng.range(4, 8));
      const at = rng.int(name.length - len + 1);
      return esc(name.slice(at, at + len));
    }
    case 2:
      return `^${esc(name.split('_')[0]!)}`;
    case 3:
      return `^(${esc(name)}|${esc(rng.pick(others))})$`;
    default:
      return `${esc(name.slice(0, 3))}.*${esc(name.slice(-2))}$`;
  }
}

/**
 * Turns some names of a query into patterns (-rs, -rt, -rc, -rd, -rb), each found in the name it
 * replaces. Its own PRNG: the queries without patterns stay what they were.
 */
function withPatterns(p: Policy, rng: Rng, args: string[]): string[] {
  const out = args.slice();
  const rbac = out.includes('--role_allow') || out.includes('--role_trans');
  const te = !rbac && !out.includes('--range_trans');
  const roles = p.roles.map((r) => r.name);
  const types = p.types.map((t) => t.name);
  const pools: Record<string, readonly string[]> = {
    '-s': rbac ? roles : types,
    '-t': rbac ? [...roles, ...types] : types,
    '-D': rbac ? roles : types,
    '-c': p.classes.map((c) => c.name),
    '-b': p.bools.map((b) => b.name),
  };
  const letter: Record<string, string> = { '-s': 's', '-t': 't', '-c': 'c', '-D': 'd', '-b': 'b' };
  for (let i = 0; i < out.length - 1; i++) {
    const f = out[i]!;
    if (!(f in letter) || out.includes(`-r${letter[f]}`) || !rng.chance(0.6)) continue;
    if (f === '-D' && !te && !rbac) continue;
    // A list (-c a,b / -b a,b) becomes one pattern for its first name.
    const name = out[i + 1]!.split(',')[0]!;
    out[i + 1] = patternFor(rng, name, pools[f]!);
    out.push(`-r${letter[f]}`);
  }
  return out;
}

function queries(p: Policy, seed: number, n: number): string[][] {
  const rng = new Rng(seed);
  const prng = new Rng(seed, 1);
  return Array.from({ length: n }, () => {
    const q = randomQuery(p, rng);
    return prng.chance(0.2) ? withPatterns(p, prng, q) : q;
  });
}

// ------------------------------------------------------------------ comparing

interface Outcome {
  lines: string[];
  error: string | null;
}

async function ours(p: Policy, args: string[]): Promise<Outcome> {
  try {
    const { query } = parseSearchArgs(args);
    const r = searchRules(p, query);
    return { lines: r.rules.map((x) => x.text), error: r.error?.message ?? null };
  } catch (e) {
    return { lines: [], error: `porthole: ${(e as Error).message}` };
  }
}

/** Compares every query; returns the mismatches (at most a few, with diffs) and counts. */
async function compare(p: Policy, qs: string[][], expected: OracleResult[]): Promise<{ failures: string[]; lines: number; nonEmpty: number; errors: number }> {
  const failures: string[] = [];
  let lines = 0;
  let nonEmpty = 0;
  let errors = 0;
  for (let k = 0; k < qs.length; k++) {
    const want = expected[k]!;
    const got = await ours(p, qs[k]!);
    lines += want.lines.length;
    if (want.lines.length) nonEmpty++;
    if (want.error) errors++;
    const same = got.error === want.error && got.lines.length === want.lines.length && got.lines.every((l, i) => l === want.lines[i]);
    if (same) continue;
    const w = new Set(want.lines);
    const g = new Set(got.lines);
    const sameSet = w.size === g.size && [...w].every((l) => g.has(l));
    failures.push(
      [
        `sesearch ${qs[k]!.join(' ')}${sameSet ? ' (same lines, other order)' : ''}`,
        ...(got.error !== want.error ? [`  error: ours ${JSON.stringify(got.error)}, sesearch ${JSON.stringify(want.error)}`] : []),
        ...want.lines
          .filter((l) => !g.has(l))
          .slice(0, 5)
          .map((l) => `  - ${l}`),
        ...got.lines
          .filter((l) => !w.has(l))
          .slice(0, 5)
          .map((l) => `  + ${l}`),
      ].join('\n'),
    );
  }
  return { failures, lines, nonEmpty, errors };
}

// ------------------------------------------------------------------ policies

/** A policy for what $SE_POLICY lacks: xperm rules (function and driver level), every conditional operator, MLS ranges with categories. */
const EXTRA_CONF = `
class process
class file
class dir
class chr_file
sid kernel
sid security
sid unlabeled
common file { ioctl read write getattr open }
class process { transition signal dyntransition }
class file inherits file { execute entrypoint }
class dir inherits file { search add_name }
class chr_file inherits file
sensitivity s0;
sensitivity s1 alias sens1;
sensitivity s2;
dominance { s0 s1 s2 }
category c0;
category c1;
category c2;
category c3;
category c4 alias cat4;
category c5;
category c6;
category c7;
category c8;
category c9;
level s0:c0.c9;
level s1:c0.c9;
level s2:c0.c9;
mlsconstrain file { read } ( l1 dom l2 or t1 == domain );
attribute domain;
attribute file_type;
attribute empty_attr;
attribute both;
attribute devs;
type a_t, domain, both;
type b_t alias b_alias_t, file_type, both, devs;
type c_t, file_type;
type d_t, domain;
type e_t;
type f_t, file_type, devs;
type g_t, domain, file_type;
role ra_r;
role rb_r;
role rc_r;
role ra_r types { a_t d_t g_t };
role rb_r types { b_t e_t };
role rc_r types { c_t };
bool b1 true;
bool b2 false;
bool b3 true;
bool b4 false;
allow domain file_type:file { read getattr open };
allow a_t b_t:chr_file { ioctl read write getattr open };
allow domain devs:chr_file ioctl;
allowxperm a_t b_t:chr_file ioctl { 0x5400-0x54ff 0x8910 0x8912-0x8915 0x0001 };
allowxperm domain devs:chr_file ioctl { 0x4000-0x47ff 0x4a00 };
allowxperm g_t f_t:chr_file ioctl 0x1234;
auditallowxperm d_t b_t:chr_file ioctl { 0xff00-0xff02 };
dontauditxperm domain both:chr_file ioctl { 0x1234 0x1236 0x1237 };
dontaudit domain file_type:dir { search getattr };
dontaudit a_t self:process *;
dontaudit d_t self:process ~signal;
allow both both:dir *;
auditallow g_t self:process signal;
type_transition a_t b_t:file c_t;
type_transition domain file_type:dir c_t "weird.name-1";
type_transition d_t file_type:file e_t "x";
type_transition g_t e_t:chr_file b_t "null";
type_change domain file_type:chr_file e_t;
type_member a_t c_t:dir e_t;
if (b1 && b2 || !b3) {
  allow a_t c_t:file write;
}
if (b1 ^ b2) {
  allow d_t c_t:file read;
} else {
  allow d_t c_t:file write;
  dontaudit d_t f_t:file execute;
}
if (b1 == b2) {
  dontaudit a_t e_t:file read;
}
if (b1 != !b4) {
  auditallow a_t e_t:file getattr;
}
if (!(b1 || b2)) {
  type_transition a_t e_t:file c_t;
}
if (b1 && (b2 && (b3 && b4))) {
  allow g_t e_t:dir { search add_name };
}
if ((b1 || b2) && (b3 || b4)) {
  type_change a_t e_t:file f_t;
} else {
  allow g_t self:process transition;
}
if (!b1) {
  type_member d_t e_t:dir f_t;
}
role_transition ra_r b_t rb_r;
role_transition ra_r c_t:file rc_r;
role_transition rb_r f_t:chr_file ra_r;
allow ra_r rb_r;
allow rb_r rc_r;
allow rc_r ra_r;
range_transition a_t b_t:process s0 - s2:c0,c1,c3,c5.c9;
range_transition d_t c_t:file s1:c0.c1 - s2:c0.c1,c4;
range_transition d_t e_t:process s0:c2;
range_transition g_t f_t:process s1:c1,c2,c3 - s1:c1,c2,c3,c4;
user su_u roles { ra_r rb_r rc_r } level s0 range s0 - s2:c0.c9;
sid kernel su_u:ra_r:a_t:s0
sid security su_u:ra_r:a_t:s0
sid unlabeled su_u:object_r:b_t:s0
fs_use_xattr ext4 su_u:object_r:b_t:s0;
genfscon proc / su_u:object_r:b_t:s0
`;

describeOracle('policy search vs sesearch (setools)', () => {
  const scratch = tempDir('search');
  let dir = '';
  let script = '';
  const built = new Map<string, string>();
  const failed = new Map<string, string>();

  beforeAll(
    async () => {
      dir = scratch.path;
      script = join(dir, 'oracle.py');
      writeFileSync(script, ORACLE_PY);
      writeFileSync(join(dir, 'extra.conf'), EXTRA_CONF);
      const build = async (key: string, args: string[]): Promise<void> => {
        const out = join(dir, key);
        try {
          await execFileP('checkpolicy', [...args, '-o', out], { maxBuffer: 1 << 24 });
          built.set(key, out);
        } catch (e) {
          failed.set(key, String((e as { stderr?: string }).stderr ?? e));
        }
      };
      const jobs = [
        build('small-mls.33', ['-M', '-c', '33', join(FIXTURES, 'small-mls.conf')]),
        build('extra.33', ['-M', '-c', '33', join(dir, 'extra.conf')]),
        build('extra.30', ['-M', '-c', '30', join(dir, 'extra.conf')]),
      ];
      if (VERSIONS.length) {
        await build('pol.conf', ['-M', '-b', '-F', SE_POLICY]);
        for (const v of VERSIONS) jobs.push(build(`pol.${v}`, ['-M', '-c', String(v), built.get('pol.conf') ?? 'missing']));
      }
      await Promise.all(jobs);
    },
    FULL ? 600_000 : 120_000,
  );

  const sweep = async (path: string, seed: number, n: number): Promise<void> => {
    const p = readPolicy(new Uint8Array(readFileSync(path)));
    const qs = queries(p, seed, n);
    let t = performance.now();
    const expected = await oracle(script, path, qs);
    const tOracle = performance.now() - t;
    t = performance.now();
    const r = await compare(p, qs, expected);
    const tOurs = performance.now() - t;
    console.log(
      `${path}: ${qs.length} queries (${qs.filter((q) => q.some((a) => /^-r[stcdb]$/.test(a))).length} with patterns), ${r.nonEmpty} with rules, ${r.errors} errors, ${r.lines} lines; ${r.failures.length} differ ` +
        `(setools ${(tOracle / 1000).toFixed(1)} s, ours ${(tOurs / 1000).toFixed(1)} s)`,
    );
    expect(r.failures.slice(0, 10).join('\n\n')).toBe('');
    // The generator must exercise something.
    expect(r.nonEmpty).toBeGreaterThan(n / 3);
  };

  it(
    `$SE_POLICY: ${MAIN_QUERIES} random queries`,
    async () => {
      await sweep(SE_POLICY, 20240601, MAIN_QUERIES);
    },
    FULL ? 1_200_000 : 120_000,
  );

  for (const key of ['small-mls.33', 'extra.33', 'extra.30']) {
    it(`${key}: ${SMALL_QUERIES} random queries`, async () => {
      const path = built.get(key);
      expect(path, failed.get(key)).toBeDefined();
      await sweep(path!, 7 + key.length, SMALL_QUERIES);
    });
  }

  for (const v of VERSIONS) {
    it(`$SE_POLICY rebuilt at version ${v}: ${VERSION_QUERIES} random queries`, async () => {
      const path = built.get(`pol.${v}`);
      expect(path, failed.get(`pol.${v}`)).toBeDefined();
      await sweep(path!, 1000 + v, VERSION_QUERIES);
    }, 600_000);
  }

  it('whole command lines through the CLI equal sesearch (stdout, message, exit code)', async () => {
    const extra = built.get('extra.33');
    expect(extra, failed.get('extra.33')).toBeDefined();
    const cases: string[][] = [
      ['-A', '-s', 'useradd_t', '-t', 'usr_t', SE_POLICY],
      ['-T', '-s', 'httpd_t', '-t', 'tmp_t', SE_POLICY],
      ['-A', '-s', 'nonexist_t', SE_POLICY],
      ['-A', '--allowxperm', '--dontauditxperm', '--auditallowxperm', extra!],
      ['--dontaudit', '-s', 'domain', '-ds', extra!],
      ['-A', '-s', '^httpd_t$', '-rs', '-t', 'etc', '-rt', '-c', '^(file|lnk_file)$', '-rc', SE_POLICY],
      ['--range_trans', '-D', 's0 - s0', '-s', 'init', '-rs', SE_POLICY],
      ['--range_trans', '-D', 's0:c1-s0:c0.c1023', SE_POLICY],
      ['-A', '--role_allow', '-s', 'a_t', extra!],
    ];
    // One oracle process per policy (the last argument), answers put back in case order.
    const expected: OracleResult[] = [];
    for (const path of new Set(cases.map((c) => c.at(-1)!))) {
      const idx = [...cases.keys()].filter((k) => cases[k]!.at(-1) === path);
      const got = await oracleChunk(
        script,
        path,
        idx.map((k) => cases[k]!.slice(0, -1)),
      );
      for (const [j, k] of idx.entries()) expected[k] = got[j]!;
    }
    for (const [k, args] of cases.entries()) {
      const io = memoryIo();
      const code = await run(['policy', 'search', ...args], io);
      const want = expected[k]!;
      expect(io.out.join(''), args.join(' ')).toBe(want.lines.map((l) => l + '\n').join(''));
      // sesearch's message, as a diagnostic (`porthole: error[CODE]: MESSAGE`).
      expect(io.err.join(''), args.join(' ')).toMatch(want.error === null ? /^$/ : new RegExp(`^porthole: error\\[(unknown-name|bad-query)\\]: ${escapeRe(want.error)}\n$`));
      expect(code, args.join(' ')).toBe(want.error === null ? 0 : 1);
    }
  });
}, ['policy', 'python-setools', 'checkpolicy']);

/** A string as a regular expression matching it literally. */
function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
