// Name resolution as checkmodule does it: every type, attribute, alias, role,
// boolean and class a statement uses must be declared or required in the
// scope of its block, and every permission must be one the module requires
// for its class. Scopes: the module's global block; each `optional` body and
// each `optional ... else` body is a block of its own that sees its enclosing
// blocks (the else body sees the optional's parent, not the optional). An
// `if` branch is no block: its requires belong to the enclosing block, as
// checkmodule adds them to the current declaration. Like checkmodule, which
// records declarations and requires in a first pass, the order of statements
// does not matter (a require after the rule that needs it is fine), except for
// what checkmodule reads in that first pass: the attributes of `type` and
// `role`, `typeattribute`, `roleattribute` and the type of `typealias` see
// only what is declared or required above them.
//
// Permissions are not scoped: checkmodule accepts a permission required for
// its class anywhere in the module (`permission X is not defined for class C`
// when no require names it). The operation of an xperm rule is a permission
// too (ioctl). Not here: MLS levels and the `process` class of legacy rules
// (mls.ts), the kind of name each place takes (kinds.ts), `self` (sets.ts).
import type { DiagnosticCode } from '../../../../base/diagnostic.js';
import type { Block, CondExpr, Ident, ModuleAst, NameExpr, NodeBase, RequireKind, Statement } from '../ast.js';
import { positives } from './names.js';

/** checkmodule's symbol tables a module's names live in. */
export type NameSpace = 'type' | 'role' | 'bool' | 'class' | 'user';

export type Report = (code: DiagnosticCode, message: string, at: NodeBase, notes?: string[], data?: Record<string, string>) => void;

/** A block: what it declares or requires, by name space (with the offset of the first place), and its enclosing block. */
interface Scope {
  parent: Scope | undefined;
  names: Map<NameSpace, Map<string, number>>;
}

const REQUIRE_SPACE: Record<RequireKind, NameSpace | undefined> = {
  type: 'type',
  attribute: 'type',
  role: 'role',
  attribute_role: 'role',
  bool: 'bool',
  tunable: 'bool',
  user: 'user',
  sensitivity: undefined,
  category: undefined,
};

const WHAT: Record<NameSpace, string> = { type: 'type', role: 'role', bool: 'boolean', class: 'class', user: 'user' };

function newScope(parent: Scope | undefined): Scope {
  return { parent, names: new Map() };
}

function add(scope: Scope, space: NameSpace, id: Ident): void {
  let map = scope.names.get(space);
  if (map === undefined) scope.names.set(space, (map = new Map()));
  const before = map.get(id.name);
  if (before === undefined || id.start < before) map.set(id.name, id.start);
}

class Resolver {
  /** Every name declared or required anywhere in the module: unknown versus out of scope. */
  readonly anywhere = newScope(undefined);
  /** The permissions required for each class, anywhere in the module. */
  readonly perms = new Map<string, Set<string>>();
  /** The scope of each optional/else body, found by the first pass. */
  readonly scopes = new Map<Block, Scope>();

  constructor(readonly report: Report) {}

  // ---- First pass: what each block declares and requires.

  collect(list: readonly Statement[], scope: Scope): void {
    for (const s of list) this.collectOne(s, scope);
  }

  declare(scope: Scope, space: NameSpace, id: Ident): void {
    add(scope, space, id);
    add(this.anywhere, space, id);
  }

  collectOne(s: Statement, scope: Scope): void {
    switch (s.kind) {
      case 'require':
        for (const item of s.items) {
          if (item.kind === 'requireClass') {
            this.declare(scope, 'class', item.name);
            let set = this.perms.get(item.name.name);
            if (set === undefined) this.perms.set(item.name.name, (set = new Set()));
            for (const p of positives(item.perms)) set.add(p.name);
          } else {
            const space = REQUIRE_SPACE[item.what];
            if (space !== undefined) for (const n of item.names) this.declare(scope, space, n);
          }
        }
        return;
      case 'type':
        this.declare(scope, 'type', s.name);
        if (s.aliases) for (const a of positives(s.aliases)) this.declare(scope, 'type', a);
        return;
      case 'typealias':
        for (const a of positives(s.aliases)) this.declare(scope, 'type', a);
        return;
      case 'attribute':
        this.declare(scope, 'type', s.name);
        return;
      case 'attribute_role':
        this.declare(scope, 'role', s.name);
        return;
      case 'bool':
      case 'tunable':
        this.declare(scope, 'bool', s.name);
        return;
      case 'role':
        // `role r types t;` uses r (checkmodule: unknown role r); `role r;` declares it.
        if (s.types === undefined) this.declare(scope, 'role', s.name);
        return;
      case 'user':
        this.declare(scope, 'user', s.name);
        return;
      case 'if':
        // No block of its own: its requires are the enclosing block's.
        this.collect(s.then.statements, scope);
        if (s.else) this.collect(s.else.statements, scope);
        return;
      case 'optional': {
        const body = newScope(scope);
        this.scopes.set(s.body, body);
        this.collect(s.body.statements, body);
        if (s.else) {
          const other = newScope(scope);
          this.scopes.set(s.else, other);
          this.collect(s.else.statements, other);
        }
        return;
      }
      default:
    }
  }

