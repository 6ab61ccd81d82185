// Statements of the module IR -> lines of the kernel policy language (.te),
// as checkmodule's module grammar accepts them. Blocks (require, if,
// optional) open and close on their own lines with their contents indented by
// one tab. Names are printed as they are: the module must have passed the
// identifier check (see src/selinux/ir/walk.ts, moduleNames) first. Where the
// statements go in the file is te.ts's business.
import { escapeLogText } from '../../base/printDiagnostic.js';
import type { AvRule, ConditionalRule, Require, RoleTypes, Statement, XpermRule } from '../ir/index.js';
import { formatXperms, isNameSet } from '../ir/index.js';
import { spaceList, teBoolExpr, teLevel, teNames, tePerms, teRange } from './teText.js';

/** The lines inside `require { }`, in the order checkmodule numbers them (types before attributes). */
function requireLines(req: Require): string[] {
  const lines: string[] = [];
  for (const t of req.types) lines.push(`type ${t};`);
  for (const a of req.attributes ?? []) lines.push(`attribute ${a};`);
  for (const [c, perms] of req.classes) lines.push(`class ${c} ${spaceList(perms)};`);
  for (const r of req.roles) lines.push(`role ${r};`);
  for (const r of req.attributeRoles ?? []) lines.push(`attribute_role ${r};`);
  for (const b of req.bools ?? []) lines.push(`bool ${b};`);
  for (const b of req.tunables ?? []) lines.push(`tunable ${b};`);
  for (const u of req.users ?? []) lines.push(`user ${u};`);
  for (const s of req.sensitivities ?? []) lines.push(`sensitivity ${s};`);
  for (const c of req.categories ?? []) lines.push(`category ${c};`);
  return lines;
}

/** `require { ... }` as lines, or none for an empty block (checkmodule refuses `require { }`). */
function requireBlock(req: Require | undefined): string[] {
  const inner = req ? requireLines(req) : [];
  return inner.length === 0 ? [] : ['require {', ...indent(inner), '}'];
}

/** The require block audit2allow prints ("" when empty). */
export function printRequire(req: Require): string {
  return requireBlock(req).join('\n');
}

export function printAvRule(r: AvRule): string {
  return `${r.rule} ${teNames(r.sources)} ${teNames(r.targets)}:${spaceList(r.classes)} ${tePerms(r.perms, r.permsComplement)};`;
}

export function printXpermRule(r: XpermRule): string {
  return `${r.rule} ${teNames(r.sources)} ${teNames(r.targets)}:${spaceList(r.classes)} ${r.operation} ${formatXperms(r.ranges)};`;
}

/**
 * `role R types T;`: audit2allow prints one line per type; otherwise one
 * statement for the whole list.
 */
export function printRoleTypes(r: RoleTypes, onePerType: boolean): string[] {
  if (onePerType && !isNameSet(r.types)) return r.types.map((t) => `role ${r.role} types ${t};`);
  return [`role ${r.role} types ${teNames(r.types)};`];
}

/** An av rule with its comment lines and analysis notes above it. */
export function withComment(comment: readonly string[] | undefined, notes: readonly string[] | undefined, text: string): string {
  // Comment text comes from logs: one line each, whatever it holds (escapeLogText).
  const lines = (comment ?? []).map((l) => '#' + escapeLogText(l));
  // sepolgen appends notes to the comment with a leading newline: without a
  // comment that leaves a blank line above them.
  if (notes && notes.length > 0) lines.push(...(lines.length === 0 ? ['', ...notes] : notes));
  return lines.length === 0 ? text : lines.join('\n') + '\n' + text;
}

function indent(lines: readonly string[]): string[] {
  return lines.map((l) => (l === '' ? l : `\t${l}`));
}

const commaList = (names: readonly string[]): string => names.join(', ');
const classSuffix = (classes: readonly string[]): string => (classes.length === 0 ? '' : `:${spaceList(classes)}`);

/** A statement as lines (blocks span several), not indented. */
export function teStatementLines(st: Statement | ConditionalRule): string[] {
  switch (st.kind) {
    case 'av':
      return withComment(st.comment, st.notes, printAvRule(st)).split('\n');
    case 'xperm':
      return [printXpermRule(st)];
    case 'typerule': {
      const name = st.objectName === undefined ? '' : ` "${st.objectName}"`;
      return [`${st.rule} ${teNames(st.sources)} ${teNames(st.targets)}:${spaceList(st.classes)} ${st.result}${name};`];
    }
    case 'range_transition':
      return [`range_transition ${teNames(st.sources)} ${teNames(st.targets)}${classSuffix(st.classes)} ${teRange(st.range)};`];
    case 'role_transition':
      return [`role_transition ${spaceList(st.roles)} ${teNames(st.types)}${classSuffix(st.classes)} ${st.result};`];
    case 'role_allow':
      return [`allow ${spaceList(st.roles)} ${spaceList(st.newRoles)};`];
    case 'type': {
      const aliases = st.aliases && st.aliases.length > 0 ? ` alias ${spaceList(st.aliases)}` : '';
      const attrs = st.attributes && st.attributes.length > 0 ? `, ${commaList(st.attributes)}` : '';
      return [`type ${st.name}${aliases}${attrs};`];
    }
    case 'attribute':
      return [`attribute ${st.name};`];
    case 'typeattribute':
      return [`typeattribute ${st.type} ${commaList(st.attributes)};`];
    case 'typealias':
      return [`typealias ${st.type} alias ${spaceList(st.aliases)};`];
    case 'expandattribute':
      return [`expandattribute ${spaceList(st.attributes)} ${st.expand};`];
    case 'typebounds':
      return [`typebounds ${st.type} ${commaList(st.bounded)};`];
    case 'permissive':
      return [`permissive ${st.type};`];
    case 'bool':
      return [`${st.tunable ? 'tunable' : 'bool'} ${st.name} ${st.default};`];
    case 'role':
      return [st.attributes && st.attributes.length > 0 ? `role ${st.name}, ${commaList(st.attributes)};` : `role ${st.name};`];
    case 'roletypes':
      return printRoleTypes(st, false);
    case 'attribute_role':
      return [`attribute_role ${st.name};`];
    case 'roleattribute':
      return [`roleattribute ${st.role} ${commaList(st.attributes)};`];
    case 'user': {
      const mls = st.mls ? ` level ${teLevel(st.mls.level)} range ${teRange(st.mls.range)}` : '';
      return [`user ${st.name} roles ${spaceList(st.roles)}${mls};`];
    }
    case 'require':
      return requireBlock(st);
    case 'conditional': {
      const lines = [`if (${teBoolExpr(st.condition)}) {`, ...indent(st.whenTrue.flatMap(teStatementLines))];
      if (st.whenFalse) lines.push('} else {', ...indent(st.whenFalse.flatMap(teStatementLines)));
      lines.push('}');
      return lines;
    }
    case 'optional': {
      const lines = ['optional {', ...indent([...requireBlock(st.require), ...st.statements.flatMap(teStatementLines)])];
      // An empty else branch is no else branch (checkmodule refuses `else { }`).
      if (st.else && st.else.length > 0) lines.push('} else {', ...indent(st.else.flatMap(teStatementLines)));
      lines.push('}');
      return lines;
    }
  }
}
