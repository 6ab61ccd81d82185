import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, no types
import { assembleKernel } from '../../../../scripts/build-wasm.mjs';
import { smallPolicy } from '../../../../test/fixtures/policy/writer.js';
import type { AvTabIndex } from '../indexes.js';
import type { Policy } from '../model.js';
import type { AvTab } from './avtab.js';
import { readPolicy, readPolicyFile } from './read.js';
import { useReaderKernel } from './readerKernel.js';

const DEBIAN = '/etc/selinux/default/policy/policy.33';

/** Everything the avtab and its index hold, as plain data. */
function tables(p: Policy): object {
  const one = (tab: AvTab, ix: AvTabIndex): object => {
    const chains: number[][] = [];
    for (let i = 0; i < tab.count; i++) if (ix.first(tab.src[i]!, tab.tgt[i]!, tab.cls[i]!) === i) chains.push(ix.lookup(tab.src[i]!, tab.tgt[i]!, tab.cls[i]!));
    const xperms = [];
    for (let i = 0; i < tab.count; i++) {
      const x = tab.xpermOf(i);
      if (x) xperms.push([i, x.specified, x.driver, [...x.perms]]);
    }
    return { cols: [tab.src, tab.tgt, tab.cls, tab.spec, tab.data].map((a) => [...a]), size: ix.size, chains, xperms };
  };
  const map = p.typeAttrMap!;
  const keys = p.types.map((t) => [...p.index.keysOf(t.value)]);
  const constraints = JSON.stringify(p.classes.map((c) => [c.constraints, c.validatetrans]));
  return { avtab: one(p.avtab, p.index.avtab), cond: one(p.condAvtab, p.index.condAvtab), map: [[...map.ends], [...map.values]], attrs: p.types.map((t) => t.attrs), keys, constraints };
}

describe("the reader's WebAssembly loops (avtab, its index, the type attribute map, constraints)", () => {
  afterEach(() => useReaderKernel(true));

  it('are the assembly of readerKernel.wat (run node scripts/build-wasm.mjs after editing it)', async () => {
    const { readFileSync } = await import('node:fs');
    const committed = readFileSync(new URL('./readerKernel.wasm.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await assembleKernel());
  });

  for (const version of [24, 29, 33, 34, 35]) {
    it(`read and index what the JavaScript loops do (version ${version}, whole and through small windows)`, () => {
      const bytes = smallPolicy({ version });
      const withKernel = readPolicy(bytes);
      expect(withKernel.avtab.arena).toBeDefined();
      useReaderKernel(false);
      const plain = readPolicy(bytes);
      expect(plain.avtab.arena).toBeUndefined();
      expect(tables(withKernel)).toEqual(tables(plain));
      useReaderKernel(true);
      const dir = mkdtempSync(join(tmpdir(), 'porthole-kernel-'));
      const file = join(dir, 'policy');
      writeFileSync(file, bytes);
      // Windows that cut entries (and xperm entries) at every offset.
      for (const window of [1, 7, 12, 13, 41, 42, 100]) expect(tables(readPolicyFile(file, window))).toEqual(tables(plain));
    });
  }

  it.skipIf(!existsSync(DEBIAN))('read and index the Debian policy as the JavaScript loops do', () => {
    const withKernel = readPolicyFile(DEBIAN);
    expect(withKernel.avtab.arena).toBeDefined();
    useReaderKernel(false);
    const plain = readPolicyFile(DEBIAN);
    expect(tables(withKernel)).toEqual(tables(plain));
  });
});
