// The SELinux devel Makefile's m4 pipeline, in-process
// (/usr/share/selinux/devel/include/Makefile):
//
//   tmp/all_interfaces.conf:  divert(-1)
//                             m4 support/*.spt LAYER/*.if... MODULE.if tmp/iferror.m4 | sed s/dollarsstar/$*/g
//                             divert
//   tmp/MODULE.tmp:           m4 $(M4PARAM) -s support/*.spt tmp/all_interfaces.conf MODULE.te
//
// M4PARAM comes from include/build.conf as the Makefile derives it. The
// interface pass is done once per process and include directory (and once
// more per module that brings its own .if); the second pass starts from a
// copy of the state after the support files and the interfaces.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { M4Engine, type M4Result } from './engine.js';

/** Where the devel headers are by default ($SE_DEVEL_INCLUDE on Debian). */
export const DEFAULT_DEVEL_INCLUDE = '/usr/share/selinux/devel/include';

const IFERROR = "ifdef(`__if_error',`m4exit(1)')\n";

/** A source file: its name as the Makefile names it (`myapp.te`), and its text. */
export interface DevelSource {
  name: string;
  text: string;
}

export interface DevelOptions {
  /** The devel include tree (default /usr/share/selinux/devel/include). */
  includeDir?: string;
  /**
   * The module's own interface file, which joins the interface pass. When
   * absent, the Makefile's stub (`## <summary></summary>`) is used, as for a
   * module copied without its .if.
   */
  moduleIf?: DevelSource | undefined;
  /** Record where the output came from (see M4Result.origins). */
  origins?: boolean;
}

export interface DevelTree {
  includeDir: string;
  /** support/*.spt, sorted, as full paths. */
  support: string[];
  /** Every layer's .if, layers and files sorted, as full paths. */
  interfaces: string[];
  /** The -D options of the module pass, in the Makefile's order. */
  defines: { name: string; value: string }[];
}

function sortedFiles(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((f) => join(dir, f));
}

/** build.conf's settings (`KEY ?= value`, `override KEY := value`). */
export function readBuildConf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(?:override\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*[?:]?=\s*(.*?)\s*$/.exec(line);
    if (m?.[1] !== undefined && !line.trimStart().startsWith('#')) out.set(m[1], m[2] ?? '');
  }
  return out;
}

/** M4PARAM as the devel Makefile builds it from build.conf (TYPE defaults to mcs, as on an MLS-enabled host). */
export function develDefines(conf: Map<string, string>): { name: string; value: string }[] {
  const d: { name: string; value: string }[] = [];
  const type = conf.get('TYPE') || 'mcs';
  if (type === 'mls') d.push({ name: 'enable_mls', value: '' });
  if (type === 'mcs') d.push({ name: 'enable_mcs', value: '' });
  const distro = conf.get('DISTRO') ?? '';
  if (distro !== '') d.push({ name: `distro_${distro}`, value: '' });
  if (conf.get('SYSTEMD') === 'y') d.push({ name: 'init_systemd', value: '' });
  if (conf.get('DIRECT_INITRC') === 'y') d.push({ name: 'direct_sysadm_daemon', value: '' });
  if (conf.get('UBAC') === 'y') d.push({ name: 'enable_ubac', value: '' });
  for (const opt of (conf.get('CUSTOM_BUILDOPT') ?? '').split(/\s+/).filter(Boolean)) {
    const eq = opt.indexOf('=');
    d.push(eq === -1 ? { name: opt, value: '' } : { name: opt.slice(0, eq), value: opt.slice(eq + 1) });
  }
  d.push({ name: 'mls_num_sens', value: conf.get('MLS_SENS') || '16' });
  d.push({ name: 'mls_num_cats', value: conf.get('MLS_CATS') || '1024' });
  d.push({ name: 'mcs_num_cats', value: conf.get('MCS_CATS') || '1024' });
  return d;
}

/**
 * Every LAYER/*.if under `dir` (its folders but `support`), layers and files
 * sorted: the devel include tree's order, and a refpolicy source tree's
 * under policy/modules.
 */
export function layerInterfaceFiles(dir: string): string[] {
  const layers = readdirSync(dir)
    .filter((f) => f !== 'support' && statSync(join(dir, f)).isDirectory())
    .sort();
  return layers.flatMap((l) => sortedFiles(join(dir, l), '.if'));
}

/** `dir`/*.spt, sorted, as full paths. */
export function supportFiles(dir: string): string[] {
  return sortedFiles(dir, '.spt');
}

/** The devel include tree's files and the module pass's -D options. */
export function develTree(includeDir: string = DEFAULT_DEVEL_INCLUDE): DevelTree {
  const support = supportFiles(join(includeDir, 'support'));
  const interfaces = layerInterfaceFiles(includeDir);
  let conf = new Map<string, string>();
  try {
    conf = readBuildConf(readFileSync(join(includeDir, 'build.conf'), 'latin1'));
  } catch {
    // No build.conf: the Makefile's own defaults.
  }
  return { includeDir, support, interfaces, defines: develDefines(conf) };
}

