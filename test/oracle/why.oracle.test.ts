// Differential tests of the access decisions and `porthole why` against
// libselinux's selinux.audit2why and Debian's audit2why.
//   (a) analyzeAccess vs selinux.audit2why.analyze on ~5000 random tuples from
//       $SE_POLICY (allowed, dontaudit, boolean-gated, constraint, role,
//       missing-rule, invalid) plus tuples on a small checkpolicy-built policy
//       with typebounds, role allow and constraints: same code and data.
//       All tuples go to ONE /usr/bin/python3 process.
//   (b) `porthole why -p $SE_POLICY -i LOG` (and `porthole allow -w`) vs
//       `$SE_AUDIT2ALLOW -w -p $SE_POLICY -i LOG` (= audit2why) on every
//       corpus/sample/edge log and ~20 generated logs: same stdout.
// PORTHOLE_FULL_SWEEP=1: 50000 tuples and 200 generated logs.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { type AccessAnalysis, accessDecider, analyzeAccess, computeAccess } from '../../src/selinux/policy/access/decide.js';
import { AVTAB } from '../../src/selinux/policy/binary/constants.js';
import { readPolicy } from '../../src/selinux/policy/index.js';
import type { Policy } from '../../src/selinux/policy/model.js';
import { booleanDescriptions } from '../../src/selinux/why/booleanDesc.js';
import { generateLog, Rng } from '../gen/index.js';
import { tempDir } from '../support/tempDir.js';
import { BATCH_SCRIPT } from './support/batch.js';
import { describeOracle, findOracles, SYSTEM_PYTHON, sharedDirs } from './support/oracles.js';

const FULL = process.env.PORTHOLE_FULL_SWEEP === '1';
const NTUPLES = FULL ? 50_000 : 5000;
const NLOGS = FULL ? 200 : 20;

const ANALYZE_PY = `
import json, sys
import selinux.audit2why as a
names = {}
for n in ("ALLOW","DONTAUDIT","TERULE","BOOLEAN","CONSTRAINT","RBAC","BOUNDS","BADSCON","BADTCON","BADTCLASS","BADPERM","BADCOMPUTE","NOPOLICY","UNKNOWN"):
    if hasattr(a, n): names[getattr(a, n)] = n
req = json.load(sys.stdin)
out = []
for job in req:
    a.init(job["policy"])
    res = []
    for s, t, c, p in job["tuples"]:
        rc, data = a.analyze(s, t, c, p)
        res.append([names.get(rc, str(rc)), data])
    a.finish()
    out.append(res)
json.dump(out, sys.stdout)
`;

/** A small MLS policy with typebounds, role allow, booleans, dontaudit and constraints (checkpolicy -M). */
const SMALL_CONF = `class process
class file
sid kernel
common file { read write getattr }
class process { transition dyntransition signal }
class file inherits file { execute }
sensitivity s0;
sensitivity s1;
dominance { s0 s1 }
category c0;
category c1;
category c2;
level s0:c0.c2;
level s1:c0.c2;
mlsconstrain file { read } ( l1 dom l2 or t1 == exempt_t );
mlsconstrain process transition ( h1 dom h2 );
mlsconstrain file getattr ( l1 == l2 or l1 domby h2 or l1 incomp l2 or h1 != h2 );
attribute domain;
attribute file_type;
type parent_t, domain;
type child_t, domain;
typebounds parent_t child_t;
type exempt_t, domain;
type f_t, file_type;
type g_t, file_type;
role ra_r;
role ra_r types { domain };
role rb_r;
role rb_r types { domain };
role rc_r;
role rc_r types { domain };
bool b1 false;
bool b2 true;
allow domain file_type : file { read getattr write };
allow domain domain : process { transition signal dyntransition };
if (b1) { allow exempt_t g_t : file execute; }
if (b2 && !b1) { allow child_t g_t : file execute; allow parent_t g_t : file execute; }
if (b1 || b2) { allow exempt_t f_t : file execute; } else { dontaudit exempt_t f_t : file execute; }
dontaudit exempt_t g_t : file write;
allow rb_r ra_r;
user ua_u roles { ra_r rb_r rc_r } level s0 range s0 - s1:c0.c2;
user ub_u roles { ra_r } level s0 range s0 - s0:c0;
constrain file write ( t1 != parent_t and u1 == u2 );
constrain process signal ( r1 == r2 or r1 dom r2 or not ( t1 == { child_t parent_t } ) );
constrain process dyntransition ( u1 != u2 or not ( not ( r2 == { ra_r } ) ) or t2 != { exempt_t child_t } );
sid kernel ua_u:ra_r:parent_t:s0
`;

