// `allow -C` against the route semodule takes: our `-m NAME` module through
// checkmodule, semodule_package and the pp-to-CIL converter. (Debian's
// audit2allow 3.4 has no -C; its own -m output would differ only in the
// order of required types, which is random.)
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { generateLog } from '../gen/index.js';
import { tempDir } from '../support/tempDir.js';
import { describeOracle, findOracles, sharedDirs } from './support/oracles.js';

const exec = promisify(execFile);

async function porthole(args: string[]): Promise<string> {
  const io = memoryIo({ stdin: Readable.from([]) });
  const code = await run(args, io);
  if (code !== 0) throw new Error(`porthole ${args.join(' ')}: exit ${code}: ${io.err.join('')}`);
  return io.out.join('');
}

describeOracle('allow -C equals pp(checkmodule(allow -m))', () => {
  const dir = tempDir('allow-cil');
  const corpora = [...sharedDirs('allow -C on the corpus and sample logs', ['corpora/selinux', 'tools/samples']).values()];
  const logs: string[] = [];

  beforeAll(() => {
    for (const d of corpora) {
      for (const f of readdirSync(d).sort()) if (/\.(log|txt)$/.test(f)) logs.push(join(d, f));
    }
    for (const seed of [11, 12, 13, 14, 15, 16]) {
      const file = dir.join(`gen${seed}.log`);
      writeFileSync(file, generateLog({ seed, events: 60, formats: ['raw', 'node', 'dmesg', 'enriched'] }).text);
      logs.push(file);
    }
  });

  for (const opts of [[], ['-D'], ['-x']]) {
    it(`on every corpus log and 6 generated ones, with ${opts.join(' ') || 'no options'}`, async () => {
      const pp = findOracles().pp;
      expect(logs.length, 'logs').toBeGreaterThanOrEqual(6 + corpora.length);
      for (const [i, log] of logs.entries()) {
        const name = `m${i}`;
        const te = await porthole(['allow', '-i', log, '-m', name, ...opts]);
        const cil = await porthole(['allow', '-i', log, '-m', name, '-C', ...opts]);
        writeFileSync(dir.join(`${name}.te`), te);
        await exec('checkmodule', ['-M', '-m', '-o', `${name}.mod`, `${name}.te`], { cwd: dir.path });
        await exec('semodule_package', ['-o', `${name}.pp`, '-m', `${name}.mod`], { cwd: dir.path });
        await exec(pp, [`${name}.pp`, `${name}.cil`], { cwd: dir.path });
        expect(cil, `${log} ${opts.join(' ')}`).toBe(readFileSync(dir.join(`${name}.cil`), 'utf8'));
      }
    });
  }
}, ['env', 'policy', 'checkmodule', 'semodule_package', 'pp']);
