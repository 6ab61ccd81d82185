// The kind of name each place takes (kinds.ts): attributes where types go
// and the other way round, kinds in conflict, periods and bounds, each at the
// user's line; through a macro, the message names the call that passed the
// name. checkmodule's verdicts on the same modules:
// test/oracle/te/ (CHECKS). The seed's case runs the devel headers' m4.
import { describe, expect, it } from 'vitest';
import { describeOracle } from '../../../../../test/oracle/support/oracles.js';
import { checkModule, expandDevelModule, expandM4, parseModuleText } from '../../../../index.js';

const HEAD = 'module m 1.0;\nrequire { type a_t; class file { read write }; attribute d_attr; }\ntype b_t;\n';

/** `line:column code message` of every diagnostic but name resolution's. */
function kinds(body: string): string[] {
  const r = parseModuleText({ name: 'm.te', text: HEAD + body });
  expect(r.diagnostics).toEqual([]);
  return checkModule(r.ast, r.map)
    .filter((d) => !d.code.startsWith('te-unknown-'))
    .map((d) => `${d.span?.line}:${d.span?.column} ${d.code} ${d.message}`);
}

describe('attributes where types go, types where attributes go', () => {
  it('says an attribute cannot be given attributes, at the name, with the fix and checkmodule’s words', () => {
    const r = parseModuleText({ name: 'm.te', text: `${HEAD}attribute g_attr;\ntypeattribute g_attr d_attr;\n` });
    const d = checkModule(r.ast, r.map);
    expect(d.map((x) => `${x.span?.line}:${x.span?.column} ${x.code} ${x.message}`)).toEqual(['5:15 te-attribute-as-type g_attr is an attribute, and an attribute cannot be given attributes']);
    expect(d[0]?.notes.map((n) => n.message)).toEqual(['give d_attr to the types of g_attr (typeattribute TYPE d_attr;), or name a type', 'checkmodule says: unknown type g_attr']);
    expect(d[0]?.data).toEqual({ name: 'g_attr', statement: 'typeattribute' });
  });

  it('refuses an attribute as the new type of a transition (not of a name transition), in typealias, typebounds and permissive', () => {
    expect(
      kinds(
        'attribute g_attr;\ntype_transition b_t a_t:file g_attr;\ntype_change b_t a_t:file g_attr;\ntype_member b_t a_t:file g_attr;\ntype_transition b_t a_t:file g_attr "x";\ntypealias g_attr alias g2_t;\ntypebounds g_attr b_t;\ntypebounds b_t g_attr;\npermissive g_attr;\n',
      ).map((l) => l.split(',')[0]),
    ).toEqual([
      '5:30 te-attribute-as-type g_attr is an attribute',
      '6:26 te-attribute-as-type g_attr is an attribute',
      '7:26 te-attribute-as-type g_attr is an attribute',
      '9:11 te-attribute-as-type g_attr is an attribute',
      '10:12 te-attribute-as-type g_attr is an attribute',
      '11:16 te-attribute-as-type g_attr is an attribute',
      '12:12 te-attribute-as-type g_attr is an attribute',
    ]);
  });

  it('takes aliases where types go and attributes in type sets', () => {
    expect(kinds('type c_t alias c2_t;\ntypeattribute c2_t d_attr;\npermissive c2_t;\ntypebounds b_t c2_t;\nrole r;\nrole r types d_attr;\nallow d_attr b_t:file read;\n')).toEqual([]);
  });

  it('refuses types and aliases where attributes go, regular roles where role attributes go, a role attribute as a new role', () => {
    expect(
      kinds(
        'type c_t alias c2_t;\ntypeattribute b_t c2_t;\ntype e_t, a_t;\nexpandattribute b_t true;\nrole r;\nrole q;\nroleattribute r q;\nattribute_role ar;\nrequire { class process transition; }\nrole_transition r b_t ar;\n',
      ),
    ).toEqual([
      '5:19 te-type-as-attribute c2_t is a type alias, not an attribute (typeattribute takes attributes here)',
      '6:11 te-type-as-attribute a_t is a type, not an attribute (type takes attributes here)',
      '7:17 te-type-as-attribute b_t is a type, not an attribute (expandattribute takes attributes here)',
      '10:17 te-type-as-attribute q is a regular role, not a role attribute (roleattribute takes role attributes here)',
      '13:23 te-attribute-as-type ar is a role attribute, and the new role of role_transition must be a regular role',
    ]);
  });

  it('names the call that passed the attribute, and the chain of calls is in the notes', () => {
    const src = "define(`give_kmsg', `typeattribute $1 d_attr;')dnl\ndefine(`outer', `give_kmsg($1)')dnl\nmodule m 1.0;\nrequire { attribute d_attr; }\nattribute g_attr;\n  outer(g_attr)\n";
    const m4 = expandM4([{ name: 'm.te', text: src }], { origins: true });
    const r = parseModuleText({ name: 'm.tmp', text: m4.output, origins: m4.origins });
    const d = checkModule(r.ast, r.map);
    expect(d.map((x) => `${x.span?.file}:${x.span?.line}:${x.span?.column} ${x.message}`)).toEqual([
      'm.te:6:9 g_attr is an attribute, and an attribute cannot be given attributes: outer, called at m.te:6:3, passed it to typeattribute',
    ]);
    expect(d[0]?.data).toEqual({ name: 'g_attr', statement: 'typeattribute', call: 'outer', callAt: 'm.te:6:3' });
    expect(d[0]?.notes.map((n) => n.message)).toContain('in the expansion of give_kmsg');
  });

  it('names no call when the attribute was written where it stands', () => {
    const src = "define(`kmsg', `typeattribute g_attr d_attr;')dnl\nmodule m 1.0;\nrequire { attribute d_attr; }\nattribute g_attr;\nkmsg\n";
    const m4 = expandM4([{ name: 'm.te', text: src }], { origins: true });
    const r = parseModuleText({ name: 'm.tmp', text: m4.output, origins: m4.origins });
    const d = checkModule(r.ast, r.map);
    expect(d.map((x) => `${x.span?.line} ${x.message} ${x.data?.call}`)).toEqual(['5 g_attr is an attribute, and an attribute cannot be given attributes undefined']);
  });
});

