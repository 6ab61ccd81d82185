// The regular expressions of file_contexts, as libselinux runs them: PCRE2,
// compiled as `^` + spec + `$` (no group around the spec, so a top-level `|`
// leaks out of the anchors), with DOTALL, without UTF (the subject is bytes),
// and PCRE's `$` also matches before a final newline.
//
// parsePcre() reads a spec into a small tree; toJsSource() writes the
// JavaScript equivalent (flag `s`, no `u`, subjects as latin1 strings: one
// char per byte); sampleMatch() walks the tree to make example paths (the
// oracle corpus). What PCRE rejects is a PcreError ('invalid'); what PCRE
// accepts but this translation does not (back-references, atomic groups,
// inline options, ...) is a PcreError ('unsupported'). Not here: loading specs
// (fileContexts.ts), lookups (lookup.ts).

export type PcreItem =
  | { k: 'char'; c: number }
  | { k: 'any' }
  | { k: 'set'; bits: Uint8Array }
  | { k: 'group'; kind: 'cap' | 'nocap' | 'ahead' | 'nahead' | 'behind' | 'nbehind'; alts: PcreItem[][] }
  | { k: 'bol' }
  | { k: 'eol' }
  | { k: 'eos' }
  | { k: 'wordb'; neg: boolean }
  | { k: 'repeat'; item: PcreItem; min: number; max: number; lazy: boolean };

export interface PcreTree {
  /** The top-level alternatives (more than one: the `|` leaks out of the anchors). */
  alts: PcreItem[][];
}

export class PcreError extends Error {
  constructor(
    readonly kind: 'invalid' | 'unsupported',
    message: string,
    /** 0-based offset in the spec. */
    readonly offset: number,
  ) {
    super(message);
  }
}

const POSIX: Record<string, (c: number) => boolean> = {
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  digit: (c) => c >= 48 && c <= 57,
  alnum: (c) => POSIX.alpha!(c) || POSIX.digit!(c),
  upper: (c) => c >= 65 && c <= 90,
  lower: (c) => c >= 97 && c <= 122,
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  blank: (c) => c === 32 || c === 9,
  punct: (c) => c > 32 && c < 127 && !POSIX.alnum!(c),
  xdigit: (c) => POSIX.digit!(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
  word: (c) => POSIX.alnum!(c) || c === 95,
  cntrl: (c) => c < 32 || c === 127,
  graph: (c) => c > 32 && c < 127,
  print: (c) => c >= 32 && c < 127,
  ascii: (c) => c < 128,
};

const CLASS_ESCAPES: Record<string, (c: number) => boolean> = {
  d: POSIX.digit!,
  w: POSIX.word!,
  // PCRE2 without UCP: space, \t \n \v \f \r (JavaScript's \s also takes 0xA0).
  s: POSIX.space!,
};

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, f: 12, e: 27, a: 7 };

function setOf(pred: (c: number) => boolean, neg = false): Uint8Array {
  const bits = new Uint8Array(256);
  for (let c = 0; c < 256; c++) bits[c] = pred(c) !== neg ? 1 : 0;
  return bits;
}

