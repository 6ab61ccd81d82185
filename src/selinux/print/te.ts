// Module -> kernel policy language (.te), laid out exactly as audit2allow's
// ModuleWriter does: a blank line, the module line, the require block, then
// rules grouped by source type under `#============= src ==============`
// headers, then the ROLES section.

import type { AvRule, Module, Require, RoleTypes, Statement, XpermRule } from '../ir/module.js';
import { formatXperms } from '../ir/xperm.js';
import { spaceList } from '../learn/explain.js';

export function printRequire(req: Require): string {
  const lines = ['require {'];
  for (const t of req.types) lines.push(`\ttype ${t};`);
  for (const [c, perms] of req.classes) lines.push(`\tclass ${c} ${spaceList(perms)};`);
  for (const r of req.roles) lines.push(`\trole ${r};`);
  if (lines.length === 1) return '';
  lines.push('}');
  return lines.join('\n');
}

export function printAvRule(r: AvRule): string {
  return `${r.rule} ${spaceList(r.sources)} ${spaceList(r.targets)}:${spaceList(r.classes)} ${spaceList(r.perms)};`;
}

export function printXpermRule(r: XpermRule): string {
  return `${r.rule} ${spaceList(r.sources)} ${spaceList(r.targets)}:${spaceList(r.classes)} ${r.operation} ${formatXperms(r.ranges)};`;
}

function printRoleTypes(r: RoleTypes): string {
  return r.types.map((t) => `role ${r.role} types ${t};\n`).join('');
}

function withComment(comment: readonly string[] | undefined, notes: readonly string[] | undefined, text: string): string {
  const lines = (comment ?? []).map((l) => '#' + l);
  // sepolgen appends notes to the comment with a leading newline: without a
  // comment that leaves a blank line above them.
  if (notes && notes.length > 0) lines.push(...(lines.length === 0 ? ['', ...notes] : notes));
  return lines.length === 0 ? text : lines.join('\n') + '\n' + text;
}

export type Rule = AvRule | XpermRule;

function compareRules(a: Rule, b: Rule): number {
  const ka = [a.sources[0] ?? '', a.targets[0] ?? '', a.classes[0] ?? ''];
  const kb = [b.sources[0] ?? '', b.targets[0] ?? '', b.classes[0] ?? ''];
  for (let i = 0; i < 3; i++) {
    if (ka[i]! < kb[i]!) return -1;
    if (ka[i]! > kb[i]!) return 1;
  }
  return 0;
}

/**
 * The module's rules in the order audit2allow prints them: sorted by
 * (source, target, class), allow rules before xperm rules of the same triple
 * (the sort is stable). The CIL printer follows the same order.
 */
export function sortedRules(module: Module): Rule[] {
  const av = module.statements.filter((s): s is AvRule => s.kind === 'av');
  const xperm = module.statements.filter((s): s is XpermRule => s.kind === 'xperm');
  return [...av, ...xperm].sort(compareRules);
}

export function printTe(module: Module): string {
  const out: string[] = [''];
  if (module.name !== undefined) {
    out.push(`module ${module.name} ${module.version ?? '1.0'};`);
    out.push('');
  }
  if (module.require) out.push(printRequire(module.require));
  out.push('');
  const rules = sortedRules(module);
  let current: string | undefined;
  for (const r of rules) {
    const src = r.sources[0] ?? '';
    if (src !== current) {
      if (current !== undefined) out.push('');
      current = src;
      out.push(`#============= ${src} ==============`);
    }
    out.push(r.kind === 'av' ? withComment(r.comment, r.notes, printAvRule(r)) : printXpermRule(r));
  }
  const roles = module.statements.filter((s: Statement): s is RoleTypes => s.kind === 'roletypes');
  roles.sort((a, b) => (a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
  if (roles.length > 0) out.push('#============= ROLES ==============');
  for (const r of roles) out.push(printRoleTypes(r));
  return out.map((l) => l + '\n').join('');
}
