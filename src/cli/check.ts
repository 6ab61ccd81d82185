// `porthole check FILES... [--subs FILE] [--json]`: policy sources (.te, .if,
// .fc, folders of them, a refpolicy tree) through the lint rules, and the
// modules named through the build. Flags in, library call (lintPolicy), out.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Command } from 'commander';
import { fail, fileErrorDiagnostic, isFileError, PortholeError } from '../base/diagnostic.js';
import { report, reportText } from './common.js';
import type { CliIo } from './io.js';
import { VERSION } from './version.js';

interface CheckFlags {
  fileContexts?: string;
  subs?: string[];
  include?: string;
  build?: boolean;
  suggestCalls?: boolean;
  cache?: boolean;
  json?: boolean;
}

const HELP_AFTER = `
Rules (the ids are the diagnostic codes; README lists each with an example):
  fc-unreachable           a .fc spec whose path begins with the alias side of an equivalence rule
                           (file_contexts.subs, .subs_dist, --subs): lookups rewrite it first, so it
                           never matches; the message says what to write instead (an exact alias is fine)
  fc-conflict              a spec the system file_contexts has with another context (files named only)
  fc-duplicate             a spec given twice with the same context (another: file-contexts-duplicate)
  fc-regex-escape          '.', '*' or '+' that is probably meant as the character (selint W-004)
  fc-type-undeclared       a .fc context type nothing declares
  fc-type-foreign          a .fc context type another module declares
  lint-exec-without-fc     an executable or entry point type no .fc spec of its module labels
  lint-perm-order          permissions not in order, or repeated (selint C-005)
  lint-unused-require      a required name nothing uses (selint W-003)
  lint-missing-require     a name an interface uses without requiring it (selint W-002)
  lint-raw-allow-interface a raw allow rule one interface grants exactly: the call to write
                           (--suggest-calls; modules built only)
  file-contexts-syntax, file-contexts-regex, file-contexts-duplicate: what libselinux refuses or overrides
Build: each module whose .te is named goes through \`porthole build\` (m4, parser, checkmodule's
verdicts); modules found in a folder only with --build (m4 costs about 7 ms a module); --no-build: none.
A folder is read whole (a refpolicy tree: its .if files give the interfaces); files alone are read
with the include tree's interfaces (-I, default the devel headers).
Exit status: 0 when there is no finding, 1 when there are, 2 for a usage error.`;

export function checkCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('check')
    .description('lint policy sources (.te, .if, .fc, folders, a refpolicy tree) and build the modules named: rule ids, severities, your lines')
    .argument('<FILE...>', '.te, .if and .fc files, or folders of them')
    .option('--subs <file>', 'more equivalence rules (ALIAS ORIGINAL per line), as file_contexts.subs', (v: string, acc: string[] = []) => [...acc, v])
    .option('--file-contexts <file>', 'the system file_contexts, with its .subs and .subs_dist (default: the configured policy’s)')
    .option('-I, --include <dir>', 'the include tree (default /usr/share/selinux/devel/include)')
    .option('--build', 'build the modules found in folders too')
    .option('--no-build', 'build no module (lint rules only)')
    .option('--suggest-calls', "suggest the interface call for raw allow rules of the modules built (uses `iface for`'s index: built once, cached)")
    .option('--no-cache', 'read every source afresh, and keep nothing (default: what each source gave is kept in the cache folder and reused while its bytes are the same)')
    .option('--json', 'findings as JSON lines on stderr')
    .addHelpText('after', HELP_AFTER)
    .action(async (files: string[], flags: CheckFlags) => setExit(await check(files, flags, io)));
}