/** Parses a file_contexts regular expression (ASCII, as libselinux requires). */
export function parsePcre(src: string): PcreTree {
  let i = 0;
  let groups = 0;
  const at = (): string => src[i] ?? '';
  const invalid = (msg: string, off = i): never => {
    throw new PcreError('invalid', msg, off);
  };
  const unsupported = (msg: string, off = i): never => {
    throw new PcreError('unsupported', msg, off);
  };

  // After a backslash (i at the escaped char): a literal byte, or a set.
  function readEscape(inClass: boolean): { c: number } | { bits: Uint8Array } | { item: PcreItem } {
    const start = i - 1;
    const ch = at();
    if (ch === '') invalid('\\ at end of pattern', start);
    i++;
    const code = ch.charCodeAt(0);
    if (!/[A-Za-z0-9]/.test(ch)) return { c: code };
    const lower = ch.toLowerCase();
    if (lower in CLASS_ESCAPES) return { bits: setOf(CLASS_ESCAPES[lower]!, ch !== lower) };
    if (ch in SIMPLE_ESCAPES) return { c: SIMPLE_ESCAPES[ch]! };
    if (ch === 'x') {
      if (at() === '{') {
        const m = /^\{([0-9A-Fa-f]*)\}/.exec(src.slice(i));
        if (!m) invalid('\\x{ without a closing }', start);
        const v = m![1] === '' ? 0 : parseInt(m![1]!, 16);
        if (v > 255) invalid('character code point value in \\x{} is too large (no UTF mode)', start);
        i += m![0].length;
        return { c: v };
      }
      const m = /^[0-9A-Fa-f]{0,2}/.exec(src.slice(i))!;
      i += m[0].length;
      return { c: m[0] === '' ? 0 : parseInt(m[0], 16) };
    }
    if (ch === '0') {
      const m = /^[0-7]{0,2}/.exec(src.slice(i))!;
      i += m[0].length;
      return { c: m[0] === '' ? 0 : parseInt(m[0], 8) };
    }
    if (!inClass) {
      if (ch === 'b' || ch === 'B') return { item: { k: 'wordb', neg: ch === 'B' } };
      if (ch === 'A') return { item: { k: 'bol' } };
      if (ch === 'Z') return { item: { k: 'eol' } };
      if (ch === 'z') return { item: { k: 'eos' } };
    } else if (ch === 'b') return { c: 8 };
    if (/[1-9]/.test(ch)) unsupported(`back-reference or octal escape \\${ch} is not supported`, start);
    if ('hHvVRNXCKGpPQEgkcuULl'.includes(ch)) unsupported(`escape \\${ch} is not supported`, start);
    return invalid(`unrecognized character follows \\: ${ch}`, start);
  }

  function parseClass(): PcreItem {
    const start = i;
    i++; // [
    let neg = false;
    if (at() === '^') {
      neg = true;
      i++;
    }
    const bits = new Uint8Array(256);
    let first = true;
    for (;;) {
      const ch = at();
      if (ch === '') invalid('missing terminating ] for character class', start);
      if (ch === ']' && !first) {
        i++;
        break;
      }
      first = false;
      // POSIX class [:name:]
      if (ch === '[' && /^\[:(\^?)([a-z]+):\]/.test(src.slice(i))) {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i))!;
        const pred = POSIX[m[2]!];
        if (!pred) invalid(`unknown POSIX class name ${m[2]}`);
        const s = setOf(pred!, m[1] === '^');
        for (let c = 0; c < 256; c++) if (s[c]) bits[c] = 1;
        i += m[0].length;
        continue;
      }
      let lo: number;
      i++;
      if (ch === '\\') {
        const e = readEscape(true);
        if ('bits' in e) {
          for (let c = 0; c < 256; c++) if (e.bits[c]) bits[c] = 1;
          continue;
        }
        if ('item' in e) return invalid('bad escape in character class');
        lo = e.c;
      } else lo = ch.charCodeAt(0);
      // A range lo-hi (a '-' before ']' is literal).
      if (at() === '-' && src[i + 1] !== undefined && src[i + 1] !== ']') {
        const dash = i;
        i++;
        let hi: number;
        const h = at();
        if (h === '[' && /^\[:\^?[a-z]+:\]/.test(src.slice(i))) return invalid('invalid range in character class', dash);
        i++;
        if (h === '\\') {
          const e = readEscape(true);
          if (!('c' in e)) return invalid('invalid range in character class', dash);
          hi = e.c;
        } else hi = h.charCodeAt(0);
        if (hi < lo) invalid('range out of order in character class', dash);
        for (let c = lo; c <= hi; c++) bits[c] = 1;
        continue;
      }
      bits[lo] = 1;
    }
    if (neg) for (let c = 0; c < 256; c++) bits[c] = bits[c] ? 0 : 1;
    return { k: 'set', bits };
  }

  function parseAlts(depth: number): PcreItem[][] {
    const alts: PcreItem[][] = [[]];
    for (;;) {
      const ch = at();
      const seq = alts[alts.length - 1]!;
      if (ch === '') {
        if (depth > 0) invalid('missing closing parenthesis');
        return alts;
      }
      if (ch === ')') {
        if (depth === 0) invalid('unmatched closing parenthesis');
        return alts;
      }
      if (ch === '|') {
        i++;
        alts.push([]);
        continue;
      }
      const itemStart = i;
      let item: PcreItem;
      if (ch === '(') {
        i++;
        let kind: 'cap' | 'nocap' | 'ahead' | 'nahead' | 'behind' | 'nbehind' = 'cap';
        if (at() === '?') {
          const rest = src.slice(i);
          if (rest.startsWith('?:')) kind = 'nocap';
          else if (rest.startsWith('?=')) kind = 'ahead';
          else if (rest.startsWith('?!')) kind = 'nahead';
          else if (rest.startsWith('?<=')) kind = 'behind';
          else if (rest.startsWith('?<!')) kind = 'nbehind';
          else if (rest.startsWith('?#')) {
            const end = src.indexOf(')', i);
            if (end < 0) invalid('missing ) after (?# comment');
            i = end + 1;
            continue;
          } else unsupported(`group syntax (${rest.slice(0, 3)} is not supported`, itemStart);
          i += kind === 'behind' || kind === 'nbehind' ? 3 : 2;
        } else if (at() === '*') unsupported('(* verbs are not supported', itemStart);
        if (kind === 'cap') groups++;
        const inner = parseAlts(depth + 1);
        i++; // )
        item = { k: 'group', kind, alts: inner };
      } else if (ch === '[') {
        item = parseClass();
      } else if (ch === '\\') {
        i++;
        if (at() === 'Q') {
          i++;
          const end = src.indexOf('\\E', i);
          const text = end < 0 ? src.slice(i) : src.slice(i, end);
          i = end < 0 ? src.length : end + 2;
          if (text === '') continue;
          for (const t of text.slice(0, -1)) seq.push({ k: 'char', c: t.charCodeAt(0) });
          // A quantifier after \E applies to the last quoted character.
          item = { k: 'char', c: text.charCodeAt(text.length - 1) };
        } else if (at() === 'E') {
          i++;
          continue;
        } else {
          const e = readEscape(false);
          item = 'item' in e ? e.item : 'bits' in e ? { k: 'set', bits: e.bits } : { k: 'char', c: e.c };
        }
      } else if (ch === '.') {
        i++;
        item = { k: 'any' };
      } else if (ch === '^') {
        i++;
        item = { k: 'bol' };
      } else if (ch === '$') {
        i++;
        item = { k: 'eol' };
      } else if (ch === '*' || ch === '+' || ch === '?') {
        return invalid('quantifier does not follow a repeatable item');
      } else if (ch === '{' && quantifierAt(src, i)) {
        return invalid('quantifier does not follow a repeatable item');
      } else {
        i++;
        item = { k: 'char', c: ch.charCodeAt(0) };
      }
      // Quantifiers.
      for (;;) {
        let min: number;
        let max: number;
        const q = at();
        if (q === '*') [min, max] = [0, Infinity];
        else if (q === '+') [min, max] = [1, Infinity];
        else if (q === '?') [min, max] = [0, 1];
        else if (q === '{' && quantifierAt(src, i)) {
          const m = quantifierAt(src, i)!;
          min = m.min;
          max = m.max;
          if (max < min) invalid('numbers out of order in {} quantifier');
          if (min > 65535 || (max !== Infinity && max > 65535)) invalid('number too big in {} quantifier');
          i += m.length - 1;
        } else break;
        i++;
        let lazy = false;
        if (at() === '?') {
          lazy = true;
          i++;
        } else if (at() === '+') unsupported('possessive quantifiers are not supported');
        if (item.k === 'bol' || item.k === 'eol' || item.k === 'eos' || item.k === 'wordb' || (item.k === 'group' && item.kind !== 'cap' && item.kind !== 'nocap'))
          unsupported('a quantifier on an assertion is not supported', itemStart);
        if (item.k === 'repeat') unsupported('a quantifier on a quantifier (wrap it in a group) is not supported', itemStart);
        item = { k: 'repeat', item, min, max, lazy };
      }
      seq.push(item);
    }
  }

  const alts = parseAlts(0);
  void groups;
  return { alts };
}

