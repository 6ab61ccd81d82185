// File context specs (ir/fileContexts.ts) -> a module's `.fc` text: one spec
// a line, `PATH [FILE-TYPE] CONTEXT` separated by tabs, `<<none>>` for no
// context. What cannot be printed so that it reads back the same is refused
// (PortholeError, `bad-identifier`): a path with a blank or a line break, or
// starting with `#` (a comment); names outside the identifier grammar; level
// names holding what a context splits on (`-`, `:`, `,`, `.`).
import { type Diagnostic, diagnostic, PortholeError } from '../../base/diagnostic.js';
import type { FcContext, FcSpec, MlsLevel } from '../ir/index.js';
import { isIdentifier } from '../ir/index.js';
import { teLevel } from './teText.js';

const FILE_TYPES: ReadonlySet<string> = new Set(['--', '-d', '-c', '-b', '-s', '-l', '-p']);
const LEVEL_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function levelNames(level: MlsLevel): string[] {
  return [level.sensitivity, ...(level.categories ?? []).flatMap((c) => (typeof c === 'string' ? [c] : [...c]))];
}

/** What keeps a spec from being printed, as diagnostics (empty when it prints). */
export function checkFcSpec(spec: FcSpec): Diagnostic[] {
  const bad: Array<[string, string]> = [];
  if (spec.path === '' || /[\s]/.test(spec.path) || spec.path.startsWith('#')) bad.push(['path', spec.path]);
  if (spec.fileType !== undefined && !FILE_TYPES.has(spec.fileType)) bad.push(['file type', spec.fileType]);
  const c = spec.context;
  if (c !== undefined) {
    for (const [kind, name] of [
      ['user', c.user],
      ['role', c.role],
      ['type', c.type],
    ] as const)
      if (!isIdentifier(name)) bad.push([kind, name]);
    const levels = c.range ? [c.range.low, ...(c.range.high ? [c.range.high] : [])] : [];
    for (const name of levels.flatMap(levelNames)) if (!LEVEL_NAME.test(name)) bad.push(['level', name]);
  }
  return bad.map(([kind, name]) => diagnostic('error', 'bad-identifier', `${JSON.stringify(name)} is not a valid ${kind} in a .fc line`, { span: spec.span, data: { name, kind } }));
}

function fcContext(c: FcContext): string {
  const base = `${c.user}:${c.role}:${c.type}`;
  if (c.range === undefined) return base;
  return `${base}:${teLevel(c.range.low)}${c.range.high ? `-${teLevel(c.range.high)}` : ''}`;
}

/** The `.fc` text of `specs`; throws a PortholeError when one cannot be printed (checkFcSpec). */
export function printFileContexts(specs: readonly FcSpec[]): string {
  const problems = specs.flatMap(checkFcSpec);
  if (problems.length > 0) throw new PortholeError(problems);
  return specs.map((s) => [s.path, ...(s.fileType ? [s.fileType] : []), s.context ? fcContext(s.context) : '<<none>>'].join('\t') + '\n').join('');
}
