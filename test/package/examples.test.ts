// The examples of the README run as a user runs them (`node examples/NAME.mjs`,
// importing 'porthole' through the package's exports map, after `npm run build`),
// and print what their committed output says (examples/expected/, written by
// `npx vitest run test/package -u` after a deliberate change).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const scripts = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.mjs'))
  .sort();

describe('examples/*.mjs', () => {
  it('there are examples for every use the README lists', () => {
    expect(scripts).toEqual(['diagnostics.mjs', 'learn-module.mjs', 'policy-queries.mjs', 'read-denials.mjs', 'transitions.mjs']);
  });

  for (const script of scripts) {
    it(`node examples/${script}`, async () => {
      const r = spawnSync(process.execPath, [script], { cwd: EXAMPLES, encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      await expect(r.stdout).toMatchFileSnapshot(`../../examples/expected/${script.replace(/\.mjs$/, '.txt')}`);
    });
  }
});
