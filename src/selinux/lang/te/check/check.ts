// The first checks of a parsed module, the ones that need no policy and no
// resolution of names: statements only a base policy may hold, declarations
// inside `if`, names declared twice where both are in force, `optional`
// blocks without a `require`, and a file that is not a module. Each is a
// diagnostic at the user's line, with the chain of macro calls as notes.
// checkmodule says `syntax error` for most of these; the messages here say
// what is wrong. Then every name against what is declared or required in its
// scope (scope.ts), each name's kind where its place takes one kind (kinds.ts),
// `self`, `*`, `~` and `-` where refused (sets.ts), MLS names and the process class of
// legacy rules (mls.ts), transitions given twice (transitions.ts), and the
// module's name against the output file's.
import { type Diagnostic, type DiagnosticCode, diagnostic } from '../../../../base/diagnostic.js';
import type { Ident, ModuleAst, NodeBase, Statement } from '../ast.js';
import type { SourceMap } from '../source.js';
import { checkKinds } from './kinds.js';
import { checkMls } from './mls.js';
import { positives } from './names.js';
import { resolveNames } from './scope.js';
import { checkSets } from './sets.js';
import { checkTransitions } from './transitions.js';

/** What checkModule is told besides the module. */
export interface CheckModuleOptions {
  /**
   * The output file the module is compiled to (`checkmodule -o OUT`, `porthole build -o`):
   * the module's name must be OUT's base name without its last suffix, as checkmodule
   * requires (`te-module-name`). Unset: no such check (checkmodule without -o).
   */
  outputName?: string | undefined;
}

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

  /**
   * checkmodule's grammar puts a block's user statements after its other statements, of
   * which there must be one (avrules_block: avrule_decls avrule_user_defs). An empty `;`
   * counts as a statement there but leaves no node here, so `; user ...` is refused too.
   */
  userOrder(list: readonly Statement[]): void {
    let user: Statement | undefined;
    for (const [i, s] of list.entries()) {
      if (s.kind === 'user') {
        if (i === 0) this.report('te-syntax', 'a block cannot start with a user statement: user statements follow the other statements of their block', s, ['checkmodule says: syntax error']);
        user ??= s;
      } else if (user !== undefined) {
        this.report('te-syntax', `user statements come last in their block: move this ${s.kind === 'avrule' ? s.rule : s.kind} above the user statement of line ${user.span.line}`, s, [
          'checkmodule says: syntax error',
        ]);
        return;
      }
    }
  }

  /**
   * checkmodule declares and requires nothing in an optional's else branch itself (`Could not
   * declare type here`): an optional block inside it may, with its own require.
   */
  elseDeclarations(list: readonly Statement[]): void {
    for (const s of list) {
      const what = declares(s);
      if (what !== undefined) {
        this.report('te-else-declaration', `${what} cannot stand in the else branch of an optional block: checkmodule declares and requires nothing there`, s, [
          'put it in an optional block of its own inside the else (optional { require { ... } ... }), or outside the optional',
          `checkmodule says: Could not declare ${s.kind === 'bool' || s.kind === 'tunable' ? 'boolean' : s.kind === 'role' || s.kind === 'attribute_role' ? 'role' : s.kind === 'user' ? 'user' : 'type'} here`,
        ]);
      } else if (s.kind === 'if') {
        this.elseDeclarations(s.then.statements);
        if (s.else) this.elseDeclarations(s.else.statements);
      }
    }
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
        this.userOrder(s.body.statements);
        if (s.else) {
          this.statements(s.else.statements, { names: new Map(scope.names) }, inIf);
          this.userOrder(s.else.statements);
          this.elseDeclarations(s.else.statements);
        }
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
        if (s.aliases) for (const a of positives(s.aliases)) this.declare(scope, 'type', a, 'type alias');
        return;
      case 'typealias':
        for (const a of positives(s.aliases)) this.declare(scope, 'type', a, 'type alias');
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

/** What a statement declares or requires (checkmodule's symbols), as words, else undefined. */
function declares(s: Statement): string | undefined {
  switch (s.kind) {
    case 'require':
      return 'a require block';
    case 'type':
    case 'typealias':
    case 'attribute':
    case 'attribute_role':
    case 'bool':
    case 'tunable':
    case 'user':
      return `a ${s.kind} declaration`;
    case 'role':
      return s.types === undefined ? 'a role declaration' : undefined;
    default:
      return undefined;
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
    case 'typerule':
      return s.fileName === undefined ? undefined : 'a name transition (type_transition with an object name)';
    default:
      return undefined;
  }
}

/**
 * The name checkmodule gives the output file `out`: its base name (POSIX basename: trailing
 * slashes dropped) without the last suffix.
 */
export function outputBaseName(out: string): string {
  const trimmed = out.replace(/\/+$/, '');
  if (trimmed === '') return out === '' ? '.' : '/';
  const base = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? base : base.slice(0, dot);
}

/**
 * Checks a parsed module that needs no policy (see the file's head). `map` (the parse
 * result's) adds the chain of macro calls to each diagnostic.
 */
export function checkModule(ast: ModuleAst, map?: SourceMap, options: CheckModuleOptions = {}): Diagnostic[] {
  const c = new Checker(map);
  const report = (code: DiagnosticCode, message: string, at: NodeBase, notes?: string[], data?: Record<string, string>) => c.report(code, message, at, notes, data);
  if (ast.header === undefined) {
    const first = ast.statements[0];
    c.report('te-syntax', 'not a module: the file must start with module NAME VERSION; (without it checkmodule reads a base policy)', first ?? ast);
  } else if (options.outputName !== undefined) {
    const name = ast.header.name.name;
    const base = outputBaseName(options.outputName);
    if (name !== base) {
      c.report(
        'te-module-name',
        `Module name ${name} is different than the output base filename ${base}`,
        ast.header.name,
        [`checkmodule names the output after the module: rename the module (module ${base} ...) or write ${name}${suffixOf(options.outputName)}`],
        {
          module: name,
          output: base,
        },
      );
    }
  }
  if (ast.header !== undefined) c.userOrder(ast.statements);
  c.statements(ast.statements, { names: new Map() }, false);
  resolveNames(ast, report);
  checkKinds(ast, map, report);
  checkSets(ast, report);
  checkMls(ast, report);
  checkTransitions(ast, report);
  return c.diagnostics;
}

/** The last suffix of a file's base name (`.mod`), or ''. */
function suffixOf(out: string): string {
  const base = out.replace(/\/+$/, '').split('/').pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot);
}
