// The claims of `check FILE.fc` against libselinux: a spec reported as
// fc-unreachable, added to a copy of $SE_FC (with its .subs_dist), labels
// nothing — neither the path it names nor the path that path is rewritten to —
// while the spec the report suggests labels both.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { checkFcFile, loadFileContexts } from '../../../src/selinux/labels/index.js';
import { tempDir } from '../../support/tempDir.js';
import { describeOracle, findOracles } from '../support/oracles.js';
import { selabelLookups } from './selabel.js';

const CASES: Array<[spec: string, path: string, mode: number]> = [
  ['/var/run/planet\\.sock\t-s\tsystem_u:object_r:planet_t:s0', '/var/run/planet.sock', 0o140000],
  ['/usr/lib64/planet(/.*)?\tsystem_u:object_r:planet_t:s0', '/usr/lib64/planet/x.so', 0o100000],
  ['/var/lib/private/planet\tsystem_u:object_r:planet_t:s0', '/var/lib/private/planet', 0o040000],
  ['/etc/init\\.d/planet\t--\tsystem_u:object_r:planet_t:s0', '/etc/init.d/planet', 0o100000],
];

describeOracle('file labels: check FILE.fc against libselinux', () => {
  const fc = findOracles().env.SE_FC ?? '/etc/selinux/default/contexts/files/file_contexts';
  const scratch = tempDir('check-oracle');
  it.runIf(existsSync(fc))('an unreachable spec labels nothing; the suggested one labels the path', () => {
    const system = loadFileContexts(fc).contexts;
    const base = readFileSync(fc, 'latin1');
    for (const [line, path, mode] of CASES) {
      const [finding] = checkFcFile(line, 'planet.fc', system).filter((d) => d.code === 'fc-unreachable');
      expect(finding, line).toBeDefined();
      const suggested = line.replace(String(finding!.data!.spec), String(finding!.data!.suggestion));
      const rewritten = system.lookup(path, mode);
      const answers = [line, suggested].map((spec, k) => {
        const file = scratch.join(`fc${k}`);
        writeFileSync(file, `${base}${spec}\n`, 'latin1');
        copyFileSync(`${fc}.subs_dist`, `${file}.subs_dist`);
        return selabelLookups(file, [[path, mode]]).answers[0];
      });
      expect([line, answers[0]]).toEqual([line, rewritten.context ?? null]);
      expect([suggested, answers[1]]).toEqual([suggested, 'system_u:object_r:planet_t:s0']);
    }
  });
}, ['env', 'python-selinux']);