function quantifierAt(src: string, i: number): { min: number; max: number; length: number } | undefined {
  const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(src.slice(i));
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
  return { min, max, length: m[0].length };
}

const hex = (c: number): string => `\\x${c.toString(16).padStart(2, '0')}`;
const charJs = (c: number): string => (/[A-Za-z0-9_/]/.test(String.fromCharCode(c)) ? String.fromCharCode(c) : hex(c));

function setJs(bits: Uint8Array): string {
  let out = '';
  let n = 0;
  for (let c = 0; c < 256; ) {
    if (!bits[c]) {
      c++;
      continue;
    }
    let e = c;
    while (e + 1 < 256 && bits[e + 1]) e++;
    out += e === c ? hex(c) : `${hex(c)}-${hex(e)}`;
    n += e - c + 1;
    c = e + 1;
  }
  return n === 0 ? '[^\\x00-\\uffff]' : `[${out}]`;
}

function itemJs(it: PcreItem): string {
  switch (it.k) {
    case 'char':
      return charJs(it.c);
    case 'any':
      return '.';
    case 'set':
      return setJs(it.bits);
    case 'bol':
      return '^';
    // PCRE's $ (no multiline, no DOLLAR_ENDONLY): the end, or before a final newline.
    case 'eol':
      return '(?=\\n?$)';
    case 'eos':
      return '$';
    case 'wordb':
      return it.neg ? '\\B' : '\\b';
    case 'group': {
      const open = { cap: '(', nocap: '(?:', ahead: '(?=', nahead: '(?!', behind: '(?<=', nbehind: '(?<!' }[it.kind];
      return open + altsJs(it.alts) + ')';
    }
    case 'repeat': {
      const q =
        it.min === 0 && it.max === Infinity
          ? '*'
          : it.min === 1 && it.max === Infinity
            ? '+'
            : it.min === 0 && it.max === 1
              ? '?'
              : it.max === Infinity
                ? `{${it.min},}`
                : it.min === it.max
                  ? `{${it.min}}`
                  : `{${it.min},${it.max}}`;
      return itemJs(it.item) + q + (it.lazy ? '?' : '');
    }
  }
}

