// The `porthole` program: this file and everything it imports bundled into one
// CommonJS script (dist/cli.cjs, see scripts/bundle-cli.mjs), which the
// executable (bin.ts) compiles with V8's code cache: Node 20 loads one script
// several times faster than a tree of ES modules, and start-up is most of the
// time of a short command.
import { processIo } from './io.js';
import { run } from './main.js';

// `porthole ... | head`: the reader went away. Stop quietly with the status a process killed by
// SIGPIPE has (Node ignores the signal and reports EPIPE instead).
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(141);
  throw e;
});

const EXIT_AT_ONCE = new Set(['check', 'allow']);

run(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
    // Node waits, before it exits, for every job queued for V8's background threads; a fresh
    // process that ran a lot of code ends with the optimizing compiler's queue full of functions
    // it will never run again (≈ 65 ms of a check of the reference policy, ≈ 50 ms of allow -p
    // over 20,000 distinct denials). These commands have written all they write (synchronously,
    // their workers ended) when run() resolves: once stdout and stderr have flushed, exit
    // without that wait.
    if (EXIT_AT_ONCE.has(process.argv[2] ?? '')) process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  },
  (e: unknown) => {
    // Input problems are PortholeErrors, printed by run(); anything else is a bug in porthole.
    process.stderr.write(`porthole: internal error (a bug: please report it with this text): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