/**
 * Logs with a denial whose permission list is empty (\`{ }\`): audit2allow
 * stops with "List must contain at least four elements [...]"; our record
 * reader rejects such lines as malformed, so \`why\` never sees them.
 */
const KNOWN_DIFFERENT = new Set(['bad-avcs.log', 'empty-perms.log']);

type Tuple = [string, string, string, string[]];

function types(p: Policy): number[] {
  return p.types.filter((t) => !t.isAttribute).map((t) => t.value);
}

/** The types an avtab key stands for: an attribute's members, or the type itself. */
function typeMembers(p: Policy, v: number): number[] {
  return p.types[v - 1]!.isAttribute ? p.types[v - 1]!.attrs : [v];
}

/** Indexes of the entries of `tab` of one kind (AVTAB.*). */
function avtabEntries(tab: Policy['avtab'], kind: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < tab.count; i++) if (tab.spec[i] === kind) out.push(i);
  return out;
}

/** Random tuples over a policy, spread over the kinds of answers. */
function tuples(p: Policy, n: number, seed: number): Tuple[] {
  const rng = new Rng(seed, 5);
  const pick = <T>(a: readonly T[]): T => a[rng.u32() % a.length]!;
  const chance = (x: number): boolean => rng.u32() / 0x100000000 < x;
  const d = accessDecider(p);
  const tys = types(p);
  const name = (v: number): string => p.types[v - 1]!.name;
  const members = (v: number): number[] => typeMembers(p, v);
  // Valid user:role pairs per type.
  const rolesOf = new Map<number, string[]>();
  for (const r of p.roles) {
    if (r.value === 1) continue;
    const users = p.users.filter((u) => u.roles.includes(r.value)).map((u) => u.name);
    if (users.length === 0) continue;
    const roleTypes = d.contexts.roleTypes(r.value);
    for (const t of tys.filter((t) => (roleTypes[(t - 1) >>> 5]! & (1 << ((t - 1) & 31))) !== 0)) {
      let l = rolesOf.get(t);
      if (!l) rolesOf.set(t, (l = []));
      for (const u of users) l.push(`${u}:${r.name}`);
    }
  }
  const levels = p.mls ? ['s0', 's0', 's0', 's0-s0:c0.c1023', 's0:c1,c2', 's0:c3,c4', 's0:c0.c5', 's0-s0:c1', 's1', 's0:c1023'] : [''];
  const withLevel = (c: string): string => (p.mls ? `${c}:${pick(levels)}` : c);
  const users = p.users.map((u) => u.name);
  const subj = (t: number): string => {
    const l = rolesOf.get(t);
    return withLevel(`${l && !chance(0.05) ? pick(l) : `${pick(users)}:object_r`}:${name(t)}`);
  };
  const obj = (t: number): string => (chance(0.7) ? withLevel(`${pick(users)}:object_r:${name(t)}`) : subj(t));
  const permsOf = (cls: number, data: number): string[] => {
    const all = p.classes[cls - 1]!.allPerms;
    const bits: number[] = [];
    for (let i = 0; i < 32; i++) if ((data >>> i) & 1 && all[i] !== undefined) bits.push(i);
    if (bits.length === 0) return [];
    const out = new Set<string>();
    const k = 1 + (rng.u32() % 3);
    for (let i = 0; i < k; i++) out.add(all[pick(bits)]!);
    if (chance(0.15)) {
      const any = all.filter((x): x is string => x !== undefined);
      out.add(pick(any));
    }
    return [...out];
  };
  const allow = avtabEntries(p.avtab, AVTAB.ALLOWED);
  const deny = avtabEntries(p.avtab, AVTAB.AUDITDENY);
  const cond = avtabEntries(p.condAvtab, AVTAB.ALLOWED);
  const out: Tuple[] = [];
  const fromEntry = (tab: typeof p.avtab, i: number, dontaudit: boolean): Tuple | undefined => {
    const sm = members(tab.src[i]!);
    const tm = members(tab.tgt[i]!);
    if (sm.length === 0 || tm.length === 0) return undefined;
    const cls = tab.cls[i]!;
    const perms = permsOf(cls, dontaudit ? ~tab.data[i]! >>> 0 : tab.data[i]!);
    if (perms.length === 0) return undefined;
    const s = pick(sm);
    const t = pick(tm);
    const cname = p.classes[cls - 1]!.name;
    return [subj(s), cname === 'process' ? subj(t) : obj(t), cname, perms];
  };
  const classes = p.classes.map((c) => c.name);
  while (out.length < n) {
    const r = rng.u32() % 100;
    let tup: Tuple | undefined;
    if (r < 35 && allow.length) tup = fromEntry(p.avtab, pick(allow), false);
    else if (r < 50 && cond.length) tup = fromEntry(p.condAvtab, pick(cond), false);
    else if (r < 60 && deny.length) tup = fromEntry(p.avtab, pick(deny), true);
    else if (r < 75) {
      const cls = 1 + (rng.u32() % p.classes.length);
      const perms = permsOf(cls, rng.u32() | rng.u32());
      if (perms.length) tup = [subj(pick(tys)), obj(pick(tys)), p.classes[cls - 1]!.name, perms];
    } else if (r < 85) {
      // Process transitions with role changes (RBAC), and MCS / UBAC constraints.
      const e = fromEntry(p.avtab, pick(allow), false);
      if (e && e[2] === 'process') {
        // Same user, another role of the target type: the role allow check.
        const tt = e[1].split(':')[2]!;
        const su = e[0].split(':')[0]!;
        const other = (rolesOf.get(p.index.typeValues.get(tt) ?? 0) ?? []).filter((x) => x.startsWith(`${su}:`) && x !== e[0].split(':').slice(0, 2).join(':'));
        const t2 = other.length && chance(0.7) ? withLevel(`${pick(other)}:${tt}`) : e[1];
        tup = [e[0], t2, 'process', [pick(['transition', 'dyntransition', 'signal'])]];
      } else if (e) tup = e;
    } else {
      // Invalid: unknown names, attributes, bad levels, classes and permissions.
      const base = fromEntry(p.avtab, pick(allow), false) ?? [subj(pick(tys)), obj(pick(tys)), pick(classes), ['read']];
      const k = rng.u32() % 9;
      const [s, t, c, ps] = base;
      const parts = s.split(':');
      if (k === 0) tup = [`${parts[0]}:${parts[1]}:nonexistent_t${p.mls ? ':s0' : ''}`, t, c, ps];
      else if (k === 1) tup = [s, `system_u:object_r:${name(pick(p.types.filter((x) => x.isAttribute).map((x) => x.value)) || 1)}${p.mls ? ':s0' : ''}`, c, ps];
      else if (k === 2) tup = [s, t, 'no_such_class', ps];
      else if (k === 3) tup = [s, t, c, [...ps, 'no_such_perm']];
      else if (k === 4) tup = [`${parts.slice(0, 3).join(':')}`, t, c, ps];
      else if (k === 5) tup = [s, `${t.split(':').slice(0, 3).join(':')}:${pick(['s0:c5.c2', 's99', 's0:c2.c2', 's0-s0:c0.c1023:x', 's0:c1,c1', 's0:', 's0-', 's0:c0.c1023-s0'])}`, c, ps];
      else if (k === 6) tup = [`${pick(users)}:${pick(p.roles.map((x) => x.name))}:${parts[2]}${p.mls ? ':s0' : ''}`, t, c, ps];
      else if (k === 7) tup = [s, t, c, []];
      else tup = [`bogus`, t, c, ps];
    }
    if (tup) out.push(tup);
  }
  return out;
}

