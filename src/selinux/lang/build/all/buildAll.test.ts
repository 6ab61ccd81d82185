// build --all over modules in plain checkmodule language (no headers needed):
// every module in the Makefile's order, built or failed with checkmodule's
// verdict, each reported as it is done. (With the devel headers and the
// reference policy: test/oracle/build/build-all.oracle.test.ts.)
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { expect, it } from 'vitest';
import { withTempDir } from '../../../../../test/support/tempDir.js';
import { buildAllModules, WorkerLane, type WorkerMessage, type WorkerReply } from './buildAll.js';
import type { ModuleSources } from './compile.js';

const NO_HEADERS = '/nonexistent/devel/include';
const plain = (name: string, rule = 'allow NAME_t a_t:file read;'): string => `module ${name} 1.0;\nrequire { type a_t; class file read; }\ntype ${name}_t;\n${rule.replaceAll('NAME', name)}\n`;

it('builds each module to CIL, and reports the ones that fail with their diagnostics', async () => {
  await withTempDir('build-all', async (dir) => {
    mkdirSync(join(dir, 'apps'));
    writeFileSync(join(dir, 'good.te'), plain('good'));
    writeFileSync(join(dir, 'good.fc'), '/usr/bin/good -- system_u:object_r:good_t:s0\n');
    writeFileSync(join(dir, 'apps', 'bad.te'), plain('bad', 'allow bad_t b_t:file read;'));
    writeFileSync(join(dir, 'apps', 'misnamed.te'), plain('other'));
    writeFileSync(join(dir, 'apps', 'macro.te'), 'policy_module(macro, 1.0)\n');
    const seen: string[] = [];
    const r = await buildAllModules(dir, { includeDir: NO_HEADERS, jobs: 1, onModule: (m, done, total) => seen.push(`${done}/${total} ${m.name}`) });
    expect(seen).toEqual(['1/4 good', '2/4 bad', '3/4 macro', '4/4 misnamed']);
    expect([r.built, r.failed]).toEqual([1, 3]);
    const good = r.modules[0];
    expect(good?.cil).toContain('(allow good_t a_t (file (read)))\n');
    expect(good?.cil?.endsWith('(filecon "/usr/bin/good" file (system_u object_r good_t ((s0) (s0))))\n')).toBe(true);
    const firstError = (k: number): string => {
      const d = r.modules[k]?.diagnostics.find((x) => x.severity === 'error');
      return `${r.modules[k]?.name} ${d?.code} ${d?.span?.file.slice(dir.length + 1)}:${d?.span?.line}`;
    };
    expect([1, 2, 3].map(firstError)).toEqual(['bad te-unknown-name apps/bad.te:4', 'macro te-no-headers apps/macro.te:0', 'misnamed te-module-name apps/misnamed.te:1']);
    expect(r.modules.slice(1).map((m) => m.cil)).toEqual([undefined, undefined, undefined]);
  });
});

it('answers the modules sent to a thread in order, and fails those it had not answered when it stops', async () => {
  const thread = new EventEmitter() as EventEmitter & { postMessage: (m: WorkerMessage) => void };
  const posted: string[] = [];
  thread.postMessage = (m) => void posted.push(m.kind === 'module' ? m.src.name : m.kind);
  const lane = new WorkerLane(thread as unknown as Worker);
  const src = (name: string): ModuleSources => ({ name, te: { name: `${name}.te`, text: '' } });
  const [a, b, c] = ['a', 'b', 'c'].map((n) => lane.ask(src(n)));
  expect(posted).toEqual(['a', 'b', 'c']);
  thread.emit('message', { build: { name: 'a', cil: '(a)', diagnostics: [] } } satisfies WorkerReply);
  thread.emit('message', { error: 'RangeError: too deep' } satisfies WorkerReply);
  thread.emit('exit', 1);
  await expect(a).resolves.toEqual({ name: 'a', cil: '(a)', diagnostics: [] });
  await expect(b).rejects.toThrow('building b: RangeError: too deep');
  await expect(c).rejects.toThrow('the worker thread building c stopped (exit code 1) before answering');
  await expect(lane.ask(src('d'))).rejects.toThrow('a worker thread stopped (exit code 1)');
  expect(posted).toEqual(['a', 'b', 'c']);
});
