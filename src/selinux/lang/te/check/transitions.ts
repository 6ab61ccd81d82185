// Transitions checkmodule refuses to see twice: a name transition (type_transition
// with an object name) for a source, target, class and name already given, even
// with the same new type, and a role_transition for a role, type and class
// already given. checkmodule expands each rule's types (attributes to their
// members in the module) and keeps one table for the whole module, so two
// optional blocks clash too. Here attributes expand to the types the module's
// global block gives them (type ..., ATTR; typeattribute); a rule naming an
// attribute that also gets members inside an optional block, or a role
// attribute, is left out rather than guessed at.
import type { Ident, ModuleAst, NameExpr, NodeBase, Statement } from '../ast.js';
import type { Report } from './scope.js';

class TransitionChecker {
  /** Attribute name -> the types the global block gives it. */
  readonly members = new Map<string, Set<string>>();
  /** Attributes that get members inside an optional block: their expansion is not known here. */
  readonly unsure = new Set<string>();
  /** Alias -> its type. */
  readonly primary = new Map<string, string>();
  readonly roleAttributes = new Set<string>();
  /** Key -> the rule that first gave it. */
  readonly seen = new Map<string, NodeBase>();

  constructor(readonly report: Report) {}

  collect(list: readonly Statement[], global: boolean): void {
    for (const s of list) {
      switch (s.kind) {
        case 'require':
          for (const item of s.items) {
            if (item.kind !== 'requireNames') continue;
            if (item.what === 'attribute') for (const n of item.names) this.attribute(n.name);
            if (item.what === 'attribute_role') for (const n of item.names) this.roleAttributes.add(n.name);
          }
          break;
        case 'attribute':
          this.attribute(s.name.name);
          break;
        case 'attribute_role':
          this.roleAttributes.add(s.name.name);
          break;
        case 'type':
          for (const a of aliasNames(s.aliases)) this.primary.set(a, s.name.name);
          for (const a of s.attributes) this.member(a.name, s.name.name, global);
          break;
        case 'typealias':
          for (const a of aliasNames(s.aliases)) this.primary.set(a, s.type.name);
          break;
        case 'typeattribute':
          for (const a of s.attributes) this.member(a.name, s.subject.name, global);
          break;
        case 'if':
          this.collect(s.then.statements, global);
          if (s.else) this.collect(s.else.statements, global);
          break;
        case 'optional':
          this.collect(s.body.statements, false);
          if (s.else) this.collect(s.else.statements, false);
          break;
        default:
      }
    }
  }

  attribute(name: string): void {
    if (!this.members.has(name)) this.members.set(name, new Set());
  }

  member(attr: string, type: string, global: boolean): void {
    this.attribute(attr);
    if (global) this.members.get(attr)?.add(type);
    else this.unsure.add(attr);
  }

  /** The types of a set as checkmodule expands it, or undefined when that is not known here. */
  types(e: NameExpr): Set<string> | undefined {
    const plus = new Set<string>();
    const minus = new Set<string>();
    const add = (id: Ident, into: Set<string>): boolean => {
      if (id.name === 'self') return false;
      if (this.unsure.has(id.name)) return false;
      const m = this.members.get(id.name);
      if (m !== undefined) for (const t of m) into.add(this.primary.get(t) ?? t);
      else into.add(this.primary.get(id.name) ?? id.name);
      return true;
    };
    const walk = (x: NameExpr): boolean => {
      switch (x.kind) {
        case 'ident':
          return add(x, plus);
        case 'minus':
          return add(x.left, plus) && add(x.right, minus);
        case 'set':
          return x.items.every((i) => (i.kind === 'exclude' ? add(i.name, minus) : walk(i)));
        default:
          return false;
      }
    };
    if (!walk(e)) return undefined;
    for (const t of minus) plus.delete(t);
    return plus;
  }

