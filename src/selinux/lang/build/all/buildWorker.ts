// A worker thread of `build --all` (buildAll.ts): makes the set's interface
// pass once (workerData), then builds each module it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import { moduleSet, type SetInit, type WorkerReply } from './buildAll.js';
import { compileInSet, type ModuleSources } from './compile.js';

const port = parentPort;
if (port) {
  const init = workerData as SetInit;
  const set = moduleSet(init);
  port.on('message', (src: ModuleSources) => {
    let reply: WorkerReply;
    try {
      reply = { build: compileInSet(set, src, init.includeDir) };
    } catch (e) {
      reply = { error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    port.postMessage(reply);
  });
}
