// Finding and reading the binary policy for the `policy` commands (and `allow -p`, `why`).

import { fail } from '../base/diagnostic.js';
import type { Policy } from '../selinux/policy/index.js';

/**
 * Reads POLICY, or the default policy when none is given. A file that is not a policy we can
 * read is a `policy-format` error naming the file, the section and the byte offset.
 */
export async function loadPolicy(file: string | undefined): Promise<{ policy: Policy; path: string }> {
  // Loaded here, not at start-up: other commands never pay for the reader.
  const { readPolicyFile } = await import('../selinux/policy/index.js');
  const r = await withPolicyFile(file, readPolicyFile);
  return { policy: r.value, path: r.path };
}

/**
 * Runs `use` (a reader, scanPolicyFile, ...) on POLICY or the default policy's path. No policy
 * is a `policy-not-found` error; a PolicyReadError becomes a `policy-format` one.
 */
export async function withPolicyFile<T>(file: string | undefined, use: (path: string) => T): Promise<{ value: T; path: string }> {
  const { defaultPolicyPath, PolicyReadError } = await import('../selinux/policy/index.js');
  const path = file ?? defaultPolicyPath();
  if (path === undefined) fail('policy-not-found', 'no policy given and none found under /sys/fs/selinux or /etc/selinux');
  try {
    return { value: use(path), path };
  } catch (e) {
    if (!(e instanceof PolicyReadError)) throw e;
    fail('policy-format', `${path}: ${e.message}`, { data: { file: path, section: e.section, offset: e.offset } });
  }
}