interface Prepared {
  tree: DevelTree;
  /** State after support/*.spt and the header interfaces (pass 1). */
  headers: M4Engine;
  /** all_interfaces.conf for modules without their own .if, and the module pass's state after reading it. */
  stubConf?: { conf: string; engine: M4Engine; pass1: M4Result } | undefined;
  /** The same state, recording origins (a separate engine: its output carries them). */
  stubOrigins?: M4Engine | undefined;
}

const prepared = new Map<string, Prepared>();

function prepare(includeDir: string): Prepared {
  let p = prepared.get(includeDir);
  if (p === undefined) {
    const tree = develTree(includeDir);
    const headers = new M4Engine();
    for (const f of [...tree.support, ...tree.interfaces]) headers.processFile(f);
    p = { tree, headers };
    prepared.set(includeDir, p);
  }
  return p;
}

/** The Makefile's stub .if for a module that has none (`## <summary>$(basename .)</summary>`). */
export const STUB_IF = '## <summary></summary>\n';

/**
 * tmp/all_interfaces.conf for a module with this .if (pass 1 of the Makefile), and pass 1's result (its messages).
 * Several: the .if of every module of a directory, in the Makefile's order (`make all` there).
 */
export function allInterfacesConf(moduleIf: DevelSource | readonly DevelSource[], includeDir: string = DEFAULT_DEVEL_INCLUDE): { conf: string; pass1: M4Result } {
  const p = prepare(includeDir);
  const m = p.headers.fork();
  for (const f of Array.isArray(moduleIf) ? moduleIf : [moduleIf]) m.processText(f.name, f.text);
  m.processText('tmp/iferror.m4', IFERROR);
  const pass1 = m.finish();
  return { conf: `divert(-1)\n${pass1.output.replaceAll('dollarsstar', '$*')}divert\n`, pass1 };
}

function modulePassPrefix(tree: DevelTree, conf: string, origins: boolean): M4Engine {
  const m = modulePassSupport(tree, origins);
  m.processText('tmp/all_interfaces.conf', conf);
  return m;
}

/** The module pass's state before tmp/all_interfaces.conf: its -D options and support/*.spt. */
function modulePassSupport(tree: DevelTree, origins: boolean): M4Engine {
  const m = new M4Engine({ syncLines: true, origins });
  for (const d of tree.defines) m.define(d.name, d.value);
  for (const f of tree.support) m.processFile(f);
  return m;
}

export interface DevelModuleResult extends M4Result {
  /** Pass 1's messages (the Makefile's pipe hides its status, not its stderr). */
  interfaceDiagnostics: M4Result['diagnostics'];
}

/**
 * A module's .te expanded as the devel Makefile expands it into
 * tmp/MODULE.tmp (sync lines included), byte for byte.
 */
export function expandDevelModule(te: DevelSource, opts: DevelOptions = {}): DevelModuleResult {
  const includeDir = opts.includeDir ?? DEFAULT_DEVEL_INCLUDE;
  const p = prepare(includeDir);
  const origins = opts.origins === true;
  let engine: M4Engine;
  let pass1: M4Result;
  if (opts.moduleIf === undefined) {
    // The stub .if is the same for every module (its name only reaches pass 1's messages, and
    // it has none): pass 1 and the module pass's prefix are done once, each module forks them.
    if (p.stubConf === undefined) {
      const r = allInterfacesConf({ name: 'module.if', text: STUB_IF }, includeDir);
      p.stubConf = { conf: r.conf, engine: modulePassPrefix(p.tree, r.conf, false), pass1: r.pass1 };
    }
    if (origins) p.stubOrigins ??= modulePassPrefix(p.tree, p.stubConf.conf, true);
    engine = (origins ? p.stubOrigins : p.stubConf.engine)?.fork() as M4Engine;
    pass1 = p.stubConf.pass1;
  } else {
    const r = allInterfacesConf(opts.moduleIf, includeDir);
    engine = modulePassPrefix(p.tree, r.conf, origins);
    pass1 = r.pass1;
  }
  engine.processText(te.name, te.text);
  const r = engine.finish();
  return { ...r, interfaceDiagnostics: pass1.diagnostics };
}

/** Modules built together, as `make all` builds a directory: one interface pass, each module's pass from a fork of its state. */
export interface DevelModuleSet {
  /**
   * A module's .te expanded as expandDevelModule does with every module's .if in the interface
   * pass; `syncLines: false`: the module's sync lines may be left out (the same text otherwise).
   */
  expand(te: DevelSource, opts?: { syncLines?: boolean }): DevelModuleResult;
}

/**
 * The devel Makefile's `make all` in a directory of modules: tmp/all_interfaces.conf
 * holds the headers' interfaces and then every module's .if (`moduleIfs`, in the
 * Makefile's order), made once; each module's pass forks the state after it.
 * No .if at all: the stub's state, as expandDevelModule without `moduleIf`.
 */
