// Type sets with operators (`{ a -b }`, `~a`, `*`) for the CIL printer. CIL
// has no anonymous sets, so pp declares an attribute for each distinct set of
// a block, named MODULE_typeattr_N (N counts over the whole module), and
// prints the attributes at the end of the block, last made first:
//   (typeattribute m_typeattr_1)
//   (typeattributeset m_typeattr_1 (and (a b) (not (c))))
// pp leaves a space before each closing parenthesis of a name list; we do not
// (same CIL).
import type { NameList, NameSet } from '../../ir/index.js';
import { isNameSet, isPlainNames } from '../../ir/index.js';
import { SELF, type SymbolOrder } from './cilSymbols.js';

interface SetAttribute {
  key: string;
  name: string;
  expression: string;
}

/** A module-wide counter of the attributes made for sets. */
export interface SetCounter {
  next: number;
}

/** The anonymous attributes of one block. */
export class BlockSets {
  private readonly made: SetAttribute[] = [];

  constructor(
    private readonly prefix: string,
    private readonly counter: SetCounter,
    /** pp's own spacing: a space after each name of a list (`(a b )`), as module_to_cil prints it. */
    private readonly ppSpacing = false,
  ) {}

  /** A list of its own, numbered on from this one's (pp gives each role's types a list printed right after the role). */
  fresh(): BlockSets {
    return new BlockSets(this.prefix, this.counter, this.ppSpacing);
  }

  /**
   * The names a rule's type list stands for, in value order, and whether it
   * names `self` (a flag in the binary rule: pp prints it after the others).
   */
  types(order: SymbolOrder, list: NameList): { names: string[]; self: boolean } {
    const listed = isNameSet(list) ? list.names : list;
    const self = listed.includes(SELF);
    if (isPlainNames(list)) return { names: order.sort(self ? listed.filter((t) => t !== SELF) : listed), self };
    const set = list as NameSet;
    return { names: [this.attribute(order, { ...set, names: set.names.filter((t) => t !== SELF) })], self };
  }

  private attribute(order: SymbolOrder, set: NameSet): string {
    const names = order.sort(set.names);
    const exclude = order.sort(set.exclude ?? []);
    const complement = set.complement === true;
    const key = `${complement}|${names.join(' ')}|${exclude.join(' ')}`;
    const known = this.made.find((a) => a.key === key);
    if (known) return known.name;
    const name = `${this.prefix}_typeattr_${++this.counter.next}`;
    this.made.push({ key, name, expression: this.ppSpacing ? ppSetExpression(names, exclude, complement) : setExpression(names, exclude, complement) });
    return name;
  }

  /** The attribute declarations, last made first (pp prepends to its list). */
  lines(): string[] {
    return this.made
      .slice()
      .reverse()
      .flatMap((a) => [`(typeattribute ${a.name})`, `(typeattributeset ${a.name} ${a.expression})`]);
  }
}

/** `(a b)`, `(not (a b))`, `(and (a b) (not (c)))`, `(all)`, as pp builds them. */
function setExpression(names: readonly string[], exclude: readonly string[], complement: boolean): string {
  if (complement && names.length === 0 && exclude.length === 0) return '(all)';
  const positive = names.length > 0 ? `(${names.join(' ')})` : '';
  const negative = exclude.length > 0 ? `(not (${exclude.join(' ')}))` : '';
  const both = positive && negative ? `(and ${positive} ${negative})` : positive || negative;
  return complement ? `(not ${both})` : both;
}

/** cil_print_attr_strs's text: `(and (a b ) (not (c )))`, `(not (a ) )`, `(all)`. */
function ppSetExpression(names: readonly string[], exclude: readonly string[], complement: boolean): string {
  if (complement && names.length === 0 && exclude.length === 0) return '(all)';
  let out = complement ? '(not ' : '';
  const both = names.length > 0 && exclude.length > 0;
  if (both) out += '(and ';
  if (names.length > 0) out += `(${names.map((n) => `${n} `).join('')}) `;
  if (exclude.length > 0) out += `(not (${exclude.map((n) => `${n} `).join('')}))`;
  if (both) out += ')';
  if (complement) out += ')';
  return out;
}
