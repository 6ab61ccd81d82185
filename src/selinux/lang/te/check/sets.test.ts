// Where `self`, `*`, `~` and `-` may stand (sets.ts), each refusal at the
// user's line with checkmodule's words. checkmodule's verdicts on the same
// modules: test/oracle/te/ (CHECKS).
import { describe, expect, it } from 'vitest';
import { checkModule, parseModuleText } from '../../../../index.js';

const HEAD = 'module m 1.0;\nrequire { type a_t; class file { read write }; attribute d_attr; }\ntype b_t;\n';

/** `line:column code message` of every diagnostic but name resolution's. */
function kinds(body: string): string[] {
  const r = parseModuleText({ name: 'm.te', text: HEAD + body });
  expect(r.diagnostics).toEqual([]);
  return checkModule(r.ast, r.map)
    .filter((d) => !d.code.startsWith('te-unknown-'))
    .map((d) => `${d.span?.line}:${d.span?.column} ${d.code} ${d.message}`);
}

describe('self', () => {
  it('stands among the target types of access and type rules (complemented in neverallow too)', () => {
    expect(
      kinds(
        'allow b_t self:file read;\nallow b_t { a_t self }:file read;\ntype_transition b_t self:file b_t;\ntype_transition b_t self:dir b_t "x";\ntype_member b_t self:file b_t;\nneverallow b_t ~self:file write;\n',
      ),
    ).toEqual([]);
  });

  it('is refused anywhere else, excluded, or declared', () => {
    expect(
      kinds(
        'allow self a_t:file read;\nallow b_t { d_attr -self }:file read;\nallow b_t d_attr - self:file read;\ntype_transition b_t a_t:file self;\ntypeattribute self d_attr;\npermissive self;\nrole r;\nrole r types self;\ntype self;\n',
      ),
    ).toEqual([
      '4:7 te-self self is not allowed here in allow: self stands only among the target types of allow, auditallow, dontaudit, neverallow, the xperm rules, type_transition, type_member and type_change',
      '5:21 te-self self cannot be excluded from the target types of allow',
      '6:20 te-self self cannot be excluded from the target types of allow',
      '7:30 te-self self is not allowed here in type_transition: self stands only among the target types of allow, auditallow, dontaudit, neverallow, the xperm rules, type_transition, type_member and type_change',
      '8:15 te-self self is not allowed here in typeattribute: self stands only among the target types of allow, auditallow, dontaudit, neverallow, the xperm rules, type_transition, type_member and type_change',
      '9:12 te-self self is not allowed here in permissive: self stands only among the target types of allow, auditallow, dontaudit, neverallow, the xperm rules, type_transition, type_member and type_change',
      '11:14 te-self self is not allowed here in role ... types: self stands only among the target types of allow, auditallow, dontaudit, neverallow, the xperm rules, type_transition, type_member and type_change',
      '12:6 te-self self cannot be declared: it is a reserved type name',
    ]);
  });

  it('is no unknown type to name resolution', () => {
    const r = parseModuleText({ name: 'm.te', text: `${HEAD}allow self a_t:file read;\n` });
    expect(checkModule(r.ast, r.map).map((d) => d.code)).toEqual(['te-self']);
  });
});

describe('*, ~ and -', () => {
  it('takes * and ~ in the type sets of neverallow, - in type sets, * and ~ in permissions', () => {
    expect(kinds('neverallow * ~{ a_t }:file read;\nallow { d_attr -b_t } a_t:file ~read;\nallow b_t a_t:file *;\nrole r;\nrole r types { d_attr -b_t };\n')).toEqual([]);
  });

  it('refuses * and ~ in other type sets; any of them in classes, role sets, expandattribute; - in permissions', () => {
    expect(
      kinds(
        'allow * a_t:file read;\ntype_transition b_t ~a_t:file b_t;\nallow b_t a_t:{ file -file } read;\nallow b_t a_t:file { read -write };\nrole r;\nrole q;\nallow r *;\nallow { r -q } q;\nexpandattribute * true;\n',
      ),
    ).toEqual([
      '4:7 te-set-operator * is not allowed in the types of allow (only neverallow takes it)',
      '5:21 te-set-operator ~ is not allowed in the types of type_transition (only neverallow takes it)',
      '6:22 te-set-operator - is not allowed in a set of classes',
      '7:27 te-set-operator - is not allowed in a set of permissions',
      '10:9 te-set-operator * is not allowed in the roles of a role allow rule',
      '11:11 te-set-operator - is not allowed in the roles of a role allow rule',
      '12:17 te-set-operator * is not allowed in the attributes of expandattribute',
    ]);
  });

  it("quotes checkmodule's message in a note", () => {
    const r = parseModuleText({ name: 'm.te', text: `${HEAD}allow b_t a_t:* read;\n` });
    const d = checkModule(r.ast, r.map);
    expect(d.map((x) => [x.code, x.notes[0]?.message])).toEqual([['te-set-operator', 'checkmodule says: unknown class *']]);
  });
});
