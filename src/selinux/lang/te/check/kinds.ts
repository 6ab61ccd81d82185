// What kind of name each place of a statement takes, as checkmodule (3.4)
// checks it once the name is known: a type where a type is needed (an
// attribute cannot be given attributes, be the new type of a transition, be
// permissive...), an attribute where an attribute is needed, the same for
// roles and role attributes; a name required as one kind and required or
// declared as the other; periods in names (booleans and aliases may have
// none; `x.y` is bounded by `x`) and one bounding type per type. Whether a
// name is declared or required at all is scope.ts's job: a name unknown to
// the module is left alone here; `self`, `*`, `~` and `-` are sets.ts's. A
// name's kind is the module's (checkmodule keeps one symbol table per
// module): the kind it was first declared or required with.
//
// When the wrong name came through an interface or template call, the
// message names the call the user wrote that passed it (from the m4 origins).
import type { DiagnosticCode } from '../../../../base/diagnostic.js';
import type { Ident, ModuleAst, NodeBase, Statement } from '../ast.js';
import type { SourceMap } from '../source.js';
import { innerStatements, positives } from './names.js';
import type { Report } from './scope.js';

type Kind = 'type' | 'alias' | 'attribute' | 'role' | 'role attribute';

class KindChecker {
  /** The kind of each type and role name of the module. */
  readonly kinds = new Map<string, Kind>();
  readonly roleKinds = new Map<string, Kind>();
  /** Bounded type -> its bounding type. */
  readonly bounds = new Map<string, string>();
  /** The type and role names some require block names. */
  readonly required = new Set<string>();

  constructor(
    readonly report: Report,
    readonly map: SourceMap | undefined,
  ) {}

  // ---- What each name is.

  collect(list: readonly Statement[]): void {
    for (const s of list) {
      switch (s.kind) {
        case 'require':
          for (const item of s.items) {
            if (item.kind !== 'requireNames') continue;
            const into = item.what === 'type' || item.what === 'attribute' ? this.kinds : item.what === 'role' || item.what === 'attribute_role' ? this.roleKinds : undefined;
            const kind: Kind = item.what === 'type' ? 'type' : item.what === 'attribute' ? 'attribute' : item.what === 'role' ? 'role' : 'role attribute';
            if (into !== undefined) for (const n of item.names) this.setKind(into, n, kind, true);
          }
          break;
        case 'type':
          this.setKind(this.kinds, s.name, 'type', false);
          if (s.aliases) for (const a of positives(s.aliases)) this.alias(a);
          break;
        case 'typealias':
          for (const a of positives(s.aliases)) this.alias(a);
          break;
        case 'attribute':
          this.setKind(this.kinds, s.name, 'attribute', false);
          break;
        case 'attribute_role':
          this.setKind(this.roleKinds, s.name, 'role attribute', false);
          break;
        case 'role':
          if (s.types === undefined) this.setKind(this.roleKinds, s.name, 'role', false);
          break;
        case 'bool':
        case 'tunable':
          if (s.name.name.includes('.')) this.dotted(s.name, 'boolean');
          break;
        default:
          for (const list of innerStatements(s)) this.collect(list);
      }
    }
  }

  alias(a: Ident): void {
    if (a.name.includes('.')) this.dotted(a, 'type alias');
    if (!this.kinds.has(a.name)) this.kinds.set(a.name, 'alias');
  }

  dotted(id: Ident, what: string): void {
    this.say(
      'te-dotted-name',
      `${what} ${id.name} has a period in its name: only type names may (a period names the type that bounds it)`,
      id,
      [`checkmodule says: ${what} identifiers may not contain periods`],
      {
        name: id.name,
      },
    );
  }

  /**
   * Records a name's kind, the first one it gets. checkmodule refuses a name required as a type
   * (or role) and required or declared as an attribute, or the other way round, anywhere in the
   * module (declared twice is te-duplicate-declaration's).
   */
  setKind(map: Map<string, Kind>, id: Ident, kind: Kind, required: boolean): void {
    const before = map.get(id.name);
    if (before === undefined) {
      map.set(id.name, kind);
      if (required) this.required.add(id.name);
      return;
    }
    const attr = (k: Kind) => k === 'attribute' || k === 'role attribute';
    if (before === 'alias' || attr(before) === attr(kind) || !(required || this.required.has(id.name))) return;
    const other = map === this.kinds ? 'type' : 'role';
    const data: Record<string, string> = { name: id.name, first: before, now: kind };
    this.say(
      'te-kind-conflict',
      `${id.name} is used both as an attribute and as a ${other}: it was ${required ? 'required' : 'declared'} here as ${article(kind)}, and as ${article(before)} before`,
      id,
      [`checkmodule says: Identifier ${id.name} used as both an attribute and a ${other}`],
      data,
    );
  }

