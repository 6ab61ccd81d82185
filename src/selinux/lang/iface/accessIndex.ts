// The access index: what every interface and template of an include tree
// grants when called with placeholder arguments (`porthole_arg1`, ... for the
// arguments it needs, by the build's arity rule), for `iface for` and the
// raw-allow lint. All calls go through ONE m4 module pass (a fork of the
// devel pipeline's state after the interfaces), each after a marker comment
// that m4 copies as it is; the output is cut at the markers and each piece
// parsed and lowered alone, so a call whose text does not parse spoils only
// its own entry. The m4 state a call changes (rare: a template defining a
// macro) is seen by the calls after it, as in a module making several calls.
// Building takes seconds on the full headers; cache.ts keeps it on disk.
// Not here: the cache (cache.ts), matching (match.ts).

import { includeTree, loadDefinitions } from '../../refpolicy/index.js';
import { arityOf } from '../build/definitions.js';
import { DEFAULT_DEVEL_INCLUDE, expandDevelModule } from '../m4/devel.js';
import { lowerModule } from '../te/lower/lower.js';
import { parseModuleText } from '../te/parse.js';
import { requireDevelTree } from './expand.js';
import { type GrantRule, moduleGrants } from './grants.js';

/** The placeholder passed as argument N (1-based). */
export function placeholder(n: number): string {
  return `porthole_arg${n}`;
}

/** A placeholder anywhere in a name (`porthole_arg1_t`): its number. */
export const PLACEHOLDER = /porthole_arg([0-9]+)/g;

export interface InterfaceAccess {
  name: string;
  kind: 'interface' | 'template';
  /** LAYER/NAME.if and the definition's line. */
  file: string;
  line: number;
  /** The arguments it was called with (placeholders 1..params). */
  params: number;
  /** Its parameters' names from the doc comment, for the calls the answers print. */
  paramNames: string[];
  rules: GrantRule[];
  /** Statements besides requires and plain allow rules (see grants.ts). */
  other: number;
  /** Whether its expansion had a syntax error (its rules are what parsed). */
  broken?: boolean;
}

export interface AccessIndex {
  /** Bumped when the shape or the way it is built changes (a cached index of another version is rebuilt). */
  version: number;
  includeDir: string;
  interfaces: InterfaceAccess[];
}

export const ACCESS_INDEX_VERSION = 1;

const MARK = '#porthole-call ';

/** Builds the access index of a devel include tree (no cache: see loadAccessIndex). */
export function buildAccessIndex(includeDir: string = DEFAULT_DEVEL_INCLUDE): AccessIndex {
  requireDevelTree(includeDir);
  const defs = loadDefinitions(includeTree(includeDir));
  const calls: string[] = [];
  defs.interfaces.forEach((d, k) => {
    const n = arityOf(d).min;
    calls.push(`${MARK}${k}\n${d.name}(${Array.from({ length: n }, (_, i) => placeholder(i + 1)).join(', ')})\n`);
  });
  const r = expandDevelModule({ name: 'iface-index.te', text: calls.join('') }, { includeDir });
  const pieces = new Map<number, string>();
  const marks = [...r.output.matchAll(/^#porthole-call ([0-9]+)\n/gm)];
  marks.forEach((m, i) => {
    const end = marks[i + 1]?.index ?? r.output.length;
    pieces.set(Number(m[1]), r.output.slice((m.index as number) + m[0].length, end));
  });
  const interfaces = defs.interfaces.map((d, k): InterfaceAccess => {
    const text = pieces.get(k) ?? '';
    const parsed = parseModuleText({ name: 'iface-index.te', text });
    const g = moduleGrants(lowerModule(parsed.ast));
    const entry: InterfaceAccess = {
      name: d.name,
      kind: d.kind === 'template' ? 'template' : 'interface',
      file: d.file,
      line: d.line,
      params: arityOf(d).min,
      paramNames: d.params.map((p) => p.name),
      rules: g.rules,
      other: g.other,
    };
    if (parsed.diagnostics.some((x) => x.severity === 'error') || !pieces.has(k)) entry.broken = true;
    return entry;
  });
  return { version: ACCESS_INDEX_VERSION, includeDir, interfaces };
}
