// What the rules that look across files need from one source, read while its
// items are at hand (one walk), so that a whole tree's items never live at
// once: a tree's items kept for the cross-file rules were most of what the
// garbage collector copied. Kept: the names it declares (selint's declaration
// map), its definitions (a template's declarations and calls, the arguments an
// interface makes executables, the calls passing `$N` on, the names an
// interface uses without requiring them), a module's declarations and calls in
// order, the types it creates files with, the names its require blocks list.
import type { FileContextSpec } from '../../labels/specs.js';
import type { LintSource } from './context.js';
import type { CallItem, Item, StatementItem } from './reader/source.js';
import { addListWords, argWords, callWords, declarations, definitions, namesOf, requireBody, STRUCTURAL } from './statements.js';

/** A statement's declared names (the name and its aliases; classes left out), outside require blocks. */
export interface DeclaredAt {
  kind: 'declared';
  line: number;
  names: string[];
}

/** A call, with the words of each argument. */
export interface CallAt {
  kind: 'call';
  name: string;
  line: number;
  inRequire: boolean;
  args: string[][];
}

export interface DefinitionSummary {
  kind: 'interface' | 'template';
  name: string;
  /** A template's declarations and calls outside require blocks, in order (interfaces: none). */
  entries: (DeclaredAt | CallAt)[];
  /** The arguments a `typeattribute $N exec_type` (or entry_type) in it makes executables. */
  makers: number[];
  /** Its calls that pass an argument on (`$N` words): pairs of the argument's index (from 0) and N, in order. */
  passing: { name: string; at: number[] }[];
  /** Names its items use that no require block before them lists (`$N` left out), by item. */
  unrequired: { line: number; names: string[] }[];
}

export type SpecSummary = Pick<FileContextSpec, 'regex' | 'context' | 'file' | 'line'>;

export interface SourceSummary {
  file: string;
  kind: 'te' | 'if' | 'fc';
  text: string;
  named: boolean;
  /** te/if: what it declares outside require blocks and template calls (selint's declaration map), in order. */
  declared: { name: string; kind: string }[];
  /** if: its interface and template definitions, in order. */
  definitions: DefinitionSummary[];
  /** te: its declarations and calls in order (declarations outside require blocks). */
  entries: (DeclaredAt | CallAt)[];
  /** te: the types it gives new files (type_transition's words, every word of a *filetrans* call). */
  created: string[];
  /** Of the include tree's sources: the names their require blocks list. */
  required: string[];
  /** fc: the specs (what the rules across files read of them). */
  specs: SpecSummary[];
}

const DOLLAR = /^\$\d+$/;
const EXEC_ATTRIBUTES = new Set(['exec_type', 'entry_type']);

const NONE: never[] = [];

/** Adds a list's items to another (push(...list) throws past some 100,000 items, which a generated statement can hold). */
export function addAll<T>(out: T[], list: readonly T[]): void {
  for (let i = 0; i < list.length; i++) out.push(list[i]!);
}
/** A list grown by push keeps room for more: what is kept is copied to its size (an empty one shared). */
const compact = <T>(list: T[]): T[] => (list.length === 0 ? NONE : list.slice());

/** Every item under a list, depth first, to `visit` (a call's arguments, a block's items, a statement's calls). */
function eachItem(items: readonly Item[], visit: (it: Item) => void): void {
  // Indexed loops, as in statements.ts: for-of allocates in the interpreter.
  for (let k = 0; k < items.length; k++) {
    const it = items[k]!;
    visit(it);
    if (it.kind === 'call') for (let i = 0; i < it.args.length; i++) eachItem(it.args[i]!, visit);
    else if (it.kind === 'block') eachItem(it.items, visit);
    else if (it.calls.length > 0) eachItem(it.calls, visit);
  }
}

function declaredAt(it: Item): DeclaredAt | undefined {
  if (it.kind !== 'statement') return undefined;
  let names: string[] | undefined;
  for (const d of declarations(it, false))
    if (d.kind !== 'class') {
      (names ??= []).push(d.name);
      addAll(names, d.aliases);
    }
  return names ? { kind: 'declared', line: it.line, names: names.slice() } : undefined;
}

