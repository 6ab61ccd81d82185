// The access index kept on disk: building it runs m4 over every interface
// (seconds), reading it back takes a fraction of that. The file is named by a
// hash of what the index depends on: the index version, the include tree's
// path, and every file m4 reads there (support/*.spt, LAYER/*.if, build.conf)
// with its size and modification time; any change of the tree makes another
// name, and the stale file is left for the user's cache cleaner (one file per
// tree and version). A file that cannot be read or parsed is rebuilt; one
// that cannot be written only costs the next run the build.
// Default place: $XDG_CACHE_HOME/porthole, else ~/.cache/porthole.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { includeTree } from '../../refpolicy/index.js';
import { DEFAULT_DEVEL_INCLUDE } from '../m4/devel.js';
import { ACCESS_INDEX_VERSION, type AccessIndex, buildAccessIndex } from './accessIndex.js';

export interface AccessIndexOptions {
  includeDir?: string | undefined;
  /** Where the index file is kept; null: no cache (build every time). Default: defaultCacheDir(). */
  cacheDir?: string | null | undefined;
}

export interface LoadedAccessIndex {
  index: AccessIndex;
  /** Whether it came from the cache file. */
  cached: boolean;
  /** The cache file (read or written), when there is a cache. */
  cacheFile?: string | undefined;
}

/** $XDG_CACHE_HOME/porthole, else ~/.cache/porthole. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'porthole');
}

/** The hash naming a tree's index file: the version, the tree's path, and each file's path, size and mtime. */
export function accessIndexKey(includeDir: string): string {
  const tree = includeTree(includeDir);
  const h = createHash('sha256');
  h.update(`v${ACCESS_INDEX_VERSION}\0${resolve(includeDir)}\0`);
  const conf = join(includeDir, 'build.conf');
  for (const f of [...tree.support, ...tree.interfaces, ...(existsSync(conf) ? [conf] : [])]) {
    const st = statSync(f);
    h.update(`${f}\0${st.size}\0${st.mtimeMs}\0`);
  }
  return h.digest('hex').slice(0, 32);
}

/** The access index of a tree: from the cache file when it is there and sound, else built (and written there). */
export function loadAccessIndex(opts: AccessIndexOptions = {}): LoadedAccessIndex {
  const includeDir = opts.includeDir ?? DEFAULT_DEVEL_INCLUDE;
  const dir = opts.cacheDir === undefined ? defaultCacheDir() : opts.cacheDir;
  if (dir === null) return { index: buildAccessIndex(includeDir), cached: false };
  const file = join(dir, `iface-access-${accessIndexKey(includeDir)}.json`);
  try {
    const index = JSON.parse(readFileSync(file, 'utf8')) as AccessIndex;
    if (index.version === ACCESS_INDEX_VERSION && Array.isArray(index.interfaces)) return { index, cached: true, cacheFile: file };
  } catch {
    // Missing or unreadable: built below.
  }
  const index = buildAccessIndex(includeDir);
  try {
    mkdirSync(dir, { recursive: true });
    // Written whole, then renamed: a concurrent reader never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(index));
    renameSync(tmp, file);
  } catch {
    // Not writable: the next run builds it again.
  }
  return { index, cached: false, cacheFile: file };
}