  // ---- Where the name came from.

  /**
   * The call the user wrote whose arguments held the name, as `macro (called at FILE:LINE:COL)`:
   * the outermost call of the chain written in the file where the name was written, before
   * it. Undefined when the name was written where it stands, or in a macro's body.
   */
  passedBy(id: Ident): { macro: string; at: string } | undefined {
    const o = this.map?.origin(id.start);
    if (o?.expansion === undefined) return undefined;
    const site = o.site;
    if (sameSite(o.expansion.site, site)) return undefined;
    let found: { macro: string; at: string } | undefined;
    for (let e: typeof o.expansion | undefined = o.expansion; e !== undefined; e = e.parent) {
      const c = e.site;
      if (c.file !== site.file) continue;
      if (c.line > site.line || (c.line === site.line && (c.column ?? 0) > (site.column ?? 0))) continue;
      found = { macro: e.macro, at: `${c.file}:${c.line}${c.column === undefined ? '' : `:${c.column}`}` };
    }
    return found;
  }

  /** `: MACRO, called at FILE:LINE:COL, passed it to KEYWORD` when a call passed the name, else ''. */
  via(id: Ident, keyword: string, data: Record<string, string>): string {
    const p = this.passedBy(id);
    if (p === undefined) return '';
    data.call = p.macro;
    data.callAt = p.at;
    return `: ${p.macro}, called at ${p.at}, passed it to ${keyword}`;
  }

  say(code: DiagnosticCode, message: string, at: NodeBase, notes: string[], data: Record<string, string>): void {
    this.report(code, message, at, notes, data);
  }

  // ---- Names that must be of one kind.

  /**
   * A type (or alias) where `keyword` takes one; `self` and attributes refused. `given`: the
   * attributes a typeattribute gives it.
   */
  needType(id: Ident, keyword: string, checkmoduleSays: string, given?: readonly Ident[]): void {
    if (this.kinds.get(id.name) !== 'attribute') return;
    const data: Record<string, string> = { name: id.name, statement: keyword };
    const via = this.via(id, keyword, data);
    const what = given !== undefined ? `${id.name} is an attribute, and an attribute cannot be given attributes` : `${id.name} is an attribute, and ${keyword} takes a type here`;
    const pass = via === '' ? 'name a type' : `pass ${data.call} a type`;
    const fix =
      given !== undefined ? `give ${given.map((a) => a.name).join(', ')} to the types of ${id.name} (typeattribute TYPE ${given.map((a) => a.name).join(', ')};), or ${pass}` : `${pass} here`;
    this.say('te-attribute-as-type', `${what}${via}`, id, [fix, `checkmodule says: ${checkmoduleSays.replace('%s', id.name)}`], data);
  }

  /** An attribute where `keyword` takes one. */
  needAttribute(id: Ident, keyword: string): void {
    const kind = this.kinds.get(id.name);
    if (kind !== 'type' && kind !== 'alias') return;
    const data: Record<string, string> = { name: id.name, statement: keyword };
    const via = this.via(id, keyword, data);
    this.say(
      'te-type-as-attribute',
      `${id.name} is a ${kind === 'alias' ? 'type alias' : 'type'}, not an attribute (${keyword} takes attributes here)${via}`,
      id,
      [`checkmodule says: ${id.name} is a type, not an attribute`],
      data,
    );
  }

  /** A role attribute where `keyword` takes one. */
  needRoleAttribute(id: Ident, keyword: string): void {
    if (this.roleKinds.get(id.name) !== 'role') return;
    const data: Record<string, string> = { name: id.name, statement: keyword };
    const via = this.via(id, keyword, data);
    this.say(
      'te-type-as-attribute',
      `${id.name} is a regular role, not a role attribute (${keyword} takes role attributes here)${via}`,
      id,
      [`checkmodule says: ${id.name} is a regular role, not an attribute`],
      data,
    );
  }

  // ---- Bounds.

