// The module language's syntax tree -> the module IR (src/selinux/ir/): every
// statement in its order with its span, `if` and `optional` blocks with their
// statements, requires where they were written (RequireStatements, in the
// order checkmodule numbers their symbols; the Block.require of a lowered
// module is never set, so that requires keep their places and their spans).
// Lowering takes what is well-formed and leaves out what the IR cannot hold
// as checkmodule means it, each with a `te-not-lowered` warning
// (options.onDiagnostic): statements only a base policy holds, a `module`
// line after the first statement, declarations and blocks inside `if`,
// operators where only names may stand (`:~file`, `allow { r -q } q`), an
// empty optional `else`. The checks (../check/) say what is wrong with those;
// the lowering never throws on any tree the parser makes.
import { type Diagnostic, diagnostic } from '../../../../base/diagnostic.js';
import type { Span } from '../../../../base/span.js';
import { type AvRule, type Conditional, type ConditionalRule, type Module, markShared, type Optional, type RequireStatement, type Statement, type XpermRule } from '../../../ir/index.js';
import type * as te from '../ast.js';
import { deepFreeze, isKeptBlock } from '../kept/blockCache.js';
import { nameList, permList, plainNames } from './names.js';
import { lowerCondition, lowerLevel, lowerRange, lowerXperms, NotLowered } from './values.js';

export interface LowerOptions {
  /** Receives a `te-not-lowered` warning for each statement (or require item) left out, its syntax tree kind as `data.node`. */
  onDiagnostic?: (d: Diagnostic) => void;
}

/** Plain names, or NotLowered naming what they are (`classes`, `roles`...). */
function plain(e: te.NameExpr, what: string): string[] {
  const names = plainNames(e);
  if (names === undefined) throw new NotLowered(`${what} must be plain names ('*', '~' and '-' are not allowed there)`);
  return names;
}

/** Sets `list` under `key` only when it is non-empty (the IR's normal form). */
function nonEmpty<T extends object, K extends keyof T>(target: T, key: K, list: T[K] & unknown[]): void {
  if (list.length > 0) target[key] = list;
}

const REQUIRE_FIELDS = {
  type: 'types',
  attribute: 'attributes',
  role: 'roles',
  attribute_role: 'attributeRoles',
  user: 'users',
  bool: 'bools',
  tunable: 'tunables',
  sensitivity: 'sensitivities',
  category: 'categories',
} as const satisfies Record<te.RequireKind, keyof RequireStatement>;

/** The require list printed after `field` that shares its symbol table (types and attributes, roles and role attributes, booleans and tunables). */
const PRINTED_AFTER: Partial<Record<keyof RequireStatement, 'attributes' | 'attributeRoles' | 'tunables'>> = { types: 'attributes', roles: 'attributeRoles', bools: 'tunables' };

/** What kept require blocks (../kept/blockCache.ts) lower to, frozen: the same for every module that shares the block. */
const keptLowering = new WeakMap<te.RequireStatement, readonly RequireStatement[]>();

class Lowerer {
  /** Nodes left out so far. */
  private skipped = 0;

  constructor(readonly options: LowerOptions) {}

  /** Reports a node left out; `data.node` is its syntax tree kind (`baseOnly`, `typerule`, `requireClass`, ...). */
  skip(node: te.Statement | te.RequireItem | te.Block, why: string): undefined {
    this.skipped++;
    this.options.onDiagnostic?.(diagnostic('warning', 'te-not-lowered', `left out of the module IR: ${why}`, { span: node.span, data: { node: node.kind } }));
    return undefined;
  }

  /** A block's statements, each lowered or left out. */
  statements(list: readonly te.Statement[]): Statement[] {
    const out: Statement[] = [];
    for (const s of list) {
      if (s.kind === 'require') {
        out.push(...this.requires(s));
        continue;
      }
      const st = this.guarded(s, () => this.statement(s));
      if (st !== undefined) out.push(st);
    }
    return out;
  }

