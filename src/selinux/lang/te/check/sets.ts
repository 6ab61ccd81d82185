// Where `self`, `*`, `~` and `-` may stand, as checkmodule (3.4) reads them:
// `self` only among the target types of the access rules and of
// type_transition, type_member and type_change, never excluded there (`-self
// is not supported`), never declared; elsewhere it is an unknown type.
// `*` and `~` only in the type sets of neverallow and neverallowxperm; type
// sets elsewhere take `-` only; role sets, the roles of a user, classes and
// expandattribute take none of them (checkmodule reads `*`, `~` or `-` there
// as a name: `unknown class *`, `unknown role -`); permissions take `*` and
// `~` but not `-`.
import type { Ident, ModuleAst, NameExpr, NodeBase, Statement } from '../ast.js';
import { innerStatements, positives } from './names.js';
import type { Report } from './scope.js';

/** A type set's place: whether it takes `*` and `~`, and whether it takes `self`. */
interface TypeSetPlace {
  keyword: string;
  star: boolean;
  self: boolean;
}

const SELF_PLACES = 'self stands only among the target types of allow, auditallow, dontaudit, neverallow, the xperm rules, type_transition, type_member and type_change';

class SetChecker {
  constructor(readonly report: Report) {}

  self(id: Ident, keyword: string, excluded = false): void {
    const data: Record<string, string> = { statement: keyword };
    if (excluded) {
      this.report('te-self', `self cannot be excluded from the target types of ${keyword}`, id, ['checkmodule says: -self is not supported'], data);
    } else {
      this.report('te-self', `self is not allowed here in ${keyword}: ${SELF_PLACES}`, id, ['checkmodule says: unknown type self'], data);
    }
  }

  /** One name where `keyword` takes a type or an attribute, never self. */
  notSelf(id: Ident, keyword: string): void {
    if (id.name === 'self') this.self(id, keyword);
  }

  declared(id: Ident): void {
    if (id.name === 'self') this.report('te-self', 'self cannot be declared: it is a reserved type name', id, ['checkmodule says: "self" is a reserved type name.'], { name: 'self' });
  }

  operator(at: NodeBase, op: string, where: string, checkmoduleSays: string): void {
    this.report('te-set-operator', `${op} is not allowed in ${where}`, at, [`checkmodule says: ${checkmoduleSays}`], { operator: op });
  }

  /** A type set: `*` and `~` where the place takes them, `self` where it does (never excluded). */
  typeSet(e: NameExpr, place: TypeSetPlace, excluded = false): void {
    switch (e.kind) {
      case 'ident':
        if (e.name !== 'self') return;
        if (!place.self) this.self(e, place.keyword);
        else if (excluded) this.self(e, place.keyword, true);
        return;
      case 'star':
        if (!place.star) this.operator(e, '*', `the types of ${place.keyword} (only neverallow takes it)`, '* not allowed in this type of rule');
        return;
      case 'complement':
        if (!place.star) this.operator(e, '~', `the types of ${place.keyword} (only neverallow takes it)`, '~ not allowed in this type of rule');
        this.typeSet(e.operand, place, excluded);
        return;
      case 'minus':
        this.typeSet(e.left, place, excluded);
        this.typeSet(e.right, place, true);
        return;
      case 'set':
        for (const i of e.items) {
          if (i.kind === 'exclude') this.typeSet(i.name, place, true);
          else this.typeSet(i, place, excluded);
        }
    }
  }

  /** A set checkmodule reads name by name (roles, classes, permissions, attributes): the operators it refuses. */
  plainSet(e: NameExpr, refuse: { star: boolean; minus: boolean }, where: string, says: (op: string) => string): void {
    switch (e.kind) {
      case 'ident':
        return;
      case 'star':
        if (refuse.star) this.operator(e, '*', where, says('*'));
        return;
      case 'complement':
        if (refuse.star) this.operator(e, '~', where, says('~'));
        this.plainSet(e.operand, refuse, where, says);
        return;
      case 'minus':
        if (refuse.minus) this.operator(e, '-', where, says('-'));
        return;
      case 'set':
        for (const i of e.items) {
          if (i.kind === 'exclude') {
            if (refuse.minus) this.operator(i, '-', where, says('-'));
          } else this.plainSet(i, refuse, where, says);
        }
    }
  }