  /** A type named `x.y` is bounded by `x`, which must be a type of the module. */
  dottedType(id: Ident): void {
    const prefix = id.name.slice(0, id.name.lastIndexOf('.'));
    const kind = this.kinds.get(prefix);
    if (kind === undefined || kind === 'attribute') {
      this.say(
        'te-dotted-name',
        `type ${id.name} has a period in its name, which makes ${prefix} the type that bounds it, and the module has no type ${prefix}`,
        id,
        [`declare or require the type ${prefix}, or name the type without a period`, `checkmodule says: hoge unknown type ${prefix}`],
        { name: id.name, bounds: prefix },
      );
      return;
    }
    this.bound(id, prefix);
  }

  /** A type has one bounding type (typebounds, or the name before its last period). */
  bound(id: Ident, bounding: string): void {
    const before = this.bounds.get(id.name);
    if (before === undefined) {
      this.bounds.set(id.name, bounding);
      return;
    }
    if (before === bounding) return;
    this.say(
      'te-typebounds-conflict',
      `type ${id.name} is bounded by ${bounding} here and by ${before} before: a type has one bounding type`,
      id,
      [`checkmodule says: type ${id.name} has inconsistent master {${before},${bounding}}`],
      { name: id.name, first: before, now: bounding },
    );
  }

  // ---- Statements.

  check(list: readonly Statement[]): void {
    for (const s of list) this.checkOne(s);
  }

  checkOne(s: Statement): void {
    switch (s.kind) {
      case 'type':
        for (const a of s.attributes) this.needAttribute(a, 'type');
        if (s.name.name.includes('.')) this.dottedType(s.name);
        return;
      case 'typealias':
        this.needType(s.type, 'typealias', 'unknown type %s, or it was already declared as an attribute');
        return;
      case 'typeattribute':
        this.needType(s.subject, 'typeattribute', 'unknown type %s', s.attributes);
        for (const a of s.attributes) this.needAttribute(a, 'typeattribute');
        return;
      case 'roleattribute':
        for (const a of s.attributes) this.needRoleAttribute(a, 'roleattribute');
        return;
      case 'expandattribute':
        for (const a of positives(s.attributes)) this.needAttribute(a, 'expandattribute');
        return;
      case 'typebounds':
        this.needType(s.bounding, 'typebounds', 'hoge unknown type %s');
        for (const b of s.bounded) {
          this.needType(b, 'typebounds', 'type %s is not declared');
          this.bound(b, s.bounding.name);
        }
        return;
      case 'permissive':
        this.needType(s.type, 'permissive', 'attributes may not be permissive: %s');
        return;
      case 'typerule':
        // checkmodule takes an attribute as the new type of a name transition (its lookup has no kind check).
        if (s.fileName === undefined) this.needType(s.result, s.rule, 'unknown type %s');
        return;
      case 'role':
        if (s.types === undefined && s.name.name.includes('.')) {
          const prefix = s.name.name.slice(0, s.name.name.lastIndexOf('.'));
          if (!this.roleKinds.has(prefix)) {
            this.say(
              'te-dotted-name',
              `role ${s.name.name} has a period in its name, which makes ${prefix} the role that bounds it, and the module has no role ${prefix}`,
              s.name,
              [`checkmodule says: role ${prefix} doesn't exist, is implicit bounds of ${s.name.name}`],
              { name: s.name.name, bounds: prefix },
            );
          }
        }
        for (const a of s.attributes) this.needRoleAttribute(a, 'role');
        return;
      case 'role_transition':
        if (this.roleKinds.get(s.result.name) === 'role attribute') {
          const data: Record<string, string> = { name: s.result.name, statement: 'role_transition' };
          const via = this.via(s.result, 'role_transition', data);
          this.say(
            'te-attribute-as-type',
            `${s.result.name} is a role attribute, and the new role of role_transition must be a regular role${via}`,
            s.result,
            [`checkmodule says: the new role ${s.result.name} must be a regular role`],
            data,
          );
        }
        return;
      default:
        for (const list of innerStatements(s)) this.check(list);
    }
  }
}

function article(k: Kind): string {
  return k === 'alias' || k === 'attribute' ? `an ${k}` : `a ${k}`;
}

function sameSite(a: { file: string; line: number; column?: number | undefined }, b: { file: string; line: number; column?: number | undefined }): boolean {
  return a === b || (a.file === b.file && a.line === b.line && a.column === b.column);
}

/** Reports every name of the module whose kind is not the one its place takes (see the file's head). */
export function checkKinds(ast: ModuleAst, map: SourceMap | undefined, report: Report): void {
  const k = new KindChecker(report, map);
  k.collect(ast.statements);
  k.check(ast.statements);
}