  /** Plain names of a set (classes, roles), or undefined for `*`, `~`, `-` or a role attribute. */
  plain(e: NameExpr | undefined, fallback: string[]): string[] | undefined {
    if (e === undefined) return fallback;
    if (e.kind === 'ident') return this.roleAttributes.has(e.name) ? undefined : [e.name];
    if (e.kind !== 'set') return undefined;
    const out: string[] = [];
    for (const i of e.items) {
      const sub = i.kind === 'exclude' ? undefined : this.plain(i, []);
      if (sub === undefined) return undefined;
      out.push(...sub);
    }
    return out;
  }

  /** True when the rule's target is `self` alone or a set holding it (checkmodule adds (s, s) pairs). */
  hasSelf(e: NameExpr): boolean {
    if (e.kind === 'ident') return e.name === 'self';
    return e.kind === 'set' && e.items.some((i) => i.kind !== 'exclude' && this.hasSelf(i));
  }

  withoutSelf(e: NameExpr): NameExpr | undefined {
    if (e.kind === 'ident') return e.name === 'self' ? undefined : e;
    if (e.kind !== 'set') return e;
    const items = e.items.filter((i) => !(i.kind === 'ident' && i.name === 'self'));
    return items.length === 0 ? undefined : { ...e, items };
  }

  first(key: string, rule: NodeBase, say: () => [string, string]): boolean {
    const before = this.seen.get(key);
    if (before === undefined) {
      this.seen.set(key, rule);
      return false;
    }
    const [message, checkmoduleSays] = say();
    this.report('te-duplicate-transition', `${message}, already given at ${before.span.file}:${before.span.line}`, rule, [`checkmodule says: ${checkmoduleSays}`], {});
    return true;
  }

  nameTransition(s: Extract<Statement, { kind: 'typerule' }>, name: string): void {
    const sources = this.types(s.source);
    const rest = this.withoutSelf(s.target);
    const targets = rest === undefined ? new Set<string>() : this.types(rest);
    const classes = this.plain(s.classes, []);
    if (sources === undefined || targets === undefined || classes === undefined) return;
    const self = this.hasSelf(s.target);
    for (const c of classes) {
      for (const src of sources) {
        const pairs = [...targets, ...(self ? [src] : [])];
        for (const t of pairs) {
          if (
            this.first(`n\0${name}\0${src}\0${t}\0${c}`, s, () => [
              `a second name transition for "${name}" from ${src} on ${t}:${c}`,
              `duplicate filename transition for: filename_trans ${name} ${src} ${t}:${c}`,
            ])
          )
            return;
        }
      }
    }
  }

  roleTransition(s: Extract<Statement, { kind: 'role_transition' }>): void {
    const roles = this.plain(s.roles, []);
    const types = this.types(s.types);
    const classes = this.plain(s.classes, ['process']);
    if (roles === undefined || types === undefined || classes === undefined) return;
    for (const r of roles) {
      for (const t of types) {
        for (const c of classes) {
          if (this.first(`r\0${r}\0${t}\0${c}`, s, () => [`a second role transition for ${r} on ${t}:${c}`, `duplicate role transition for (${r},${t},${c})`])) return;
        }
      }
    }
  }

  check(list: readonly Statement[]): void {
    for (const s of list) {
      if (s.kind === 'typerule' && s.rule === 'type_transition' && s.fileName !== undefined) this.nameTransition(s, s.fileName.value);
      else if (s.kind === 'role_transition') this.roleTransition(s);
      else if (s.kind === 'if') {
        this.check(s.then.statements);
        if (s.else) this.check(s.else.statements);
      } else if (s.kind === 'optional') {
        this.check(s.body.statements);
        if (s.else) this.check(s.else.statements);
      }
    }
  }
}

function aliasNames(e: NameExpr | undefined): string[] {
  if (e === undefined) return [];
  if (e.kind === 'ident') return [e.name];
  if (e.kind === 'set') return e.items.flatMap((i) => (i.kind === 'exclude' ? [] : aliasNames(i)));
  return [];
}

/** Reports every name transition and role transition the module gives twice (see the file's head). */
export function checkTransitions(ast: ModuleAst, report: Report): void {
  const t = new TransitionChecker(report);
  t.collect(ast.statements, true);
  t.check(ast.statements);
}
