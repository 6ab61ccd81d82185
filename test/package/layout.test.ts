// The layout ARCHITECTURE.md describes is the layout of the tree: every source
// folder is in its table (and every folder it names exists), no folder holds
// more than ~15 files, and the CLI reaches the library only through its public
// API (src/index.ts) and src/base/. Import cycles are checked by the linter.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARCHITECTURE = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');

function folders(dir: string): string[] {
  const out = [dir];
  for (const e of readdirSync(dir)) if (statSync(join(dir, e)).isDirectory()) out.push(...folders(join(dir, e)));
  return out;
}
const rel = (d: string): string => relative(ROOT, d);
const files = (d: string): string[] => readdirSync(d).filter((e) => statSync(join(d, e)).isFile());

describe('the layout', () => {
  // src/ itself holds index.ts, which has its own row.
  const src = folders(join(ROOT, 'src')).filter((d) => files(d).length > 0 && rel(d) !== 'src');

  it('ARCHITECTURE.md names every source folder, and every folder it names exists', () => {
    expect(src.length).toBeGreaterThan(10);
    for (const d of src) expect(ARCHITECTURE, `${rel(d)}/ is not in ARCHITECTURE.md`).toContain(`\`${rel(d)}/\``);
    // The folders of the table's rows (the text may name folders still to come).
    const named = [...ARCHITECTURE.matchAll(/^\| `(src\/[a-z0-9/]*)\/`/gim)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(10);
    for (const n of named) expect(statSync(join(ROOT, n)).isDirectory(), n).toBe(true);
  });

  it('no folder of code holds more than 15 files', () => {
    const code = [...src, ...folders(join(ROOT, 'test')).filter((d) => !rel(d).startsWith('test/fixtures') && !rel(d).endsWith('/edge')), join(ROOT, 'bench'), join(ROOT, 'scripts')];
    const crowded = code.map((d) => [rel(d), files(d).length] as const).filter(([, n]) => n > 15);
    expect(crowded).toEqual([]);
  });

  // The policy commands import the policy part of the API alone (src/index.ts re-exports it whole):
  // a fresh process then initialises only the modules it needs (≈ 14 ms of a 130 ms policy info).
  // `label` imports the labels part (src/selinux/labels/index.ts) the same way, `iface` the refpolicy part,
  // `check` the lint, labels, refpolicy and iface parts.
  it('the CLI imports the library only through its public API (src/index.ts and the indexes it re-exports whole) and src/base/', () => {
    expect(readFileSync(join(ROOT, 'src/index.ts'), 'utf8')).toContain("export * from './selinux/policy/index.js';");
    expect(readFileSync(join(ROOT, 'src/index.ts'), 'utf8')).toContain("export * from './selinux/labels/index.js';");
    expect(readFileSync(join(ROOT, 'src/index.ts'), 'utf8')).toContain("export * from './selinux/refpolicy/index.js';");
    const cli = join(ROOT, 'src/cli');
    const imports = folders(cli).flatMap((d) =>
      files(d)
        .filter((f) => f.endsWith('.ts'))
        .flatMap((f) =>
          [...readFileSync(join(d, f), 'utf8').matchAll(/(?:from|import\(?)\s*'(\.[^']+)'/g)]
            .map((m) => relative(join(ROOT, 'src'), join(d, m[1]!)))
            .filter((target) => !target.startsWith('cli/'))
            .map((target) => `${rel(join(d, f))}: ${target}`),
        ),
    );
    expect(imports.length).toBeGreaterThan(5);
    const reexported = [...readFileSync(join(ROOT, 'src/index.ts'), 'utf8').matchAll(/^export \* from '\.\/([^']+\/index\.js)';$/gm)].map((m) => m[1]!);
    expect(reexported).toContain('selinux/lang/lint/index.js');
    const isPublic = (target: string): boolean => target === 'index.js' || reexported.includes(target) || /^base\/[a-zA-Z]+\.js$/.test(target);
    expect(imports.filter((i) => !isPublic(i.slice(i.indexOf(': ') + 2)))).toEqual([]);
  });

  // ARCHITECTURE.md: learn and print depend on ir, never on each other (their tests may use both).
  it('learn and print do not import each other', () => {
    const crossing = (from: string, to: string): string[] =>
      folders(join(ROOT, 'src/selinux', from)).flatMap((d) =>
        files(d)
          .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
          .flatMap((f) =>
            [...readFileSync(join(d, f), 'utf8').matchAll(/(?:from|import\(?)\s*'(\.[^']+)'/g)]
              .map((m) => relative(join(ROOT, 'src/selinux'), join(d, m[1]!)))
              .filter((target) => target.startsWith(`${to}/`))
              .map((target) => `${rel(join(d, f))}: ${target}`),
          ),
      );
    expect([...crossing('learn', 'print'), ...crossing('print', 'learn')]).toEqual([]);
  });
});
