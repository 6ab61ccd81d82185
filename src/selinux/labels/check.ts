// Checks of a module's `.fc` file against the file_contexts it will join:
// specs that can never match because their path begins with the alias side of
// an equivalence rule (lookups rewrite the alias before matching: say which
// rule and what to write instead), specs that repeat a spec of the system
// file_contexts with a different context, duplicate specs, and what does not
// parse or compile. refpolicy's `gen_context(CONTEXT,LEVEL)` is expanded;
// other m4 lines (ifdef, quotes, dnl) and home-directory templates (HOME_DIR,
// HOME_ROOT) are left out of the checks. Not here: module (.te) checks.
import { type Diagnostic, diagnostic, PortholeError } from '../../base/diagnostic.js';
import type { FileContexts } from './lookup.js';
import { duplicateSpecs, type FileContextSpec, parseSpecs } from './specs.js';
import type { SubstitutionRule } from './subs.js';

/** The .fc text with refpolicy's gen_context() expanded and m4-only lines blanked (line numbers kept). */
export function expandFcMacros(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const t = line.trim();
      if (/^(ifdef|ifndef|ifelse|dnl|`|'|define\(|HOME_DIR|HOME_ROOT|ROOT\/)/.test(t) || t === "')") return '';
      return line.replace(/gen_context\(\s*([^,)\s]+)\s*(?:,\s*([^,)]*?)\s*)?(?:,[^)]*)?\)/g, (_, ctx: string, level?: string) => (level ? `${ctx}:${level.split(/\s*-\s*/)[0]}` : ctx));
    })
    .join('\n');
}

/** Where the text `literal` ends in a spec that starts with it (escapes such as `\.` read as the character). */
function afterLiteral(spec: string, literal: string): number {
  let i = 0;
  for (const ch of literal) {
    if (spec[i] === '\\' && spec[i + 1] === ch) i += 2;
    else if (spec[i] === ch) i++;
    else break;
  }
  return i;
}

const typesOverlap = (a: FileContextSpec, b: FileContextSpec): boolean => a.mode === 0 || b.mode === 0 || a.mode === b.mode;

function aliasRule(spec: FileContextSpec, rules: readonly SubstitutionRule[]): SubstitutionRule | undefined {
  // Every path the spec matches starts with its fixed prefix; when that prefix lies under an
  // alias, the lookup has rewritten every such path before the specs are tried.
  const p = spec.prefix;
  if (p === '' || !p.startsWith('/')) return undefined;
  for (let k = rules.length - 1; k >= 0; k--) {
    const r = rules[k]!;
    if (p === r.src || p.startsWith(r.src + '/')) return r;
  }
  return undefined;
}

/** What checkFcFile checks besides the file itself. */
export interface CheckFcOptions {
  /** More equivalence rules (`--subs`), tried as local rules before the system's. */
  subs?: readonly SubstitutionRule[] | undefined;
  /** Whether specs the system file_contexts has with another context are reported (default true). */
  conflicts?: boolean | undefined;
}

/** The equivalence rule a spec lies under (its fixed prefix starts with the rule's alias), and what to write instead; an exact alias (`/var/run -l`) is no finding. */
export function unreachableSpec(s: FileContextSpec, ruleSets: readonly (readonly SubstitutionRule[])[]): { rule: SubstitutionRule; rewritten: string } | undefined {
  for (const rules of ruleSets) {
    const r = aliasRule(s, rules);
    if (!r) continue;
    const rest = s.regex.slice(afterLiteral(s.regex, r.src));
    if (rest === '') return undefined;
    const rewritten = r.dst === '/' && rest.startsWith('/') ? rest : r.dst.replace(/[.^$?*+|[\](){}\\]/g, '\\$&') + rest;
    return { rule: r, rewritten };
  }
  return undefined;
}

/** The findings on a .fc file's parsed specs against the system's file contexts (see checkFcFile). */
export function checkFcSpecs(specs: readonly FileContextSpec[], system: FileContexts | undefined, opts: CheckFcOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = duplicateSpecs(specs);
  const extra = opts.subs ?? [];
  const ruleSets = [extra, system?.subs ?? [], system?.subsDist ?? []];
  const bySpec = new Map<string, FileContextSpec[]>();
  if (system && opts.conflicts !== false) for (const s of system.specs) bySpec.set(s.regex, [...(bySpec.get(s.regex) ?? []), s]);
  for (const s of specs) {
    const span = { file: s.file, line: s.line };
    const hit = unreachableSpec(s, ruleSets);
    if (hit) {
      const { rule: r, rewritten } = hit;
      const kind = r.kind === 'subs_dist' ? 'distribution' : 'local';
      out.push(
        diagnostic('warning', 'fc-unreachable', `${s.regex} can never match: lookups rewrite ${r.src} to ${r.dst} first (${kind} equivalence rule); write ${rewritten}`, {
          span,
          notes: [{ message: `the rule ${r.src} ${r.dst}`, span: { file: r.file, line: r.line } }],
          data: { spec: s.regex, alias: r.src, original: r.dst, suggestion: rewritten },
        }),
      );
    }
    for (const t of bySpec.get(s.regex) ?? []) {
      if (!typesOverlap(s, t) || t.context === s.context) continue;
      out.push(
        diagnostic('warning', 'fc-conflict', `${s.regex} is also in the system file_contexts with context ${t.context}; which one a path gets depends on the order the policy lists them`, {
          span,
          notes: [{ message: 'the system spec', span: { file: t.file, line: t.line } }],
          data: { spec: s.regex, context: s.context, systemContext: t.context },
        }),
      );
    }
  }
  return out;
}

/**
 * Checks one `.fc` file (its text) against the system's file contexts (their equivalence rules and
 * specs); returns the findings, errors first by line.
 */
export function checkFcFile(text: string, file: string, system: FileContexts | undefined, opts: CheckFcOptions = {}): Diagnostic[] {
  const { specs, diagnostics } = parseSpecs(expandFcMacros(text), file, 'base');
  const out: Diagnostic[] = [...diagnostics, ...checkFcSpecs(specs, system, opts)];
  return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : b.severity === 'error' ? 1 : 0) || (a.span?.line ?? 0) - (b.span?.line ?? 0));
}

/** checkFcFile that throws nothing: a PortholeError's diagnostics are returned as findings. */
export function checkFcText(text: string, file: string, system: FileContexts | undefined, opts: CheckFcOptions = {}): Diagnostic[] {
  try {
    return checkFcFile(text, file, system, opts);
  } catch (e) {
    if (e instanceof PortholeError) return [...e.diagnostics];
    throw e;
  }
}
