// One file_contexts file (the base file, `.homedirs` or `.local`) -> specs, as
// libselinux's process_line reads it: whitespace-separated fields (spec,
// optional file type, context; more fields are ignored), `#` comments, the
// file-type field (`--`, `-d`, `-l`, `-s`, `-p`, `-c`, `-b`), `<<none>>`, the
// literal-versus-regex decision (spec_hasMetaChars) and the stem
// (get_stem_from_spec). Unlike libselinux, which compiles lazily and fails at
// lookup, a regex that does not compile is an error here, naming file:line.
// Not here: the order of the specs across files (load.ts), lookups (lookup.ts).
import { type Diagnostic, diagnostic, PortholeError } from '../../base/diagnostic.js';
import { firstBytes, literalPrefix, PcreError, type PcreItem, type PcreTree, parsePcre, quickScan, toJsSource } from './pcre.js';

/** st_mode's file-type bits (S_IFMT) for each file-type field. */
export const FILE_TYPE_MODES: Readonly<Record<string, number>> = {
  '--': 0o100000,
  '-d': 0o040000,
  '-l': 0o120000,
  '-c': 0o020000,
  '-b': 0o060000,
  '-s': 0o140000,
  '-p': 0o010000,
};

/** Which of the loaded files a spec comes from. */
export type SpecOrigin = 'base' | 'homedirs' | 'local';

export interface FileContextSpec {
  /** The spec as written (ASCII). */
  regex: string;
  /** The file-type field as written, or undefined. */
  typeField?: string | undefined;
  /** S_IFMT bits the spec is for; 0 for every type. */
  mode: number;
  /** The context, or `<<none>>`. */
  context: string;
  file: string;
  line: number;
  origin: SpecOrigin;
  /** libselinux's spec_hasMetaChars: a regex (true) or an exact path (false); exact paths are tried first. */
  hasMetaChars: boolean;
  /** get_stem_from_spec: the text up to the second `/` when it has no meta character, else undefined. */
  stem: string | undefined;
  /** What every matching path starts with (for the lookup index). */
  prefix: string;
  /** The path itself when the spec is an exact path (no meta character; escapes of punctuation only): matched without a regex. */
  exact: string | undefined;
  /** The parsed regex, once asked for (specTree). */
  tree: PcreTree | undefined;
  /** Compiled on first use (specRegex). */
  compiled?: RegExp | undefined;
  /** Made on first use (specMatcher). */
  matcher?: ((key: string) => boolean) | undefined;
  /** Made on first use (specLead): the bytes allowed right after the prefix, or null. */
  lead?: Uint8Array | null | undefined;
}

/**
 * A test equivalent to the spec's regex, without the regex for the common shapes (`P(/.*)?`,
 * `P/.*`, `P.*`, `P.+` with P a fixed text), where the regex engine costs more than the match.
 */
