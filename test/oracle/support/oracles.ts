// What the oracle tests need from the machine, in one place: the SELinux
// tools they compare us with (installed by scripts/install-oracles.sh, named
// in its oracles.env) and the project's shared data (corpora, samples).
//
// describeOracle(name, fn, needs) runs the suite when what it needs is there.
// When something is missing it prints ONE line saying what and how to get it,
// and skips the suite without running fn; when the environment variable CI is
// set (to anything but "", "0" or "false") it FAILS instead: CI must not go
// green by skipping the differential tests. sharedDirs() does the same for
// the shared data inside a running suite.
//
// PORTHOLE_ORACLES=off makes every tool count as missing (to check what a
// machine without them sees). PORTHOLE_SHARED names the shared data directory
// (default: ../shared beside the repository). PORTHOLE_ORACLES_ENV names the
// env file (default /var/lib/selinux-oracles/oracles.env).
// Not here: running the tools (batch.ts, the suites).

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { onPath } from '../../../src/ship/modulePackage.js';

/** The project's shared data (corpora/, tools/samples/): $PORTHOLE_SHARED, else ../shared beside the repository. */
export const SHARED_DIR = process.env.PORTHOLE_SHARED || fileURLToPath(new URL('../../../../shared/', import.meta.url));

export const ORACLES_ENV_FILE = process.env.PORTHOLE_ORACLES_ENV || '/var/lib/selinux-oracles/oracles.env';
export const SYSTEM_PYTHON = '/usr/bin/python3';

const INSTALL_HINT = 'install them (Debian 12, as root): bash scripts/install-oracles.sh';
const SHARED_HINT = 'set PORTHOLE_SHARED to a copy of the project\'s shared/ directory (default: "../shared" beside the repository)';

/** PORTHOLE_ORACLES=off (or 0, false, no): every tool counts as missing. */
export function oraclesOff(env: Record<string, string | undefined> = process.env): boolean {
  return /^(off|0|false|no)$/i.test(env.PORTHOLE_ORACLES ?? '');
}

export function isCI(env: Record<string, string | undefined> = process.env): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** KEY=VALUE lines of oracles.env (comments and blank lines skipped, one level of quotes removed). */
export function readOraclesEnv(file: string = ORACLES_ENV_FILE): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m || m[1] === undefined || m[2] === undefined) continue;
    let v = m[2].trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    out[m[1]] = v;
  }
  return out;
}

export interface Oracles {
  env: Record<string, string>;
  /** $SE_POLICY: the binary policy every audit2allow run gets with -p. */
  policy: string;
  /** /usr/bin/audit2allow (a Python script; loaded as a module by the batch runner). */
  audit2allow: string;
  python: string;
  ausearch: string;
  /** $SE_PP2CIL: libsepol's module-package-to-CIL converter. */
  pp: string;
}

export function findOracles(): Oracles {
  const env = readOraclesEnv();
  return {
    env,
    policy: env.SE_POLICY ?? '/etc/selinux/default/policy/policy.33',
    audit2allow: '/usr/bin/audit2allow',
    python: SYSTEM_PYTHON,
    ausearch: existsSync('/usr/sbin/ausearch') ? '/usr/sbin/ausearch' : '/sbin/ausearch',
    pp: env.SE_PP2CIL ?? '/usr/libexec/selinux/hll/pp',
  };
}

/** Commands looked up on PATH. */
const COMMANDS = ['checkpolicy', 'checkmodule', 'semodule_package', 'semodule', 'seinfo', 'matchpathcon', 'semanage', 'm4', 'selint', 'sediff'] as const;

/** Python modules of /usr/bin/python3, by need. */
const PYTHON_MODULES = {
  'python-selinux': ['selinux.audit2why', 'sepolgen.audit', 'sepolgen.policygen', 'sepolicy'],
  'python-setools': ['setools'],
} as const;

/**
 * `module-tools`: checkmodule, semodule_package, secilc, checkpolicy, $SE_PP2CIL and the policy's CIL ($SE_CIL_DIR).
 * `devel-include`: the devel headers ($SE_DEVEL_INCLUDE); `refpolicy-src`: the reference policy's sources ($SE_REFPOLICY_SRC).
 */
export type OracleTool =
  | 'env'
  | 'policy'
  | 'audit2allow'
  | 'python'
  | keyof typeof PYTHON_MODULES
  | 'ausearch'
  | 'pp'
  | 'policy-store'
  | 'module-tools'
  | 'devel-include'
  | 'refpolicy-src'
  | (typeof COMMANDS)[number];

const DEFAULT_NEEDS: readonly OracleTool[] = ['env', 'policy', 'audit2allow', 'python-selinux'];

const pythonImports = new Map<string, boolean>();

function pythonCanImport(python: string, modules: readonly string[]): boolean {
  const key = modules.join(',');
  let ok = pythonImports.get(key);
  if (ok === undefined) {
    ok = spawnSync(python, ['-s', '-c', `import ${key}`], { encoding: 'utf8', timeout: 30_000 }).status === 0;
    pythonImports.set(key, ok);
  }
  return ok;
}