function pythonAnalyze(jobs: { policy: string; tuples: Tuple[] }[]): [string, unknown][][] {
  const r = spawnSync(SYSTEM_PYTHON, ['-s', '-c', ANALYZE_PY], { input: JSON.stringify(jobs), encoding: 'utf8', maxBuffer: 1 << 30, timeout: 300_000 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as [string, unknown][][];
}

/** Ours in the shape of the Python answer (tuples become lists in JSON). */
function asPython(a: AccessAnalysis): [string, unknown] {
  if (a.code === 'BOOLEAN') return [a.code, a.booleans];
  if (a.code === 'CONSTRAINT') return [a.code, a.constraint];
  return [a.code, null];
}

describeOracle('access decisions and `porthole why` vs audit2why', () => {
  const o = findOracles();
  const dir = tempDir('why-oracle');
  const shared = [...sharedDirs('porthole why on the corpus and sample logs', ['corpora/selinux', 'tools/samples']).values()];
  let policy: Policy;
  let small: Policy;
  const jobs: { policy: string; tuples: Tuple[] }[] = [];
  let answers: [string, unknown][][] = [];

  beforeAll(() => {
    policy = readPolicy(readFileSync(o.policy));
    const conf = dir.join('small.conf');
    writeFileSync(conf, SMALL_CONF);
    const bin = dir.join('small.33');
    const cp = spawnSync('checkpolicy', ['-M', '-c', '33', '-o', bin, conf], { encoding: 'utf8' });
    if (cp.status !== 0) throw new Error(`checkpolicy failed on the small policy (${cp.status}): ${cp.stderr}`);
    small = readPolicy(readFileSync(bin));
    jobs.push({ policy: o.policy, tuples: tuples(policy, NTUPLES, 1) });
    jobs.push({ policy: bin, tuples: tuples(small, FULL ? 5000 : 1000, 2) });
    answers = pythonAnalyze(jobs);
  }, 300_000);

  it('analyzeAccess == selinux.audit2why.analyze (code and data) on random tuples', () => {
    const diffs: string[] = [];
    const counts = new Map<string, number>();
    jobs.forEach((job, j) => {
      const pol = j === 0 ? policy : small;
      job.tuples.forEach(([s, t, c, ps], i) => {
        const want = answers[j]![i]!;
        const got = asPython(analyzeAccess(pol, s, t, c, ps));
        counts.set(`${j}:${want[0]}`, (counts.get(`${j}:${want[0]}`) ?? 0) + 1);
        if (JSON.stringify(got) !== JSON.stringify(want)) diffs.push(`${s} ${t} ${c} {${ps.join(' ')}}: ours ${JSON.stringify(got)} theirs ${JSON.stringify(want)}`);
      });
    });
    process.stdout.write(`why-oracle: ${jobs.map((x) => x.tuples.length).join('+')} tuples; codes ${JSON.stringify(Object.fromEntries([...counts].sort()))}; ${diffs.length} differ\n`);
    expect(diffs.slice(0, 20)).toEqual([]);
    // The sample must reach the interesting answers.
    for (const code of ['ALLOW', 'DONTAUDIT', 'TERULE', 'BOOLEAN', 'CONSTRAINT', 'BADSCON', 'BADTCON', 'BADTCLASS', 'BADPERM']) expect(counts.get(`0:${code}`) ?? 0, code).toBeGreaterThan(0);
    for (const code of ['BOUNDS', 'BOOLEAN', 'CONSTRAINT', 'RBAC', 'DONTAUDIT']) expect(counts.get(`1:${code}`) ?? 0, `small policy ${code}`).toBeGreaterThan(0);
  });

  it('computeAccess: random (stype, ttype, class) TE decisions per second (reported, not asserted), and right', () => {
    const tys = types(policy);
    const ncls = policy.classes.length;
    const N = 1_000_000;
    const qs = new Uint32Array(N * 3);
    const rng = new Rng(3, 9);
    for (let i = 0; i < N; i++) {
      qs[i * 3] = tys[rng.u32() % tys.length]!;
      qs[i * 3 + 1] = tys[rng.u32() % tys.length]!;
      qs[i * 3 + 2] = 1 + (rng.u32() % ncls);
    }
    computeAccess(policy, 1, 1, 1);
    const t0 = performance.now();
    let acc = 0;
    let granting = 0;
    for (let i = 0; i < N; i++) {
      const allowed = computeAccess(policy, qs[i * 3]!, qs[i * 3 + 1]!, qs[i * 3 + 2]!).allowed;
      acc ^= allowed;
      if (allowed !== 0) granting++;
    }
    const ms = performance.now() - t0;
    process.stdout.write(`why-oracle: computeAccess ${Math.round(N / (ms / 1000)).toLocaleString('en')} random (stype, ttype, class) decisions/s (${granting} allow something; ${acc})\n`);
    // Random pairs: most decisions deny everything, some allow something.
    expect(granting).toBeGreaterThan(0);
    expect(granting).toBeLessThan(N / 2);
    // The decisions are right where the policy says so directly: each unconditional allow rule's
    // permissions are in the decision for every (source, target) pair it covers (a sample of rules).
    const allow = avtabEntries(policy.avtab, AVTAB.ALLOWED);
    const wrong: string[] = [];
    let checked = 0;
    for (let k = 0; k < 3000; k++) {
      const i = allow[rng.u32() % allow.length]!;
      const ss = typeMembers(policy, policy.avtab.src[i]!);
      const ts = typeMembers(policy, policy.avtab.tgt[i]!);
      if (ss.length === 0 || ts.length === 0) continue;
      const s = ss[rng.u32() % ss.length]!;
      const t = ts[rng.u32() % ts.length]!;
      const cls = policy.avtab.cls[i]!;
      const want = policy.avtab.data[i]!;
      const got = computeAccess(policy, s, t, cls).allowed;
      checked++;
      if ((got & want) >>> 0 !== want >>> 0)
        wrong.push(`${policy.types[s - 1]!.name} ${policy.types[t - 1]!.name}:${policy.classes[cls - 1]!.name} rule ${want.toString(16)}, decision ${got.toString(16)}`);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });

  it('boolean descriptions == sepolicy.gen_bool_dict() on the installed policy.xml', () => {
    const xml = o.env.SE_POLICY_XML ?? '/usr/share/selinux/devel/policy.xml';
    const r = spawnSync(SYSTEM_PYTHON, ['-s', '-c', 'import json, sys, sepolicy; d = sepolicy.gen_bool_dict(sys.argv[1]); print(json.dumps({k: v[2] for k, v in d.items()}))', xml], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    expect(r.status, r.stderr).toBe(0);
    const want = JSON.parse(r.stdout) as Record<string, string>;
    const got = Object.fromEntries(booleanDescriptions(readFileSync(xml, 'latin1')));
    process.stdout.write(`why-oracle: ${Object.keys(want).length} boolean descriptions\n`);
    expect(got).toEqual(want);
    expect(Object.keys(want).length).toBeGreaterThan(100);
  });

  it('`porthole why` == audit2why byte for byte on corpus, sample, edge and generated logs', async () => {
    const logs: string[] = [];
    for (const d of [...shared, join(import.meta.dirname, 'edge')]) {
      for (const f of readdirSync(d).sort()) if (/\.(log|txt)$/.test(f) && !f.includes('perm_map')) logs.push(join(d, f));
    }
    // The fixed logs are also checked with -l (only what follows the last policy load).
    const fixed = logs.length;
    const formats = ['raw', 'node', 'numeric', 'enriched', 'syslog', 'syslog-type', 'dmesg', 'journal', 'ausearch-i'] as const;
    for (let i = 0; i < NLOGS; i++) {
      const g = generateLog({
        seed: 1000 + i,
        events: 150,
        formats: i % 3 === 0 ? [...formats] : [formats[i % formats.length]!],
        mix: { granted: 0.1, permissive: 0.2, repeat: 0.2, multiAvc: 0.2, userAvc: 0.1, invalid: 0.05 },
      });
      const f = dir.join(`gen-${i}.log`);
      writeFileSync(f, g.text);
      logs.push(f);
    }
    // audit2why (= audit2allow -w) on every log in ONE Python process (audit2allow_batch.py).
    const batch = spawnSync(SYSTEM_PYTHON, ['-s', BATCH_SCRIPT], {
      input: JSON.stringify({ policy: o.policy, audit2allow: o.audit2allow, jobs: logs.map((f, i) => ({ id: String(i), file: f, argsets: i < fixed ? [['-w'], ['-w', '-l']] : [['-w']] })) }),
      encoding: 'utf8',
      env: { ...process.env, PYTHONHASHSEED: '0' },
      maxBuffer: 1 << 30,
      timeout: 300_000,
    });
    if (batch.status !== 0) throw new Error(`audit2allow_batch.py failed: ${batch.stderr}`);
    const results = (JSON.parse(batch.stdout) as { results: { runs: { stdout: string }[] }[] }).results;
    const diffs: string[] = [];
    const known: string[] = [];
    let compared = 0;
    for (const [i, f] of logs.entries()) {
      for (const [r, extra] of [
        [0, []],
        [1, ['-l']],
      ] as const) {
        const want = results[i]!.runs[r]?.stdout;
        if (want === undefined) continue;
        compared++;
        const io = memoryIo({ env: { SE_POLICY_XML: o.env.SE_POLICY_XML } });
        await run(['why', ...extra, '-p', o.policy, '-i', f], io);
        const got = io.out.join('');
        // audit2allow -w is audit2why: ours must print the same through `allow -w`.
        const io2 = memoryIo({ env: { SE_POLICY_XML: o.env.SE_POLICY_XML } });
        await run(['allow', '-w', ...extra, '-p', o.policy, '-i', f], io2);
        if (io2.out.join('') !== got) diffs.push(`${f}: \`allow -w ${extra.join(' ')}\` differs from \`why ${extra.join(' ')}\``);
        if (i < fixed) {
          // --json says what the text says: the same records (plus the rejected ones), booleans and constraints.
          const io3 = memoryIo({ env: { SE_POLICY_XML: o.env.SE_POLICY_XML } });
          await run(['why', '--json', ...extra, '-p', o.policy, '-i', f], io3);
          const objs = io3.out
            .join('')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as { result: string; booleans?: { fix: string }[]; constraints?: string[] });
          const kept = objs.filter((x) => !x.result.startsWith('BAD'));
          const fromJson = [kept.length, ...kept.flatMap((x) => [...(x.booleans ?? []).map((b) => b.fix), ...(x.constraints ?? [])])];
          const fromText = [
            got.split('\tWas caused by:').length - 1,
            ...got.split('\n').flatMap((l) => (l.startsWith('\t# setsebool') ? [l.slice(3)] : l.endsWith('; Constraint DENIED') ? [l.replace(/^#\t/, '')] : [])),
          ];
          if (JSON.stringify(fromJson) !== JSON.stringify(fromText)) diffs.push(`${f} ${extra.join(' ')}: --json does not match the text`);
        }
        if (got !== want) {
          const a = got.split('\n');
          const b = want.split('\n');
          let k = 0;
          while (k < a.length && a[k] === b[k]) k++;
          // README "Differences" 5: with -l, every DAEMON_START starts over, not only the old `auditd start` form.
          const modernStart = extra.length > 0 && /type=DAEMON_START(?![^\n]*\sauditd\s)/.test(readFileSync(f, 'latin1'));
          (KNOWN_DIFFERENT.has(f.split('/').pop()!) || modernStart ? known : diffs).push(
            `${f} ${extra.join(' ')}: first difference at line ${k + 1}:\n  ours:   ${JSON.stringify(a[k])}\n  theirs: ${JSON.stringify(b[k])}`,
          );
        }
      }
    }
    process.stdout.write(`why-oracle: ${logs.length} logs (${fixed} also with -l), ${compared} runs, ${compared - diffs.length - known.length} identical, ${known.length} known differences\n`);
    expect(diffs).toEqual([]);
    expect(compared, 'runs compared').toBe(2 * fixed + NLOGS);
  }, 300_000);
});