export function specMatcher(spec: FileContextSpec): (key: string) => boolean {
  if (spec.exact !== undefined) {
    const e = spec.exact;
    return (key) => key === e || key === e + '\n';
  }
  const tree = specTree(spec);
  const seq = tree.alts.length === 1 ? tree.alts[0]! : undefined;
  const p = literalPrefix(tree);
  const rest = seq?.slice(p.length);
  if (seq && rest && rest.length === 1 && seq.slice(0, p.length).every((it) => it.k === 'char')) {
    const r = rest[0]!;
    const anyRun = (it: PcreItem, min: number): boolean => it.k === 'repeat' && it.item.k === 'any' && it.min === min && it.max === Infinity && !it.lazy;
    // P(/.*)? : P itself (also before a final newline), or P/ followed by anything.
    if (r.k === 'repeat' && r.min === 0 && r.max === 1 && r.item.k === 'group' && (r.item.kind === 'cap' || r.item.kind === 'nocap') && r.item.alts.length === 1) {
      const inner = r.item.alts[0]!;
      if (inner.length === 2 && inner[0]!.k === 'char' && inner[0]!.c === 47 && anyRun(inner[1]!, 0)) {
        const dir = p + '/';
        return (key) => key.startsWith(dir) || key === p || key === p + '\n';
      }
    }
    if (anyRun(r, 0)) return (key) => key.startsWith(p);
    if (anyRun(r, 1)) return (key) => key.length > p.length && key.startsWith(p);
  }
  const deep = seq?.slice(0, p.length).every((it) => it.k === 'char') ? deepComponentMatcher(p, seq!.slice(p.length)) : undefined;
  if (deep) return deep;
  const re = specRegex(spec);
  // The longest run of fixed characters the spec requires after its prefix (top-level items are
  // all required): a path without it cannot match, and includes() costs less than the regex.
  let run = '';
  let best = '';
  for (const it of seq?.slice(p.length) ?? []) {
    if (it.k === 'char') run += String.fromCharCode(it.c);
    else run = '';
    if (run.length > best.length) best = run;
  }
  // The spec ends with fixed characters (`run`): a match ends with them, or with them and a final newline.
  if (run.length >= 2) {
    const nl = run + '\n';
    return (key) => (key.endsWith(run) || key.endsWith(nl)) && re.test(key);
  }
  if (best.length >= 2) return (key) => key.includes(best, p.length) && re.test(key);
  return (key) => re.test(key);
}

/** `(/.*)?` */
const isOptionalRest = (it: PcreItem): boolean => {
  if (it.k !== 'repeat' || it.min !== 0 || it.max !== 1 || it.item.k !== 'group' || (it.item.kind !== 'cap' && it.item.kind !== 'nocap') || it.item.alts.length !== 1) return false;
  const inner = it.item.alts[0]!;
  return inner.length === 2 && inner[0]!.k === 'char' && inner[0]!.c === 47 && isAnyRun(inner[1]!);
};

/** `.*` (greedy) */
const isAnyRun = (it: PcreItem): boolean => it.k === 'repeat' && it.item.k === 'any' && it.min === 0 && it.max === Infinity && !it.lazy;

/**
 * P(.*\/)?L, P(.*\/)?L(/.*)? and P(.*\/)?L.* with P and L fixed texts (`/usr/(.*\/)?bin(/.*)?`): L at the end of
 * P or after a `/` past it, then the end (or a final newline), or for the second a `/`, or for the third
 * anything. A test without the regex engine, for the shape that costs the most lookups.
 */
function deepComponentMatcher(p: string, rest: readonly PcreItem[]): ((key: string) => boolean) | undefined {
  const g = rest[0];
  if (g?.k !== 'repeat' || g.min !== 0 || g.max !== 1 || g.item.k !== 'group' || (g.item.kind !== 'cap' && g.item.kind !== 'nocap') || g.item.alts.length !== 1) return undefined;
  const inner = g.item.alts[0]!;
  if (inner.length !== 2 || !isAnyRun(inner[0]!) || inner[1]!.k !== 'char' || inner[1]!.c !== 47) return undefined;
  let l = '';
  let n = 1;
  for (; n < rest.length; n++) {
    const it = rest[n]!;
    if (it.k !== 'char') break;
    l += String.fromCharCode(it.c);
  }
  if (l === '' || n < rest.length - 1) return undefined;
  const tail = n === rest.length ? 'end' : isOptionalRest(rest[n]!) ? 'dir' : isAnyRun(rest[n]!) ? 'any' : undefined;
  if (tail === undefined) return undefined;
  return (key) => {
    if (!key.startsWith(p)) return false;
    for (let j = key.indexOf(l, p.length); j >= 0; j = key.indexOf(l, j + 1)) {
      if (j !== p.length && key.charCodeAt(j - 1) !== 47) continue;
      if (tail === 'any') return true;
      const e = j + l.length;
      if (e === key.length || (e === key.length - 1 && key.charCodeAt(e) === 10) || (tail === 'dir' && key.charCodeAt(e) === 47)) return true;
    }
    return false;
  };
}

