// Finding and reading the binary policy for the `policy` commands.

import { fail } from '../base/diagnostic.js';
import type { Policy } from '../selinux/policy/index.js';
import type { CliIo } from './io.js';

/**
 * Reads POLICY, or the default policy when none is given. Prints the error
 * and returns undefined when the file is not a policy we can read.
 */
export async function loadPolicy(file: string | undefined, io: CliIo): Promise<{ policy: Policy; path: string } | undefined> {
  // Loaded here, not at start-up: other commands never pay for the reader.
  const { readPolicyFile } = await import('../selinux/policy/index.js');
  const r = await withPolicyFile(file, io, readPolicyFile);
  return r && { policy: r.value, path: r.path };
}

/** Runs `use` (a reader, scanPolicyFile, ...) on POLICY or the default policy's path; undefined after printing its PolicyReadError. */
export async function withPolicyFile<T>(file: string | undefined, io: CliIo, use: (path: string) => T): Promise<{ value: T; path: string } | undefined> {
  const { defaultPolicyPath, PolicyReadError } = await import('../selinux/policy/index.js');
  const path = file ?? defaultPolicyPath();
  if (path === undefined) fail('usage', 'no policy given and none found under /sys/fs/selinux or /etc/selinux');
  try {
    return { value: use(path), path };
  } catch (e) {
    if (!(e instanceof PolicyReadError)) throw e;
    io.stderr(`porthole: ${path}: ${e.message}\n`);
    return undefined;
  }
}
