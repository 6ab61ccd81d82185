// `porthole policy info`: seinfo. Statistics, or component listings.
//
// The policy is the first positional argument, as for seinfo: `info POLICY -t`
// lists all types, `info POLICY -t NAME` one. A listing flag directly before
// the policy takes it as its NAME (`info -t POLICY`), as argparse does for seinfo.
import { resolve } from 'node:path';
import { Command } from 'commander';
import type { ListingKind, ListingQueries } from '../../index.js';
import type { CliIo } from '../io.js';
import { loadPolicy, withPolicyFile } from './load.js';

/** Listing flags: [commander flags, option key, listing kind, help]. */
const LISTING_FLAGS: readonly [string, string, ListingKind, string][] = [
  ['-t, --type [TYPE]', 'type', 'type', 'types (with -x: aliases and attributes)'],
  ['-a, --attribute [ATTR]', 'attribute', 'attribute', 'type attributes (with -x: member types)'],
  ['-r, --role [ROLE]', 'role', 'role', 'roles (with -x: types)'],
  ['-u, --user [USER]', 'user', 'user', 'users (with -x: roles, MLS level and range)'],
  ['-b, --bool [BOOL]', 'bool', 'bool', 'Booleans (with -x: default state)'],
  ['-c, --class [CLASS]', 'class', 'class', 'object classes (with -x: common and permissions)'],
  ['--common [COMMON]', 'common', 'common', 'common permission sets'],
  ['--sensitivity [SENS]', 'sensitivity', 'sensitivity', 'MLS sensitivities'],
  ['--category [CAT]', 'category', 'category', 'MLS categories'],
  ['--portcon [PORTNUM[-PORTNUM]]', 'portcon', 'portcon', 'portcon statements (those whose range holds the ports)'],
  ['--genfscon [FS_TYPE]', 'genfscon', 'genfscon', 'genfscon statements'],
  ['--fs_use [FS_TYPE]', 'fs_use', 'fsUse', 'fs_use_* statements'],
  ['--initialsid [NAME]', 'initialsid', 'initialSid', 'initial SIDs (with -x: contexts)'],
  ['--polcap [NAME]', 'polcap', 'polcap', 'policy capabilities'],
  ['--permissive [TYPE]', 'permissive', 'permissive', 'permissive types'],
  ['--constrain [CLASS]', 'constrain', 'constrain', 'constrain and mlsconstrain statements (of a class)'],
  ['--validatetrans [CLASS]', 'validatetrans', 'validatetrans', 'validatetrans and mlsvalidatetrans statements (of a class)'],
  ['--default [CLASS]', 'default', 'default', 'default_user/role/type/range rules (of a class)'],
  ['--netifcon [DEVICE]', 'netifcon', 'netifcon', 'netifcon statements'],
  ['--nodecon [ADDR]', 'nodecon', 'nodecon', 'nodecon statements (ADDR[/PREFIX]: those of exactly that network)'],
  ['--ibpkeycon [PKEY[-PKEY]]', 'ibpkeycon', 'ibpkeycon', 'ibpkeycon statements (of exactly that pkey range)'],
  ['--ibendportcon [NAME]', 'ibendportcon', 'ibendportcon', 'ibendportcon statements'],
  ['--typebounds [BOUND_TYPE]', 'typebounds', 'typebounds', 'typebounds statements (of that bounded type)'],
];

type InfoFlags = Record<string, string | boolean | undefined> & { json?: boolean; expand?: boolean; flat?: boolean; all?: boolean };

export function policyInfoCommand(io: CliIo, setExit: (code: number) => void): Command {
  const cmd = new Command('info')
    .description("the policy's statistics, as `seinfo POLICY` prints them, or its components (seinfo's listings)")
    .argument('[POLICY]', 'binary policy file (default: the running policy, else the highest policy.N of the configured type)');
  for (const [flags, , , help] of LISTING_FLAGS) cmd.option(flags, `print ${help}; with a name, only that one`);
  return cmd
    .option('-x, --expand', 'print more about each component (its statement)')
    .option('--all', 'print the statistics and every listing (a name given to a listing flag still selects)')
    .option('--flat', 'print listings without counts or indentation')
    .option('--json', 'the statistics, or the listings, as JSON')
    .action(async (file: string | undefined, flags: InfoFlags) => {
      const queries: ListingQueries = {};
      let any = false;
      for (const [, key, kind] of LISTING_FLAGS) {
        const v = flags[key];
        // --all lists every component; an empty NAME does not filter then, as in seinfo.
        if (v === undefined || v === false || (flags.all && v === '')) {
          if (flags.all) queries[kind] = true;
          continue;
        }
        queries[kind] = v === true ? true : String(v);
        // seinfo drops a component whose NAME is empty (`-t ''`).
        if (v !== '') any = true;
      }
      if (flags.all) any = true;
      const target = file && resolve(io.cwd, file);
      if (!any) {
        // Statistics only: counted straight from the bytes, without building the policy model.
        const { scanPolicyFile, formatSeinfoStats } = await import('../../selinux/policy/index.js');
        const scanned = await withPolicyFile(target, scanPolicyFile, file);
        const path = file ?? scanned.path;
        if (flags.json) io.stdout(JSON.stringify({ path, ...scanned.value }, null, 2) + '\n');
        else if (!flags.flat) io.stdout(formatSeinfoStats(scanned.value, path));
        return setExit(0);
      }
      const loaded = await loadPolicy(target, file);
      const { PolicyLister, listingsJson, policyStats, printSeinfoListings, printSeinfoStats } = await import('../../selinux/policy/index.js');
      // A bad listing argument is a PortholeError: `usage` (exit 2) where seinfo calls it a usage error, else exit 1.
      const listings = new PolicyLister(loaded.policy).listings(queries);
      if (flags.json) {
        const json = listingsJson(listings);
        io.stdout(JSON.stringify(flags.all ? { statistics: { path: file ?? loaded.path, ...policyStats(loaded.policy) }, ...json } : json, null, 2) + '\n');
        return setExit(0);
      }
      // seinfo --all prints the statistics block first (not with --flat).
      const stats = flags.all && !flags.flat ? printSeinfoStats(loaded.policy, file ?? loaded.path) : '';
      io.stdout(stats + printSeinfoListings(listings, { expand: !!flags.expand, flat: !!flags.flat }));
      setExit(0);
    });
}