const callAt = (c: CallItem): CallAt => ({ kind: 'call', name: c.name, line: c.line, inRequire: c.inRequire, args: argWords(c) });

function requiredIn(req: readonly Item[], out: Set<string> | string[]): void {
  eachItem(req, (r) => {
    if (r.kind !== 'statement') return;
    for (const d of declarations(r, true)) Array.isArray(out) ? out.push(d.name) : out.add(d.name);
  });
}

/**
 * One definition read for its summary, in one walk of its items (each item, then its children) that
 * collects each call's words once, in a list it reuses: a tree has some 60,000 calls in its
 * interfaces, most of them `x_do($1)`, and what is kept of them is small.
 */
class DefinitionReader {
  readonly entries: (DeclaredAt | CallAt)[] = [];
  readonly makers: number[] = [];
  readonly passing: { name: string; at: number[] }[] = [];
  readonly unrequired: { line: number; names: string[] }[] = [];
  private readonly required = new Set<string>(['system_r']);
  private readonly words: string[] = [];
  private readonly ends: number[] = [];

  constructor(
    private readonly template: boolean,
    private readonly unrequiredToo: boolean,
  ) {}

  list(items: readonly Item[]): void {
    for (let k = 0; k < items.length; k++) {
      const it = items[k]!;
      if (it.kind === 'call') {
        this.call(it);
        for (let i = 0; i < it.args.length; i++) this.list(it.args[i]!);
      } else if (it.kind === 'block') {
        if (this.unrequiredToo && it.keyword === 'require') requiredIn(it.items, this.required);
        this.list(it.items);
      } else {
        this.statement(it);
        if (it.calls.length > 0) this.list(it.calls);
      }
    }
  }

  private call(it: CallItem): void {
    const words = this.words;
    const ends = this.ends;
    words.length = 0;
    ends.length = 0;
    for (let k = 0; k < it.args.length; k++) {
      addListWords(it.args[k]!, words);
      ends.push(words.length);
    }
    let at: number[] | undefined;
    for (let k = 0, i = 0; k < ends.length; k++)
      for (; i < ends[k]!; i++) {
        const w = words[i]!;
        if (w.charCodeAt(0) === 36 /* $ */ && DOLLAR.test(w)) (at ??= []).push(k, Number(w.slice(1)));
      }
    if (at) this.passing.push({ name: it.name, at: at.slice() });
    if (this.template && !it.inRequire) this.entries.push({ kind: 'call', name: it.name, line: it.line, inRequire: false, args: ends.map((end, k) => words.slice(k === 0 ? 0 : ends[k - 1], end)) });
    if (!this.unrequiredToo) return;
    if (it.name === 'gen_require') requiredIn(it.args[0] ?? [], this.required);
    if (it.inRequire || STRUCTURAL.has(it.name)) return;
    this.unrequiredOf(it.line, words);
  }

  private statement(it: StatementItem): void {
    if (!it.inRequire) {
      const t = it.tokens;
      if (t[0] === 'typeattribute' && DOLLAR.test(t[1] ?? '') && t.slice(2).some((w) => EXEC_ATTRIBUTES.has(w))) this.makers.push(Number(t[1]!.slice(1)));
      if (this.template) {
        const d = declaredAt(it);
        if (d) this.entries.push(d);
      }
    }
    if (!this.unrequiredToo || it.inRequire) return;
    const names = namesOf(it);
    this.unrequiredOf(it.line, declarations(it, false).length > 0 ? names.slice(1) : names);
  }

  private unrequiredOf(line: number, names: readonly string[]): void {
    let left: string[] | undefined;
    for (const n of names) if (n.charCodeAt(0) !== 36 /* $ */ && !this.required.has(n)) (left ??= []).push(n);
    if (left) this.unrequired.push({ line, names: left.slice() });
  }
}