describe('one kind per name', () => {
  it('refuses a name required as a type and required or declared as an attribute, at the later place', () => {
    expect(kinds('attribute a_t;\noptional { require { type d_attr; } }\nrequire { role z; }\nattribute_role z;\n')).toEqual([
      '4:11 te-kind-conflict a_t is used both as an attribute and as a type: it was declared here as an attribute, and as a type before',
      '5:27 te-kind-conflict d_attr is used both as an attribute and as a type: it was required here as a type, and as an attribute before',
      '7:16 te-kind-conflict z is used both as an attribute and as a role: it was declared here as a role attribute, and as a role before',
    ]);
  });

  it('leaves a name declared twice to the duplicate check, and takes a name required twice alike', () => {
    expect(kinds('attribute b_t;\nrequire { attribute d_attr; }\nattribute d_attr;\n').map((l) => l.split(' ')[1])).toEqual(['te-duplicate-declaration']);
  });

  it('refuses periods in booleans, tunables and aliases, not in types', () => {
    expect(kinds('bool x.y true;\ntunable t.u false;\ntype c_t alias c.x;\ntype b_t.sub;\n').map((l) => l.split(' has')[0])).toEqual([
      '4:6 te-dotted-name boolean x.y',
      '5:9 te-dotted-name boolean t.u',
      '6:16 te-dotted-name type alias c.x',
    ]);
  });
});

describe('bounds', () => {
  it('wants the bounding type of a dotted type name, the bounding role of a dotted role, and one bounding type per type', () => {
    expect(kinds('type x.y;\nrole z.y;\ntype b_t.x;\ntypebounds b_t b_t.x;\ntypebounds a_t b_t.x;\n').map((l) => (l.split(',')[0] ?? '').split(' here')[0])).toEqual([
      '4:6 te-dotted-name type x.y has a period in its name',
      '5:6 te-dotted-name role z.y has a period in its name',
      '8:16 te-typebounds-conflict type b_t.x is bounded by a_t',
    ]);
  });
});

// The seed's case: refpolicy's kernel_read_messages does `typeattribute $1 can_receive_kernel_messages;`.
describeOracle('the seed: an attribute given to kernel_read_messages, and a typeattribute on it', () => {
  it('gives the attribute error at the user’s lines: the call’s, with its chain, and the typeattribute’s', () => {
    const text =
      'policy_module(gravity, 1.0)\n\nattribute gravity_domain;\n\nkernel_read_messages(gravity_domain)\ntypeattribute gravity_domain can_receive_kernel_messages;\nrequire { attribute can_receive_kernel_messages; }\n';
    const m4 = expandDevelModule({ name: 'gravity.te', text }, { origins: true });
    const r = parseModuleText({ name: 'tmp/gravity.tmp', text: m4.output, origins: m4.origins });
    expect(r.diagnostics).toEqual([]);
    const d = checkModule(r.ast, r.map);
    expect(d.map((x) => `${x.span?.file}:${x.span?.line}:${x.span?.column} ${x.code} ${x.message}`)).toEqual([
      'gravity.te:5:22 te-attribute-as-type gravity_domain is an attribute, and an attribute cannot be given attributes: kernel_read_messages, called at gravity.te:5:1, passed it to typeattribute',
      'gravity.te:6:15 te-attribute-as-type gravity_domain is an attribute, and an attribute cannot be given attributes',
    ]);
    expect(d[0]?.notes.map((n) => `${n.span?.file}:${n.span?.line} ${n.message}`)).toContain('gravity.te:5 in the expansion of kernel_read_messages');
    expect(d[0]?.data?.call).toBe('kernel_read_messages');
  });

  it("names the module's own interface when it passed the attribute on to kernel_read_messages", () => {
    const te = 'policy_module(gravity, 1.0)\n\nattribute gravity_domain;\ngravity_read_kmsg(gravity_domain)\n';
    const iface = "## <summary>Read kernel messages.</summary>\ninterface(`gravity_read_kmsg',`\n\tkernel_read_messages($1)\n')\n";
    const m4 = expandDevelModule({ name: 'gravity.te', text: te }, { origins: true, moduleIf: { name: 'gravity.if', text: iface } });
    const r = parseModuleText({ name: 'tmp/gravity.tmp', text: m4.output, origins: m4.origins });
    const d = checkModule(r.ast, r.map);
    expect(d.map((x) => `${x.span?.file}:${x.span?.line}:${x.span?.column} ${x.message}`)).toEqual([
      'gravity.te:4:19 gravity_domain is an attribute, and an attribute cannot be given attributes: gravity_read_kmsg, called at gravity.te:4:1, passed it to typeattribute',
    ]);
    expect(d[0]?.notes.map((n) => n.message).slice(-2)).toEqual(['in the expansion of kernel_read_messages', 'in the expansion of gravity_read_kmsg']);
  });
}, ['devel-include', 'm4']);
