// Temporary directories for tests, always removed afterwards:
//  - tempDir(name): one directory for the tests of a file or a describe block
//    (call it there, not inside a test): made on first use of `.path`, so a
//    skipped suite makes none, and removed by an afterAll hook;
//  - withTempDir(name, fn): one directory for one test, removed when fn ends,
//    whether it passed or threw.
// Directories are `porthole-NAME-XXXXXX` under os.tmpdir() ($TMPDIR).
// Not for files a test is meant to leave behind (reports kept on failure use
// tempDir's `keep`, which says where it kept them).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export interface TempDir {
  /** The directory (made on first use). */
  readonly path: string;
  /** path/parts... */
  join(...parts: string[]): string;
}

function makeDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `porthole-${name}-`));
}

/**
 * A directory for the tests of the current file or describe block, removed
 * after them. `keep` (asked in the afterAll hook) keeps it, e.g. when it holds
 * the report of a failed comparison; its path is then printed on stderr.
 */
export function tempDir(name: string, opts: { keep?: () => boolean } = {}): TempDir {
  let path: string | undefined;
  afterAll(() => {
    if (path === undefined) return;
    if (opts.keep?.()) {
      process.stderr.write(`kept ${path}\n`);
      return;
    }
    rmSync(path, { recursive: true, force: true });
  });
  return {
    get path(): string {
      path ??= makeDir(name);
      return path;
    },
    join(...parts: string[]): string {
      return join(this.path, ...parts);
    },
  };
}

/** Runs fn with a new directory, removed when fn ends (also when it throws). */
export async function withTempDir<T>(name: string, fn: (dir: string) => T | Promise<T>): Promise<T> {
  const dir = makeDir(name);
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
