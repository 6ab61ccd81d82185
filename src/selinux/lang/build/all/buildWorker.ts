// A worker thread of `build --all` (buildAll.ts): begins the set's module pass
// as it starts (workerData), goes on with the interface pass when it is sent,
// then builds each module it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import type { DevelModuleSet } from '../../m4/devel.js';
import { beginModuleSet, type SetInit, type WorkerMessage, type WorkerReply } from './buildAll.js';
import { compileInSet } from './compile.js';

/** Warm-up builds at most (each ≈ 5-20 ms; the interface pass of refpolicy takes ≈ 1 s). */
const WARM_UP_BUILDS = 200;

const port = parentPort;
if (port) {
  const init = workerData as SetInit;
  const begun = beginModuleSet(init);
  let set: DevelModuleSet | undefined;
  let received = false;
  // Until the interface pass comes: one build of the warm-up module per turn of the event loop
  // (the message is taken between two), at most WARM_UP_BUILDS of them.
  let warmUps = 0;
  const warmUp = (): void => {
    if (received || warmUps++ >= WARM_UP_BUILDS) return;
    let built = false;
    try {
      built = begun.warmUp();
    } catch {
      // Only ever a warm-up: the modules meet the same fault, if it is one.
    }
    if (built) setImmediate(warmUp);
  };
  if (init.warmUp === true) setImmediate(warmUp);
  // An exception while reading the interface pass is the answer to every module.
  let failed: string | undefined;
  const describe = (e: unknown): string => (e instanceof Error ? (e.stack ?? e.message) : String(e));
  port.on('message', (msg: WorkerMessage) => {
    if (msg.kind === 'interfaces') {
      received = true;
      try {
        set = begun.finish(msg.interfaces);
      } catch (e) {
        failed = describe(e);
      }
      return;
    }
    let reply: WorkerReply;
    try {
      reply = failed !== undefined ? { error: failed } : { build: compileInSet(set, msg.src, init.includeDir) };
    } catch (e) {
      reply = { error: describe(e) };
    }
    port.postMessage(reply);
  });
}
