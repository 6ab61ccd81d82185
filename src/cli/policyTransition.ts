// `porthole policy transition`: the context a new process or object gets
// (security_compute_create) and whether the exec is allowed.
// `porthole policy paths`: domain transition paths (sedta -S).
import { resolve } from 'node:path';
import { Command } from 'commander';
import { fail } from '../base/diagnostic.js';
import type { CliIo } from './io.js';
import { loadPolicy } from './policyLoad.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

function parseBools(list: string[]): Map<string, boolean> {
  const m = new Map<string, boolean>();
  for (const item of list) {
    const x = /^([^=]+)=(on|off|true|false|1|0)$/i.exec(item);
    if (!x) fail('usage', `--bool ${item}: want NAME=on|off`);
    m.set(x[1]!, /^(on|true|1)$/i.test(x[2]!));
  }
  return m;
}

interface TransitionFlags {
  source: string;
  target: string;
  class: string;
  name?: string;
  setexec?: string;
  bool: string[];
  json?: boolean;
}

export function policyTransitionCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('transition')
    .description('the context a new process or object gets (security_compute_create), and whether an exec into it is allowed')
    .argument('[POLICY]', 'binary policy file (default: the running policy, else the highest policy.N of the configured type)')
    .requiredOption('--source <context>', 'context of the process (user:role:type[:range])')
    .requiredOption('--target <type|context>', "the executable's (or parent object's) type or context; a type gets the source user, object_r and the source low level")
    .option('--class <class>', 'class of the new object', 'process')
    .option('--name <filename>', 'object name, for filename type transitions')
    .option('--setexec <context>', 'the exec context was set explicitly (setexeccon): check process setexec and use this context')
    .option('--bool <name=on|off>', 'boolean value for conditional rules (repeatable)', collect, [])
    .option('--json', 'the result as JSON')
    .action(async (file: string | undefined, flags: TransitionFlags) => {
      if (flags.target.startsWith('/')) {
        fail('usage', "--target as a file path is not supported yet: give the file's type or context (matchpathcon prints it)");
      }
      const loaded = await loadPolicy(file && resolve(io.cwd, file), io);
      if (!loaded) return setExit(1);
      const { policy } = loaded;
      const t = await import('../selinux/policy/access/transition.js');
      const bools = parseBools(flags.bool);
      // biome-ignore lint/suspicious/noImplicitAnyLet: assigned in the try below
      let out;
      try {
        const source = t.parseContextIn(policy, flags.source);
        const target = flags.target.includes(':')
          ? t.parseContextIn(policy, flags.target)
          : (() => {
              const c = t.parseContextIn(policy, `${policy.users[source.user - 1]!.name}:object_r:${flags.target}`);
              c.range = { low: source.range.low, high: source.range.low };
              return c;
            })();
        const tclass = policy.index.classValues.get(flags.class);
        if (tclass === undefined) throw new t.TransitionError(`unknown class ${flags.class}`);
        const computed = t.computeCreate(policy, source, target, tclass, { ...(flags.name !== undefined && { name: flags.name }), bools });
        const isProcess = flags.class === 'process';
        const explicit = flags.setexec !== undefined ? t.parseContextIn(policy, flags.setexec) : undefined;
        const newContext = explicit ?? computed.context;
        const checks = isProcess ? t.execChecks(policy, source, target.type, newContext, explicit !== undefined, bools) : [];
        out = { source, target, computed, newContext, explicit: explicit !== undefined, checks };
      } catch (e) {
        if (e instanceof t.TransitionError || (e instanceof Error && /^unknown boolean/.test(e.message))) fail('usage', e.message);
        throw e;
      }
      const ctx = (c: typeof out.newContext): string => t.contextText(policy, c);
      const tn = (v: number): string => policy.types[v - 1]?.name ?? `type${v}`;
      const allowed = out.checks.every((c) => c.allowed) && (out.explicit ? t.contextInvalidReason(policy, out.newContext) === undefined : out.computed.invalid === undefined);
      if (flags.json) {
        const c = out.computed;
        io.stdout(
          JSON.stringify(
            {
              source: ctx(out.source),
              target: ctx(out.target),
              class: flags.class,
              ...(flags.name !== undefined && { name: flags.name }),
              computed: ctx(c.context),
              newContext: ctx(out.newContext),
              explicit: out.explicit,
              derivation: { user: c.user, role: c.role, type: c.type, ...(c.typeRule && { typeRule: c.typeRule }), ...(c.range && { range: c.range }) },
              valid: c.invalid === undefined,
              ...(c.invalid && { invalidReason: c.invalid }),
              ...(c.ignoredAttributeRules.length && { ignoredAttributeRules: c.ignoredAttributeRules }),
              checks: out.checks.map((k) => ({ check: k.what, source: tn(k.source), target: tn(k.target), allowed: k.allowed, rules: k.rules })),
              missing: out.checks.filter((k) => !k.allowed).map((k) => k.rules[0]),
              allowed,
            },
            null,
            2,
          ) + '\n',
        );
        return setExit(0);
      }
      const c = out.computed;
      const parts = c.context;
      let o = `${out.explicit ? 'computed context' : 'new context'}: ${ctx(c.context)}\n`;
      o += `  user:  ${policy.users[parts.user - 1]?.name}  (${c.user})\n`;
      o += `  role:  ${policy.roles[parts.role - 1]?.name}  (${c.role})\n`;
      o += `  type:  ${tn(parts.type)}  (${c.typeRule ?? c.type})\n`;
      if (policy.mls) o += `  range: ${t.rangeText(policy, parts.range)}  (${c.range})\n`;
      if (c.invalid) o += `  invalid: ${c.invalid}\n`;
      for (const r of c.ignoredAttributeRules) o += `  note: the kernel does not match the attribute-keyed rule ${r}\n`;
      if (out.explicit) o += `new context (setexec): ${ctx(out.newContext)}\n`;
      if (out.checks.length) {
        o += `exec of ${tn(out.target.type)} by ${tn(out.source.type)}: ${allowed ? 'allowed' : 'denied'}\n`;
        for (const k of out.checks) o += `  ${k.allowed ? 'allowed' : 'missing'}  ${k.what}: ${k.allowed ? k.rules.join(' | ') : k.rules[0]}\n`;
      }
      io.stdout(o);
      setExit(0);
    });
}

