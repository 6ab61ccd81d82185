// The inputs of `porthole check`: files as named, and the .te, .if and .fc
// files under a folder (a module's folder, a refpolicy tree), sorted, hidden
// folders skipped. Read as m4 reads them (one character per byte).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LintInput } from './context.js';

const SOURCE = /\.(te|if|fc)$/;

/** The source files under a folder, sorted: the name to show, and the path to read. */
function walkFolder(dir: string, shown: string, out: { file: string; path: string }[], cwd: string): void {
  for (const e of readdirSync(resolve(cwd, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    const name = join(shown, e.name);
    if (e.isDirectory()) walkFolder(path, name, out, cwd);
    else if (SOURCE.test(e.name)) out.push({ file: name, path: resolve(cwd, path) });
  }
}

/**
 * The texts of a folder's files, cut from one string of all their bytes: a tree's 6.5 MB as 1,200
 * strings would each be copied by the garbage collector as they age (the whole run keeps them),
 * one string that large is never moved, and the texts cut from it are small references into it.
 */
export function readTexts(paths: readonly string[], groupBytes = GROUP_BYTES): string[] {
  const texts: string[] = [];
  let group: Buffer[] = [];
  let size = 0;
  const cut = (): void => {
    const all = Buffer.concat(group).toString('latin1');
    let at = 0;
    for (const b of group) texts.push(all.slice(at, (at += b.length)));
    group = [];
    size = 0;
  };
  for (const p of paths) {
    const b = readFileSync(p);
    // One string per 64 MiB at most: far below V8's longest string, whatever the tree.
    if (size > 0 && size + b.length > groupBytes) cut();
    group.push(b);
    size += b.length;
  }
  if (group.length > 0) cut();
  return texts;
}

const GROUP_BYTES = 64 * 1024 * 1024;

/** Reads the files and folders named (relative to cwd); a path that cannot be read throws Node's error. */
export function readLintInputs(paths: readonly string[], cwd = process.cwd()): LintInput[] {
  const out: LintInput[] = [];
  for (const p of paths) {
    if (statSync(resolve(cwd, p)).isDirectory()) {
      const found: { file: string; path: string }[] = [];
      walkFolder(p, p.replace(/\/+$/, ''), found, cwd);
      const texts = readTexts(found.map((f) => f.path));
      for (let i = 0; i < found.length; i++) out.push({ file: found[i]!.file, text: texts[i]! });
    } else out.push({ file: p.replace(/^\.\//, ''), text: readFileSync(resolve(cwd, p), 'latin1'), named: true });
  }
  return out;
}
