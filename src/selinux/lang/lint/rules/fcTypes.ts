// A module's .te and .fc against each other (only when both are given):
// fc-type-undeclared, a .fc context whose type nothing declares (not the
// module, not the templates it calls, not another module read, not a require
// block of the include tree): installing it fails; fc-type-foreign, a .fc
// context whose type another module declares (that module should label it,
// selint S-002); lint-exec-without-fc, a type the .te makes an executable or
// entry point (through files_type's kin: any interface that gives it
// exec_type or entry_type) that no .fc spec of the module labels, so no file
// gets it and its domain is never entered (a type the module creates files
// with, by type_transition or a *filetrans* call, is labeled at run time).
import { type Diagnostic, diagnostic } from '../../../../base/diagnostic.js';
import type { LintContext } from '../context.js';
import { declarationLine, execMakers, executableTypes, moduleDeclarations } from '../types.js';
import type { LintRule } from './rule.js';

const ownMemo = new WeakMap<LintContext, Map<string, Map<string, number>>>();

/** The names the module itself declares (not through templates), with no line (executableTypes gives the call's). */
function ownTypes(ctx: LintContext, module: string): ReadonlyMap<string, number> {
  let byModule = ownMemo.get(ctx);
  if (!byModule) {
    byModule = new Map();
    for (const [name, d] of ctx.declared) {
      let m = byModule.get(d.module);
      if (!m) byModule.set(d.module, (m = new Map()));
      m.set(name, 0);
    }
    ownMemo.set(ctx, byModule);
  }
  return byModule.get(module) ?? new Map();
}

const contextType = (context: string): string | undefined => (context === '<<none>>' ? undefined : context.split(':')[2]);

export const fcTypes: LintRule = {
  code: 'fc-type-undeclared',
  severity: 'error',
  policy(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const m of ctx.modules) {
      if (!m.te || !m.fc) continue;
      // The module's own declarations first; the templates it calls are read only for a type not among them.
      let own: Map<string, number> | undefined;
      for (const spec of m.fc.specs) {
        const type = contextType(spec.context);
        if (type === undefined || ctx.declared.get(type)?.module === m.name) continue;
        own ??= moduleDeclarations(ctx, m.te);
        if (own.has(type)) continue;
        const span = { file: spec.file, line: spec.line };
        const other = ctx.declared.get(type);
        if (other || ctx.known.has(type)) {
          const where = other ? `module ${other.module}` : 'another module';
          out.push(diagnostic('warning', 'fc-type-foreign', `${spec.regex} is labeled ${type}, which ${where} declares, not ${m.name}; label it there`, { span, data: { spec: spec.regex, type } }));
        } else {
          out.push(diagnostic('error', 'fc-type-undeclared', `${spec.regex} is labeled ${type}, which no module declares`, { span, data: { spec: spec.regex, type } }));
        }
      }
    }
    return out;
  },
};

export const execWithoutFc: LintRule = {
  code: 'lint-exec-without-fc',
  severity: 'warning',
  policy(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    let makers: Map<string, Set<number>> | undefined;
    for (const m of ctx.modules) {
      if (!m.te) continue;
      makers ??= execMakers(ctx);
      const own = ownTypes(ctx, m.name);
      const candidates = executableTypes(m.te, makers, own);
      if (candidates.size === 0) continue;
      const labeled = new Set((m.fc?.specs ?? []).map((s) => contextType(s.context)));
      let created: ReadonlySet<string> | undefined;
      for (const [type, line] of candidates) {
        if (labeled.has(type)) continue;
        created ??= new Set(m.te.created);
        if (created.has(type)) continue;
        out.push(
          diagnostic('warning', 'lint-exec-without-fc', `${type} is made an executable or entry point, but no .fc spec of ${m.name} labels a file with it`, {
            span: { file: m.te.file, line: declarationLine(ctx, m.te, type) ?? line },
            data: { type },
          }),
        );
      }
    }
    return out;
  },
};
