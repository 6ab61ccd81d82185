// The round-trip property over generated modules: every module of the IR in
// the normal form lowering gives (requires as statements, no empty optional
// lists, name sets only where they have operators) prints as text that
// parses with no error and lowers to the same module, and prints the same
// again. Fixed seed; PORTHOLE_FUZZ=long runs many more cases.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '../../../../../test/support/fuzzRuns.js';
import { stripSpans } from '../../../../../test/support/stripSpans.js';
import type { BoolExpr, ConditionalRule, MlsCategory, MlsLevel, MlsRange, Module, NameList, RequireStatement, Statement, XpermRange } from '../../../ir/index.js';
import { addXpermRange } from '../../../ir/index.js';
import { printTe } from '../../../print/te.js';
import { isTeKeyword } from '../../../print/teWritable.js';
import { parseModuleText } from '../parse.js';
import { lowerModule } from './lower.js';

const name = fc
  .oneof(fc.constantFrom('a_t', 'b_t', 'self', 'Foo', 'x-1', 'a.b', 'domain', 'TYPE_t', 'r'), fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,5}(\.[a-z0-9]{1,3})?$/))
  .filter((n) => !isTeKeyword(n));
const names = fc.array(name, { minLength: 1, maxLength: 3 });
const levelName = fc.stringMatching(/^[a-z][a-z0-9_]{0,4}$/).filter((n) => !isTeKeyword(n));

/** `target` with `list` under `key` when the list is not empty (the IR's normal form). */
function optionalList<T extends object>(target: T, key: string, list: unknown[] | undefined): T {
  if (list !== undefined && list.length > 0) (target as Record<string, unknown>)[key] = list;
  return target;
}

const nameList: fc.Arbitrary<NameList> = fc.oneof(
  names,
  fc.record({ names: fc.array(name, { maxLength: 3 }), exclude: names }),
  fc.record({ names: fc.array(name, { maxLength: 3 }), exclude: fc.option(names, { nil: undefined }) }).map((s) => optionalList({ names: s.names, complement: true as const }, 'exclude', s.exclude)),
);

const category: fc.Arbitrary<MlsCategory> = fc.oneof(levelName, fc.tuple(levelName, levelName));
const level: fc.Arbitrary<MlsLevel> = fc
  .record({ sensitivity: levelName, categories: fc.array(category, { maxLength: 3 }) })
  .map((l) => optionalList({ sensitivity: l.sensitivity }, 'categories', l.categories));
const range: fc.Arbitrary<MlsRange> = fc.record({ low: level, high: fc.option(level, { nil: undefined }) }).map((r) => (r.high ? { low: r.low, high: r.high } : { low: r.low }));

const boolExpr: fc.Arbitrary<BoolExpr> = fc.letrec<{ e: BoolExpr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    name.map((n): BoolExpr => ({ op: 'bool', name: n })),
    tie('e').map((operand): BoolExpr => ({ op: 'not', operand })),
    fc.record({ op: fc.constantFrom('and', 'or', 'xor', 'eq', 'neq' as const), left: tie('e'), right: tie('e') }) as fc.Arbitrary<BoolExpr>,
  ),
})).e;

const xperms: fc.Arbitrary<XpermRange[]> = fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 300 })), { minLength: 1, maxLength: 4 }).map((pairs) => {
  const ranges: XpermRange[] = [];
  for (const [lo, len] of pairs) addXpermRange(ranges, [lo, Math.min(0xffff, lo + len)]);
  return ranges;
});

const avRule = fc
  .record({
    rule: fc.constantFrom('allow', 'dontaudit', 'auditallow', 'neverallow', 'auditdeny' as const),
    sources: nameList,
    targets: nameList,
    classes: names,
    perms: fc.array(name, { maxLength: 3 }),
    complement: fc.boolean(),
  })
  .map((r): ConditionalRule => {
    const st = { kind: 'av' as const, rule: r.rule, sources: r.sources, targets: r.targets, classes: r.classes, perms: r.perms.length === 0 ? ['read'] : r.perms };
    return r.complement ? { ...st, perms: r.perms, permsComplement: true } : st;
  });
const xpermRule = fc
  .record({
    rule: fc.constantFrom('allowxperm', 'dontauditxperm', 'auditallowxperm', 'neverallowxperm' as const),
    sources: nameList,
    targets: nameList,
    classes: names,
    operation: fc.constantFrom('ioctl', 'nlmsg'),
    ranges: xperms,
  })
  .map((r): ConditionalRule => ({ kind: 'xperm', ...r }));
const typeRule = fc
  .record({
    rule: fc.constantFrom('type_transition', 'type_change', 'type_member' as const),
    sources: nameList,
    targets: nameList,
    classes: names,
    result: name,
    objectName: fc.option(fc.stringMatching(/^[A-Za-z0-9_. -]{1,8}$/), { nil: undefined }),
  })
  .map((r): ConditionalRule => {
    const st = { kind: 'typerule' as const, rule: r.rule, sources: r.sources, targets: r.targets, classes: r.classes, result: r.result };
    return r.rule === 'type_transition' && r.objectName !== undefined ? { ...st, objectName: r.objectName } : st;
  });