/** The tools among `needs` that are missing, each with where it was looked for. */
export function missingOracles(needs: readonly OracleTool[] = DEFAULT_NEEDS): string[] {
  if (oraclesOff()) return ['every one (PORTHOLE_ORACLES=off)'];
  const o = findOracles();
  const missing: string[] = [];
  for (const n of needs) {
    switch (n) {
      case 'env':
        if (!existsSync(ORACLES_ENV_FILE)) missing.push(ORACLES_ENV_FILE);
        break;
      case 'policy':
        if (!existsSync(o.policy)) missing.push(`policy ${o.policy} ($SE_POLICY)`);
        break;
      case 'audit2allow':
        if (!existsSync(o.audit2allow)) missing.push(o.audit2allow);
        break;
      case 'python':
        if (!existsSync(o.python)) missing.push(o.python);
        break;
      case 'python-selinux':
      case 'python-setools':
        if (!existsSync(o.python)) missing.push(o.python);
        else if (!pythonCanImport(o.python, PYTHON_MODULES[n])) missing.push(`${o.python} modules ${PYTHON_MODULES[n].join(', ')}`);
        break;
      case 'ausearch':
        if (!existsSync(o.ausearch)) missing.push('ausearch');
        break;
      case 'pp':
        if (!existsSync(o.pp)) missing.push(`${o.pp} ($SE_PP2CIL)`);
        break;
      case 'policy-store':
        for (const dir of ['/etc/selinux', '/var/lib/selinux']) if (!existsSync(dir)) missing.push(dir);
        break;
      case 'module-tools': {
        for (const tool of ['checkmodule', 'semodule_package', 'secilc', 'checkpolicy']) if (!onPath(tool)) missing.push(tool);
        if (!existsSync(o.pp)) missing.push(`${o.pp} ($SE_PP2CIL)`);
        const cil = o.env.SE_CIL_DIR ?? '/var/lib/selinux-oracles/cil';
        if (!existsSync(`${cil}/base.cil`)) missing.push(`${cil}/base.cil ($SE_CIL_DIR)`);
        break;
      }
      case 'devel-include': {
        const dir = o.env.SE_DEVEL_INCLUDE ?? '/usr/share/selinux/devel/include';
        if (!existsSync(join(dir, 'support'))) missing.push(`${dir} ($SE_DEVEL_INCLUDE)`);
        break;
      }
      case 'refpolicy-src': {
        const dir = o.env.SE_REFPOLICY_SRC ?? '/usr/src/selinux-policy-src';
        if (!existsSync(join(dir, 'policy', 'modules'))) missing.push(`${dir}/policy/modules ($SE_REFPOLICY_SRC)`);
        break;
      }
      default:
        if (!onPath(n)) missing.push(n);
    }
  }
  return [...new Set(missing)];
}

/** One line on stderr, outside any test: the reporter prints it as it is. */
function skipNote(what: string, why: string): void {
  process.stderr.write(`skipped: ${what}: ${why}\n`);
}

/** A suite whose only test fails with `why` (CI), or that is skipped with one line saying `why`. */
export function unavailable(name: string, why: string): void {
  if (isCI()) {
    describe(name, () => {
      it('has what it needs (CI is set, so this fails instead of skipping)', () => {
        throw new Error(why);
      });
    });
  } else {
    skipNote(name, why);
    // Declared, not run: fn is not called, so nothing of the suite's setup happens.
    describe(name, () => {
      it.skip(why);
    });
  }
}

/**
 * describe() for tests that need the oracle tools: run when `needs` are all
 * there; else skipped with one line (fn is not run), or failing when CI is set.
 */
export function describeOracle(name: string, fn: () => void, needs: readonly OracleTool[] = DEFAULT_NEEDS): void {
  const missing = missingOracles(needs);
  if (missing.length === 0) describe(name, fn);
  else if (oraclesOff()) unavailable(name, 'oracle tools turned off (PORTHOLE_ORACLES=off)');
  else unavailable(name, `oracle tools missing: ${missing.join('; ')}; ${INSTALL_HINT}`);
}

/**
 * The shared data directories `rels` (relative to SHARED_DIR) that exist, by
 * relative name. Call it while a suite is being declared: when some are missing, the
 * suite gets one test saying so (skipped with one line on stderr naming
 * `what`, or failing when CI is set) and goes on with the inputs it has.
 */
export function sharedDirs<R extends string>(what: string, rels: readonly R[]): Map<R, string> {
  const found = new Map<R, string>();
  const missing: string[] = [];
  for (const rel of rels) {
    const dir = join(SHARED_DIR, rel);
    if (existsSync(dir)) found.set(rel, dir);
    else missing.push(dir);
  }
  if (missing.length > 0) {
    const why = `shared data missing: ${missing.join(', ')}; ${SHARED_HINT}`;
    if (isCI()) {
      it('has the shared data (CI is set, so this fails instead of skipping)', () => {
        throw new Error(why);
      });
    } else {
      skipNote(what, why);
      it.skip(why);
    }
  }
  return found;
}
