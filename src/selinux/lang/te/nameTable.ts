// The names of one text, interned: the lexer hashes a name's characters as it
// reads them, and the table gives the name's id, slicing the text only the
// first time a name comes (the reference policy's 408 expanded modules hold
// 2.8 million names, at most 3,674 distinct ones in a module). Keywords are entered first,
// with their codes, so one lookup tells a keyword from a name.
// Not here: what a name is (lexer.ts).

/** Whether `text` holds `s` at `start` (s.length characters). */
function sameChars(s: string, text: string, start: number): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/** The hash of a name NameTable uses, one character at a time (`h` starts at 0). */
export function hashStep(h: number, c: number): number {
  return (Math.imul(h, 31) + c) | 0;
}

/**
 * The distinct names of one text, each sliced once (the tree's names share it), found by a
 * hash of their characters taken while they are read; the keywords (each with its code) are
 * in it from the start.
 */
export class NameTable {
  /** The names, by id. */
  readonly strings: string[] = [];
  /** Per id: the keyword's code (given to the constructor; never 0), 0 for a name. */
  readonly keywordCodes: number[] = [];
  private slots: Int32Array;
  private hashes: Int32Array;
  private mask: number;

  constructor(keywords: readonly (readonly [string, number])[]) {
    this.slots = new Int32Array(4096).fill(-1);
    this.hashes = new Int32Array(4096);
    this.mask = 4095;
    for (const [k, code] of keywords) {
      let h = 0;
      for (let i = 0; i < k.length; i++) h = hashStep(h, k.charCodeAt(i));
      this.add(k, h, code);
    }
  }

  /** The id of `text[start, end)`, whose hash is `h`; added when new. */
  id(text: string, start: number, end: number, h: number): number {
    const len = end - start;
    let slot = (h ^ (h >>> 13)) & this.mask;
    while (true) {
      const id = this.slots[slot] as number;
      if (id < 0) break;
      if (this.hashes[slot] === h) {
        const s = this.strings[id] as string;
        if (s.length === len && sameChars(s, text, start)) return id;
      }
      slot = (slot + 1) & this.mask;
    }
    return this.add(text.slice(start, end), h, 0);
  }

  private add(s: string, h: number, code: number): number {
    const id = this.strings.length;
    this.strings.push(s);
    this.keywordCodes.push(code);
    if (2 * (id + 1) > this.mask) this.rehash();
    this.place(id, h);
    return id;
  }

  private place(id: number, h: number): void {
    let slot = (h ^ (h >>> 13)) & this.mask;
    while ((this.slots[slot] as number) >= 0) slot = (slot + 1) & this.mask;
    this.slots[slot] = id;
    this.hashes[slot] = h;
  }

  private rehash(): void {
    const oldSlots = this.slots;
    const oldHashes = this.hashes;
    this.mask = oldSlots.length * 2 - 1;
    this.slots = new Int32Array(oldSlots.length * 2).fill(-1);
    this.hashes = new Int32Array(oldSlots.length * 2);
    for (let i = 0; i < oldSlots.length; i++) {
      const id = oldSlots[i] as number;
      if (id >= 0) this.place(id, oldHashes[i] as number);
    }
  }
}
