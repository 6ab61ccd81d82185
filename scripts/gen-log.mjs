#!/usr/bin/env node
// Runs test/gen/cli.ts without tsx: transpiles test/gen/*.ts with the
// project's own TypeScript (devDependency) into a cache directory, then imports
// it. See test/gen/cli.ts for the options.
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'test', 'gen');
const out = join(root, 'node_modules', '.cache', 'porthole-gen');

export async function loadGenerator() {
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(src)) {
    if (!f.endsWith('.ts') || f.endsWith('.test.ts')) continue;
    const from = join(src, f);
    const to = join(out, f.replace(/\.ts$/, '.js'));
    let fresh = false;
    try {
      fresh = statSync(to).mtimeMs >= statSync(from).mtimeMs;
    } catch {
      /* missing */
    }
    if (fresh) continue;
    const js = ts.transpileModule(readFileSync(from, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      fileName: f,
    }).outputText;
    writeFileSync(to, js);
  }
  cpSync(join(src, 'fixtures'), join(out, 'fixtures'), { recursive: true });
  return {
    gen: await import(pathToFileURL(join(out, 'index.js')).href),
    cli: await import(pathToFileURL(join(out, 'cli.js')).href),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { cli } = await loadGenerator();
  try {
    process.exitCode = cli.main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`gen-log: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  }
}
