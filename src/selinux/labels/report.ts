// The text of `porthole label`: matchpathcon's lines (`PATH<TAB>CONTEXT`, or
// the context alone with -n; `<<none>>` when there is none), the `--explain`
// report and the `--json` object. Paths are latin1 strings (one char per
// byte); they are printed as UTF-8 when they are, else with the bytes that
// are not as `\xHH`.
import type { FileContexts, LabelExplanation } from './lookup.js';
import { LABEL_MODES } from './lookup.js';
import type { FileContextSpec } from './specs.js';
import type { SubstitutionRule } from './subs.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A latin1 byte string as text: decoded as UTF-8 when it is UTF-8, else its bytes >= 0x80 as `\xHH`. */
export function bytesText(path: string): string {
  if (/^[\x00-\x7f]*$/.test(path)) return path;
  const bytes = Buffer.from(path, 'latin1');
  try {
    return utf8.decode(bytes);
  } catch {
    return path.replace(/[\x80-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`);
  }
}

/** A path given as text (a command-line argument): its UTF-8 bytes as a latin1 string. */
export function textBytes(path: string): string {
  return /^[\x00-\x7f]*$/.test(path) ? path : Buffer.from(path, 'utf8').toString('latin1');
}

/** matchpathcon's echo of an argument: one trailing `/` dropped (a lone `/` kept). */
export function echoPath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** A `-m` value as st_mode bits; undefined when it is not one of matchpathcon's names. */
export function labelMode(name: string): number | undefined {
  return Object.hasOwn(LABEL_MODES, name) ? LABEL_MODES[name] : undefined;
}

/** The name of st_mode's file type, as `-m` spells it ('any' for 0). */
export function modeName(mode: number): string {
  const t = mode & 0o170000;
  return Object.keys(LABEL_MODES).find((k) => LABEL_MODES[k] === t) ?? 'any';
}

/** One line of matchpathcon's output. */
export function labelLine(path: string, context: string | undefined, header: boolean): string {
  const ctx = context ?? '<<none>>';
  return header ? `${bytesText(path)}\t${ctx}\n` : `${ctx}\n`;
}

const where = (s: { file: string; line: number }): string => `${s.file}:${s.line}`;
const specText = (s: FileContextSpec): string => `${s.regex}${s.typeField ? ` ${s.typeField}` : ''} ${s.context}`;
const ruleText = (r: SubstitutionRule): string => `${r.src} -> ${r.dst} (${where(r)}, ${r.kind === 'subs' ? 'local' : 'distribution'} equivalence)`;

const REASONS = {
  'lower-priority': 'lower priority',
  'file-type': 'its file type is not the path’s',
  stem: 'its stem is not the path’s (libselinux does not try it)',
} as const;

/** Why the answer is what it is: the rewritten path, the winning spec, the specs that lost. */
export function explainText(fc: FileContexts, e: LabelExplanation): string {
  let out = `  path: ${bytesText(e.input)}, file type ${modeName(e.mode)}\n`;
  if (e.cleaned !== e.input) out += `  cleaned: ${bytesText(e.cleaned)} (// collapsed, trailing / dropped)\n`;
  for (const r of e.substituted.rules) out += `  rewritten by ${ruleText(r)}\n`;
  if (e.substituted.rules.length > 0) out += `  looked up: ${bytesText(e.substituted.path)}\n`;
  if (e.error === 'EINVAL') return out + '  an empty path has no label\n';
  if (e.spec) {
    const kind = e.spec.hasMetaChars ? 'regex' : 'exact path (tried before every regex)';
    out += `  matched: ${specText(e.spec)} at ${where(e.spec)} (${kind}, ${e.spec.origin} file)\n`;
    if (e.spec.context === '<<none>>') out += '  <<none>>: the path is not to be labelled\n';
  } else out += `  no spec matches (${fc.specs.length} specs)\n`;
  for (const l of e.losers.slice(0, 10)) out += `  also matches: ${specText(l.spec)} at ${where(l.spec)}: ${REASONS[l.reason]}\n`;
  if (e.losers.length > 10) out += `  ... and ${e.losers.length - 10} more\n`;
  return out;
}

const specJson = (s: FileContextSpec): Record<string, unknown> => ({
  spec: s.regex,
  fileType: s.typeField ?? null,
  context: s.context,
  file: s.file,
  line: s.line,
  origin: s.origin,
  regex: s.hasMetaChars,
});

/** The answer as data (for --json). */
export function labelJson(e: LabelExplanation): Record<string, unknown> {
  return {
    path: bytesText(e.input),
    mode: modeName(e.mode),
    context: e.context ?? null,
    error: e.error ?? null,
    lookedUp: bytesText(e.substituted.path),
    equivalences: e.substituted.rules.map((r) => ({ from: r.src, to: r.dst, file: r.file, line: r.line, kind: r.kind })),
    spec: e.spec ? specJson(e.spec) : null,
    alsoMatching: e.losers.map((l) => ({ ...specJson(l.spec), reason: l.reason })),
  };
}

/**
 * The label an executable at `path` gets (a regular file's lookup), for transition questions
 * ("what domain does /usr/bin/x start in?"): its context and type, and the spec that decided;
 * undefined when file_contexts gives it none.
 */
export function executableLabel(fc: FileContexts, path: string): { context: string; type: string; spec: FileContextSpec } | undefined {
  const a = fc.lookup(textBytes(path), LABEL_MODES.file!);
  if (a.context === undefined || !a.spec) return undefined;
  return { context: a.context, type: a.context.split(':')[2] ?? a.context, spec: a.spec };
}
