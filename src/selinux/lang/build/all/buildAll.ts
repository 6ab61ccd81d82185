// `build --all`: every module of a directory (modules.ts) built in one process,
// as `make all` there would build them with the devel Makefile, each to its
// CIL. The interface pass is made once, in this thread (develInterfaces); the
// modules are shared out to worker threads (buildWorker.ts), each given that
// pass's result (all_interfaces.conf) and building the modules it is sent (one
// thread too: its young generation is set larger), or built in this thread (a few modules, or when the worker script
// is not there: running from the TypeScript sources).
// Results come back in the modules' order whatever order they finish in.
// Not here: one module's build (compile.ts), writing files (the command).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DEFAULT_DEVEL_INCLUDE, type DevelInterfaces, type DevelModuleSet, type DevelSource, develInterfaces, develModuleSet, develModuleSetFromInterfaces } from '../../m4/devel.js';
import { compileInSet, type ModuleBuild, type ModuleSources } from './compile.js';
import { findModules, type ModuleSourceFiles } from './modules.js';

export interface BuildAllOptions {
  /** The devel include tree (default /usr/share/selinux/devel/include). */
  includeDir?: string | undefined;
  /** Threads to build in (default: one per CPU, at most one per 20 modules). */
  jobs?: number | undefined;
  /** Told of each module as it is done (in the order they finish), with the count done so far. */
  onModule?: ((m: ModuleBuild, done: number, total: number) => void) | undefined;
}

export interface BuildAllResult {
  /** The folder the modules were found in. */
  dir: string;
  /** Every module, in the Makefile's order (top-level .te files, then each layer's). */
  modules: (ModuleBuild & { files: ModuleSourceFiles })[];
  built: number;
  failed: number;
}

/** Fewer modules than this are built in this thread, and each thread gets at least as many (a thread starts by reading all_interfaces.conf: ≈ 0.4 s of CPU for refpolicy's). */
const MODULES_PER_THREAD = 20;

/**
 * A worker's young generation: each module's syntax tree and m4 state are garbage once it is
 * emitted; a large young generation lets them die there (≈ 10 % less CPU over refpolicy's 408
 * modules than V8's default; Node sets it for a worker, not from inside a running process).
 */
const YOUNG_GENERATION_MB = 192;

/** What a worker thread is given first: the set to build in. */
export interface SetInit {
  includeDir: string;
  /** Whether includeDir holds the headers (else modules are built without them). */
  headers: boolean;
  /** The interface pass over every module's .if; undefined when there are none (the Makefile's stub .if). */
  interfaces?: DevelInterfaces | undefined;
}

/** A worker's answer to a module: its build, or the exception that stopped it. */
export type WorkerReply = { build: ModuleBuild } | { error: string };

const read = (path: string): DevelSource => ({ name: path, text: readFileSync(path, 'latin1') });

/** The state every module of a directory forks: the module pass's prefix after the interface pass (made once, in the main thread). */
export function moduleSet(init: SetInit): DevelModuleSet | undefined {
  if (!init.headers) return undefined;
  const opts = { includeDir: init.includeDir };
  return init.interfaces === undefined ? develModuleSet([], opts) : develModuleSetFromInterfaces(init.interfaces, opts);
}

function isIncludeTree(dir: string): boolean {
  const support = join(dir, 'support');
  return existsSync(support) && statSync(support).isDirectory();
}

/** The worker script beside this module (absent when this runs from the TypeScript sources). */
function workerScript(): string | undefined {
  const path = fileURLToPath(new URL('./buildWorker.js', import.meta.url));
  return existsSync(path) ? path : undefined;
}

/** Builds every module under `dir` (a refpolicy source tree, or a folder of modules, with layers or not). */
export async function buildAllModules(dir: string, opts: BuildAllOptions = {}): Promise<BuildAllResult> {
  const includeDir = opts.includeDir ?? DEFAULT_DEVEL_INCLUDE;
  const tree = findModules(dir);
  const files = tree.modules;
  const sources: ModuleSources[] = files.map((f) => ({ name: f.name, te: read(f.te), if: f.if === undefined ? undefined : read(f.if), fc: f.fc === undefined ? undefined : read(f.fc) }));
  const headers = isIncludeTree(includeDir);
  const ifs = sources.flatMap((s) => (s.if === undefined ? [] : [s.if]));
  const init: SetInit = { includeDir, headers, interfaces: headers && ifs.length > 0 ? develInterfaces(ifs, includeDir) : undefined };
  const builds: ModuleBuild[] = new Array(files.length);
  let done = 0;
  const record = (k: number, b: ModuleBuild): void => {
    builds[k] = b;
    opts.onModule?.(b, ++done, files.length);
  };
  const script = workerScript();
  const jobs = Math.max(1, Math.min(Math.floor(opts.jobs ?? availableParallelism()), Math.ceil(files.length / MODULES_PER_THREAD)));
  if (script === undefined || files.length < MODULES_PER_THREAD) {
    const set = moduleSet(init);
    for (const [k, s] of sources.entries()) record(k, compileInSet(set, s, includeDir));
  } else {
    // Largest .te first, so that no thread is left with a long module at the end while the others wait.
    const order = sources.map((_, k) => k).sort((a, b) => teSize(sources[b]) - teSize(sources[a]) || a - b);
    let next = 0;
    const runWorker = async (): Promise<void> => {
      const worker = new Worker(script, { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
      try {
        while (next < order.length) {
          const k = order[next++] as number;
          record(k, await askWorker(worker, sources[k] as ModuleSources));
        }
      } finally {
        await worker.terminate();
      }
    };
    await Promise.all(Array.from({ length: jobs }, runWorker));
  }
  const modules = files.map((f, k) => ({ ...(builds[k] as ModuleBuild), files: f }));
  const built = modules.filter((m) => m.cil !== undefined).length;
  return { dir: tree.dir, modules, built, failed: modules.length - built };
}

const teSize = (s: ModuleSources | undefined): number => s?.te.text.length ?? 0;

function askWorker(worker: Worker, src: ModuleSources): Promise<ModuleBuild> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (r: WorkerReply): void => {
      done();
      if ('build' in r) resolve(r.build);
      else reject(new Error(`building ${src.name}: ${r.error}`));
    };
    const onError = (e: Error): void => {
      done();
      reject(e);
    };
    // A worker that stops without answering (killed, out of memory) must not leave the build waiting.
    const onExit = (code: number): void => {
      done();
      reject(new Error(`the worker thread building ${src.name} stopped (exit code ${code}) before answering`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(src);
  });
}