/**
 * The bytes a matching path can have right after the spec's prefix (a 256-entry table), when the
 * rest of the spec must begin with one of them; null when that is not known. A cheap test the
 * lookup makes before calling the matcher. Stored on the spec (`lead`).
 */
export function specLead(spec: FileContextSpec): Uint8Array | null {
  if (spec.lead !== undefined) return spec.lead;
  let lead: Uint8Array | null = null;
  if (spec.exact === undefined) {
    const tree = specTree(spec);
    const seq = tree.alts.length === 1 ? tree.alts[0]! : undefined;
    const n = spec.prefix.length;
    // The lookup reads the byte at the prefix's length: only when the prefix is that many characters of the spec.
    if (seq && literalPrefix(tree) === spec.prefix && seq.slice(0, n).every((it) => it.k === 'char')) lead = firstBytes(seq.slice(n)) ?? null;
  }
  spec.lead = lead;
  return lead;
}

/** The spec's parsed regex (exact paths are parsed on demand). */
export function specTree(spec: FileContextSpec): PcreTree {
  spec.tree ??= parsePcre(spec.regex);
  return spec.tree;
}

/** The spec's compiled regex, made on first use. */
export function specRegex(spec: FileContextSpec): RegExp {
  if (spec.compiled) return spec.compiled;
  try {
    spec.compiled = new RegExp(toJsSource(specTree(spec)), 's');
  } catch (e) {
    // The parser refuses what PCRE2 refuses; a translation JavaScript cannot compile is a bug, named here.
    throw new PortholeError(diagnostic('error', 'file-contexts-regex', `regular expression ${spec.regex} cannot be compiled: ${(e as Error).message}`, { span: { file: spec.file, line: spec.line } }));
  }
  return spec.compiled;
}

const META = '.^$?*+|[({';

/** libselinux's spec_hasMetaChars (a backslash hides the next character). */
export function hasMetaChars(spec: string): boolean {
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]!;
    if (c === '\\') i++;
    else if (META.includes(c)) return true;
  }
  return false;
}

/** libselinux's get_stem_from_spec (no escape handling): the text before the second `/`. */
export function specStem(spec: string): string | undefined {
  const slash = spec.indexOf('/', 1);
  if (slash < 0) return undefined;
  for (let i = 0; i < slash; i++) if (META.includes(spec[i]!)) return undefined;
  return spec.slice(0, slash);
}

/** get_stem_from_file_name: the text of a path before its second `/`. */
export function pathStem(path: string): string | undefined {
  const slash = path.indexOf('/', 1);
  return slash < 0 ? undefined : path.slice(0, slash);
}

// C isspace in the C locale.
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** Splits a line into at most `max` fields as read_spec_entries does; a field with a non-ASCII byte is an error. */
export function specFields(line: string, max: number): string[] | 'non-ascii' {
  const out: string[] = [];
  let i = 0;
  while (out.length < max) {
    while (i < line.length && isSpace(line.charCodeAt(i))) i++;
    if (i >= line.length) break;
    const start = i;
    while (i < line.length && !isSpace(line.charCodeAt(i))) {
      if (line.charCodeAt(i) > 127) return 'non-ascii';
      i++;
    }
    out.push(line.slice(start, i));
  }
  return out;
}

export interface ParseSpecsResult {
  specs: FileContextSpec[];
  diagnostics: Diagnostic[];
}

/**
 * Parses one file_contexts text (a latin1 string: one char per byte). Errors (a
 * missing field, a bad file type, non-ASCII bytes, a regex that does not compile) are
 * diagnostics; the line is left out.
 */
