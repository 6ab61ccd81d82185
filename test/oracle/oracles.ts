// Finding the oracle tools (Debian's audit2allow & co., installed by
// shared/tools/install-oracles.sh) and declaring tests that need them.
//
// describeOracle(name, fn) runs the suite when the tools are there, skips it
// when they are not, and, when the environment variable CI is set (to
// anything but "", "0" or "false"), FAILS with a message saying what is
// missing: CI must not go green by skipping the differential tests.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { onPath } from '../../src/ship/modulePackage.js';

/** shared/ beside the repository (corpora, oracle samples): where CI puts it. */
export const SHARED_DIR = process.env.PORTHOLE_SHARED ?? fileURLToPath(new URL('../../../shared/', import.meta.url));

export const ORACLES_ENV_FILE = process.env.PORTHOLE_ORACLES_ENV ?? '/var/lib/selinux-oracles/oracles.env';
export const SYSTEM_PYTHON = '/usr/bin/python3';

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
}

/** `module-tools`: checkmodule, semodule_package, secilc, checkpolicy, $SE_PP2CIL and the policy's CIL ($SE_CIL_DIR). */
export type OracleTool = 'env' | 'policy' | 'audit2allow' | 'python-selinux' | 'ausearch' | 'module-tools';

let cachedPythonOk: boolean | undefined;

function pythonHasSelinux(python: string): boolean {
  if (cachedPythonOk === undefined) {
    const r = spawnSync(python, ['-s', '-c', 'import selinux.audit2why, sepolgen.audit, sepolgen.policygen'], { encoding: 'utf8', timeout: 30_000 });
    cachedPythonOk = r.status === 0;
  }
  return cachedPythonOk;
}

export function findOracles(): Oracles {
  const env = readOraclesEnv();
  return {
    env,
    policy: env.SE_POLICY ?? '/etc/selinux/default/policy/policy.33',
    audit2allow: '/usr/bin/audit2allow',
    python: SYSTEM_PYTHON,
    ausearch: existsSync('/usr/sbin/ausearch') ? '/usr/sbin/ausearch' : '/sbin/ausearch',
  };
}

/** The tools among `needs` that are missing, with why. */
export function missingOracles(needs: readonly OracleTool[] = ['env', 'policy', 'audit2allow', 'python-selinux']): string[] {
  const o = findOracles();
  const missing: string[] = [];
  for (const n of needs) {
    switch (n) {
      case 'env':
        if (!existsSync(ORACLES_ENV_FILE)) missing.push(`${ORACLES_ENV_FILE} (written by install-oracles.sh)`);
        break;
      case 'policy':
        if (!existsSync(o.policy)) missing.push(`policy ${o.policy} ($SE_POLICY)`);
        break;
      case 'audit2allow':
        if (!existsSync(o.audit2allow)) missing.push(o.audit2allow);
        break;
      case 'python-selinux':
        if (!existsSync(o.python)) missing.push(o.python);
        else if (!pythonHasSelinux(o.python)) missing.push(`${o.python} modules selinux.audit2why / sepolgen`);
        break;
      case 'ausearch':
        if (!existsSync(o.ausearch)) missing.push('ausearch (package auditd)');
        break;
      case 'module-tools': {
        for (const tool of ['checkmodule', 'semodule_package', 'secilc', 'checkpolicy']) if (!onPath(tool)) missing.push(tool);
        const pp = o.env.SE_PP2CIL ?? '/usr/libexec/selinux/hll/pp';
        if (!existsSync(pp)) missing.push(`${pp} ($SE_PP2CIL)`);
        const cil = o.env.SE_CIL_DIR ?? '/var/lib/selinux-oracles/cil';
        if (!existsSync(`${cil}/base.cil`)) missing.push(`${cil}/base.cil ($SE_CIL_DIR)`);
        break;
      }
    }
  }
  return missing;
}

export function isCI(env: Record<string, string | undefined> = process.env): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * describe() for tests that need the oracle tools: skipped when they are
 * missing, failing instead when CI is set.
 */
export function describeOracle(name: string, fn: () => void, needs: readonly OracleTool[] = ['env', 'policy', 'audit2allow', 'python-selinux']): void {
  const missing = missingOracles(needs);
  if (missing.length === 0) {
    describe(name, fn);
  } else if (isCI()) {
    describe(name, () => {
      it('has the SELinux oracle tools', () => {
        throw new Error(
          `oracle tools missing (CI is set, so this fails instead of skipping): ${missing.join('; ')}. ` +
            'Install them with: sudo bash shared/tools/install-oracles.sh (see shared/tools/ORACLES.md).',
        );
      });
    });
  } else {
    describe.skip(`${name} [skipped: oracle tools missing: ${missing.join('; ')}]`, fn);
  }
}