const altsJs = (alts: PcreItem[][]): string => alts.map((seq) => seq.map(itemJs).join('')).join('|');

/**
 * The JavaScript source of libselinux's anchored regex `^` + spec + `$` (flags `s`, no `u`;
 * match latin1 strings). The top-level alternatives are not grouped, as in libselinux.
 */
export function toJsSource(tree: PcreTree): string {
  return '^' + altsJs(tree.alts) + '(?=\\n?$)';
}

/** Compiles a spec as libselinux does; throws PcreError. */
export function compileSpecRegex(spec: string): RegExp {
  const tree = parsePcre(spec);
  try {
    return new RegExp(toJsSource(tree), 's');
  } catch (e) {
    throw new PcreError('invalid', (e as Error).message, 0);
  }
}

/**
 * The fixed text every match of the anchored spec starts with ('' when there is none, or when a
 * top-level `|` lets another alternative match): for indexing, so a lookup does not try every regex.
 */
export function literalPrefix(tree: PcreTree): string {
  if (tree.alts.length !== 1) return '';
  let out = '';
  for (const it of tree.alts[0]!) {
    if (it.k === 'char') out += String.fromCharCode(it.c);
    else if (it.k === 'repeat' && it.min > 0 && it.item.k === 'char') {
      out += String.fromCharCode(it.item.c);
      break;
    } else break;
  }
  return out;
}

/**
 * The bytes a non-empty match of `seq` can begin with (a 256-entry table), or undefined when that
 * is not known for certain: any byte may come first, the sequence may match the empty string, or
 * it holds an assertion. A lookup tests this byte before running the regex.
 */
export function firstBytes(seq: readonly PcreItem[]): Uint8Array | undefined {
  const out = new Uint8Array(256);
  // Adds the first bytes of items[from..] to out; true when they cannot all match empty.
  const walk = (items: readonly PcreItem[], from: number): boolean | undefined => {
    for (let n = from; n < items.length; n++) {
      const it = items[n]!;
      const r = first(it);
      if (r === undefined) return undefined;
      if (r) return true;
    }
    return false;
  };
  // Adds the first bytes of one item; true when it cannot match empty, undefined when unknown.
  const first = (it: PcreItem): boolean | undefined => {
    switch (it.k) {
      case 'char':
        out[it.c] = 1;
        return true;
      case 'set':
        for (let c = 0; c < 256; c++) if (it.bits[c]) out[c] = 1;
        return true;
      case 'group': {
        if (it.kind !== 'cap' && it.kind !== 'nocap') return undefined;
        let all = true;
        for (const alt of it.alts) {
          const r = walk(alt, 0);
          if (r === undefined) return undefined;
          all &&= r;
        }
        return all;
      }
      case 'repeat': {
        const r = first(it.item);
        if (r === undefined) return undefined;
        return r && it.min > 0;
      }
      default:
        return undefined;
    }
  };
  return walk(seq, 0) ? out : undefined;
}

/** A small deterministic random source: next() in [0, 1). */
export interface Random {
  next(): number;
}

const SAMPLE_BYTES = 'abcdefghijklmnopqrstuvwxyz0123456789._-/';