async function check(paths: string[], f: CheckFlags, io: CliIo): Promise<number> {
  // check runs once over every source, in a fresh process: before V8's optimizing compiler has
  // compiled the hot code, on the CPU it shares with it. Inlining makes each compilation several
  // times larger and on-stack replacement compiles a loop again apart from its function; without
  // either, a check of the reference policy takes 15-20 % less time and 25 % less CPU on a 2-CPU
  // machine (bench/check.sh), a check building two modules 15 % less. Not with --build: building
  // every module is a long run, where the compiled code pays. (The code cache is written without
  // them: src/cli/bin.ts.)
  if (f.build !== true) {
    setFlagsFromString('--no-turbo-inlining');
    setFlagsFromString('--no-use-osr');
  }
  const json = Boolean(f.json);
  for (const p of paths) if (!/\.(te|if|fc)$/.test(p) && !isFolder(resolve(io.cwd, p))) fail('usage', `${p}: not a .te, .if or .fc file, nor a folder`);
  const lib = await loadLib();
  let inputs: ReturnType<typeof lib.readLintInputs>;
  try {
    inputs = lib.readLintInputs(paths, io.cwd);
  } catch (e) {
    if (!isFileError(e)) throw e;
    report(io, fileErrorDiagnostic(e, 'read', e.path), json);
    return 1;
  }
  const subs = (f.subs ?? []).flatMap((file) => lib.parseSubs(readFileSync(resolve(io.cwd, file), 'latin1'), file, 'subs'));
  const includeDir = f.include === undefined ? undefined : resolve(io.cwd, f.include);
  const wholeTree = inputs.some((x) => !x.named);
  const findings = lib.lintPolicy(inputs, {
    system: inputs.some((x) => x.file.endsWith('.fc'))
      ? systemContexts(
          lib,
          f,
          io,
          inputs.some((x) => x.named && x.file.endsWith('.fc')),
        )
      : undefined,
    subs,
    include: wholeTree || !inputs.some((x) => !x.file.endsWith('.fc')) ? undefined : includeInterfaces(lib, includeDir),
    build: f.build === true ? 'all' : f.build === false ? 'none' : 'named',
    includeDir,
    ...(f.suggestCalls === true ? { accessIndex: () => accessIndex(lib, includeDir, io) } : {}),
    ...(f.cache === false ? {} : { cache: { dir: lib.defaultCacheDir(io.env), scope: JSON.stringify([io.cwd, ...paths.map((p) => resolve(io.cwd, p))]), build: codeBuild() } }),
  });
  // One write: a tree's 800 findings written one by one cost ≈ 15 ms of a 0.7 s run.
  if (findings.length > 0) io.stderr(findings.map((d) => reportText(d, json)).join(''));
  return findings.length > 0 ? 1 : 0;
}

type Lib = typeof import('../selinux/lang/lint/index.js') &
  typeof import('../selinux/labels/index.js') &
  typeof import('../selinux/refpolicy/index.js') &
  typeof import('../selinux/lang/iface/index.js');

/** The parts of the library check uses, not the whole of src/index.ts: each module the bundle starts costs at every run. */
async function loadLib(): Promise<Lib> {
  const [lint, labels, refpolicy, iface] = await Promise.all([
    import('../selinux/lang/lint/index.js'),
    import('../selinux/labels/index.js'),
    import('../selinux/refpolicy/index.js'),
    import('../selinux/lang/iface/index.js'),
  ]);
  return { ...lint, ...labels, ...refpolicy, ...iface };
}

/** `iface for`'s access index, from its cache (saying so when it had to be built, as `iface for` does). */
function accessIndex(lib: Lib, includeDir: string | undefined, io: CliIo) {
  const { index, cached, cacheFile } = lib.loadAccessIndex({ includeDir, cacheDir: lib.defaultCacheDir(io.env) });
  if (!cached) io.stderr(`porthole: built the access index of ${index.includeDir}${cacheFile === undefined ? '' : ` (kept in ${cacheFile})`}\n`);
  return index;
}

/** This build of the code, for check's store (lint/cache.ts): the version, this file's size and time (the bundle's, installed). */
function codeBuild(): string {
  const code = fileURLToPath(import.meta.url);
  const st = existsSync(code) ? statSync(code) : undefined;
  return JSON.stringify([VERSION, st?.size, st?.mtimeMs]);
}

const isFolder = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

/**
 * The system file_contexts: the one given (an error when it cannot be read), else the configured
 * policy's when there is one. Its specs matter only for conflicts, which only .fc files named are
 * checked for: otherwise its equivalence rules alone are read.
 */
function systemContexts(lib: Lib, f: CheckFlags, io: CliIo, specs: boolean) {
  const base = f.fileContexts === undefined ? undefined : resolve(io.cwd, f.fileContexts);
  if (!specs) {
    const path = base ?? defaultPath(lib);
    if (path === undefined) return undefined;
    const read = (p: string): string | undefined => (existsSync(p) ? readFileSync(p, 'latin1') : undefined);
    const subs = read(`${path}.subs`);
    const subsDist = read(`${path}.subs_dist`);
    return lib.fileContextsFromText({ base: '', ...(subs === undefined ? {} : { subs }), ...(subsDist === undefined ? {} : { subsDist }) }, path).contexts;
  }
  if (base !== undefined) return lib.loadFileContexts(base).contexts;
  try {
    return lib.loadFileContexts().contexts;
  } catch (e) {
    if (e instanceof PortholeError) return undefined;
    throw e;
  }
}

function defaultPath(lib: Lib): string | undefined {
  try {
    return lib.defaultFileContextsPath();
  } catch (e) {
    if (e instanceof PortholeError) return undefined;
    throw e;
  }
}

/** The include tree's .if files, for the interfaces the rules follow; none when there is no tree. */
function includeInterfaces(lib: Lib, dir: string | undefined) {
  try {
    return lib.includeTree(dir).interfaces.map((file) => ({ file, text: readFileSync(file, 'latin1') }));
  } catch (e) {
    if (e instanceof PortholeError && dir === undefined) return undefined;
    throw e;
  }
}
