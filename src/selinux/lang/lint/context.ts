// What the lint rules read: one source at a time with its items (source.ts)
// or specs, and, for the rules across files, every source's summary
// (summary.ts) grouped into modules (NAME.te, NAME.if, NAME.fc in one folder),
// the names declared anywhere (selint's declaration map: outside require
// blocks and templates, not `$N` names), and the equivalence rules.
import { basename, dirname } from 'node:path';
import type { Diagnostic } from '../../../base/diagnostic.js';
import { expandFcMacros } from '../../labels/check.js';
import type { FileContexts } from '../../labels/lookup.js';
import { type FileContextSpec, parseSpecs } from '../../labels/specs.js';
import type { SubstitutionRule } from '../../labels/subs.js';
import { type Item, readSource, readSourceInParts } from './reader/source.js';
import type { DefinitionSummary, SourceSummary } from './summary.js';

/** One input file: its name as the user gave it, its text (latin1, as m4 reads it). */
export interface LintInput {
  file: string;
  text: string;
  /** Named on the command line (not found by walking a folder): checked against the system file_contexts for conflicts. */
  named?: boolean | undefined;
}

export interface LintSource {
  file: string;
  kind: 'te' | 'if' | 'fc';
  text: string;
  named: boolean;
  /** te/if: the items (source.ts). */
  items: Item[];
  /** fc: the specs (gen_context expanded, m4 lines left out) and what did not parse. */
  specs: FileContextSpec[];
  specDiagnostics: Diagnostic[];
}

export interface LintModule {
  name: string;
  te?: SourceSummary | undefined;
  if?: SourceSummary | undefined;
  fc?: SourceSummary | undefined;
}

export interface DeclaredName {
  kind: string;
  module: string;
}

/** What the rules that look across files read: every source's summary (summary.ts), not its items. */
export interface LintContext {
  sources: SourceSummary[];
  modules: LintModule[];
  /** Types, aliases, attributes, roles and booleans declared outside require blocks and templates, by name. */
  declared: Map<string, DeclaredName>;
  /** Names some require block of the include tree lists (known to exist in the policy the module joins). */
  known: ReadonlySet<string>;
  /** The interface and template definitions the rules may follow (the inputs', then the include tree's; the first of a name). */
  definitions: ReadonlyMap<string, DefinitionSummary>;
  /** The system file_contexts (for conflicts and its equivalence rules), when there is one. */
  system?: FileContexts | undefined;
  /** Equivalence rules given with --subs (tried as local rules, before the system's). */
  subs: readonly SubstitutionRule[];
}

/** What the rules that read one source at a time are given besides it. */
export interface LintEnv {
  system?: FileContexts | undefined;
  subs: readonly SubstitutionRule[];
}

const KIND = /\.(te|if|fc)$/;

/** Reads one input for the rules. */
export function lintSource(input: LintInput): LintSource {
  const kind = (KIND.exec(input.file)?.[1] ?? 'te') as LintSource['kind'];
  const base = { file: input.file, kind, text: input.text, named: Boolean(input.named) };
  if (kind === 'fc') {
    const r = parseSpecs(expandFcMacros(input.text), input.file, 'base');
    return { ...base, items: [], specs: r.specs, specDiagnostics: r.diagnostics };
  }
  return { ...base, items: readSource(input.text), specs: [], specDiagnostics: [] };
}

/** Tokens of a part of an .if read at once (lintSourceParts): about 200 KB of text. */
const PART_TOKENS = 20_000;

/**
 * Reads one input for the rules that read one source, in parts: an .if in parts of whole
 * definitions (what its rules and its summary read, one definition at a time), a .te or .fc whole
 * (a module's rules read all of it), each given to `each` in order.
 */
export function lintSourceParts(input: LintInput, each: (src: LintSource) => void): void {
  if (!input.file.endsWith('.if')) {
    each(lintSource(input));
    return;
  }
  const base = { file: input.file, kind: 'if' as const, text: input.text, named: Boolean(input.named), specs: [], specDiagnostics: [] };
  readSourceInParts(input.text, PART_TOKENS, (items) => each({ ...base, items }));
}

/** NAME.te, NAME.if and NAME.fc of one folder, in the order first seen. */
export function groupModules(sources: readonly SourceSummary[]): LintModule[] {
  const byKey = new Map<string, LintModule>();
  for (const s of sources) {
    const name = basename(s.file).replace(KIND, '');
    const key = `${dirname(s.file)}/${name}`;
    let m = byKey.get(key);
    if (!m) {
      m = { name };
      byKey.set(key, m);
    }
    m[s.kind] = s;
  }
  return [...byKey.values()];
}

/** selint's declaration map: what .te and .if files declare outside require blocks and templates (the first module to declare a name). */
export function declaredNames(modules: readonly LintModule[]): Map<string, DeclaredName> {
  const out = new Map<string, DeclaredName>();
  for (const m of modules) for (const s of [m.te, m.if]) if (s) for (const d of s.declared) if (!out.has(d.name)) out.set(d.name, { kind: d.kind, module: m.name });
  return out;
}
