// Name expressions of the syntax tree -> the IR's name lists: sets are
// flattened (`{ a { b -c } }` is the names a, b and the exclusion c, as
// checkmodule queues them), `a - b` is `{ a -b }`, `*` is the complement of
// nothing. Where the language takes plain names only (classes, roles, aliases,
// attributes) an operator makes the statement one checkmodule refuses
// (`unknown class ~`, `unknown role -`): plainNames says so with undefined.
import type { NameList, NameSet } from '../../../ir/index.js';
import type { NameExpr, NameSetExpr } from '../ast.js';

function flatten(set: NameSetExpr, names: string[], exclude: string[]): void {
  for (const item of set.items) {
    if (item.kind === 'ident') names.push(item.name);
    else if (item.kind === 'exclude') exclude.push(item.name.name);
    else flatten(item, names, exclude);
  }
}

/** A set with operators in the IR's normal form: no empty exclusion list, no `complement: false`. */
function nameSet(names: string[], exclude: string[], complement: boolean): NameList {
  if (exclude.length === 0 && !complement) return names;
  const set: NameSet = { names };
  if (exclude.length > 0) set.exclude = exclude;
  if (complement) set.complement = true;
  return set;
}

/** Types (or roles) where the language takes sets with operators. */
export function nameList(e: NameExpr): NameList {
  const names: string[] = [];
  const exclude: string[] = [];
  switch (e.kind) {
    case 'ident':
      return [e.name];
    case 'set':
      flatten(e, names, exclude);
      return nameSet(names, exclude, false);
    case 'star':
      return nameSet([], [], true);
    case 'complement':
      if (e.operand.kind === 'ident') names.push(e.operand.name);
      else flatten(e.operand, names, exclude);
      return nameSet(names, exclude, true);
    case 'minus':
      return nameSet([e.left.name], [e.right.name], false);
  }
}

/** A name or a set of names (nested sets flattened); undefined when the expression has an operator. */
export function plainNames(e: NameExpr): string[] | undefined {
  const list = nameList(e);
  return Array.isArray(list) ? list : undefined;
}

/**
 * A rule's permissions: plain, `~P` or `*` (complement of nothing);
 * undefined for an exclusion (checkmodule: `permission - is not defined`).
 */
export function permList(e: NameExpr): { perms: string[]; complement: boolean } | undefined {
  const list = nameList(e);
  if (Array.isArray(list)) return { perms: list, complement: false };
  return list.exclude === undefined ? { perms: list.names, complement: true } : undefined;
}