  // ---- Second pass: every name used, against its scope.

  /** The first offset where the name is declared or required in the scope or around it, or undefined. */
  inScope(scope: Scope, space: NameSpace, name: string): number | undefined {
    let first: number | undefined;
    for (let s: Scope | undefined = scope; s !== undefined; s = s.parent) {
      const at = s.names.get(space)?.get(name);
      if (at !== undefined && (first === undefined || at < first)) first = at;
    }
    return first;
  }

  /**
   * A name used by a statement checkmodule reads in its first pass (`keyword`): it must be
   * declared or required above the statement.
   */
  useEarly(scope: Scope, space: NameSpace, id: Ident, keyword: string, what = WHAT[space]): boolean {
    const at = this.inScope(scope, space, id.name);
    if (at === undefined || at < id.start) return this.use(scope, space, id, what);
    this.report(
      'te-unknown-name',
      `${what} ${id.name} is not declared before this ${keyword}`,
      id,
      [`checkmodule reads ${keyword} in its first pass, where only what stands above it is known: move the declaration or require of ${id.name} above this line`],
      { space, name: id.name, reason: 'declared-later' },
    );
    return false;
  }

  /** `what` names the name in messages (an attribute lives in the type name space). */
  use(scope: Scope, space: NameSpace, id: Ident, what = WHAT[space]): boolean {
    // `self` is no declared type: sets.ts says where it may stand.
    if (space === 'type' && id.name === 'self') return false;
    if (this.inScope(scope, space, id.name) !== undefined) return true;
    if (this.anywhere.names.get(space)?.has(id.name) === true) {
      this.report(
        'te-unknown-name',
        `${what} ${id.name} is not within scope`,
        id,
        [`${id.name} is declared or required in another optional block only; require it here too (require { ${space} ${id.name}; })`],
        { space, name: id.name, reason: 'out-of-scope' },
      );
    } else {
      this.report('te-unknown-name', `unknown ${what} ${id.name}`, id, [`declare it or require it: require { ${space} ${id.name}; }`], {
        space,
        name: id.name,
        reason: 'unknown',
      });
    }
    return false;
  }

  names(scope: Scope, space: NameSpace, e: NameExpr | undefined, what = WHAT[space]): Ident[] {
    if (e === undefined) return [];
    const known: Ident[] = [];
    for (const id of allIdents(e)) {
      if (this.use(scope, space, id, what)) known.push(id);
    }
    return known;
  }

  /** The permissions of a rule, for each class it names that is in scope. */
  permissions(classes: Ident[], perms: NameExpr): void {
    const ids = allIdents(perms);
    for (const c of classes) {
      const required = this.perms.get(c.name);
      for (const p of ids) {
        if (required?.has(p.name) === true) continue;
        this.report(
          'te-unknown-permission',
          `permission ${p.name} is not defined for class ${c.name}`,
          p,
          [`the module requires no permission ${p.name} for ${c.name}: add it to the class's require (require { class ${c.name} ${p.name}; })`],
          { class: c.name, permission: p.name },
        );
      }
    }
  }

  cond(scope: Scope, e: CondExpr): void {
    if (e.kind === 'bool') this.use(scope, 'bool', e.name);
    else if (e.kind === 'not') this.cond(scope, e.operand);
    else {
      this.cond(scope, e.left);
      this.cond(scope, e.right);
    }
  }

  check(list: readonly Statement[], scope: Scope): void {
    for (const s of list) this.checkOne(s, scope);
  }

