// `iface expand`: one call of a refpolicy interface or template expanded as
// the devel Makefile would expand it in a module (the m4 stage's module pass,
// nested calls and support macros resolved), parsed and lowered to the module
// IR, so that the te and CIL printers print what the call grants. The call is
// checked first as the build checks calls: an unknown name says the nearest
// names, a wrong argument count is the build's `te-interface-arguments`
// (too few refuses the call: each missing `$N` would expand to nothing).
// Not here: the index of what every interface grants (accessIndex.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Diagnostic, fail, PortholeError } from '../../../base/diagnostic.js';
import type { Module, Require, RequireStatement, Statement } from '../../ir/index.js';
import { closeNames } from '../../refpolicy/index.js';
import { arityDiagnostic } from '../build/calls.js';
import { buildDefinitions } from '../build/definitions.js';
import { m4MessageDiagnostics } from '../build/m4Messages.js';
import { SUGGESTIONS } from '../build/suggest.js';
import { DEFAULT_DEVEL_INCLUDE, expandDevelModule } from '../m4/devel.js';
import { lowerModule } from '../te/lower/lower.js';
import { parseModuleText } from '../te/parse.js';

/** The name the call's text has in diagnostics (it is the whole .te m4 reads). */
export const EXPAND_SOURCE = 'iface-expand.te';

export interface ExpandCallOptions {
  /** The devel include tree (default /usr/share/selinux/devel/include). */
  includeDir?: string | undefined;
}

export interface CallExpansion {
  /** The call as m4 read it: NAME(`ARG', ...). */
  call: string;
  /** What the call grants: one require block first (every one the expansion wrote, merged), then its statements in order. */
  module: Module;
  /** m4's, refpolicy's (deprecations), the parser's and the lowering's diagnostics, and a too-many-arguments warning. */
  diagnostics: Diagnostic[];
}

/** Throws `te-no-headers` unless `dir` is a devel include tree (support/ beside the layers): the m4 pipeline needs that layout. */
export function requireDevelTree(dir: string): void {
  if (!existsSync(join(dir, 'support', 'loadable_module.spt'))) {
    fail('te-no-headers', `${dir} is not a devel include tree (no support/loadable_module.spt): expanding calls runs the devel Makefile's m4 pipeline`, {
      notes: ['give the devel headers with -I DIR (Debian: apt install selinux-policy-dev)'],
      data: { includeDir: dir },
    });
  }
}

/** An argument as m4 text: quoted once, so that it reaches the body as written (macros in it still expand there, as in a module). */
function quoteArgument(arg: string, k: number): string {
  if (/[`'\n\0]/.test(arg)) {
    fail('iface-argument', `argument ${k + 1} (${JSON.stringify(arg)}) holds an m4 quote or a newline`, { data: { argument: k + 1 } });
  }
  return `\`${arg}'`;
}

/** Expands `name(args...)` over the include tree: throws `unknown-name` (did you mean), `te-interface-arguments` (too few), `iface-argument`. */
export function expandInterfaceCall(name: string, args: readonly string[], opts: ExpandCallOptions = {}): CallExpansion {
  const includeDir = opts.includeDir ?? DEFAULT_DEVEL_INCLUDE;
  requireDevelTree(includeDir);
  const defs = buildDefinitions(includeDir, undefined);
  const definition = defs.callables.get(name);
  if (definition === undefined) {
    const near = closeNames(defs.callables.keys(), name, SUGGESTIONS);
    fail('unknown-name', `no interface or template named ${name} in ${includeDir}`, {
      data: { kind: 'interface', name },
      notes: near.length > 0 ? [`did you mean ${near.join(', ')}?`] : [],
    });
  }
  const call = `${name}(${args.map(quoteArgument).join(', ')})`;
  const site = { file: '<command line>', line: 1 };
  const arity = arityDiagnostic({ definition, given: args.length, expansion: { macro: name, site, args } });
  if (arity?.severity === 'error') throw new PortholeError(arity);
  const r = expandDevelModule({ name: EXPAND_SOURCE, text: `${call}\n` }, { includeDir });
  const diagnostics: Diagnostic[] = [...(arity === undefined ? [] : [arity]), ...r.diagnostics, ...m4MessageDiagnostics(r.stderr)];
  const parsed = parseModuleText({ name: EXPAND_SOURCE, text: r.output });
  diagnostics.push(...parsed.diagnostics);
  const lowered = lowerModule(parsed.ast, { onDiagnostic: (d) => diagnostics.push(d) });
  return { call, module: mergedRequires(lowered), diagnostics };
}

type RequireList = Exclude<keyof Require, 'classes'>;
const LISTS: RequireList[] = ['types', 'attributes', 'roles', 'attributeRoles', 'bools', 'tunables', 'users', 'sensitivities', 'categories'];

/**
 * The module with its top-level require blocks merged into one, first (names
 * in the order first required, each once; a class's permissions added up),
 * and each av rule's permissions listed once: an expansion repeats both (every
 * nested interface requires what it uses; permission sets overlap).
 */
export function mergedRequires(m: Module): Module {
  const lists = new Map<RequireList, Set<string>>(LISTS.map((k) => [k, new Set<string>()]));
  const classes = new Map<string, Set<string>>();
  const rest: Statement[] = [];
  for (const st of m.statements) {
    if (st.kind !== 'require') {
      rest.push(st.kind === 'av' ? { ...st, perms: [...new Set(st.perms)] } : st);
      continue;
    }
    for (const k of LISTS) for (const n of st[k] ?? []) lists.get(k)?.add(n);
    for (const [c, perms] of st.classes) {
      const set = classes.get(c) ?? new Set<string>();
      for (const p of perms) set.add(p);
      classes.set(c, set);
    }
  }
  const req: RequireStatement = { kind: 'require', types: [...(lists.get('types') ?? [])], classes: [...classes].map(([c, p]) => [c, [...p]]), roles: [...(lists.get('roles') ?? [])] };
  for (const k of LISTS) {
    if (k === 'types' || k === 'roles') continue;
    const names = [...(lists.get(k) ?? [])];
    if (names.length > 0) req[k] = names;
  }
  const empty = req.types.length === 0 && req.classes.length === 0 && req.roles.length === 0 && LISTS.every((k) => (req[k]?.length ?? 0) === 0);
  return { ...m, statements: empty ? rest : [req, ...rest] };
}

/** Whether m4, the parser or the lowering found an error in the expansion. */
export function expansionHasErrors(e: CallExpansion): boolean {
  return e.diagnostics.some((d) => d.severity === 'error');
}