const requireStatement = fc
  .record({
    types: fc.array(name, { maxLength: 2 }),
    classes: fc.array(fc.tuple(name, names), { maxLength: 2 }),
    roles: fc.array(name, { maxLength: 2 }),
    attributes: fc.array(name, { maxLength: 2 }),
    attributeRoles: fc.array(name, { maxLength: 1 }),
    bools: fc.array(name, { maxLength: 1 }),
    tunables: fc.array(name, { maxLength: 1 }),
    users: fc.array(name, { maxLength: 1 }),
    sensitivities: fc.array(levelName, { maxLength: 1 }),
    categories: fc.array(levelName, { maxLength: 1 }),
  })
  .map((r): RequireStatement => {
    const st: RequireStatement = { kind: 'require', types: r.types.length + r.classes.length + r.roles.length === 0 ? ['a_t'] : r.types, classes: r.classes, roles: r.roles };
    for (const key of ['attributes', 'attributeRoles', 'bools', 'tunables', 'users', 'sensitivities', 'categories'] as const) optionalList(st, key, r[key]);
    return st;
  });
const conditionalRule = fc.oneof(avRule, xpermRule, typeRule, requireStatement);

const declaration: fc.Arbitrary<Statement> = fc.oneof(
  fc
    .record({ name, aliases: fc.array(name, { maxLength: 2 }), attributes: fc.array(name, { maxLength: 2 }) })
    .map((d) => optionalList(optionalList<Statement>({ kind: 'type', name: d.name }, 'aliases', d.aliases), 'attributes', d.attributes)),
  name.map((n): Statement => ({ kind: 'attribute', name: n })),
  fc.record({ type: name, attributes: names }).map((d): Statement => ({ kind: 'typeattribute', ...d })),
  fc.record({ type: name, aliases: names }).map((d): Statement => ({ kind: 'typealias', ...d })),
  fc.record({ attributes: names, expand: fc.boolean() }).map((d): Statement => ({ kind: 'expandattribute', ...d })),
  fc.record({ type: name, bounded: names }).map((d): Statement => ({ kind: 'typebounds', ...d })),
  name.map((n): Statement => ({ kind: 'permissive', type: n })),
  fc
    .record({ name, default: fc.boolean(), tunable: fc.boolean() })
    .map((d): Statement => (d.tunable ? { kind: 'bool', name: d.name, default: d.default, tunable: true } : { kind: 'bool', name: d.name, default: d.default })),
  fc.record({ name, attributes: fc.array(name, { maxLength: 2 }) }).map((d) => optionalList<Statement>({ kind: 'role', name: d.name }, 'attributes', d.attributes)),
  fc.record({ role: name, types: nameList }).map((d): Statement => ({ kind: 'roletypes', ...d })),
  name.map((n): Statement => ({ kind: 'attribute_role', name: n })),
  fc.record({ role: name, attributes: names }).map((d): Statement => ({ kind: 'roleattribute', ...d })),
  fc
    .record({ name, roles: names, mls: fc.option(fc.record({ level, range }), { nil: undefined }) })
    .map((d): Statement => (d.mls ? { kind: 'user', ...d, mls: d.mls } : { kind: 'user', name: d.name, roles: d.roles })),
);
const otherRule: fc.Arbitrary<Statement> = fc.oneof(
  fc.record({ sources: nameList, targets: nameList, classes: fc.array(name, { maxLength: 2 }), range }).map((r): Statement => ({ kind: 'range_transition', ...r })),
  fc.record({ roles: names, types: nameList, classes: fc.array(name, { maxLength: 2 }), result: name }).map((r): Statement => ({ kind: 'role_transition', ...r })),
  fc.record({ roles: names, newRoles: names }).map((r): Statement => ({ kind: 'role_allow', ...r })),
);
const conditional = fc
  .record({ condition: boolExpr, whenTrue: fc.array(conditionalRule, { maxLength: 3 }), whenFalse: fc.option(fc.array(conditionalRule, { maxLength: 2 }), { nil: undefined }) })
  .map((c): Statement => (c.whenFalse ? { kind: 'conditional', ...c, whenFalse: c.whenFalse } : { kind: 'conditional', condition: c.condition, whenTrue: c.whenTrue }));

const statement: fc.Arbitrary<Statement> = fc.letrec<{ s: Statement }>((tie) => ({
  s: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    conditionalRule as fc.Arbitrary<Statement>,
    declaration,
    otherRule,
    conditional,
    fc
      .record({ statements: fc.array(tie('s'), { maxLength: 3 }), else: fc.array(tie('s'), { maxLength: 2 }) })
      .map((o): Statement => (o.else.length > 0 ? { kind: 'optional', statements: o.statements, else: o.else } : { kind: 'optional', statements: o.statements })),
  ),
})).s;

const module: fc.Arbitrary<Module> = fc
  .record({ header: fc.option(fc.record({ name, version: fc.constantFrom('1.0', '1', '2.3.1', '1.2.3.4') }), { nil: undefined }), statements: fc.array(statement, { maxLength: 8 }) })
  .map((m): Module => (m.header ? { name: m.header.name, version: m.header.version, layout: 'written', statements: m.statements } : { layout: 'written', statements: m.statements }));

describe('the round trip over generated modules', () => {
  it('print, parse and lower give the module back, and print the same text again', () => {
    fc.assert(
      fc.property(module, (m) => {
        const printed = printTe(m);
        const parsed = parseModuleText({ name: 'gen.te', text: printed });
        expect(parsed.diagnostics).toEqual([]);
        const lowered = lowerModule(parsed.ast);
        expect(stripSpans(lowered)).toEqual(m);
        expect(printTe(lowered)).toBe(printed);
      }),
      { seed: 1414, numRuns: fuzzRuns(300) },
    );
  });
});
