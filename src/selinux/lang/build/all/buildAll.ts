// `build --all`: every module of a directory (modules.ts) built in one process,
// as `make all` there would build them with the devel Makefile, each to its
// CIL. The interface pass is made once, in this thread (develInterfaces); the
// modules are shared out to worker threads (buildWorker.ts), started first so
// that they load their code and read the support files while that pass runs,
// then each given its result (all_interfaces.conf) and building the modules it
// is sent (one thread too: its young generation is set), or built in
// this thread (a few modules, or when the worker script is not there: running
// from the TypeScript sources).
// Results come back in the modules' order whatever order they finish in.
// Not here: one module's build (compile.ts), writing files (the command).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DEFAULT_DEVEL_INCLUDE, type DevelInterfaces, type DevelModuleSet, type DevelSource, develInterfaces, develModulePrefix, develModuleSet, prepareDevelFileContexts } from '../../m4/devel.js';
import { compileInSet, type ModuleBuild, type ModuleSources } from './compile.js';
import { findModules, type ModuleSourceFiles } from './modules.js';
import { WARM_UP_MODULE } from './warmUp.js';

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
 * emitted, and die there when it holds a module's worth. Larger is not better: two threads
 * share the memory bus, and an allocation that reuses recently touched memory is cheaper
 * (over the 400 modules of bench/build.sh, 2 CPUs: 32, 64 or 96 MB ≈ 7.0 s and 12.8 s of CPU,
 * 192 MB 7.3-7.6 s and 13.3-13.8 s, 384 MB 7.6 s and 14.0 s). Node sets it for a worker, not
 * from inside a running process.
 */
const YOUNG_GENERATION_MB = 64;

/** Modules sent to a thread ahead of its answers: the one it builds and the next. */
const MODULES_IN_FLIGHT = 2;

/** What a worker thread is given when it starts (workerData): the set to build in. */
export interface SetInit {
  includeDir: string;
  /** Whether includeDir holds the headers (else modules are built without them). */
  headers: boolean;
  /** Whether the thread warms its code up while it waits for the interface pass (warmUp.ts). */
  warmUp?: boolean | undefined;
}

/**
 * What a worker is sent: first the interface pass over every module's .if (undefined when there
 * are none: the Makefile's stub .if), then the modules to build, one at a time.
 */
export type WorkerMessage = { kind: 'interfaces'; interfaces: DevelInterfaces | undefined } | { kind: 'module'; src: ModuleSources };

/** A worker's answer to a module: its build, or the exception that stopped it. */
export type WorkerReply = { build: ModuleBuild } | { error: string };

const read = (path: string): DevelSource => ({ name: path, text: readFileSync(path, 'latin1') });

/**
 * The state every module of a directory forks, begun: the module pass's support files and the
 * .fc pass's read now; `finish` goes on with the interface pass (made once, in the main thread)
 * and gives the set (undefined without headers), `warmUp` builds the warm-up module meanwhile.
 */
export function beginModuleSet(init: SetInit): BegunSet {
  if (!init.headers) return { finish: () => undefined, warmUp: () => false };
  const opts = { includeDir: init.includeDir };
  prepareDevelFileContexts(opts);
  const prefix = develModulePrefix(opts);
  let warming: DevelModuleSet | undefined;
  return {
    finish: (interfaces) => (interfaces === undefined ? develModuleSet([], opts) : prefix.withInterfaces(interfaces)),
    warmUp: () => {
      warming ??= prefix.supportOnly();
      return compileInSet(warming, WARM_UP_MODULE, init.includeDir).cil !== undefined;
    },
  };
}

