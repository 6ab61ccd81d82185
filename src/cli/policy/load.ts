// Finding and reading the binary policy for the `policy` commands (and `allow -p`, `why`). No
// policy is a `policy-not-found` error; a file that is not a policy we can read is a PortholeError
// naming it as the user typed it (policy-format: the section and offset; policy-is-module: a .pp
// or .mod given instead); main prints it and exits 1.
import { fail } from '../../base/diagnostic.js';
import type { Policy } from '../../index.js';

/** Reads POLICY (`file`, resolved; `name`: as typed, for messages), or the default policy when none is given. */
export async function loadPolicy(file: string | undefined, name?: string): Promise<{ policy: Policy; path: string }> {
  // Loaded here, not at start-up: other commands never pay for the reader.
  const { readPolicyFile } = await import('../../selinux/policy/index.js');
  const r = await withPolicyFile(file, readPolicyFile, name);
  return { policy: r.value, path: r.path };
}

/** Runs `use` (a reader, scanPolicyFile, ...) on POLICY or the default policy's path, errors naming it as `name` (default: the path). */
export async function withPolicyFile<T>(file: string | undefined, use: (path: string, opts: { name: string }) => T, name?: string): Promise<{ value: T; path: string }> {
  const { defaultPolicyPath } = await import('../../selinux/policy/index.js');
  const path = file ?? defaultPolicyPath();
  if (path === undefined) fail('policy-not-found', 'no policy given and none found under /sys/fs/selinux or /etc/selinux');
  return { value: use(path, { name: file === undefined ? path : (name ?? path) }), path };
}
