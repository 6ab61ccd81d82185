// Where the policy to read lives when none is named.
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PolicyPathOptions {
  /** Root to resolve /sys and /etc under (tests). Default "/". */
  root?: string;
}

/**
 * `/sys/fs/selinux/policy` when readable (the loaded policy), else the highest
 * `policy.N` under `/etc/selinux/<SELINUXTYPE>/policy/` (SELINUXTYPE from
 * /etc/selinux/config, "targeted" when unset, as libselinux does). Undefined when neither exists.
 */
export function defaultPolicyPath(opts: PolicyPathOptions = {}): string | undefined {
  const root = opts.root ?? '/';
  const live = join(root, 'sys/fs/selinux/policy');
  try {
    accessSync(live, constants.R_OK);
    return live;
  } catch {
    // not loaded here
  }
  let type = 'targeted';
  try {
    const conf = readFileSync(join(root, 'etc/selinux/config'), 'utf8');
    for (const line of conf.split('\n')) {
      const m = /^\s*SELINUXTYPE\s*=\s*(\S+)\s*$/.exec(line);
      if (m?.[1]) type = m[1].replace(/^["']|["']$/g, '');
    }
  } catch {
    // no config: libselinux's default
  }
  const dir = join(root, 'etc/selinux', type, 'policy');
  let best = -1;
  try {
    for (const f of readdirSync(dir)) {
      const m = /^policy\.(\d+)$/.exec(f);
      if (m) best = Math.max(best, Number(m[1]));
    }
  } catch {
    return undefined;
  }
  return best < 0 ? undefined : join(dir, `policy.${best}`);
}
