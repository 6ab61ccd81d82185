// Checks that readPolicy and scanPolicyStats make alike, item by item: one
// place for each rule of the format and for its error message.
import { AVTAB_SPEC_MASK, CEXPR, CEXPR_MAXDEPTH, COND, COND_EXPR_MAXDEPTH, V } from './constants.js';
import type { Cursor } from './cursor.js';

/** The object-context lists in file order (OCON.*): section names, and the fewest bytes an entry takes. */
export const OCON_NAMES: readonly string[] = ['initial SIDs', 'fscon', 'portcon', 'netifcon', 'nodecon', 'fs_use', 'nodecon6', 'ibpkeycon', 'ibendportcon'];
export const OCON_MIN_SIZE: readonly number[] = [4 + 24, 4 + 1 + 48, 12 + 24, 4 + 1 + 48, 8 + 24, 8 + 1 + 24, 32 + 24, 16 + 24, 8 + 1 + 24];

/** Reads and checks a symbol table's header; sets the section. Returns its declared values and entries. */
export function symtabHeader(c: Cursor, section: string, minEntry: number): { nprim: number; nel: number } {
  c.section = section;
  const at = c.pos;
  const nprim = c.u32();
  const nel = c.u32();
  if (nel && !nprim) c.fail(`${nel} entries but no symbols declared`, at);
  c.count(nel, minEntry, section);
  // Every value of these tables has a primary entry; a type needs at least its 12-byte type_attr_map entry.
  if (section === 'types' ? nprim > c.left / 12 : nprim > nel) c.fail(`${nprim} symbols declared but only ${nel} entries`, at);
  return { nprim, nel };
}

/**
 * The error for avtab entry `k` at `at` whose key failed the quick test of the
 * read loops (one rule-kind bit, declared type and class values): names what is wrong.
 */
export function badAvtabKey(c: Cursor, k: number, at: number, s: number, t: number, cl: number, spec: number, ntypes: number, nclasses: number): never {
  if ((spec & AVTAB_SPEC_MASK) === 0 || (spec & (spec - 1)) !== 0 || (spec & ~AVTAB_SPEC_MASK) !== 0) c.fail(`avtab entry ${k}: bad rule kind 0x${spec.toString(16)}`, at);
  if (s === 0 || s > ntypes || t === 0 || t > ntypes) c.fail(`avtab entry ${k}: type value out of range (${s}, ${t}; ${ntypes} types)`, at);
  return c.fail(`avtab entry ${k}: class value ${cl} out of range (${nclasses} classes)`, at);
}

/** Checks an extended-permission avtab entry at `at` (42 bytes, already in hand) and its kind byte. */
export function checkXpermEntry(c: Cursor, k: number, at: number, version: number, conditional: boolean, specified: number): void {
  if (version < V.XPERMS_IOCTL) c.fail(`avtab entry ${k}: extended permissions need version ${V.XPERMS_IOCTL}`, at);
  if (conditional && version < V.COND_XPERMS) c.fail(`avtab entry ${k}: conditional extended permissions need version ${V.COND_XPERMS}`, at);
  if (specified < 1 || specified > 3) c.fail(`avtab entry ${k}: unknown extended permission kind ${specified}`, at + 8);
}

/** Checks node (type, b) at `at` of conditional `i`'s expression; returns the stack depth after it. */
export function condNode(c: Cursor, i: number, at: number, type: number, b: number, depth: number, nbools: number): number {
  switch (type) {
    case COND.BOOL:
      if (b < 1 || b > nbools) c.fail(`conditional ${i}: boolean value ${b} out of range`, at);
      if (depth + 1 > COND_EXPR_MAXDEPTH) c.fail(`conditional ${i}: expression too deep`, at);
      return depth + 1;
    case COND.NOT:
      if (depth < 1) c.fail(`conditional ${i}: "not" without an operand`, at);
      return depth;
    case COND.OR:
    case COND.AND:
    case COND.XOR:
    case COND.EQ:
    case COND.NEQ:
      if (depth < 2) c.fail(`conditional ${i}: binary operator without two operands`, at);
      return depth - 1;
    default:
      return c.fail(`conditional ${i}: unknown expression node type ${type}`, at);
  }
}

/**
 * Checks node (type, attr, op) at `at` of a constraint expression; returns
 * the stack depth after it (a constraint's starts at -1 and must end at 0).
 */
export function constraintNode(c: Cursor, at: number, type: number, attr: number, op: number, depth: number, validatetrans: boolean): number {
  switch (type) {
    case CEXPR.NOT:
      if (depth < 0) c.fail('constraint: "not" without an operand', at);
      return depth;
    case CEXPR.AND:
    case CEXPR.OR:
      if (depth < 1) c.fail('constraint: binary operator without two operands', at);
      return depth - 1;
    case CEXPR.ATTR:
    case CEXPR.NAMES:
      if (type === CEXPR.NAMES && !validatetrans && (attr & CEXPR.XTARGET) !== 0) c.fail('constraint: u3/r3/t3 outside validatetrans', at);
      if (depth === CEXPR_MAXDEPTH - 1) c.fail('constraint expression too deep', at);
      if (op < CEXPR.EQ || op > CEXPR.INCOMP) c.fail(`constraint: bad operator ${op}`, at);
      return depth + 1;
    default:
      return c.fail(`constraint: unknown expression node type ${type}`, at);
  }
}