/** An example subject for the tree (most match; assertions are ignored, so some are near misses). */
export function sampleMatch(tree: PcreTree, rnd: Random): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd.next() * a.length)]!;
  const walk = (seq: PcreItem[]): string => seq.map(one).join('');
  function one(it: PcreItem): string {
    switch (it.k) {
      case 'char':
        return String.fromCharCode(it.c);
      case 'any':
        return rnd.next() < 0.05 ? pick(['\n', '\xff', ' ', '\xe9']) : pick([...SAMPLE_BYTES]);
      case 'set': {
        const members: number[] = [];
        for (let c = 0; c < 256; c++) if (it.bits[c]) members.push(c);
        const printable = members.filter((c) => c > 32 && c < 127);
        if (members.length === 0) return '';
        return String.fromCharCode(rnd.next() < 0.9 && printable.length > 0 ? pick(printable) : pick(members));
      }
      case 'group':
        if (it.kind !== 'cap' && it.kind !== 'nocap') return '';
        return walk(pick(it.alts));
      case 'repeat': {
        const hi = Math.min(it.max, it.min + 3);
        const n = it.min + Math.floor(rnd.next() * (hi - it.min + 1));
        let s = '';
        for (let k = 0; k < n; k++) s += one(it.item);
        return s;
      }
      default:
        return '';
    }
  }
  return walk(pick(tree.alts));
}

/** The character code at i, or -1 past the end (a read past the end throws optimized code away). */
const at = (s: string, i: number): number => (i < s.length ? s.charCodeAt(i) : -1);

/**
 * A fast check of the common spec syntax (characters, escaped punctuation, `.`, `^`, `$`, groups
 * without `?`, `|`, simple classes, `*`, `+`, `?`) without building a tree: a fixed prefix when the
 * spec is certainly valid, undefined when it needs the full parser (which then reports the error,
 * or handles the rarer syntax). The prefix may be shorter than literalPrefix's; it is for indexing.
 */
export function quickScan(src: string): { prefix: string } | undefined {
  let depth = 0;
  let canRepeat = false;
  let prefixEnd = -1;
  // The prefix is src up to prefixEnd (escapes removed), less its last character when a quantifier follows it.
  let escaped = false;
  let dropLast = false;
  let topAlt = false;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    switch (c) {
      case 92: {
        // backslash
        const n = at(src, i + 1);
        if (n < 0 || (n >= 48 && n <= 57) || (n >= 65 && n <= 90) || (n >= 97 && n <= 122)) return undefined;
        if (prefixEnd < 0) escaped = true;
        i++;
        canRepeat = true;
        continue;
      }
      case 42: // *
      case 43: // +
      case 63: {
        // ?
        if (!canRepeat) return undefined;
        const n = at(src, i + 1);
        if (n === 63 || n === 43) return undefined;
        if (prefixEnd < 0) {
          prefixEnd = i;
          dropLast = true;
        }
        canRepeat = false;
        continue;
      }
      case 123: // {
        return undefined;
      case 40: // (
        if (at(src, i + 1) === 63 || at(src, i + 1) === 42) return undefined;
        depth++;
        canRepeat = false;
        break;
      case 41: // )
        if (--depth < 0) return undefined;
        canRepeat = true;
        break;
      case 124: // |
        if (depth === 0) topAlt = true;
        canRepeat = false;
        break;
      case 94: // ^
      case 36: // $
        canRepeat = false;
        break;
      case 91: {
        // [
        if (prefixEnd < 0) prefixEnd = i;
        let j = i + 1;
        if (src[j] === '^') j++;
        if (src[j] === ']') j++;
        let prev = -1;
        for (; j < src.length && src[j] !== ']'; j++) {
          const d = src.charCodeAt(j);
          if (d === 92 || (d === 91 && src[j + 1] === ':')) return undefined;
          if (d === 45 && prev >= 0 && j + 1 < src.length && src[j + 1] !== ']') {
            const hi = src.charCodeAt(j + 1);
            if (hi === 92 || hi === 91 || hi < prev) return undefined;
            j++;
            prev = -1;
            continue;
          }
          prev = d;
        }
        if (j >= src.length) return undefined;
        i = j;
        canRepeat = true;
        break;
      }
      case 46: // .
        canRepeat = true;
        break;
      default:
        canRepeat = true;
        continue;
    }
    if (prefixEnd < 0) prefixEnd = i;
  }
  if (depth !== 0) return undefined;
  if (topAlt) return { prefix: '' };
  let prefix = src.slice(0, prefixEnd < 0 ? src.length : prefixEnd);
  if (escaped) prefix = prefix.replace(/\\(.)/g, '$1');
  return { prefix: dropLast ? prefix.slice(0, -1) : prefix };
}