  roleSet(e: NameExpr, keyword: string): void {
    this.plainSet(e, { star: true, minus: true }, `the roles of ${keyword}`, (op) => (op === '-' ? 'unknown role -' : `${op} is not allowed for role sets`));
  }

  classes(e: NameExpr | undefined): void {
    if (e !== undefined) this.plainSet(e, { star: true, minus: true }, 'a set of classes', (op) => `unknown class ${op}`);
  }

  check(list: readonly Statement[]): void {
    for (const s of list) this.checkOne(s);
  }

  checkOne(s: Statement): void {
    switch (s.kind) {
      case 'type':
        // Only types and attributes: checkmodule takes an alias named self.
        this.declared(s.name);
        for (const a of s.attributes) this.notSelf(a, 'type');
        return;
      case 'attribute':
        this.declared(s.name);
        return;
      case 'typealias':
        this.notSelf(s.type, 'typealias');
        return;
      case 'typeattribute':
        this.notSelf(s.subject, 'typeattribute');
        for (const a of s.attributes) this.notSelf(a, 'typeattribute');
        return;
      case 'expandattribute':
        this.plainSet(s.attributes, { star: true, minus: true }, 'the attributes of expandattribute', (op) => `attribute ${op} is not declared`);
        for (const a of positives(s.attributes)) this.notSelf(a, 'expandattribute');
        return;
      case 'typebounds':
        this.notSelf(s.bounding, 'typebounds');
        for (const b of s.bounded) this.notSelf(b, 'typebounds');
        return;
      case 'permissive':
        this.notSelf(s.type, 'permissive');
        return;
      case 'avrule':
      case 'xpermrule': {
        const never = s.rule === 'neverallow' || s.rule === 'neverallowxperm';
        this.typeSet(s.source, { keyword: s.rule, star: never, self: false });
        this.typeSet(s.target, { keyword: s.rule, star: never, self: true });
        this.classes(s.classes);
        if (s.kind === 'avrule') {
          const cls = positives(s.classes)[0]?.name ?? 'C';
          this.plainSet(s.perms, { star: false, minus: true }, 'a set of permissions', () => `permission - is not defined for class ${cls}`);
        }
        return;
      }
      case 'typerule':
        this.typeSet(s.source, { keyword: s.rule, star: false, self: false });
        this.typeSet(s.target, { keyword: s.rule, star: false, self: true });
        this.classes(s.classes);
        this.notSelf(s.result, s.rule);
        return;
      case 'range_transition':
        this.typeSet(s.source, { keyword: 'range_transition', star: false, self: false });
        this.typeSet(s.target, { keyword: 'range_transition', star: false, self: false });
        this.classes(s.classes);
        return;
      case 'role':
        if (s.types !== undefined) this.typeSet(s.types, { keyword: 'role ... types', star: false, self: false });
        return;
      case 'role_transition':
        this.roleSet(s.roles, 'role_transition');
        this.typeSet(s.types, { keyword: 'role_transition', star: false, self: false });
        this.classes(s.classes);
        return;
      case 'roleallow':
        this.roleSet(s.from, 'a role allow rule');
        this.roleSet(s.to, 'a role allow rule');
        return;
      case 'user':
        this.plainSet(s.roles, { star: true, minus: true }, 'the roles of a user', (op) => (op === '-' ? 'unknown role -' : `${op} is not allowed in user declarations`));
        return;
      default:
        for (const list of innerStatements(s)) this.check(list);
    }
  }
}

/** Reports every `self`, `*`, `~` and `-` where checkmodule refuses it (see the file's head). */
export function checkSets(ast: ModuleAst, report: Report): void {
  new SetChecker(report).check(ast.statements);
}
