// `porthole policy search`: sesearch.
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { fail, PortholeError } from '../../base/diagnostic.js';
import type { SearchQuery, TeRuleType } from '../../index.js';
import type { CliIo } from '../io.js';
import { loadPolicy } from './load.js';

interface Flags {
  A?: boolean;
  allow?: boolean;
  auditallow?: boolean;
  dontaudit?: boolean;
  neverallow?: boolean;
  allowxperm?: boolean;
  auditallowxperm?: boolean;
  dontauditxperm?: boolean;
  neverallowxperm?: boolean;
  type_trans?: boolean;
  type_change?: boolean;
  type_member?: boolean;
  role_allow?: boolean;
  role_trans?: boolean;
  range_trans?: boolean;
  source?: string;
  target?: string;
  class?: string;
  perms?: string;
  xperms?: string;
  default?: string;
  bool?: string;
  d?: string[];
  e?: string[];
  S?: string[];
  r?: string[];
  json?: boolean;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

/** sesearch's two-letter options (-ds, -dt, -ep, -eb, -ex, -Sp, -rs, ...) are a one-letter option with its value glued on. */
function letters(flag: string, values: string[] | undefined, allowed: string): Set<string> {
  const out = new Set<string>();
  for (const v of values ?? []) {
    if (v.length !== 1 || !allowed.includes(v)) fail('usage', `unknown option -${flag}${v}`);
    out.add(v);
  }
  return out;
}

/** The query of a command line, rule types in sesearch's order (-A adds allow and allowxperm). */
export function searchQueryOf(flags: Flags): SearchQuery {
  const te: TeRuleType[] = [];
  const add = (on: boolean | undefined, t: TeRuleType): void => {
    if (on && !te.includes(t)) te.push(t);
  };
  add(flags.allow, 'allow');
  add(flags.allowxperm, 'allowxperm');
  add(flags.auditallow, 'auditallow');
  add(flags.auditallowxperm, 'auditallowxperm');
  add(flags.dontaudit, 'dontaudit');
  add(flags.dontauditxperm, 'dontauditxperm');
  add(flags.neverallow, 'neverallow');
  add(flags.neverallowxperm, 'neverallowxperm');
  add(flags.type_trans, 'type_transition');
  add(flags.type_change, 'type_change');
  add(flags.type_member, 'type_member');
  add(flags.A, 'allow');
  add(flags.A, 'allowxperm');
  const rbac: SearchQuery['rbac'] = [...(flags.role_allow ? (['role_allow'] as const) : []), ...(flags.role_trans ? (['role_transition'] as const) : [])];
  const mls: SearchQuery['mls'] = flags.range_trans ? ['range_transition'] : [];
  if (te.length === 0 && rbac.length === 0 && mls.length === 0) fail('usage', 'At least one rule type must be specified.');
  const direct = letters('d', flags.d, 'st');
  const equal = letters('e', flags.e, 'bpx');
  const subset = letters('S', flags.S, 'p');
  const regex = letters('r', flags.r, 'stcdb');
  // Like sesearch: empty values are no criterion; lists are split on commas as given, patterns are not.
  const list = (s: string | undefined, pattern = false): string[] | undefined => (s ? (pattern ? [s] : s.split(',')) : undefined);
  return {
    te,
    rbac,
    mls,
    ...(flags.source ? { source: flags.source } : {}),
    ...(flags.target ? { target: flags.target } : {}),
    sourceDirect: direct.has('s'),
    targetDirect: direct.has('t'),
    ...(flags.class ? { classes: list(flags.class, regex.has('c'))! } : {}),
    ...(flags.perms ? { perms: list(flags.perms)! } : {}),
    permsEqual: equal.has('p'),
    permsSubset: subset.has('p'),
    ...(flags.default ? { default: flags.default } : {}),
    ...(flags.bool ? { bools: list(flags.bool, regex.has('b'))! } : {}),
    ...(flags.xperms ? { xperms: flags.xperms } : {}),
    boolsEqual: equal.has('b'),
    xpermsEqual: equal.has('x'),
    sourceRegex: regex.has('s'),
    targetRegex: regex.has('t'),
    classRegex: regex.has('c'),
    defaultRegex: regex.has('d'),
    boolsRegex: regex.has('b'),
  };
}

/** The command's options and argument, without an action. */
function searchCommand(): Command {
  return new Command('search')
    .description('search the rules of a binary policy, as `sesearch` does; output matches sesearch line for line')
    .argument('[POLICY]', 'binary policy file (default: the running policy, else the highest policy.N of the configured type)')
    .option('-A', 'allow and allowxperm rules')
    .option('--allow', 'allow rules')
    .option('--allowxperm', 'allowxperm rules')
    .option('--auditallow', 'auditallow rules')
    .option('--auditallowxperm', 'auditallowxperm rules')
    .option('--dontaudit', 'dontaudit rules')
    .option('--dontauditxperm', 'dontauditxperm rules')
    .option('--neverallow', 'neverallow rules (a kernel policy has none)')
    .option('--neverallowxperm', 'neverallowxperm rules (a kernel policy has none)')
    .option('-T, --type_trans', 'type_transition rules (name transitions included)')
    .option('--type_change', 'type_change rules')
    .option('--type_member', 'type_member rules')
    .option('--role_allow', 'role allow rules')
    .option('--role_trans', 'role_transition rules')
    .option('--range_trans', 'range_transition rules')
    .option('-s, --source <NAME>', 'source type or attribute (a role for RBAC rules); by default attributes match their member types')
    .option('-t, --target <NAME>', 'target type or attribute (a role or type for RBAC rules)')
    .option('-c, --class <CLASSES>', 'object classes, comma-separated')
    .option('-p, --perms <PERMS>', 'permissions, comma-separated: rules with any of them')
    .option('-x, --xperms <XPERMS>', 'ioctls, comma-separated, hex, ranges with - (e.g. 0x8910,0x8900-0x89ff)')
    .option('-D, --default <NAME>', 'default type (type rules), role (role_transition) or range (range_transition, matched exactly)')
    .option('-b, --bool <BOOLS>', 'conditional rules on any of these booleans, comma-separated')
    .addOption(new Option('-d <s|t>', '-ds / -dt: match the source / target directly, without attribute expansion').argParser(collect))
    .addOption(new Option('-e <p|b|x>', '-ep / -eb / -ex: match the permission, boolean, ioctl set exactly').argParser(collect))
    .addOption(new Option('-S <p>', '-Sp: rules having all the listed permissions').argParser(collect))
    .addOption(
      new Option('-r <s|t|c|d|b>', '-rs / -rt / -rc / -rd / -rb: the source, target, class, default or boolean is a regular expression (Python syntax, found anywhere in the name)').argParser(collect),
    )
    .option('--json', 'the matching rules as JSON');
}

/** A command line of `policy search` (after `search`) as the query it asks, for tests. Throws UsageError or CommanderError. */
export function parseSearchArgs(args: string[]): { file: string | undefined; query: SearchQuery; json: boolean } {
  let got: { file: string | undefined; flags: Flags } | undefined;
  const cmd = searchCommand()
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} })
    .action((file: string | undefined, flags: Flags) => {
      got = { file, flags };
    });
  cmd.parse(args, { from: 'user' });
  if (!got) fail('usage', 'no command line');
  return { file: got.file, query: searchQueryOf(got.flags), json: !!got.flags.json };
}

export function policySearchCommand(io: CliIo, setExit: (code: number) => void): Command {
  return searchCommand().action(async (file: string | undefined, flags: Flags) => {
    const query = searchQueryOf(flags);
    const loaded = await loadPolicy(file && resolve(io.cwd, file), file);
    const { searchRules } = await import('../../selinux/policy/index.js');
    const { rules, error } = searchRules(loaded.policy, query);
    if (flags.json) io.stdout(JSON.stringify({ rules }, null, 2) + '\n');
    else if (rules.length) io.stdout(rules.map((r) => r.text + '\n').join(''));
    // sesearch prints its message on stdout after the rules before it; here it is a diagnostic on stderr, same text.
    if (error !== undefined) throw new PortholeError(error);
    setExit(0);
  });
}