interface PathsFlags {
  from: string;
  to?: string;
  shortest?: boolean;
  all?: string;
  reverse?: boolean;
  exclude?: string[];
  limit?: string;
  full?: boolean;
  stats?: boolean;
  json?: boolean;
}

const collectList = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), ...v.split(',').filter(Boolean)];

export function policyPathsCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('paths')
    .description('domain transition analysis, as `sedta` does: the paths from one domain to another, or the transitions out of (into) one')
    .argument('[POLICY]', 'binary policy file (default: the running policy, else the highest policy.N of the configured type)')
    .requiredOption('-s, --from <type>', 'source domain (sedta -s)')
    .option('-t, --to <type>', 'target domain (sedta -t); without it, the transitions out of --from (into it, with --reverse)')
    .option('-S, --shortest', 'all shortest paths (sedta -S; the default with --to)')
    .option('-A, --all <MAX_STEPS>', 'all paths of at most MAX_STEPS steps (sedta -A; expensive)')
    .option('-r, --reverse', 'follow the transitions backwards: the domains that lead to --from (sedta -r)')
    .option('--exclude <TYPES>', "leave these types out, as domains and as entrypoints (comma-separated, repeatable; sedta's exclude list)", collectList)
    .option('-l, --limit <N>', 'stop after N paths or transitions (sedta -l)')
    .option('--full', 'print the rules of each step (sedta --full; entrypoints sorted by name)')
    .option('--stats', "print the graph's numbers of nodes and edges at the end (sedta --stats)")
    .option('--json', 'the paths or transitions as JSON')
    .action(async (file: string | undefined, flags: PathsFlags) => setExit(await paths(file, flags, io)));
}

