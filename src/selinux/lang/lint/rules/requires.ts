// lint-unused-require (selint W-003) and lint-missing-require (selint W-002).
// In an interface or template, as selint: a type, attribute or role a require
// block lists that nothing after the block (in the same list, at any depth)
// uses (interfaces named *_stub are skipped: refpolicy's optional-policy
// probes); a name a statement or call uses that some module declares but no
// require block before it (in the definition, depth first) lists (system_r is
// always required). In a module (.te): a name a require block lists that the
// module uses nowhere outside its require blocks.
import { type Diagnostic, diagnostic } from '../../../../base/diagnostic.js';
import type { LintContext, LintSource } from '../context.js';
import type { Item } from '../reader/source.js';
import { addCallWords, childLists, declarations, definitions, namesOf, requireBody, STRUCTURAL, walk } from '../statements.js';
import type { LintRule } from './rule.js';

const REQUIRABLE = new Set(['type', 'attribute', 'attribute_role', 'role']);

/**
 * The names the items of a list from `from` on use, at any depth (the children walked in place:
 * this runs for every require block). Only words matter (a required name is one): a call that is
 * not structural uses every word of its arguments, so nothing under it adds another.
 */
function usedNames(items: readonly Item[], used = new Set<string>(), from = 0): Set<string> {
  for (let k = from; k < items.length; k++) {
    const item = items[k]!;
    if (item.kind === 'call') {
      if (STRUCTURAL.has(item.name)) for (let i = 0; i < item.args.length; i++) usedNames(item.args[i]!, used);
      else addCallWords(item, used);
    } else if (item.kind === 'block') usedNames(item.items, used);
    else {
      const names = namesOf(item, item.inRequire);
      for (let i = 0; i < names.length; i++) used.add(names[i]!);
      if (item.calls.length > 0) usedNames(item.calls, used);
    }
  }
  return used;
}

function unusedInDefinition(file: string, defName: string, body: readonly Item[], out: Diagnostic[]): void {
  const visit = (list: readonly Item[]): void => {
    list.forEach((it, i) => {
      const req = requireBody(it);
      if (req) {
        const used = usedNames(list, new Set(), i + 1);
        for (const item of walk(req)) {
          if (item.kind !== 'statement') continue;
          for (const d of declarations(item, true)) {
            if (!REQUIRABLE.has(d.kind) || used.has(d.name)) continue;
            out.push(
              diagnostic('warning', 'lint-unused-require', `${d.kind} ${d.name} is required but not used in ${defName}`, {
                span: { file, line: d.line },
                data: { name: d.name, kind: d.kind, definition: defName },
              }),
            );
          }
        }
        return;
      }
      for (const l of childLists(it)) visit(l);
    });
  };
  visit(body);
}

function unusedInModule(s: LintSource, out: Diagnostic[]): void {
  const all = walk(s.items);
  // Most modules require through interfaces only: nothing to check, nothing to collect.
  if (!all.some((item) => item.inRequire && item.kind === 'statement' && declarations(item, true).some((d) => REQUIRABLE.has(d.kind)))) return;
  const used = new Set<string>();
  for (const item of all) if (!item.inRequire && !requireBody(item)) for (const n of namesOf(item)) used.add(n);
  for (const item of all) {
    if (!item.inRequire || item.kind !== 'statement') continue;
    for (const d of declarations(item, true)) {
      if (!REQUIRABLE.has(d.kind) || used.has(d.name)) continue;
      out.push(
        diagnostic('warning', 'lint-unused-require', `${d.kind} ${d.name} is required but not used in the module`, { span: { file: s.file, line: d.line }, data: { name: d.name, kind: d.kind } }),
      );
    }
  }
}

export const unusedRequire: LintRule = {
  code: 'lint-unused-require',
  severity: 'warning',
  selint: 'W-003',
  source(s: LintSource): Diagnostic[] {
    const out: Diagnostic[] = [];
    if (s.kind === 'te') unusedInModule(s, out);
    if (s.kind === 'if') for (const d of definitions(s.items)) if (!(d.kind === 'interface' && d.name.endsWith('_stub'))) unusedInDefinition(s.file, d.name, d.body, out);
    return out;
  },
};

export const missingRequire: LintRule = {
  code: 'lint-missing-require',
  severity: 'warning',
  selint: 'W-002',
  policy(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const s of ctx.sources) {
      for (const def of s.definitions) {
        // The summary kept, by item, the names no require block before it lists.
        for (const { line, names } of def.unrequired) {
          const missing = names.find((n) => REQUIRABLE.has(ctx.declared.get(n)?.kind ?? ''));
          if (missing === undefined) continue;
          const kind = ctx.declared.get(missing)!.kind;
          out.push(
            diagnostic('warning', 'lint-missing-require', `${kind} ${missing} is used in ${def.name} but not required`, {
              span: { file: s.file, line },
              notes: [`declared in module ${ctx.declared.get(missing)!.module}; list it in the definition's gen_require`],
              data: { name: missing, kind, definition: def.name },
            }),
          );
        }
      }
    }
    return out;
  },
};
