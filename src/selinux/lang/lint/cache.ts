// What `porthole check` learned from each source, kept on disk: the findings
// of the rules that read one source, and the source's summary (summary.ts),
// by file, with a hash of the file's bytes. The next run over the same files
// reads a source again only when its bytes changed, so checking a tree after
// editing one module costs the reading of that module, not of the tree.
// One store file per set of paths checked, named by a hash of them and a hash
// of what else its content depends on (the code's build, the equivalence
// rules): a store written replaces the older ones of the same paths, so the
// folder holds one per set of paths. A store that cannot be read or is of
// another version is ignored, one that cannot be written only costs the next
// run the reading.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../../base/diagnostic.js';
import type { SourceSummary } from './summary.js';

/** Bumped whenever what a store holds, or what the rules find in one source, changes. */
export const LINT_CACHE_VERSION = 2;

export interface LintCacheOptions {
  /** The folder the store files live in (defaultCacheDir()). */
  dir: string;
  /** What is checked (the paths): one store each. */
  scope: string;
  /** The code's build: a store of another build is not read, and is replaced. */
  build: string;
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

  private readonly prefix: string;

  constructor(
    private readonly opts: LintCacheOptions,
    env: string,
  ) {
    const hash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);
    this.prefix = `check-${hash(opts.scope)}-`;
    this.file = join(opts.dir, `${this.prefix}${hash(`v${LINT_CACHE_VERSION}\0${opts.build}\0${env}`)}.json`);
    this.old = readStore(this.file);
  }

  /** The hash a source is kept under. */
  static hash(file: string, text: string, how: string): string {
    return createHash('sha1').update(`${how}\0${file}\0`).update(text, 'latin1').digest('base64');
  }

  /** What was kept for this file with this hash, if anything. */
  get(file: string, hash: string): CachedSource | undefined {
    const hit = Object.hasOwn(this.old, file) ? this.old[file] : undefined;
    if (hit === undefined || hit.hash !== hash || !sound(hit)) return undefined;
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
      // The same paths' stores of other builds or rules: replaced by this one.
      for (const f of readdirSync(this.opts.dir)) if (f.startsWith(this.prefix) && f.endsWith('.json') && join(this.opts.dir, f) !== this.file) rmSync(join(this.opts.dir, f), { force: true });
    } catch {
      // Not writable: the next run reads the sources again.
    }
  }
}

const SUMMARY_LISTS = ['declared', 'definitions', 'entries', 'created', 'required', 'specs'] as const;

/** Whether an entry has the shape this version writes (a store edited or damaged by hand is read afresh where it is not). */
function sound(e: CachedSource): boolean {
  if (typeof e !== 'object' || e === null || typeof e.findings !== 'object' || e.findings === null || typeof e.summary !== 'object' || e.summary === null) return false;
  if (!Object.values(e.findings).every(Array.isArray)) return false;
  const s = e.summary as unknown as Record<string, unknown>;
  return ['te', 'if', 'fc'].includes(s.kind as string) && SUMMARY_LISTS.every((k) => Array.isArray(s[k]));
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
