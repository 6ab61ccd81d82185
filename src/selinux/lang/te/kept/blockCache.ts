// Require blocks read again: every module the devel headers build begins with
// policy_module's require block (every class with every permission, ≈ 3,000
// names in ≈ 30 KB), the same text at the same offset whenever the module's
// `module` line is as long. Without spans (SourceText.placeless) the same text
// at the same offset lexes to the same tokens and parses to the same tree, so
// a pass that reads many modules keeps a clean block's tokens and tree (the
// tree frozen, shared by every module that meets the block again) instead of
// reading it once per module; the lowering keeps its IR the same way
// (lower.ts). The shared tree's spans are those of the text it was first read
// from: placeless spans are never shown.
// Not here: reading tokens (lexer.ts), the grammar (statements.ts).
import type { RequireStatement } from '../ast.js';
import { C_ID, type TokenColumns, type TokenList } from '../lexer.js';
import { hashStep } from '../nameTable.js';

/** Blocks shorter than this are read as they come (keeping them would not pay). */
const MIN_CHARS = 2048;
/** At most this many blocks are kept, and this many characters of them in all. */
const MAX_BLOCKS = 64;
const MAX_CHARS = 8 * 1024 * 1024;

/** A block kept: its text at its offset, its tokens (`require` to `}`) as TokenList columns, its tree. */
export interface KeptBlock extends TokenColumns {
  readonly start: number;
  readonly text: string;
  /** The block's distinct names (`nameIds` index them), and the hash of each (NameTable's). */
  readonly names: readonly string[];
  readonly hashes: Int32Array;
  /** Where each line after the block's first starts (the offset after each newline in it). */
  readonly lineStarts: Int32Array;
  /** The parsed block, frozen. */
  readonly statement: RequireStatement;
}

/** The trees made from kept blocks: the lowering may keep what it makes of them too (it is the same for every module). */
const keptTrees = new WeakSet<object>();

/** Whether a require statement's tree is a kept block's, shared by every text it is met in. */
export function isKeptBlock(statement: RequireStatement): boolean {
  return keptTrees.has(statement);
}

/** Freezes a tree of plain objects and arrays (what is shared must not change under another reader). */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}

/** A copy of a string that holds no reference to the text it was cut from (a kept block outlives its module's text). */
function ownCopy(s: string): string {
  return structuredClone(s);
}

/** Gives every name of a tree its own copy (`copies`: the copies made, by text). */
function ownNames(node: unknown, copies: Map<string, string>): void {
  if (typeof node !== 'object' || node === null) return;
  const n = node as { kind?: unknown; name?: unknown };
  if (n.kind === 'ident' && typeof n.name === 'string') {
    let c = copies.get(n.name);
    if (c === undefined) copies.set(n.name, (c = ownCopy(n.name)));
    n.name = c;
    return;
  }
  for (const v of Object.values(node)) ownNames(v, copies);
}

/** The require blocks of one reader of many texts (one per thread), by offset. */
export class RequireBlockCache {
  private readonly blocks = new Map<number, KeptBlock>();
  private chars = 0;

  /** The block kept at `start`, when `text` holds its text there. */
  find(text: string, start: number): KeptBlock | undefined {
    const b = this.blocks.get(start);
    return b !== undefined && text.startsWith(b.text, start) ? b : undefined;
  }

  /** Whether a clean block of `length` characters at `start` would be kept (none is there yet, and there is room). */
  wants(start: number, length: number): boolean {
    return length >= MIN_CHARS && !this.blocks.has(start) && this.blocks.size < MAX_BLOCKS && this.chars + length <= MAX_CHARS;
  }

  /** Keeps tokens [from, to) of `list`, a require block read without any diagnostic, parsed as `statement` (frozen here). */
  keep(list: TokenList, from: number, to: number, statement: RequireStatement): void {
    const start = list.starts[from] as number;
    const end = list.ends[to - 1] as number;
    // A comment may be a sync line, which the lexer gives the source map: such a block is read each time.
    if (!this.wants(start, end - start) || list.text.slice(start, end).includes('#')) return;
    const text = ownCopy(list.text.slice(start, end));
    const names: string[] = [];
    const hashes: number[] = [];
    const local = new Map<number, number>();
    const nameIds = new Int32Array(to - from);
    for (let i = from; i < to; i++) {
      if (list.types[i] !== C_ID) continue;
      const id = list.nameIds[i] as number;
      let k = local.get(id);
      if (k === undefined) {
        k = names.length;
        local.set(id, k);
        const name = list.table.strings[id] as string;
        let h = 0;
        for (let c = 0; c < name.length; c++) h = hashStep(h, name.charCodeAt(c));
        names.push(ownCopy(name));
        hashes.push(h);
      }
      nameIds[i - from] = k;
    }
    const lineStarts: number[] = [];
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lineStarts.push(start + at + 1);
    ownNames(statement, new Map(names.map((n) => [n, n])));
    keptTrees.add(deepFreeze(statement));
    this.blocks.set(start, {
      start,
      text,
      count: to - from,
      types: list.types.slice(from, to),
      starts: list.starts.slice(from, to),
      ends: list.ends.slice(from, to),
      keywords: list.keywords.slice(from, to),
      nameIds,
      names,
      hashes: Int32Array.from(hashes),
      lineStarts: Int32Array.from(lineStarts),
      statement,
    });
    this.chars += text.length;
  }
}
