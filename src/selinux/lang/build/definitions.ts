// What a build knows of the macros a module may call: the include tree's
// interfaces, templates and support macros (read once per tree and kept, as
// the m4 stage keeps its interface pass), and the module's own .if, read by
// refpolicy's reader (no m4). The calls' checks need two things of them: the
// names (for "did you mean") and each interface's or template's arity.
// Not here: finding the calls (calls.ts).
import { type DefinitionIndex, includeTree, loadDefinitions, type PolicyDefinition, parseDefinitions } from '../../refpolicy/index.js';
import type { DevelSource } from '../m4/devel.js';

export interface BuildDefinitions {
  /** Interfaces and templates by name: the module's .if after the tree's (m4 keeps the last definition). */
  callables: Map<string, PolicyDefinition>;
  /** Every name a call may use: interfaces, templates and support macros. */
  names: string[];
}

const trees = new Map<string, DefinitionIndex>();

/** The include tree's definitions (read on first use, then kept for the process). */
function treeDefinitions(includeDir: string): DefinitionIndex {
  let index = trees.get(includeDir);
  if (index === undefined) {
    index = loadDefinitions(includeTree(includeDir));
    trees.set(includeDir, index);
  }
  return index;
}

/** Forgets the include trees read so far (after the headers changed). */
export function clearBuildDefinitions(): void {
  trees.clear();
}

/** The definitions a module's calls are checked against: the tree's (when there is one) and the module's .if. */
export function buildDefinitions(includeDir: string | undefined, moduleIf: DevelSource | undefined): BuildDefinitions {
  const callables = new Map<string, PolicyDefinition>();
  const names: string[] = [];
  const add = (list: readonly PolicyDefinition[]): void => {
    for (const d of list) {
      names.push(d.name);
      if (d.kind !== 'define') callables.set(d.name, d);
    }
  };
  if (includeDir !== undefined) {
    const index = treeDefinitions(includeDir);
    add(index.defines);
    add(index.interfaces);
  }
  if (moduleIf !== undefined) add(parseDefinitions(moduleIf.name, moduleIf.text).definitions);
  return { callables, names };
}

/** How many arguments a call of an interface or template needs, and how many it takes (undefined: any number). */
export interface Arity {
  min: number;
  max: number | undefined;
}

const DOLLAR_N = /\$([0-9]+)/g;
const DOLLAR_ALL = /\$[*@#]/;
/** `ifelse(`$N',`',...)`: the body tests whether the argument was given, so it is optional. */
const EMPTY_TEST = /ifelse\(\s*`\$([0-9]+)'\s*,\s*`'/g;

/**
 * The arity of an interface or template, from its body as written (m4 puts the
 * call's arguments where `$N` stands, in nested quotes too) and its doc comment:
 * it needs every `$N` its body uses up to the highest one that is not documented
 * `optional="true"`, and takes as many as its body uses or its doc names,
 * whichever is more (`unused="true"` parameters are still passed); a body that
 * uses `$*`, `$@` or `$#` takes any number. A `$N` the body tests for emptiness
 * (`ifelse(`$N',`',...)`, as refpolicy marks a deprecated or optional argument)
 * is not needed, and neither is one past the parameters the doc comment names
 * (when it names any): a call is refused only for what is certainly missing.
 */
export function arityOf(d: PolicyDefinition): Arity {
  let used = 0;
  let min = 0;
  const tested = new Set([...d.body.matchAll(EMPTY_TEST)].map((m) => Number(m[1])));
  const documented = d.doc.params.length;
  for (const m of d.body.matchAll(DOLLAR_N)) {
    const n = Number(m[1]);
    if (n === 0) continue;
    used = Math.max(used, n);
    if (d.doc.params[n - 1]?.optional !== true && !tested.has(n) && (documented === 0 || n <= documented)) min = Math.max(min, n);
  }
  return { min, max: DOLLAR_ALL.test(d.body) ? undefined : Math.max(used, d.doc.params.length) };
}
