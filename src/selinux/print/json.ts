// Module -> plain JSON data, with the evidence behind each rule. Every
// statement is an entry of `rules` named by `rule` (its keyword: `allow`,
// `type_transition`, `type`, `bool`, `if`, `optional`, ...; `role` is
// `role R types T`, a role declaration is `role_declaration`, a role allow
// `role_allow`), in the order the te printer prints them. Type and role sets
// with operators are given as te writes them (`~{ a b }`).

import { formatSpan } from '../../base/span.js';
import type { Block, ConditionalRule, Evidence, Module, NameList, Require, Statement } from '../ir/index.js';
import { formatXperms, isNameSet } from '../ir/index.js';
import { sortedRules, unsectionedStatements } from './te.js';
import { teBoolExpr, teLevel, teNames, teRange } from './teText.js';

function evidence(e: Evidence | undefined): { count: number; locations: string[] } | undefined {
  return e && { count: e.count, locations: e.locs.map((l) => `${l.file}:${l.line}`) };
}

/** Plain names joined by spaces (as always); a set as te writes it. */
function names(list: NameList): string {
  return isNameSet(list) ? teNames(list) : list.join(' ');
}

function requireToJson(req: Require): Record<string, unknown> {
  // A class named twice adds permissions.
  const classes: Record<string, string[]> = {};
  for (const [c, perms] of req.classes) classes[c] = classes[c] ? [...new Set([...classes[c], ...perms])] : perms;
  const out: Record<string, unknown> = { types: req.types, classes, roles: req.roles };
  if (req.attributes) out.attributes = req.attributes;
  if (req.attributeRoles) out.attributeRoles = req.attributeRoles;
  if (req.bools) out.bools = req.bools;
  if (req.tunables) out.tunables = req.tunables;
  if (req.users) out.users = req.users;
  if (req.sensitivities) out.sensitivities = req.sensitivities;
  if (req.categories) out.categories = req.categories;
  return out;
}

function blockToJson(block: Block): Record<string, unknown> {
  return { ...(block.require ? { require: requireToJson(block.require) } : {}), rules: block.statements.map(statementToJson) };
}

/** The fields of a statement after its own: where it was written, and the evidence (learned rules always carry the key). */
function located(st: Statement | ConditionalRule, fields: Record<string, unknown>): Record<string, unknown> {
  if (st.span) fields.span = formatSpan(st.span);
  if (st.evidence) fields.evidence = evidence(st.evidence);
  return fields;
}

function classOf(classes: readonly string[]): Record<string, string> {
  return classes.length === 0 ? {} : { class: classes.join(' ') };
}

function statementToJson(st: Statement | ConditionalRule): Record<string, unknown> {
  switch (st.kind) {
    case 'av':
      return {
        rule: st.rule,
        source: names(st.sources),
        target: names(st.targets),
        class: st.classes.join(' '),
        perms: st.perms,
        ...(st.permsComplement ? { permsComplement: true } : {}),
        ...(st.comment ? { comment: st.comment } : {}),
        ...(st.span ? { span: formatSpan(st.span) } : {}),
        evidence: evidence(st.evidence),
      };
    case 'xperm':
      return {
        rule: st.rule,
        source: names(st.sources),
        target: names(st.targets),
        class: st.classes.join(' '),
        operation: st.operation,
        xperms: formatXperms(st.ranges),
        ...(st.span ? { span: formatSpan(st.span) } : {}),
        evidence: evidence(st.evidence),
      };
    case 'roletypes':
      return { rule: 'role', role: st.role, types: isNameSet(st.types) ? teNames(st.types) : st.types, ...(st.span ? { span: formatSpan(st.span) } : {}), evidence: evidence(st.evidence) };
    case 'typerule':
      return located(st, {
        rule: st.rule,
        source: names(st.sources),
        target: names(st.targets),
        class: st.classes.join(' '),
        result: st.result,
        ...(st.objectName === undefined ? {} : { objectName: st.objectName }),
      });
    case 'range_transition':
      return located(st, { rule: st.kind, source: names(st.sources), target: names(st.targets), ...classOf(st.classes), range: teRange(st.range) });
    case 'role_transition':
      return located(st, { rule: st.kind, role: st.roles.join(' '), type: names(st.types), ...classOf(st.classes), result: st.result });
    case 'role_allow':
      return located(st, { rule: st.kind, role: st.roles.join(' '), newRole: st.newRoles.join(' ') });
    case 'type':
      return located(st, { rule: st.kind, name: st.name, ...(st.aliases ? { aliases: st.aliases } : {}), ...(st.attributes ? { attributes: st.attributes } : {}) });
    case 'attribute':
    case 'attribute_role':
    case 'bool':
      return located(st, { rule: st.kind === 'bool' && st.tunable ? 'tunable' : st.kind, name: st.name, ...(st.kind === 'bool' ? { default: st.default } : {}) });
    case 'user':
      return located(st, { rule: st.kind, name: st.name, roles: st.roles, ...(st.mls ? { level: teLevel(st.mls.level), range: teRange(st.mls.range) } : {}) });
    case 'role':
      return located(st, { rule: 'role_declaration', name: st.name, ...(st.attributes ? { attributes: st.attributes } : {}) });
    case 'typeattribute':
      return located(st, { rule: st.kind, type: st.type, attributes: st.attributes });
    case 'typealias':
      return located(st, { rule: st.kind, type: st.type, aliases: st.aliases });
    case 'expandattribute':
      return located(st, { rule: st.kind, attributes: st.attributes, expand: st.expand });
    case 'typebounds':
      return located(st, { rule: st.kind, type: st.type, bounded: st.bounded });
    case 'permissive':
      return located(st, { rule: st.kind, type: st.type });
    case 'roleattribute':
      return located(st, { rule: st.kind, role: st.role, attributes: st.attributes });
    case 'require': {
      const { kind: _kind, span: _span, evidence: _evidence, ...req } = st;
      return located(st, { rule: 'require', ...requireToJson(req) });
    }
    case 'conditional':
      return located(st, {
        rule: 'if',
        condition: teBoolExpr(st.condition),
        expression: st.condition,
        true: st.whenTrue.map(statementToJson),
        ...(st.whenFalse ? { false: st.whenFalse.map(statementToJson) } : {}),
      });
    case 'optional':
      return located(st, { rule: 'optional', ...blockToJson(st), ...(st.else ? { else: st.else.map(statementToJson) } : {}) });
  }
}

export function moduleToJson(m: Module): Record<string, unknown> {
  // In the order the te output has them: audit2allow's layout puts the other
  // statements first, then its sorted rules, role types last.
  const statements = m.layout === 'written' ? m.statements : [...unsectionedStatements(m), ...sortedRules(m), ...m.statements.filter((s) => s.kind === 'roletypes')];
  return {
    ...(m.name !== undefined ? { module: m.name, version: m.version } : {}),
    ...(m.require ? { require: requireToJson(m.require) } : {}),
    rules: statements.map(statementToJson),
  };
}
