// The `porthole` executable (dist/porthole.cjs; scripts/bundle-cli.mjs gives
// it its shell launcher line): runs the program bundled beside it
// (dist/cli.cjs, from start.ts) compiled with V8's code cache, so that a
// command does not parse and compile again the code it ran before: about
// 35-50 ms of a short command's 110-200 ms. One cache file per command (the
// code a command runs is what it caches), in $XDG_CACHE_HOME/porthole (else
// ~/.cache/porthole, as the interface index: iface/cache.ts), named by a
// hash of Node's version and the bundle's bytes: a new version of either
// makes a new file, and the command's older file is removed. The file is
// written once, when the command ends (not after a usage error); one that
// V8 refuses (damaged, or made under other V8 flags) is removed and written
// again by the next run.
// PORTHOLE_CODE_CACHE=0 turns it off. A failure of the cache's own (no home,
// a read-only disk) only costs the time it would have saved.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

type CommonJsBody = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;

const bundle = fileURLToPath(new URL('./cli.cjs', import.meta.url));
const source = readFileSync(bundle, 'utf8');
const command = commandName(process.argv[2]);
const cacheFile = process.env.PORTHOLE_CODE_CACHE === '0' ? undefined : codeCacheFile(command, source);
const cached = cacheFile === undefined ? undefined : readOrUndefined(cacheFile);
const script = new Script(Module.wrap(source), { filename: bundle, cachedData: cached });
if (cacheFile !== undefined) {
  // Not after a usage error (status 2): little has run, and a mistyped command must leave no file.
  if (cached === undefined) process.once('exit', (status) => status !== 2 && writeCodeCache(script, command, cacheFile));
  else if (script.cachedDataRejected === true) quietly(() => rmSync(cacheFile, { force: true }));
}
const program = { exports: {} };
(script.runInThisContext() as CommonJsBody).call(program.exports, program.exports, createRequire(bundle), program, bundle, dirname(bundle));

/** The command the first argument names, as cache files name it (`other` for an option or anything unusual). */
function commandName(first: string | undefined): string {
  return first !== undefined && /^[a-z][a-z0-9]{0,15}$/.test(first) ? first : 'other';
}

/** The command's cache file for this Node and this bundle. */
function codeCacheFile(command: string, text: string): string | undefined {
  return quietly(() => {
    const key = createHash('sha256').update(`${process.version}\0${process.arch}\0`).update(text).digest('hex').slice(0, 16);
    const xdg = process.env.XDG_CACHE_HOME;
    return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'porthole', `code-${command}-${key}.bin`);
  });
}

function readOrUndefined(file: string): Buffer | undefined {
  return quietly(() => readFileSync(file));
}

function writeCodeCache(compiled: Script, command: string, file: string): void {
  quietly(() => {
    // V8 refuses a cache made under other flags than the next start's: undo what commands change
    // (allow and build --all turn pretenuring off, see src/cli/allow.ts; check turns inlining and
    // on-stack replacement off, see src/cli/check.ts).
    setFlagsFromString('--allocation-site-pretenuring');
    setFlagsFromString('--turbo-inlining');
    setFlagsFromString('--use-osr');
    const data = compiled.createCachedData();
    const dir = dirname(file);
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, file);
    for (const f of readdirSync(dir)) if (f.startsWith(`code-${command}-`) && f.endsWith('.bin') && join(dir, f) !== file) rmSync(join(dir, f), { force: true });
  });
}

/** What `f` gives, or undefined when it throws: the cache is only ever an optimisation. */
function quietly<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
