// Sets of type names as the module language writes them: a plain list (`a`,
// `{ a b }`), or a set with exclusions, a complement or everything
// (`{ a -b }`, `~{ a b }`, `~a`, `*`). checkmodule keeps such sets symbolic in
// a module (`~domain` depends on the whole policy), so the IR does too; it
// takes `~` and `*` in neverallow rules only (the checks say so, the IR can
// hold them anywhere). Role lists are plain (checkmodule has no role set
// operators). Class lists are plain too (checkmodule: `unknown class ~`).
// Permission lists are plain or, in an av rule, complemented (`~{ read }`,
// `*`: AvRule.permsComplement), which checkmodule resolves against the
// classes' permissions.

/** A set with operators; a plain list is a `string[]`. */
export interface NameSet {
  /** The names listed, in the order written. */
  names: string[];
  /** `-name` entries: taken out of the set. */
  exclude?: string[];
  /** `~`: every name but the set. With no names and no exclusions it is `*` (every name). */
  complement?: boolean;
}

/** Where a rule names types or roles: plain names, or a set with operators. */
export type NameList = string[] | NameSet;

export function isNameSet(list: NameList): list is NameSet {
  return !Array.isArray(list);
}

/** Whether a set is just its names (no exclusions, no complement): it means what the plain list means. */
export function isPlainNames(list: NameList): boolean {
  return !isNameSet(list) || ((list.exclude === undefined || list.exclude.length === 0) && list.complement !== true);
}

/** Every name a list mentions: the names, then the exclusions. */
export function mentionedNames(list: NameList): string[] {
  return isNameSet(list) ? [...list.names, ...(list.exclude ?? [])] : list;
}