  /** An `if` branch: rules and requires only (the IR's ConditionalRule). */
  conditionalRules(list: readonly te.Statement[]): ConditionalRule[] {
    const out: ConditionalRule[] = [];
    for (const s of list) {
      if (s.kind !== 'avrule' && s.kind !== 'xpermrule' && s.kind !== 'typerule' && s.kind !== 'require') {
        this.skip(s, `${s.kind === 'baseOnly' ? s.keyword : s.kind} cannot stand inside an if block (rules and requires only)`);
        continue;
      }
      if (s.kind === 'require') {
        out.push(...this.requires(s));
        continue;
      }
      const st = this.guarded(s, () => this.statement(s) as ConditionalRule | undefined);
      if (st !== undefined) out.push(st);
    }
    return out;
  }

  guarded<T>(s: Exclude<te.Statement, te.RequireStatement>, lower: () => T | undefined): T | undefined {
    try {
      return lower();
    } catch (e) {
      if (e instanceof NotLowered) return this.skip(s, e.why);
      throw e;
    }
  }

  /** A statement other than a require block (requires()). */
  statement(s: Exclude<te.Statement, te.RequireStatement>): Statement | undefined {
    const span: Span = s.span;
    switch (s.kind) {
      case 'module':
        return this.skip(s, 'a module statement after the first statement');
      case 'baseOnly':
        return this.skip(s, `${s.keyword} is only allowed in a base policy`);
      case 'type': {
        const st: Statement = { kind: 'type', name: s.name.name, span };
        if (s.aliases) nonEmpty(st, 'aliases', plain(s.aliases, 'aliases'));
        nonEmpty(
          st,
          'attributes',
          s.attributes.map((a) => a.name),
        );
        return st;
      }
      case 'typealias':
        return { kind: 'typealias', type: s.type.name, aliases: plain(s.aliases, 'aliases'), span };
      case 'attribute':
      case 'attribute_role':
        return { kind: s.kind, name: s.name.name, span };
      case 'typeattribute':
        return { kind: 'typeattribute', type: s.subject.name, attributes: s.attributes.map((a) => a.name), span };
      case 'roleattribute':
        return { kind: 'roleattribute', role: s.subject.name, attributes: s.attributes.map((a) => a.name), span };
      case 'expandattribute':
        return { kind: 'expandattribute', attributes: plain(s.attributes, 'attributes'), expand: s.value, span };
      case 'typebounds':
        return { kind: 'typebounds', type: s.bounding.name, bounded: s.bounded.map((b) => b.name), span };
      case 'permissive':
        return { kind: 'permissive', type: s.type.name, span };
      case 'bool':
        return { kind: 'bool', name: s.name.name, default: s.value, span };
      case 'tunable':
        return { kind: 'bool', name: s.name.name, default: s.value, tunable: true, span };
      case 'avrule': {
        const perms = permList(s.perms);
        if (perms === undefined) throw new NotLowered("permissions may not be excluded with '-'");
        const st: AvRule = { kind: 'av', rule: s.rule, sources: nameList(s.source), targets: nameList(s.target), classes: plain(s.classes, 'classes'), perms: perms.perms, span };
        if (perms.complement) st.permsComplement = true;
        return st;
      }
      case 'xpermrule': {
        const st: XpermRule = {
          kind: 'xperm',
          rule: s.rule,
          sources: nameList(s.source),
          targets: nameList(s.target),
          classes: plain(s.classes, 'classes'),
          operation: s.operation.name,
          ranges: lowerXperms(s.perms),
          span,
        };
        return st;
      }
      case 'typerule': {
        const st: Statement = { kind: 'typerule', rule: s.rule, sources: nameList(s.source), targets: nameList(s.target), classes: plain(s.classes, 'classes'), result: s.result.name, span };
        if (s.fileName !== undefined) st.objectName = s.fileName.value;
        return st;
      }
      case 'range_transition':
        return { kind: 'range_transition', sources: nameList(s.source), targets: nameList(s.target), classes: s.classes ? plain(s.classes, 'classes') : [], range: lowerRange(s.range), span };
      case 'role':
        if (s.types !== undefined) return { kind: 'roletypes', role: s.name.name, types: nameList(s.types), span };
        return s.attributes.length > 0 ? { kind: 'role', name: s.name.name, attributes: s.attributes.map((a) => a.name), span } : { kind: 'role', name: s.name.name, span };
      case 'role_transition':
        return { kind: 'role_transition', roles: plain(s.roles, 'roles'), types: nameList(s.types), classes: s.classes ? plain(s.classes, 'classes') : [], result: s.result.name, span };
      case 'roleallow':
        return { kind: 'role_allow', roles: plain(s.from, 'roles'), newRoles: plain(s.to, 'roles'), span };
      case 'user': {
        const st: Statement = { kind: 'user', name: s.name.name, roles: plain(s.roles, 'roles'), span };
        if (s.level !== undefined && s.range !== undefined) st.mls = { level: lowerLevel(s.level), range: lowerRange(s.range) };
        return st;
      }
      case 'if':
        return this.conditional(s);
      case 'optional':
        return this.optional(s);
    }
  }

