// The .fc rules: what libselinux refuses (file-contexts-syntax, -regex),
// specs an equivalence rule makes unreachable (fc-unreachable), specs the
// system file_contexts has with another context (fc-conflict, for files named
// on the command line: a folder is taken as a whole policy, not a module
// joining the system's), specs given twice (file-contexts-duplicate with
// another context, fc-duplicate with the same), and selint's W-004
// (fc-regex-escape): a `.` not escaped and not before `*`, `+` or `?`, or a
// `+`/`*` after neither `.`, `)`, `]` nor `\`, outside `[ ]`.
import { type Diagnostic, diagnostic } from '../../../../base/diagnostic.js';
import { checkFcSpecs } from '../../../labels/check.js';
import type { LintEnv, LintSource } from '../context.js';
import type { LintRule } from './rule.js';

/** selint's check_file_context_regex: the first suspicious character's 1-based position, or 0. */
export function unescapedRegexChar(path: string): number {
  let prev = '';
  for (let i = 0; i < path.length; i++) {
    const cur = path[i]!;
    if (cur === '[' && prev !== '\\') {
      // Through the bracket expression, where regex characters are literal.
      while (i < path.length && (path[i] !== ']' || prev === '\\')) prev = path[i++]!;
      if (i >= path.length) return 0;
      prev = path[i]!;
      continue;
    }
    const next = path[i + 1];
    if (cur === '.' && prev !== '\\' && next !== '*' && next !== '+' && next !== '?') return i + 1;
    if ((cur === '+' || cur === '*') && prev !== '\\' && prev !== '.' && prev !== ']' && prev !== ')') return i + 1;
    prev = cur;
  }
  return 0;
}

/** The first field of a .fc line that is a spec (not a comment or an m4 line), as written. */
function specPath(line: string): string | undefined {
  const t = line.trim();
  if (t === '' || t.startsWith('#')) return undefined;
  const field = t.split(/\s+/)[0]!;
  return field.startsWith('/') || /^HOME_(DIR|ROOT)/.test(field) ? field : undefined;
}

export const fcRegexEscape: LintRule = {
  code: 'fc-regex-escape',
  severity: 'warning',
  selint: 'W-004',
  source(s: LintSource): Diagnostic[] {
    const out: Diagnostic[] = [];
    if (s.kind !== 'fc') return out;
    s.text.split('\n').forEach((line, n) => {
      const path = specPath(line);
      const at = path === undefined ? 0 : unescapedRegexChar(path);
      if (at === 0 || path === undefined) return;
      out.push(
        diagnostic('warning', 'fc-regex-escape', `${path}: '${path[at - 1]}' at position ${at} is a regular expression operator; write \\${path[at - 1]} for the character itself`, {
          span: { file: s.file, line: n + 1, column: line.indexOf(path) + at },
          data: { spec: path, position: at },
        }),
      );
    });
    return out;
  },
};

/** The rules libselinux and the system file_contexts give (labels/check.ts's checkFcSpecs), over every .fc. */
export const fcSystem: LintRule = {
  code: 'fc-unreachable',
  severity: 'warning',
  source(s: LintSource, env: LintEnv): Diagnostic[] {
    if (s.kind !== 'fc') return [];
    return [...s.specDiagnostics, ...checkFcSpecs(s.specs, env.system, { subs: env.subs, conflicts: s.named })];
  },
};

/**
 * For each line of a .fc, the m4 conditional branches it stands in (`ifdef(\`x',\`` opens one,
 * `',\`` turns to its else, `')` closes), as "line.branch" steps: two specs in different branches of
 * one ifdef are never both in force.
 */
export function fcBranches(text: string): string[] {
  const out: string[] = [];
  const stack: { line: number; branch: number }[] = [];
  text.split('\n').forEach((raw, n) => {
    const t = raw.trim();
    if (/^if(n)?def\(`[^']*',\s*`$/.test(t)) stack.push({ line: n + 1, branch: 0 });
    else if (/^',\s*`$/.test(t) && stack.length > 0) stack[stack.length - 1]!.branch++;
    else if (/^'\)$/.test(t)) stack.pop();
    out.push(stack.map((f) => `${f.line}.${f.branch}`).join('/'));
  });
  return out;
}

const together = (a: string, b: string): boolean => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`) || a === '' || b === '';

export const fcDuplicate: LintRule = {
  code: 'fc-duplicate',
  severity: 'warning',
  source(s: LintSource): Diagnostic[] {
    const out: Diagnostic[] = [];
    if (s.kind !== 'fc') return out;
    const seen = new Map<string, number[]>();
    // The branches only when a spec is met again (rare): most .fc files have no repeat.
    let branches: string[] | undefined;
    for (const spec of s.specs) {
      const key = `${spec.regex}\0${spec.mode}\0${spec.context}`;
      const earlier = seen.get(key) ?? [];
      if (earlier.length > 0) branches ??= fcBranches(s.text);
      const b = branches ?? [];
      const first = earlier.find((line) => together(b[line - 1] ?? '', b[spec.line - 1] ?? ''));
      earlier.push(spec.line);
      seen.set(key, earlier);
      if (first === undefined) continue;
      out.push(
        diagnostic('warning', 'fc-duplicate', `${spec.regex} is given again with the same file type and context; remove one`, {
          span: { file: s.file, line: spec.line },
          notes: [{ message: 'the first', span: { file: s.file, line: first } }],
          data: { spec: spec.regex },
        }),
      );
    }
    return out;
  },
};