/** A set begun (beginModuleSet): `finish` goes on with the interface pass; `warmUp` builds the warm-up module once in the meantime (false: it did not build, or there are no headers). */
export interface BegunSet {
  finish(interfaces: DevelInterfaces | undefined): DevelModuleSet | undefined;
  warmUp(): boolean;
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
  const headers = isIncludeTree(includeDir);
  const init: SetInit = { includeDir, headers };
  const script = workerScript();
  const jobs = Math.max(1, Math.min(Math.floor(opts.jobs ?? availableParallelism()), Math.ceil(files.length / MODULES_PER_THREAD)));
  const builds: ModuleBuild[] = new Array(files.length);
  let done = 0;
  const record = (k: number, b: ModuleBuild): void => {
    builds[k] = b;
    opts.onModule?.(b, ++done, files.length);
  };
  // The threads start first: they load their code and read the support files while this one
  // reads the .if files and makes the interface pass, which they then wait for.
  // Those that warm up while they wait take the CPUs this thread leaves them (it makes the pass).
  const warmers = availableParallelism() - 1;
  const workers =
    script !== undefined && files.length >= MODULES_PER_THREAD
      ? Array.from(
          { length: jobs },
          (_, i) => new Worker(script, { workerData: { ...init, warmUp: i < warmers } satisfies SetInit, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } }),
        )
      : [];
  try {
    const ifs = files.map((f) => (f.if === undefined ? undefined : read(f.if)));
    const list = ifs.filter((x) => x !== undefined);
    const interfaces = headers && list.length > 0 ? develInterfaces(list, includeDir) : undefined;
    for (const w of workers) w.postMessage({ kind: 'interfaces', interfaces } satisfies WorkerMessage);
    // The .te and .fc files, read while the threads take in the interface pass.
    const sources: ModuleSources[] = files.map((f, k) => ({ name: f.name, te: read(f.te), if: ifs[k], fc: f.fc === undefined ? undefined : read(f.fc) }));
    if (workers.length === 0) {
      const set = beginModuleSet(init).finish(interfaces);
      for (const [k, s] of sources.entries()) record(k, compileInSet(set, s, includeDir));
    } else await buildInThreads(workers, sources, record);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const modules = files.map((f, k) => ({ ...(builds[k] as ModuleBuild), files: f }));
  const built = modules.filter((m) => m.cil !== undefined).length;
  return { dir: tree.dir, modules, built, failed: modules.length - built };
}

/** The modules shared out to the threads (each already sent the interface pass); `record` told of each build. */
async function buildInThreads(workers: readonly Worker[], sources: readonly ModuleSources[], record: (k: number, b: ModuleBuild) => void): Promise<void> {
  const lanes = workers.map((w) => new WorkerLane(w));
  // Largest .te first, so that no thread is left with a long module at the end while the others wait.
  const order = sources.map((_, k) => k).sort((a, b) => teSize(sources[b]) - teSize(sources[a]) || a - b);
  let next = 0;
  // Each thread has the next module waiting while it builds one: it goes on at once, not after
  // this thread has its answer, the file written and the next module sent (≈ 2 ms a module).
  const runWorker = async (lane: WorkerLane): Promise<void> => {
    const sent: Array<{ k: number; build: Promise<ModuleBuild> }> = [];
    const send = (): void => {
      if (next >= order.length) return;
      const k = order[next++] as number;
      const build = lane.ask(sources[k] as ModuleSources);
      // Awaited in turn; one that fails after an earlier failure is not awaited at all.
      build.catch(() => undefined);
      sent.push({ k, build });
    };
    for (let i = 0; i < MODULES_IN_FLIGHT; i++) send();
    for (let s = sent.shift(); s !== undefined; s = sent.shift()) {
      const build = await s.build;
      send();
      record(s.k, build);
    }
  };
  await Promise.all(lanes.map(runWorker));
}

const teSize = (s: ModuleSources | undefined): number => s?.te.text.length ?? 0;

/**
 * The modules sent to one worker thread and not answered yet, answered in the order sent (the
 * thread builds them one after the other). A thread that fails or stops fails every module it
 * was sent, and every one sent to it afterwards.
 * @internal
 */
export class WorkerLane {
  private readonly waiting: Array<{ name: string; resolve: (b: ModuleBuild) => void; reject: (e: Error) => void }> = [];
  private fault: Error | undefined;

  constructor(private readonly worker: Pick<Worker, 'on' | 'postMessage'>) {
    worker.on('message', (r: WorkerReply) => {
      const w = this.waiting.shift();
      if (w === undefined) return;
      if ('build' in r) w.resolve(r.build);
      else w.reject(new Error(`building ${w.name}: ${r.error}`));
    });
    worker.on('error', (e) => this.stop(e));
    // A worker that stops without answering (killed, out of memory) must not leave the build waiting.
    worker.on('exit', (code) => this.stop(new Error(`a worker thread stopped (exit code ${code})`), code));
  }

  ask(src: ModuleSources): Promise<ModuleBuild> {
    if (this.fault !== undefined) return Promise.reject(this.fault);
    return new Promise((resolve, reject) => {
      this.waiting.push({ name: src.name, resolve, reject });
      this.worker.postMessage({ kind: 'module', src } satisfies WorkerMessage);
    });
  }

  private stop(e: Error, code?: number): void {
    this.fault ??= e;
    for (let w = this.waiting.shift(); w !== undefined; w = this.waiting.shift()) {
      w.reject(code === undefined ? e : new Error(`the worker thread building ${w.name} stopped (exit code ${code}) before answering`));
    }
  }
}
