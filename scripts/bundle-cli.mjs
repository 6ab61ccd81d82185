#!/usr/bin/env node
// Bundles the CLI (src/cli/bin.ts and everything it imports, commander
// included) into one CommonJS script, dist/porthole.cjs: the package's bin.
// Node 20 starts a single script much faster than it resolves, reads and
// links a tree of ES modules; the library stays in dist/ as tsc emits it.
// The command modules' dynamic imports stay lazy: their code is parsed
// with the bundle but runs only when the command does.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/bin.ts'],
  outfile: 'dist/porthole.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'inline',
  logLevel: 'warning',
});
