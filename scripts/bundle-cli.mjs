#!/usr/bin/env node
// Bundles the CLI (src/cli/start.ts and everything it imports, commander
// included) into one CommonJS script, dist/cli.cjs, run by the package's bin,
// dist/porthole.cjs (src/cli/bin.ts: the code cache). Node 20 starts a single
// script much faster than it resolves, reads and links a tree of ES modules;
// the library stays in dist/ as tsc emits it.
// The command modules' dynamic imports stay lazy: their code is parsed
// with the bundle but runs only when the command does.
import { chmodSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

// commander requires node:child_process at load time, for subcommands that
// are separate executables (we have none); loading it pulls in net, dgram and
// streams, ≈ 4 ms of every start. Give commander a stand-in that loads the
// real module on first use.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (/[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};
// The bundle starts as a shell script that runs itself with Node: `#!/bin/sh`, then a line that
// sh reads as `unset NODE_EXTRA_CA_CERTS; exec node "$0" "$@"` and JavaScript as a string and a
// comment. Node 20 reads and parses the whole certificate bundle NODE_EXTRA_CA_CERTS names at
// start-up, needed or not (≈ 50 ms of every command on a machine that sets it); porthole opens no
// TLS connection. `node dist/porthole.cjs` skips the first two lines and keeps the variable.
// `check` runs with one V8 background thread instead of four: it reads a tree once, in a fresh
// process, where the optimizing compiler's jobs and the collector's helpers otherwise take the
// CPU from the main thread (on 2 CPUs it waited ≈ 100 ms of a 0.8 s run for one); with one, the
// main thread keeps a CPU of its own (bench/check.sh: ≈ 8 % less wall time).
// `build --all` (without -j) runs one busy thread per CPU: V8's background threads, the optimizing
// compiler's and the collector's helpers, only take the CPU from them. With --single-threaded a
// thread compiles and collects for itself (bench/build.sh, 400 modules on 2 CPUs, alternated
// runs: ≈ 9 % less wall and CPU time; slower for one thread: `build FILE`, `build --all -j 1`).
const launcher = `#!/bin/sh\n':' //; unset NODE_EXTRA_CA_CERTS; [ "$1" = check ] && exec node --v8-pool-size=1 "$0" "$@"; [ "$1" = build ] && case " $* " in *" --all "*) case " $* " in *" -j"* | *" --jobs"*) ;; *) exec node --single-threaded "$0" "$@" ;; esac ;; esac; exec node "$0" "$@"`;

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  legalComments: 'inline',
  logLevel: 'warning',
  define: { 'import.meta.url': 'importMetaUrl' },
  inject: ['scripts/bundle-import-meta.js'],
};
// The program (dist/cli.cjs), and the executable that runs it with V8's code cache
// (dist/porthole.cjs, src/cli/bin.ts).
await build({ ...common, entryPoints: ['src/cli/start.ts'], outfile: 'dist/cli.cjs', plugins: [lazyChildProcess] });
await build({ ...common, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/porthole.cjs', banner: { js: launcher } });
// bin.ts compiles the program with vm.Script, whose import() Node 20 cannot serve without a flag:
// every import must be static or bundled (esbuild turns imports of bundled modules into calls).
const program = readFileSync(`${root}/dist/cli.cjs`, 'utf8');
const dynamic = program.match(/\bimport\(\s*["'`][^"'`]*["'`]\s*\)/);
if (dynamic) throw new Error(`dist/cli.cjs has a dynamic import the executable cannot serve: ${dynamic[0]} (import it statically)`);
// The worker threads, beside the bundle: `allow` on large files (src/selinux/learn/parallel.ts starts
// ./rangeWorker.js relative to its own module: in the bundle, the bundle's URL) and `build --all`
// (src/selinux/lang/build/all/buildAll.ts, ./buildWorker.js the same way).
for (const [entry, out] of [
  ['src/selinux/learn/rangeWorker.ts', 'dist/rangeWorker.js'],
  ['src/selinux/lang/build/all/buildWorker.ts', 'dist/buildWorker.js'],
]) {
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    legalComments: 'inline',
    logLevel: 'warning',
  });
}
// npm makes a package's bins executable when it installs them; a rebuild in place must too.
chmodSync(`${root}/dist/porthole.cjs`, 0o755);
