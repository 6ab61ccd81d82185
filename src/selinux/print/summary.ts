// A one-line account of a module's contents, for `--debug` and progress
// messages: how many rules of each kind, how many types it requires.
import type { Module } from '../ir/index.js';

/** e.g. `module myapp: 12 statements (10 allow, 2 allowxperm), requires 9 types, 3 classes, 1 role`. */
export function describeModule(m: Module): string {
  const kinds = new Map<string, number>();
  for (const s of m.statements) {
    const k = s.kind === 'av' || s.kind === 'xperm' ? s.rule : s.kind;
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  const parts = [...kinds].map(([k, n]) => `${n} ${k}`).join(', ');
  const head = m.name !== undefined ? `module ${m.name}` : 'rules';
  const req = m.require ? `, requires ${count(m.require.types.length, 'type')}, ${count(m.require.classes.length, 'class', 'classes')}, ${count(m.require.roles.length, 'role')}` : '';
  return `${head}: ${count(m.statements.length, 'statement')}${parts ? ` (${parts})` : ''}${req}`;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
