// Loading file contexts as libselinux's selabel_open(SELABEL_CTX_FILE) does:
// FILE, then FILE.homedirs and FILE.local beside it (each optional), and the
// equivalence rules FILE.subs_dist and FILE.subs. Without a file, the
// configured policy's `contexts/files/file_contexts` (SELINUXTYPE from
// /etc/selinux/config). FILE.bin is ignored: the text is read. Errors in any
// file fail the load (as in libselinux), all reported at once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Diagnostic, fail, fileErrorDiagnostic, isFileError, PortholeError } from '../../base/diagnostic.js';
import { MAX_WHOLE_FILE_BYTES } from '../../base/limits.js';
import { readWholeFile } from '../../base/source.js';
import { FileContexts } from './lookup.js';
import { duplicateSpecs, type FileContextSpec, parseSpecs, type SpecOrigin } from './specs.js';
import { parseSubs, type SubstitutionRule } from './subs.js';

export interface LoadFileContextsOptions {
  /** Root to resolve /etc under when no file is named (tests). Default "/". */
  root?: string;
}

export interface LoadedFileContexts {
  contexts: FileContexts;
  /** The files read, in the order read. */
  files: string[];
  /** Warnings (duplicate specs), found when first read. */
  readonly diagnostics: Diagnostic[];
}

/** The warnings are found when first asked for (a lookup does not need them). */
function withDuplicates(loaded: Omit<LoadedFileContexts, 'diagnostics'>, specs: readonly FileContextSpec[]): LoadedFileContexts {
  let found: Diagnostic[] | undefined;
  return Object.defineProperty(loaded, 'diagnostics', { enumerable: true, get: () => (found ??= duplicateSpecs(specs)) }) as LoadedFileContexts;
}

/** The file_contexts of the configured policy: /etc/selinux/<SELINUXTYPE>/contexts/files/file_contexts. */
export function defaultFileContextsPath(opts: LoadFileContextsOptions = {}): string {
  const root = opts.root ?? '/';
  let type = 'targeted';
  try {
    for (const line of readFileSync(join(root, 'etc/selinux/config'), 'utf8').split('\n')) {
      const m = /^\s*SELINUXTYPE\s*=\s*(\S+)\s*$/.exec(line);
      if (m?.[1]) type = m[1].replace(/^["']|["']$/g, '');
    }
  } catch {
    // no config: libselinux's default type
  }
  return join(root, 'etc/selinux', type, 'contexts/files/file_contexts');
}

const FC_TOO_LARGE = 'file_contexts files are read whole; one this large is not a file_contexts (a device, a pipe?)';

/** The file's text (latin1: one character per byte), or undefined when it does not exist; regular or not, at most MAX_WHOLE_FILE_BYTES. */
function readOptional(path: string): string | undefined {
  try {
    return readWholeFile(path, path, MAX_WHOLE_FILE_BYTES, FC_TOO_LARGE).toString('latin1');
  } catch (e) {
    if (isFileError(e) && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return undefined;
    if (isFileError(e)) throw new PortholeError(fileErrorDiagnostic(e, 'read', path));
    throw e;
  }
}

/** Loads FILE and its siblings (or the configured policy's file_contexts); throws PortholeError on errors. */
export function loadFileContexts(file?: string, opts: LoadFileContextsOptions = {}): LoadedFileContexts {
  const base = file ?? defaultFileContextsPath(opts);
  const files: string[] = [];
  const errors: Diagnostic[] = [];
  const specs: FileContextSpec[] = [];
  const read = (path: string, origin: SpecOrigin, required: boolean): void => {
    const text = readOptional(path);
    if (text === undefined) {
      if (required) fail('file-read', `cannot read ${path}: no such file or directory`);
      return;
    }
    files.push(path);
    const r = parseSpecs(text, path, origin);
    specs.push(...r.specs);
    errors.push(...r.diagnostics);
  };
  const subsOf = (path: string, kind: 'subs' | 'subs_dist'): SubstitutionRule[] => {
    const text = readOptional(path);
    if (text === undefined) return [];
    files.push(path);
    return parseSubs(text, path, kind);
  };
  const subsDist = subsOf(`${base}.subs_dist`, 'subs_dist');
  const subs = subsOf(`${base}.subs`, 'subs');
  read(base, 'base', true);
  read(`${base}.homedirs`, 'homedirs', false);
  read(`${base}.local`, 'local', false);
  if (errors.length > 0) throw new PortholeError(errors);
  return withDuplicates({ contexts: new FileContexts(specs, subs, subsDist), files }, specs);
}

/** File contexts from texts (tests, tools): the base file and optional siblings. */
export function fileContextsFromText(texts: { base: string; homedirs?: string; local?: string; subs?: string; subsDist?: string }, name = 'file_contexts'): LoadedFileContexts {
  const specs: FileContextSpec[] = [];
  const errors: Diagnostic[] = [];
  const add = (text: string | undefined, suffix: string, origin: SpecOrigin): void => {
    if (text === undefined) return;
    const r = parseSpecs(text, name + suffix, origin);
    specs.push(...r.specs);
    errors.push(...r.diagnostics);
  };
  add(texts.base, '', 'base');
  add(texts.homedirs, '.homedirs', 'homedirs');
  add(texts.local, '.local', 'local');
  if (errors.length > 0) throw new PortholeError(errors);
  const subs = texts.subs === undefined ? [] : parseSubs(texts.subs, `${name}.subs`, 'subs');
  const dist = texts.subsDist === undefined ? [] : parseSubs(texts.subsDist, `${name}.subs_dist`, 'subs_dist');
  return withDuplicates({ contexts: new FileContexts(specs, subs, dist), files: [] }, specs);
}
