// A worker thread of `build --all` (buildAll.ts): begins the set's module pass
// as it starts (workerData), goes on with the interface pass when it is sent,
// then builds each module it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import type { DevelModuleSet } from '../../m4/devel.js';
import { beginModuleSet, type SetInit, type WorkerMessage, type WorkerReply } from './buildAll.js';
import { compileInSet } from './compile.js';

const port = parentPort;
if (port) {
  const init = workerData as SetInit;
  const finishSet = beginModuleSet(init);
  let set: DevelModuleSet | undefined;
  // An exception while reading the interface pass is the answer to every module.
  let failed: string | undefined;
  const describe = (e: unknown): string => (e instanceof Error ? (e.stack ?? e.message) : String(e));
  port.on('message', (msg: WorkerMessage) => {
    if (msg.kind === 'interfaces') {
      try {
        set = finishSet(msg.interfaces);
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
