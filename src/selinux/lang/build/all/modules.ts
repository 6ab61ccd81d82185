// The modules `build --all` builds in a directory, found as the devel Makefile
// finds them for `make all` there: `*.te` at the top, then `LAYER/*.te` in every
// folder but CVS, tmp and doc (folders and files in name order); each module's
// .if and .fc beside its .te when they exist (the Makefile makes a stub .if and
// an empty .fc for the others). A refpolicy source tree (DIR/policy/modules)
// is read from that folder. Every module's .if joins the interface pass, in
// this order, as tmp/all_interfaces.conf lists them.
// Not here: reading the files (buildAll.ts), building (compile.ts).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface ModuleSourceFiles {
  /** The module's name: its .te's base name (the devel Makefile's NAME.pp). */
  name: string;
  te: string;
  if?: string | undefined;
  fc?: string | undefined;
}

export interface ModuleTree {
  /** The folder the modules were found in (DIR, or DIR/policy/modules). */
  dir: string;
  modules: ModuleSourceFiles[];
}

/** Folders the devel Makefile never takes for layers. */
const NOT_LAYERS = new Set(['CVS', 'tmp', 'doc']);

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function modulesIn(dir: string): ModuleSourceFiles[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.te') && f.length > 3)
    .sort(byName)
    .map((f) => {
      const stem = join(dir, f.slice(0, -3));
      return { name: f.slice(0, -3), te: `${stem}.te`, if: existsSync(`${stem}.if`) ? `${stem}.if` : undefined, fc: existsSync(`${stem}.fc`) ? `${stem}.fc` : undefined };
    });
}

/** The modules under `dir` as `make all` there finds them (a missing folder throws Node's error). */
export function findModules(dir: string): ModuleTree {
  const tree = join(dir, 'policy', 'modules');
  const root = existsSync(tree) && statSync(tree).isDirectory() ? tree : dir;
  const layers = readdirSync(root)
    .filter((f) => !NOT_LAYERS.has(f) && !f.startsWith('.') && statSync(join(root, f)).isDirectory())
    .sort(byName);
  return { dir: root, modules: [...modulesIn(root), ...layers.flatMap((l) => modulesIn(join(root, l)))] };
}