export function parseSpecs(text: string, file: string, origin: SpecOrigin): ParseSpecsResult {
  const specs: FileContextSpec[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let n = 0; n < lines.length; n++) {
    let raw = lines[n]!;
    const nul = raw.indexOf('\0');
    if (nul >= 0) raw = raw.slice(0, nul);
    let first = 0;
    while (first < raw.length && isSpace(raw.charCodeAt(first))) first++;
    if (first === raw.length || raw.charCodeAt(first) === 35) continue; // empty, or a # comment
    const fields = specFields(raw, 3);
    if (fields === 'non-ascii') {
      diagnostics.push(diagnostic('error', 'file-contexts-syntax', 'non-ASCII characters in a spec line (libselinux refuses the file)', { span: { file, line: n + 1 } }));
      continue;
    }
    if (fields.length < 2) {
      diagnostics.push(diagnostic('error', 'file-contexts-syntax', 'line is missing fields: want SPEC [FILE-TYPE] CONTEXT', { span: { file, line: n + 1 } }));
      continue;
    }
    const [regex, second, third] = fields as [string, string, string | undefined];
    const typeField = third === undefined ? undefined : second;
    const context = third ?? second;
    let mode = 0;
    if (typeField !== undefined) {
      const m = FILE_TYPE_MODES[typeField];
      if (m === undefined) {
        diagnostics.push(diagnostic('error', 'file-contexts-syntax', `invalid file type ${typeField}: want one of ${Object.keys(FILE_TYPE_MODES).join(' ')}`, { span: { file, line: n + 1 } }));
        continue;
      }
      mode = m;
    }
    const meta = hasMetaChars(regex);
    // An exact path (no meta character; escapes only of punctuation): matched by comparison, parsed only when asked.
    const exact = meta || regex.includes(')') ? undefined : !regex.includes('\\') ? regex : /\\([A-Za-z0-9]|$)/.test(regex) ? undefined : regex.replace(/\\(.)/g, '$1');
    let tree: PcreTree | undefined;
    // The common syntax is checked without building a tree (a start-up cost); the rest is parsed.
    const quick = exact === undefined ? quickScan(regex) : undefined;
    try {
      if (exact === undefined && !quick) tree = parsePcre(regex);
    } catch (e) {
      if (!(e instanceof PcreError)) throw e;
      const what = e.kind === 'invalid' ? 'does not compile' : 'cannot be translated to a JavaScript regular expression';
      diagnostics.push(
        diagnostic('error', 'file-contexts-regex', `regular expression ${regex} ${what}: ${e.message} (at offset ${e.offset})`, {
          span: { file, line: n + 1 },
          data: { regex, kind: e.kind, offset: e.offset },
        }),
      );
      continue;
    }
    // The tree is not kept: a start-up that keeps thousands of trees alive pays for it in garbage collection.
    specs.push({
      regex,
      typeField,
      mode,
      context,
      file,
      line: n + 1,
      origin,
      hasMetaChars: meta,
      stem: specStem(regex),
      prefix: quick ? quick.prefix : tree ? literalPrefix(tree) : (exact ?? ''),
      exact,
      // Every field made later is here from the start: specs keep one shape, so the lookup's loop reads them fast.
      tree: undefined,
      compiled: undefined,
      matcher: undefined,
      lead: undefined,
    });
  }
  return { specs, diagnostics };
}

/**
 * Specs that repeat an earlier one of the same file (same spec, overlapping file types) with a
 * different context: libselinux accepts them (the later one wins). A spec of `.local` or
 * `.homedirs` that repeats one of the base file is an override, not a duplicate.
 */
export function duplicateSpecs(specs: readonly FileContextSpec[]): Diagnostic[] {
  const seen = new Map<string, FileContextSpec[]>();
  const out: Diagnostic[] = [];
  for (const s of specs) {
    const key = `${s.file}\0${s.regex}`;
    const prev = seen.get(key) ?? [];
    const clash = prev.find((p) => (p.mode === 0 || s.mode === 0 || p.mode === s.mode) && p.context !== s.context);
    if (clash) {
      out.push(
        diagnostic('warning', 'file-contexts-duplicate', `${s.regex} is also specified with a different context (${clash.context}); ${s.context} is used where both apply`, {
          span: { file: s.file, line: s.line },
          notes: [{ message: 'the earlier spec', span: { file: clash.file, line: clash.line } }],
        }),
      );
    }
    prev.push(s);
    seen.set(key, prev);
  }
  return out;
}
