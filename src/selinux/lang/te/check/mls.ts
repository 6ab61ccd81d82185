// What checkmodule -M (MLS, as the devel Makefile runs it) needs of a
// module's levels and legacy rules: every sensitivity and category of a
// range_transition's range and of a user's level and range required by the
// module (`require { sensitivity s0; category c0; }`), a user statement with
// its level and range, and the `process` class required for a role_transition
// or range_transition written without classes (it stands for process). These
// names are looked up in the module's tables, not in a block's scope: a
// require anywhere in the module will do, as checkmodule 3.4 accepts it.
import type { Ident, MlsLevel, MlsRange, ModuleAst, NodeBase, Statement } from '../ast.js';
import { innerStatements } from './names.js';
import type { Report } from './scope.js';

class MlsChecker {
  readonly sensitivities = new Set<string>();
  readonly categories = new Set<string>();
  readonly classes = new Set<string>();

  constructor(readonly report: Report) {}

  collect(list: readonly Statement[]): void {
    for (const s of list) {
      if (s.kind === 'require') {
        for (const item of s.items) {
          if (item.kind === 'requireClass') this.classes.add(item.name.name);
          else if (item.what === 'sensitivity') for (const n of item.names) this.sensitivities.add(n.name);
          else if (item.what === 'category') for (const n of item.names) this.categories.add(n.name);
        }
      } else if (s.kind === 'if') {
        this.collect(s.then.statements);
        if (s.else) this.collect(s.else.statements);
      } else if (s.kind === 'optional') {
        this.collect(s.body.statements);
        if (s.else) this.collect(s.else.statements);
      }
    }
  }

  unknown(space: 'sensitivity' | 'category', id: Ident, name: string, says: string): void {
    this.report('te-unknown-name', `unknown ${space} ${name}`, id, [`require it: require { ${space} ${name}; }`, `checkmodule says: ${says}`], { space, name, reason: 'unknown' });
  }

  level(l: MlsLevel, where: string): void {
    const sens = l.sensitivity.name;
    if (!this.sensitivities.has(sens)) {
      this.unknown('sensitivity', l.sensitivity, sens, where === 'range_transition' ? `unknown level ${sens} used in range_transition definition` : `unknown sensitivity ${sens} used in ${where}`);
    }
    for (const c of l.categories) {
      // `c0.c5` is a range: both ends must be known (checkmodule splits at the first dot).
      const dot = c.name.indexOf('.');
      const ends = dot < 0 ? [c.name] : [c.name.slice(0, dot), c.name.slice(dot + 1)];
      for (const e of ends) if (!this.categories.has(e)) this.unknown('category', c, e, `unknown category ${e}`);
    }
  }

  range(r: MlsRange, where: string): void {
    this.level(r.low, where);
    if (r.high) this.level(r.high, where);
  }

  /** A rule without classes stands for the process class, which the module must require. */
  legacy(s: NodeBase, keyword: string): void {
    if (this.classes.has('process')) return;
    this.report(
      'te-unknown-name',
      `${keyword} without classes applies to the process class, which the module does not require`,
      s,
      ['require it (require { class process transition; }) or name the classes (... :process ...)', `checkmodule says: could not find process class for legacy ${keyword} statement`],
      { space: 'class', name: 'process', reason: 'legacy' },
    );
  }

  check(list: readonly Statement[]): void {
    for (const s of list) {
      switch (s.kind) {
        case 'range_transition':
          if (s.classes === undefined) this.legacy(s, 'range_transition');
          this.range(s.range, 'range_transition');
          break;
        case 'role_transition':
          if (s.classes === undefined) this.legacy(s, 'role_transition');
          break;
        case 'user':
          if (s.level === undefined || s.range === undefined) {
            this.report(
              'te-user-level',
              `user ${s.name.name} has no level and range: an MLS module's users need them (user NAME roles ROLES level LEVEL range RANGE;)`,
              s,
              ['checkmodule says: no default level specified for user'],
              {
                name: s.name.name,
              },
            );
          } else {
            this.level(s.level, 'user level definition');
            this.range(s.range, 'user range definition');
          }
          break;
        default:
          for (const list of innerStatements(s)) this.check(list);
      }
    }
  }
}

/** Reports the MLS names and the process class a module uses without requiring them (see the file's head). */
export function checkMls(ast: ModuleAst, report: Report): void {
  const m = new MlsChecker(report);
  m.collect(ast.statements);
  m.check(ast.statements);
}
