// The first checks of a parsed module, the ones that need no policy and no
// resolution of names: statements only a base policy may hold, declarations
// inside `if`, names declared twice where both are in force, `optional`
// blocks without a `require`, and a file that is not a module. Each is a
// diagnostic at the user's line, with the chain of macro calls as notes.
// checkmodule says `syntax error` for most of these; the messages here say
// what is wrong. Then every name against what is declared or required in its
// scope (scope.ts). Not yet here: `self`, `*` and `~` where they are refused.
import { type Diagnostic, type DiagnosticCode, diagnostic } from '../../../../base/diagnostic.js';
import type { Ident, ModuleAst, NameExpr, NodeBase, Statement } from '../ast.js';
import type { SourceMap } from '../source.js';
import { resolveNames } from './scope.js';

/** Name spaces of declarations: types, attributes and aliases share one. */
type Space = 'type' | 'bool';

interface Scope {
  names: Map<string, Ident>;
}

class Checker {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly map: SourceMap | undefined) {}

  report(code: DiagnosticCode, message: string, at: NodeBase, notes: string[] = [], data?: Record<string, string>): void {
    const chain = this.map?.expansionNotes(at.start) ?? [];
    this.diagnostics.push(diagnostic('error', code, message, { span: at.span, notes: [...notes.map((n) => ({ message: n })), ...chain], ...(data ? { data } : {}) }));
  }

  declare(scope: Scope, space: Space, id: Ident, what: string): void {
    const key = `${space}:${id.name}`;
    const before = scope.names.get(key);
    if (before !== undefined) {
      this.report('te-duplicate-declaration', `duplicate declaration of ${what} ${id.name}`, id, [
        `first declared at ${before.span.file}:${before.span.line}${before.span.column === undefined ? '' : `:${before.span.column}`}`,
      ]);
    } else scope.names.set(key, id);
  }

  statements(list: readonly Statement[], scope: Scope, inIf: boolean): void {
    for (const s of list) this.statement(s, scope, inIf);
  }

  statement(s: Statement, scope: Scope, inIf: boolean): void {
    switch (s.kind) {
      case 'baseOnly':
        this.report('te-base-only', `${s.keyword} is only allowed in a base policy, not in a module`, s);
        return;
      case 'module':
        this.report('te-syntax', 'the module statement must be the first statement of the file', s);
        return;
      case 'if':
        this.statements(s.then.statements, { names: new Map(scope.names) }, true);
        if (s.else) this.statements(s.else.statements, { names: new Map(scope.names) }, true);
        return;
      case 'optional':
        if (inIf) this.report('te-conditional-declaration', 'an optional block cannot stand inside an if block', s);
        if (!s.body.statements.some((x) => x.kind === 'require')) {
          this.report('te-no-require', 'This block has no require section.', s, ['checkmodule says this of an optional block without require { ... } inside it']);
        }
        this.statements(s.body.statements, { names: new Map(scope.names) }, inIf);
        if (s.else) this.statements(s.else.statements, { names: new Map(scope.names) }, inIf);
        return;
      default:
    }
    const refused = refusedInIf(s);
    if (refused !== undefined && inIf) {
      this.report(
        'te-conditional-declaration',
        `${refused} is not allowed inside an if block (only allow, auditallow, auditdeny, dontaudit, type_transition, type_member, type_change and require are): move it out of the if`,
        s,
      );
      return;
    }
    switch (s.kind) {
      case 'type':
        this.declare(scope, 'type', s.name, 'type');
        if (s.aliases) for (const a of identsOf(s.aliases)) this.declare(scope, 'type', a, 'type alias');
        return;
      case 'typealias':
        for (const a of identsOf(s.aliases)) this.declare(scope, 'type', a, 'type alias');
        return;
      case 'attribute':
        this.declare(scope, 'type', s.name, 'attribute');
        return;
      case 'bool':
      case 'tunable':
        this.declare(scope, 'bool', s.name, s.kind === 'bool' ? 'boolean' : 'tunable');
        return;
      default:
    }
  }
}

/** The statement's keyword when checkmodule refuses it inside `if`, else undefined. */
function refusedInIf(s: Statement): string | undefined {
  switch (s.kind) {
    case 'type':
    case 'typealias':
    case 'attribute':
    case 'attribute_role':
    case 'typeattribute':
    case 'roleattribute':
    case 'expandattribute':
    case 'typebounds':
    case 'permissive':
    case 'bool':
    case 'tunable':
    case 'role':
    case 'user':
    case 'role_transition':
    case 'range_transition':
      return s.kind;
    case 'roleallow':
      return 'a role allow rule';
    case 'avrule':
      return s.rule === 'neverallow' ? 'neverallow' : undefined;
    case 'xpermrule':
      return s.rule;
    default:
      return undefined;
  }
}

function identsOf(e: NameExpr): Ident[] {
  if (e.kind === 'ident') return [e];
  if (e.kind === 'set') return e.items.flatMap((i) => (i.kind === 'ident' ? [i] : i.kind === 'set' ? identsOf(i) : []));
  return [];
}

/**
 * Checks a parsed module that needs no policy (see the file's head). `map` (the parse
 * result's) adds the chain of macro calls to each diagnostic.
 */
export function checkModule(ast: ModuleAst, map?: SourceMap): Diagnostic[] {
  const c = new Checker(map);
  if (ast.header === undefined) {
    const first = ast.statements[0];
    c.report('te-syntax', 'not a module: the file must start with module NAME VERSION; (without it checkmodule reads a base policy)', first ?? ast);
  }
  c.statements(ast.statements, { names: new Map() }, false);
  resolveNames(ast, (code, message, at, notes, data) => c.report(code, message, at, notes, data));
  return c.diagnostics;
}
