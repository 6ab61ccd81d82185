// A module's files for the build: the .te, and its .if and .fc (the ones
// given, else FILE.if and FILE.fc beside FILE.te when they exist, as the devel
// Makefile finds them), read as m4 reads them (one character per byte) and
// named as the user named them; and the output name checkmodule checks the
// module's name against.
// Not here: building (build.ts).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DevelSource } from '../m4/devel.js';
import type { BuildSources } from './build.js';

export interface BuildFiles {
  te: string;
  /** The .if (default: FILE.if beside FILE.te, when it exists). */
  if?: string | undefined;
  /** The .fc (default: FILE.fc beside FILE.te, when it exists). */
  fc?: string | undefined;
  /** Where relative paths start (default: the process's directory). */
  cwd?: string | undefined;
}

/** Reads a module's sources; a file that cannot be read throws Node's error (its path in it). */
export function readBuildSources(files: BuildFiles): BuildSources {
  const cwd = files.cwd ?? process.cwd();
  const read = (name: string): DevelSource => ({ name: name.replace(/^\.\//, ''), text: readFileSync(resolve(cwd, name), 'latin1') });
  const stem = files.te.replace(/\.te$/, '');
  const sibling = (given: string | undefined, suffix: string): DevelSource | undefined => {
    if (given !== undefined) return read(given);
    if (!files.te.endsWith('.te')) return undefined;
    const path = `${stem}${suffix}`;
    return existsSync(resolve(cwd, path)) ? read(path) : undefined;
  };
  return { te: read(files.te), if: sibling(files.if, '.if'), fc: sibling(files.fc, '.fc') };
}
