// The interfaces and support macros of an include tree, read in the order
// the devel Makefile reads them (support/*.spt, then LAYER/*.if, layers and
// files sorted), from either layout:
//   - the devel include tree ($SE_DEVEL_INCLUDE, /usr/share/selinux/devel/include):
//     DIR/support/*.spt and DIR/LAYER/*.if;
//   - a refpolicy source tree: DIR/policy/support/*.spt and
//     DIR/policy/modules/LAYER/*.if (DIR may also be its policy/ folder).
// Files are named relative to the tree as LAYER/NAME.if and support/NAME.spt
// in both layouts. Not here: searching (search.ts).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type Diagnostic, fail } from '../../base/diagnostic.js';
import { DEFAULT_DEVEL_INCLUDE, layerInterfaceFiles, supportFiles } from '../lang/m4/devel.js';
import { type PolicyDefinition, parseDefinitions } from './parse.js';

export interface IncludeTree {
  /** The directory as given. */
  dir: string;
  layout: 'devel' | 'refpolicy';
  /** The folder holding the layers (DIR, or DIR/policy/modules). */
  modulesDir: string;
  /** The folder holding support/*.spt's files. */
  supportDir: string;
  /** Full paths, in reading order. */
  support: string[];
  interfaces: string[];
}

export interface DefinitionIndex {
  tree: IncludeTree;
  /** Interfaces and templates, in file order, each file's in source order. */
  interfaces: PolicyDefinition[];
  /** Support macros (`define`), in the same order. */
  defines: PolicyDefinition[];
  /** What could not be read (an unterminated quote). */
  diagnostics: Diagnostic[];
}

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

/** The include tree at `dir` (default $SE_DEVEL_INCLUDE's usual place), its layout found from its folders. */
export function includeTree(dir: string = DEFAULT_DEVEL_INCLUDE): IncludeTree {
  if (!isDir(dir)) fail('file-read', `cannot read the include tree ${dir}: no such directory`, { data: { path: dir } });
  const policy = isDir(join(dir, 'policy', 'modules')) ? join(dir, 'policy') : isDir(join(dir, 'modules')) ? dir : undefined;
  const modulesDir = policy === undefined ? dir : join(policy, 'modules');
  const supportDir = policy === undefined ? join(dir, 'support') : join(policy, 'support');
  const support = isDir(supportDir) ? supportFiles(supportDir) : [];
  const interfaces = layerInterfaceFiles(modulesDir);
  if (support.length === 0 && interfaces.length === 0) {
    fail('file-read', `${dir} is not an include tree: it has no support/*.spt and no LAYER/*.if`, {
      data: { path: dir },
      notes: ['give the devel headers (/usr/share/selinux/devel/include) or a refpolicy source tree (with policy/modules/LAYER/*.if)'],
    });
  }
  return { dir, layout: policy === undefined ? 'devel' : 'refpolicy', modulesDir, supportDir, support, interfaces };
}

/** Every definition of the tree (files read as m4 reads them: one character per byte). */
export function loadDefinitions(tree: IncludeTree): DefinitionIndex {
  const interfaces: PolicyDefinition[] = [];
  const defines: PolicyDefinition[] = [];
  const diagnostics: Diagnostic[] = [];
  const read = (path: string, name: string): PolicyDefinition[] => {
    const r = parseDefinitions(name, readFileSync(path, 'latin1'));
    diagnostics.push(...r.diagnostics);
    return r.definitions;
  };
  for (const f of tree.support) defines.push(...read(f, `support/${relative(tree.supportDir, f)}`).filter((d) => d.kind === 'define'));
  for (const f of tree.interfaces) interfaces.push(...read(f, relative(tree.modulesDir, f)).filter((d) => d.kind !== 'define'));
  return { tree, interfaces, defines, diagnostics };
}
