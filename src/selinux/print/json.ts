// Module -> plain JSON data, with the evidence behind each rule.

import type { Evidence, Module } from '../ir/module.js';
import { formatXperms } from '../ir/xperm.js';
import { sortedRules } from './te.js';

function evidence(e: Evidence | undefined): { count: number; locations: string[] } | undefined {
  return e && { count: e.count, locations: e.locs.map((l) => `${l.file}:${l.line}`) };
}

export function moduleToJson(m: Module): Record<string, unknown> {
  return {
    ...(m.name !== undefined ? { module: m.name, version: m.version } : {}),
    ...(m.require ? { require: { types: m.require.types, classes: Object.fromEntries(m.require.classes), roles: m.require.roles } } : {}),
    // Rules in the order the te output has them; role types last.
    rules: [...sortedRules(m), ...m.statements.filter((s) => s.kind === 'roletypes')].map((s) => {
      switch (s.kind) {
        case 'av':
          return {
            rule: s.rule,
            source: s.sources.join(' '),
            target: s.targets.join(' '),
            class: s.classes.join(' '),
            perms: s.perms,
            ...(s.comment ? { comment: s.comment } : {}),
            evidence: evidence(s.evidence),
          };
        case 'xperm':
          return {
            rule: s.rule,
            source: s.sources.join(' '),
            target: s.targets.join(' '),
            class: s.classes.join(' '),
            operation: s.operation,
            xperms: formatXperms(s.ranges),
            evidence: evidence(s.evidence),
          };
        default:
          return { rule: 'role', role: s.role, types: s.types, evidence: evidence(s.evidence) };
      }
    }),
  };
}
