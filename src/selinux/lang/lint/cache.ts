// What `porthole check` learned from each source, kept on disk: the findings
// of the rules that read one source, and the source's summary (summary.ts),
// by file, with a hash of the file's bytes. The next run over the same files
// reads a source again only when its bytes changed, so checking a tree after
// editing one module costs the reading of that module, not of the tree.
// One store file per set of paths checked (and code build, and equivalence
// rules): named by a hash of them, as the access index's file is; a store
// that cannot be read or is of another version is ignored, one that cannot be
// written only costs the next run the reading.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../../base/diagnostic.js';
import type { SourceSummary } from './summary.js';

/** Bumped whenever what a store holds, or what the rules find in one source, changes. */
export const LINT_CACHE_VERSION = 2;

export interface LintCacheOptions {
  /** The folder the store files live in (defaultCacheDir()). */
  dir: string;
  /** What else names the store: the paths checked, the code's build (a change of either makes another store). */
  key: string;
}

/** A summary as kept: without what the input gives again (file, text, named). */
export type KeptSummary = Omit<SourceSummary, 'file' | 'text' | 'named'>;

export interface CachedSource {
  /** The hash of the source's bytes and how it was given (named or found in a folder, included). */
  hash: string;
  /** The findings of each one-source rule run on it, by rule code. */
  findings: Record<string, Diagnostic[]>;
  summary: KeptSummary;
}

interface StoreFile {
  version: number;
  sources: Record<string, CachedSource>;
}

export class LintCache {
  private readonly file: string;
  private readonly old: Record<string, CachedSource>;
  private readonly now = new Map<string, CachedSource>();
  private changed = false;

  constructor(opts: LintCacheOptions, env: string) {
    const name = createHash('sha256').update(`v${LINT_CACHE_VERSION}\0${opts.key}\0${env}`).digest('hex').slice(0, 32);
    this.file = join(opts.dir, `check-${name}.json`);
    this.old = readStore(this.file);
  }

  /** The hash a source is kept under. */
  static hash(file: string, text: string, how: string): string {
    return createHash('sha1').update(`${how}\0${file}\0`).update(text, 'latin1').digest('base64');
  }

  /** What was kept for this file with this hash, if anything. */
  get(file: string, hash: string): CachedSource | undefined {
    const hit = Object.hasOwn(this.old, file) ? this.old[file] : undefined;
    if (hit === undefined || hit.hash !== hash) return undefined;
    this.now.set(file, hit);
    return hit;
  }

  set(file: string, entry: CachedSource): void {
    this.now.set(file, entry);
    this.changed = true;
  }

  /** Writes the store when a source was read afresh or one checked before is gone. */
  save(): void {
    if (!this.changed && Object.keys(this.old).length === this.now.size) return;
    try {
      mkdirSync(join(this.file, '..'), { recursive: true });
      // Written whole, then renamed: a concurrent reader never sees half a file.
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ version: LINT_CACHE_VERSION, sources: Object.fromEntries(this.now) } satisfies StoreFile));
      renameSync(tmp, this.file);
    } catch {
      // Not writable: the next run reads the sources again.
    }
  }
}

function readStore(file: string): Record<string, CachedSource> {
  try {
    const store = JSON.parse(readFileSync(file, 'utf8')) as StoreFile;
    if (store.version === LINT_CACHE_VERSION && typeof store.sources === 'object' && store.sources !== null) return store.sources;
  } catch {
    // Missing or unreadable: every source is read.
  }
  return {};
}