  checkOne(s: Statement, scope: Scope): void {
    switch (s.kind) {
      case 'type':
        for (const a of s.attributes) this.useEarly(scope, 'type', a, 'type statement', 'attribute');
        return;
      case 'typealias':
        this.useEarly(scope, 'type', s.type, 'typealias');
        return;
      case 'typeattribute':
        this.useEarly(scope, 'type', s.subject, 'typeattribute');
        for (const a of s.attributes) this.useEarly(scope, 'type', a, 'typeattribute', 'attribute');
        return;
      case 'roleattribute':
        this.useEarly(scope, 'role', s.subject, 'roleattribute');
        for (const a of s.attributes) this.useEarly(scope, 'role', a, 'roleattribute', 'role attribute');
        return;
      case 'expandattribute':
        this.names(scope, 'type', s.attributes, 'attribute');
        return;
      case 'typebounds':
        this.use(scope, 'type', s.bounding);
        for (const b of s.bounded) this.use(scope, 'type', b);
        return;
      case 'permissive':
        this.use(scope, 'type', s.type);
        return;
      case 'avrule': {
        this.names(scope, 'type', s.source);
        this.names(scope, 'type', s.target);
        const classes = this.names(scope, 'class', s.classes);
        this.permissions(classes, s.perms);
        return;
      }
      case 'xpermrule': {
        this.names(scope, 'type', s.source);
        this.names(scope, 'type', s.target);
        // The operation is a permission of each class (ioctl), and the only one checkmodule takes.
        const classes = this.names(scope, 'class', s.classes);
        this.permissions(classes, s.operation);
        if (s.operation.name !== 'ioctl') {
          this.report(
            'te-xperm-operation',
            `${s.operation.name} is no extended permission operation: only ioctl is`,
            s.operation,
            ['checkmodule says: only ioctl extended permissions are supported'],
            {
              operation: s.operation.name,
            },
          );
        }
        return;
      }
      case 'typerule':
        this.names(scope, 'type', s.source);
        this.names(scope, 'type', s.target);
        this.names(scope, 'class', s.classes);
        this.use(scope, 'type', s.result);
        return;
      case 'range_transition':
        this.names(scope, 'type', s.source);
        this.names(scope, 'type', s.target);
        this.names(scope, 'class', s.classes);
        return;
      case 'role':
        if (s.types !== undefined) {
          this.use(scope, 'role', s.name);
          this.names(scope, 'type', s.types);
        }
        for (const a of s.attributes) this.useEarly(scope, 'role', a, 'role statement', 'role attribute');
        return;
      case 'role_transition':
        this.names(scope, 'role', s.roles);
        this.names(scope, 'type', s.types);
        this.names(scope, 'class', s.classes);
        this.use(scope, 'role', s.result);
        return;
      case 'roleallow':
        this.names(scope, 'role', s.from);
        this.names(scope, 'role', s.to);
        return;
      case 'user':
        this.names(scope, 'role', s.roles);
        return;
      case 'if':
        this.cond(scope, s.condition);
        this.check(s.then.statements, scope);
        if (s.else) this.check(s.else.statements, scope);
        return;
      case 'optional':
        this.check(s.body.statements, this.scopes.get(s.body) ?? scope);
        if (s.else) this.check(s.else.statements, this.scopes.get(s.else) ?? scope);
        return;
      default:
    }
  }
}

/** Every name an expression mentions, excluded ones and complements included. */
function allIdents(e: NameExpr, out: Ident[] = []): Ident[] {
  // Pushed into one array: this runs for every name list of every module.
  switch (e.kind) {
    case 'ident':
      out.push(e);
      break;
    case 'set':
      for (const i of e.items) {
        if (i.kind === 'ident') out.push(i);
        else if (i.kind === 'exclude') out.push(i.name);
        else allIdents(i, out);
      }
      break;
    case 'star':
      break;
    case 'complement':
      allIdents(e.operand, out);
      break;
    case 'minus':
      out.push(e.left, e.right);
      break;
  }
  return out;
}

/** Reports every name of the module that is neither declared nor required in its scope (see the file's head). */
export function resolveNames(ast: ModuleAst, report: Report): void {
  const r = new Resolver(report);
  const global = newScope(undefined);
  r.collect(ast.statements, global);
  r.check(ast.statements, global);
}
