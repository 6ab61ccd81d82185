// A one-line account of a module's contents, for `--debug` and progress
// messages: how many rules of each kind, how many types it requires.
import type { Module } from '../ir/module.js';

/** e.g. `module myapp: 12 statements (10 allow, 2 allowxperm), requires 9 types, 3 classes, 0 roles`. */
export function describeModule(m: Module): string {
  const kinds = new Map<string, number>();
  for (const s of m.statements) {
    const k = s.kind === 'av' || s.kind === 'xperm' ? s.rule : s.kind;
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  const parts = [...kinds].map(([k, n]) => `${n} ${k}`).join(', ');
  const head = m.name !== undefined ? `module ${m.name}` : 'rules';
  const req = m.require ? `, requires ${m.require.types.length} types, ${m.require.classes.length} classes, ${m.require.roles.length} roles` : '';
  return `${head}: ${m.statements.length} statements${parts ? ` (${parts})` : ''}${req}`;
}
