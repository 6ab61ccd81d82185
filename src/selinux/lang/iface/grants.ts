// What a lowered module grants, in the plain form the access index keeps and
// the matcher reads: its allow rules as name lists (every allow of the module,
// in optional and if blocks too: a call grants them when the block is on), and
// a count of every other statement (declarations, typeattribute, type rules,
// dontaudit, role rules, allow rules with `*`, `~` or `-`): what the call adds
// besides plain access, counted as excess by the ranking.
// Not here: expanding the call (expand.ts), matching (match.ts).
import type { ConditionalRule, Module, Statement } from '../../ir/index.js';
import { isPlainNames, mentionedNames } from '../../ir/names.js';

/** `allow sources targets:classes perms;` with plain names. */
export interface GrantRule {
  sources: string[];
  targets: string[];
  classes: string[];
  perms: string[];
}

export interface ModuleGrants {
  rules: GrantRule[];
  /** Statements other than requires and plain allow rules. */
  other: number;
}

/** The plain allow rules of a module and the count of its other statements. */
export function moduleGrants(m: Module): ModuleGrants {
  const out: ModuleGrants = { rules: [], other: 0 };
  const visit = (st: Statement | ConditionalRule): void => {
    switch (st.kind) {
      case 'require':
        return;
      case 'optional':
        for (const s of st.statements) visit(s);
        for (const s of st.else ?? []) visit(s);
        return;
      case 'conditional':
        for (const s of st.whenTrue) visit(s);
        for (const s of st.whenFalse ?? []) visit(s);
        return;
      case 'av':
        if (st.rule === 'allow' && st.permsComplement !== true && isPlainNames(st.sources) && isPlainNames(st.targets)) {
          out.rules.push({ sources: [...mentionedNames(st.sources)], targets: [...mentionedNames(st.targets)], classes: [...st.classes], perms: [...new Set(st.perms)] });
          return;
        }
        out.other++;
        return;
      default:
        out.other++;
    }
  };
  for (const st of m.statements) visit(st);
  return out;
}

/** One access: source, target, class, permission. */
export type AccessTuple = readonly [string, string, string, string];

/** Every (source, target, class, permission) a list of rules grants, each once, in rule order. */
export function grantTuples(rules: readonly GrantRule[]): AccessTuple[] {
  const seen = new Set<string>();
  const out: AccessTuple[] = [];
  for (const r of rules) {
    for (const s of r.sources) {
      for (const t of r.targets) {
        for (const c of r.classes) {
          for (const p of r.perms) {
            const key = `${s} ${t} ${c} ${p}`;
            if (seen.has(key)) continue;
            seen.add(key);
            out.push([s, t, c, p]);
          }
        }
      }
    }
  }
  return out;
}
