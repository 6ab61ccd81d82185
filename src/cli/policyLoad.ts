// Finding and reading the binary policy for the `policy` commands. A file that
// is not a policy we can read is a PortholeError (policy-format: the section
// and offset; policy-is-module: a .pp or .mod given instead) naming the file;
// main prints it and exits 1.

import { fail } from '../base/diagnostic.js';
import type { Policy } from '../selinux/policy/index.js';
import type { CliIo } from './io.js';

/**
 * Reads POLICY, or the default policy when none is given. `name`: POLICY as errors name it
 * (default: its path). (`_io`: kept for the commands that pass it; errors are thrown, not printed.)
 */
export async function loadPolicy(file: string | undefined, _io: CliIo, name?: string): Promise<{ policy: Policy; path: string }> {
  // Loaded here, not at start-up: other commands never pay for the reader.
  const { readPolicyFile } = await import('../selinux/policy/index.js');
  const r = await withPolicyFile(file, readPolicyFile, name);
  return { policy: r.value, path: r.path };
}

/** Runs `use` (a reader, scanPolicyFile, ...) on POLICY or the default policy's path, errors naming it as `name` (default: the path). */
export async function withPolicyFile<T>(file: string | undefined, use: (path: string, opts: { name: string }) => T, name?: string): Promise<{ value: T; path: string }> {
  const { defaultPolicyPath } = await import('../selinux/policy/index.js');
  const path = file ?? defaultPolicyPath();
  if (path === undefined) fail('usage', 'no policy given and none found under /sys/fs/selinux or /etc/selinux');
  return { value: use(path, { name: file === undefined ? path : (name ?? path) }), path };
}
