// The inputs of `porthole check`: files as named, and the .te, .if and .fc
// files under a folder (a module's folder, a refpolicy tree), sorted, hidden
// folders skipped. Read as m4 reads them (one character per byte).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LintInput } from './context.js';

const SOURCE = /\.(te|if|fc)$/;

function walkFolder(dir: string, shown: string, out: LintInput[], cwd: string): void {
  for (const e of readdirSync(resolve(cwd, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    const name = join(shown, e.name);
    if (e.isDirectory()) walkFolder(path, name, out, cwd);
    else if (SOURCE.test(e.name)) out.push({ file: name, text: readFileSync(resolve(cwd, path), 'latin1') });
  }
}

/** Reads the files and folders named (relative to cwd); a path that cannot be read throws Node's error. */
export function readLintInputs(paths: readonly string[], cwd = process.cwd()): LintInput[] {
  const out: LintInput[] = [];
  for (const p of paths) {
    if (statSync(resolve(cwd, p)).isDirectory()) walkFolder(p, p.replace(/\/+$/, ''), out, cwd);
    else out.push({ file: p.replace(/^\.\//, ''), text: readFileSync(resolve(cwd, p), 'latin1'), named: true });
  }
  return out;
}