function summarizeDefinition(kind: 'interface' | 'template', name: string, body: readonly Item[], unrequiredToo: boolean): DefinitionSummary {
  const r = new DefinitionReader(kind === 'template', unrequiredToo);
  r.list(body);
  // Lists of their size: a tree's definitions are kept until the end.
  return { kind, name, entries: compact(r.entries), makers: compact(r.makers), passing: compact(r.passing), unrequired: compact(r.unrequired) };
}

/** selint's declaration map's part from one source: declarations outside require blocks and templates. */
function declaredNames(items: readonly Item[], out: { name: string; kind: string }[]): void {
  const visit = (list: readonly Item[], inRequire: boolean): void => {
    for (let k = 0; k < list.length; k++) {
      const it = list[k]!;
      if (it.kind === 'call') {
        // A template's declarations are its callers' ($1_t), not names of the policy.
        if (it.name === 'template') continue;
        const req = inRequire || it.name === 'gen_require';
        for (let i = 0; i < it.args.length; i++) visit(it.args[i]!, req);
      } else if (it.kind === 'block') visit(it.items, inRequire || it.keyword === 'require');
      else if (!inRequire) {
        const ds = declarations(it, false);
        for (let i = 0; i < ds.length; i++) {
          const d = ds[i]!;
          if (d.kind === 'class') continue;
          if (d.name !== '' && !d.name.startsWith('$')) out.push({ name: d.name, kind: d.kind });
          for (let j = 0; j < d.aliases.length; j++) {
            const n = d.aliases[j]!;
            if (n !== '' && !n.startsWith('$')) out.push({ name: n, kind: d.kind });
          }
        }
      }
    }
  };
  visit(items, false);
}

/** One source's summary; `included`: a source of the include tree (its require blocks' names kept, its definitions' unrequired names not read). */
export function summarizeSource(src: LintSource, included = false): SourceSummary {
  const out: SourceSummary = {
    file: src.file,
    kind: src.kind,
    text: src.text,
    named: src.named,
    declared: [],
    definitions: [],
    entries: [],
    created: [],
    required: [],
    specs: src.specs.map((x) => ({ regex: x.regex, context: x.context, file: x.file, line: x.line })),
  };
  if (src.kind === 'fc') return out;
  if (!included) declaredNames(src.items, out.declared);
  if (src.kind === 'if') for (const d of definitions(src.items)) out.definitions.push(summarizeDefinition(d.kind, d.name, d.body, !included));
  if (included)
    eachItem(src.items, (it) => {
      const req = requireBody(it);
      if (req) requiredIn(req, out.required);
    });
  if (src.kind !== 'te' || included) return compactSummary(out);
  eachItem(src.items, (it) => {
    if (it.kind === 'call') {
      out.entries.push(callAt(it));
      if (it.name.includes('filetrans')) addAll(out.created, callWords(it));
    } else if (it.kind === 'statement') {
      if (it.tokens[0] === 'type_transition') addAll(out.created, it.tokens);
      if (!it.inRequire) {
        const d = declaredAt(it);
        if (d) out.entries.push(d);
      }
    }
  });
  return compactSummary(out);
}

/** The summary of a source read in parts (context.ts's lintSourceParts), from its parts' in order. */
export function joinSummaries(a: SourceSummary, b: SourceSummary): SourceSummary {
  const join = <T>(x: T[], y: T[]): T[] => (y.length === 0 ? x : x.length === 0 ? y : x.concat(y));
  return {
    ...a,
    declared: join(a.declared, b.declared),
    definitions: join(a.definitions, b.definitions),
    entries: join(a.entries, b.entries),
    created: join(a.created, b.created),
    required: join(a.required, b.required),
    specs: join(a.specs, b.specs),
  };
}

function compactSummary(s: SourceSummary): SourceSummary {
  return { ...s, declared: compact(s.declared), definitions: compact(s.definitions), entries: compact(s.entries), created: compact(s.created), required: compact(s.required) };
}
