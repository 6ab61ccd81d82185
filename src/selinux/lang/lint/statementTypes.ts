// The parts of statements the lint rules read (statements.ts makes them; source.ts keeps them on the statement once made).

export interface LintAvRule {
  keyword: string;
  sources: string[];
  targets: string[];
  classes: string[];
  /** The permission list as written: names, and `~`, `-`, `*` where they stand. */
  perms: string[];
  xperm: boolean;
}

export interface LintDeclaration {
  /** type, attribute, attribute_role, role, bool, class (a class in a require block, with its permissions as `attrs`). */
  kind: string;
  name: string;
  /** The attributes a type is declared with, a class's permissions. */
  attrs: string[];
  aliases: string[];
  line: number;
}
