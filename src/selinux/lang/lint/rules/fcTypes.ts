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
import { createdTypes, execMakers, executableTypes, moduleDeclarations } from '../types.js';
import type { LintRule } from './rule.js';

const contextType = (context: string): string | undefined => (context === '<<none>>' ? undefined : context.split(':')[2]);

export const fcTypes: LintRule = {
  code: 'fc-type-undeclared',
  severity: 'error',
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const m of ctx.modules) {
      if (!m.te || !m.fc) continue;
      const own = moduleDeclarations(ctx, m.te);
      for (const spec of m.fc.specs) {
        const type = contextType(spec.context);
        if (type === undefined || own.has(type)) continue;
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
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    let makers: Map<string, Set<number>> | undefined;
    for (const m of ctx.modules) {
      if (!m.te) continue;
      makers ??= execMakers(ctx);
      const own = moduleDeclarations(ctx, m.te);
      const labeled = new Set((m.fc?.specs ?? []).map((s) => contextType(s.context)));
      const created = createdTypes(m.te);
      for (const [type, line] of executableTypes(m.te, makers, own)) {
        if (labeled.has(type) || created.has(type)) continue;
        out.push(
          diagnostic('warning', 'lint-exec-without-fc', `${type} is made an executable or entry point, but no .fc spec of ${m.name} labels a file with it`, {
            span: { file: m.te.file, line: own.get(type) ?? line },
            data: { type },
          }),
        );
      }
    }
    return out;
  },
};
