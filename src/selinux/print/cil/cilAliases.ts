// Type aliases as checkmodule stores rules: a rule, a role's types or an
// attribute's members that name an alias hold the aliased type's value, so
// pp prints the type's name there. This gives the module with every such use
// of an alias replaced by its type (declarations and requires keep theirs).
import type { ConditionalRule, Module, NameList, Statement } from '../../ir/index.js';
import { isNameSet } from '../../ir/index.js';

/** Alias -> its type, from `type T alias A;` and `typealias T alias A;` anywhere in the module. */
function aliasMap(statements: readonly Statement[], out = new Map<string, string>()): Map<string, string> {
  for (const st of statements) {
    if (st.kind === 'type') for (const a of st.aliases ?? []) out.set(a, st.name);
    else if (st.kind === 'typealias') for (const a of st.aliases) out.set(a, st.type);
    else if (st.kind === 'optional') {
      aliasMap(st.statements, out);
      aliasMap(st.else ?? [], out);
    }
  }
  return out;
}

/** The module with aliases resolved where checkmodule resolves them; the module itself when it has none. */
export function resolveAliases(module: Module): Module {
  const aliases = aliasMap(module.statements);
  if (aliases.size === 0) return module;
  const one = (n: string): string => aliases.get(n) ?? n;
  const list = (l: NameList): NameList => (isNameSet(l) ? { ...l, names: l.names.map(one), ...(l.exclude ? { exclude: l.exclude.map(one) } : {}) } : l.map(one));
  const rule = <T extends ConditionalRule>(r: T): T => {
    switch (r.kind) {
      case 'av':
      case 'xperm':
        return { ...r, sources: list(r.sources), targets: list(r.targets) };
      case 'typerule':
        return { ...r, sources: list(r.sources), targets: list(r.targets), result: one(r.result) };
      default:
        return r;
    }
  };
  const statements = (sts: readonly Statement[]): Statement[] =>
    sts.map((st): Statement => {
      switch (st.kind) {
        case 'av':
        case 'xperm':
        case 'typerule':
          return rule(st);
        case 'range_transition':
          return { ...st, sources: list(st.sources), targets: list(st.targets) };
        case 'role_transition':
          return { ...st, types: list(st.types) };
        case 'roletypes':
          return { ...st, types: list(st.types) };
        case 'typeattribute':
          return { ...st, type: one(st.type) };
        case 'permissive':
          return { ...st, type: one(st.type) };
        case 'typebounds':
          return { ...st, type: one(st.type), bounded: st.bounded.map(one) };
        case 'conditional':
          return { ...st, whenTrue: st.whenTrue.map(rule), ...(st.whenFalse ? { whenFalse: st.whenFalse.map(rule) } : {}) };
        case 'optional':
          return { ...st, statements: statements(st.statements), ...(st.else ? { else: statements(st.else) } : {}) };
        default:
          return st;
      }
    });
  return { ...module, statements: statements(module.statements) };
}