async function paths(file: string | undefined, flags: PathsFlags, io: CliIo): Promise<number> {
  if (!flags.to && (flags.shortest || flags.all !== undefined)) fail('usage', '--to is needed to look for paths');
  const int = (what: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) fail('usage', `${what}: not a number: ${v}`);
    return Number(v);
  };
  const maxSteps = flags.shortest ? undefined : int('--all', flags.all);
  const limit = int('--limit', flags.limit) ?? 0;
  const loaded = await loadPolicy(file && resolve(io.cwd, file), io);
  if (!loaded) return 1;
  const { policy } = loaded;
  const { DomainTransitionGraph, lookupDomain, printSedtaPaths, printSedtaTransitions } = await import('../selinux/policy/access/dta.js');
  const { DtaView } = await import('../selinux/policy/access/dtaView.js');
  const { ruleText } = await import('../selinux/policy/access/dtaText.js');
  let s: number;
  let t: number | undefined;
  let exclude: number[];
  try {
    // In sedta's order: the excluded types, then the source and the target.
    exclude = (flags.exclude ?? []).map((n) => lookupDomain(policy, n));
    if (maxSteps !== undefined && maxSteps < 1) throw new Error('Maximum path length must be positive.');
    s = lookupDomain(policy, flags.from);
    t = flags.to ? lookupDomain(policy, flags.to) : undefined;
  } catch (e) {
    // sedta prints the message on stdout and exits 1.
    io.stderr(`porthole: ${(e as Error).message}\n`);
    return 1;
  }
  const graph = new DomainTransitionGraph(policy);
  const view = new DtaView(graph, { reverse: !!flags.reverse, exclude });
  // sedta --stats: the whole graph's (not reversed, nothing excluded).
  const stats = { nodes: graph.nodeOrder.length, edges: graph.edgeCount };
  const statsText = flags.stats ? `\nGraph statistics:\nGraph nodes: ${stats.nodes}\nGraph edges: ${stats.edges}\n` : '';
  const tn = (v: number): string => policy.types[v - 1]?.name ?? `type${v}`;
  const r = (x: { cond: boolean; index: number }): string => ruleText(policy, x);
  const stepJson = (a: number, b: number): object => {
    const st = view.step(a, b);
    return {
      source: tn(st.source),
      target: tn(st.target),
      ...(flags.full && {
        transition: st.transition.map(r),
        setexec: st.setexec.map(r),
        entrypoints: st.entrypoints.map((e) => ({ type: tn(e.type), entrypoint: e.entrypoint.map(r), execute: e.execute.map(r), typeTransition: e.typeTransition.map(r) })),
        dyntransition: st.dyntransition.map(r),
        setcurrent: st.setcurrent.map(r),
      }),
    };
  };
  const head = { from: flags.from, ...(flags.to ? { to: flags.to } : {}), reverse: !!flags.reverse, exclude: flags.exclude ?? [] };
  if (t === undefined) {
    let edges = view.transitions(s);
    if (limit > 0) edges = edges.slice(0, limit);
    if (flags.json) io.stdout(JSON.stringify({ ...head, transitions: edges.map(([a, b]) => stepJson(a, b)), ...(flags.stats ? { stats } : {}) }, null, 2) + '\n');
    else io.stdout(printSedtaTransitions(policy, view, edges, { full: !!flags.full, limit }) + statsText);
    return 0;
  }
  let found = maxSteps !== undefined ? view.allPaths(s, t, maxSteps) : view.shortestPaths(s, t);
  if (limit > 0) found = found.slice(0, limit);
  if (flags.json) {
    const json = found.map((p) => p.slice(1).map((b, i) => stepJson(p[i]!, b)));
    io.stdout(JSON.stringify({ ...head, algorithm: maxSteps !== undefined ? { all: maxSteps } : 'shortest', paths: json, ...(flags.stats ? { stats } : {}) }, null, 2) + '\n');
  } else io.stdout(printSedtaPaths(policy, view, found, { full: !!flags.full, limit }) + statsText);
  return 0;
}