  /**
   * A require block as one require statement, or several in a row where one
   * would lose the order checkmodule numbers symbols in: the printer writes
   * types before attributes, roles before role attributes and booleans
   * before tunables (each pair one symbol table), so `attribute x; type a;`
   * becomes two statements.
   */
  requires(s: te.RequireStatement): readonly RequireStatement[] {
    if (!isKeptBlock(s)) return this.requiresOf(s);
    const known = keptLowering.get(s);
    if (known !== undefined) return known;
    const skipped = this.skipped;
    const made = this.requiresOf(s);
    // Kept only when nothing was left out: the warnings are the module's to see, each time.
    if (this.skipped === skipped) {
      keptLowering.set(s, deepFreeze(made));
      for (const st of made) markShared(st);
    }
    return made;
  }

  private requiresOf(s: te.RequireStatement): RequireStatement[] {
    const fresh = (): RequireStatement => ({ kind: 'require', types: [], classes: [], roles: [], span: s.span });
    const out: RequireStatement[] = [fresh()];
    for (const item of s.items) {
      let req = out[out.length - 1] as RequireStatement;
      if (item.kind === 'requireClass') {
        const perms = plainNames(item.perms);
        if (perms === undefined) this.skip(item, `class ${item.name.name}: required permissions must be plain names`);
        else req.classes.push([item.name.name, perms]);
        continue;
      }
      const field = REQUIRE_FIELDS[item.what];
      const printedAfter = PRINTED_AFTER[field];
      if (printedAfter !== undefined && (req[printedAfter]?.length ?? 0) > 0) {
        req = fresh();
        out.push(req);
      }
      const list = req[field] ?? [];
      list.push(...item.names.map((n) => n.name));
      req[field] = list;
    }
    // A require with nothing left would print as nothing (checkmodule refuses `require { }`).
    const kept = out.filter((req) => Object.values(req).some((v) => Array.isArray(v) && v.length > 0));
    if (kept.length === 0) this.skip(s, 'nothing in the require block could be lowered');
    return kept;
  }

  conditional(s: te.IfStatement): Conditional {
    const st: Conditional = { kind: 'conditional', condition: lowerCondition(s.condition), whenTrue: this.conditionalRules(s.then.statements), span: s.span };
    if (s.else !== undefined) st.whenFalse = this.conditionalRules(s.else.statements);
    return st;
  }

  optional(s: te.OptionalStatement): Optional {
    const st: Optional = { kind: 'optional', statements: this.statements(s.body.statements), span: s.span };
    if (s.else !== undefined) {
      const rest = this.statements(s.else.statements);
      // checkmodule refuses `else { }`; an empty branch is no branch.
      if (rest.length > 0) st.else = rest;
      else this.skip(s.else, 'an empty else branch');
    }
    return st;
  }
}

/** A parsed `.te` file as a module of the IR (layout 'written'), its name and version from its `module` line. */
export function lowerModule(ast: te.ModuleAst, options: LowerOptions = {}): Module {
  const module: Module = { layout: 'written', statements: new Lowerer(options).statements(ast.statements) };
  if (ast.header !== undefined) {
    module.name = ast.header.name.name;
    module.version = ast.header.version;
  }
  return module;
}