export function develModuleSet(moduleIfs: readonly DevelSource[], opts: Omit<DevelOptions, 'moduleIf'> = {}): DevelModuleSet {
  if (moduleIfs.length === 0) return { expand: (te) => expandDevelModule(te, opts) };
  return develModuleSetFromInterfaces(develInterfaces(moduleIfs, opts.includeDir), opts);
}

/** A set's interface pass done: tmp/all_interfaces.conf and pass 1's messages (plain data, to hand to another thread). */
export interface DevelInterfaces {
  conf: string;
  diagnostics: M4Result['diagnostics'];
}

/** The interface pass of develModuleSet (every module's .if, in the Makefile's order), on its own. */
export function develInterfaces(moduleIfs: readonly DevelSource[], includeDir: string = DEFAULT_DEVEL_INCLUDE): DevelInterfaces {
  const r = allInterfacesConf(moduleIfs, includeDir);
  return { conf: r.conf, diagnostics: r.pass1.diagnostics };
}

/** develModuleSet from its interface pass made elsewhere (by develInterfaces, maybe in another thread). */
export function develModuleSetFromInterfaces(ifs: DevelInterfaces, opts: Omit<DevelOptions, 'moduleIf'> = {}): DevelModuleSet {
  return develModulePrefix(opts).withInterfaces(ifs);
}

/** A set's module pass begun before its interface pass is done: `withInterfaces` goes on with that pass's result (once). */
export interface DevelModulePrefix {
  withInterfaces(ifs: DevelInterfaces): DevelModuleSet;
  /**
   * A set over the support files alone (no interface defined), from the state read so far: what
   * can be built before the interface pass is done (build --all's threads warm up on it).
   */
  supportOnly(): DevelModuleSet;
}

/**
 * The module pass's -D options and support files read now, so that a thread can do it while
 * another makes the interface pass (build --all); the state is then the one
 * develModuleSetFromInterfaces starts from.
 */
export function develModulePrefix(opts: Omit<DevelOptions, 'moduleIf'> = {}): DevelModulePrefix {
  const includeDir = opts.includeDir ?? DEFAULT_DEVEL_INCLUDE;
  const make = (): M4Engine => modulePassSupport(develTree(includeDir), opts.origins === true);
  let support: M4Engine | undefined = make();
  return {
    withInterfaces: (ifs) => {
      // The state read now is used once; a second set starts again.
      const prefix = support ?? make();
      support = undefined;
      prefix.processText('tmp/all_interfaces.conf', ifs.conf);
      return setFromPrefix(prefix, ifs);
    },
    // A fork: the state read now stays as it is for withInterfaces.
    supportOnly: () => setFromPrefix((support ?? make()).fork(), { conf: '', diagnostics: [] }),
  };
}

function setFromPrefix(prefix: M4Engine, ifs: DevelInterfaces): DevelModuleSet {
  return {
    expand: (te, o) => {
      const engine = prefix.fork(o?.syncLines === false ? { syncLines: false } : {});
      engine.processText(te.name, te.text);
      return { ...engine.finish(), interfaceDiagnostics: ifs.diagnostics };
    },
  };
}

const fcPrefixes = new Map<string, M4Engine>();

/**
 * A module's .fc expanded as the devel Makefile expands it into
 * tmp/MODULE.mod.fc (`m4 $(M4PARAM) support/*.spt MODULE.fc`: no sync lines,
 * no interfaces), byte for byte.
 */
export function expandDevelFileContexts(fc: DevelSource, opts: Omit<DevelOptions, 'moduleIf'> = {}): M4Result {
  const engine = fcPrefix(opts).fork();
  engine.processText(fc.name, fc.text);
  return engine.finish();
}

/** The state every .fc expansion forks (support/*.spt read), made now if not yet: build --all's threads make it while they wait. */
export function prepareDevelFileContexts(opts: Omit<DevelOptions, 'moduleIf'> = {}): void {
  fcPrefix(opts);
}

function fcPrefix(opts: Omit<DevelOptions, 'moduleIf'>): M4Engine {
  const includeDir = opts.includeDir ?? DEFAULT_DEVEL_INCLUDE;
  const origins = opts.origins === true;
  // One prefix per include directory and origins setting (an engine recording origins carries them).
  const key = `${origins ? 'o' : 'p'}${includeDir}`;
  let base = fcPrefixes.get(key);
  if (base === undefined) {
    const tree = develTree(includeDir);
    base = new M4Engine({ origins });
    for (const d of tree.defines) base.define(d.name, d.value);
    for (const f of tree.support) base.processFile(f);
    fcPrefixes.set(key, base);
  }
  return base;
}

/** Forgets the interface passes done so far (after the headers changed). */
export function clearDevelCache(): void {
  prepared.clear();
  fcPrefixes.clear();
}
