// The parser, statement by statement: what each kind of statement becomes
// (names and sets as written, spans), and the grammar's corners that
// checkmodule 3.4 takes (keyword operators, `a - b`, nested sets, name
// transitions, xperm sets). Errors and recovery: recovery.test.ts.
import { describe, expect, it } from 'vitest';
import { parseModuleText, type te } from '../../../index.js';

/** The statements of a module, asserting it parsed without errors. */
function parse(body: string, header = 'module m 1.0;\n'): te.Statement[] {
  const r = parseModuleText({ name: 'm.te', text: header + body });
  expect(r.diagnostics).toEqual([]);
  return r.ast.statements;
}

function one<K extends te.Statement['kind']>(body: string, kind: K): te.Statement & { kind: K } {
  const s = parse(body);
  expect(s).toHaveLength(1);
  expect(s[0]?.kind).toBe(kind);
  return s[0] as te.Statement & { kind: K };
}

/** A name expression as text: `a`, `{ a -b }`, `*`, `~a`, `a - b`. */
function show(e: te.NameExpr | te.SetItem): string {
  switch (e.kind) {
    case 'ident':
      return e.name;
    case 'set':
      return `{ ${e.items.map(show).join(' ')} }`;
    case 'exclude':
      return `-${e.name.name}`;
    case 'star':
      return '*';
    case 'complement':
      return `~${show(e.operand)}`;
    case 'minus':
      return `${e.left.name} - ${e.right.name}`;
  }
}

function cond(e: te.CondExpr): string {
  if (e.kind === 'bool') return e.name.name;
  if (e.kind === 'not') return `!${cond(e.operand)}`;
  return `(${cond(e.left)} ${e.op} ${cond(e.right)})`;
}

describe('module header and require', () => {
  it('takes the module line as the header, with its version as written', () => {
    const r = parseModuleText('module myapp 1.2.3;\ntype a_t;\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.header).toMatchObject({ kind: 'module', name: { name: 'myapp' }, version: '1.2.3' });
    expect(r.ast.statements.map((s) => s.kind)).toEqual(['type']);
    expect(parseModuleText('module m 1;').ast.header?.version).toBe('1');
    expect(parseModuleText('module m 1.2.3.4;').ast.header?.version).toBe('1.2.3.4');
  });

  it('reads every kind of require', () => {
    const s = one(
      'require { type a_t, b_t; attribute domain; role r; attribute_role ra; user u; bool b1; tunable t; sensitivity s0; category c0; class file { read write }; class dir *; class sock_file ~{ read }; }',
      'require',
    );
    expect(s.items.map((i) => (i.kind === 'requireNames' ? `${i.what} ${i.names.map((n) => n.name).join(',')}` : `class ${i.name.name} ${show(i.perms)}`))).toEqual([
      'type a_t,b_t',
      'attribute domain',
      'role r',
      'attribute_role ra',
      'user u',
      'bool b1',
      'tunable t',
      'sensitivity s0',
      'category c0',
      'class file { read write }',
      'class dir *',
      'class sock_file ~{ read }',
    ]);
  });
});

describe('declarations', () => {
  it('type with aliases and attributes, typealias, attribute, typeattribute', () => {
    const t = one('type a_t alias { b_t c_t }, domain, files;', 'type');
    expect([t.name.name, t.aliases && show(t.aliases), t.attributes.map((a) => a.name)]).toEqual(['a_t', '{ b_t c_t }', ['domain', 'files']]);
    expect(one('type a_t;', 'type')).toMatchObject({ aliases: undefined, attributes: [] });
    expect(show(one('typealias a_t alias old_t;', 'typealias').aliases)).toBe('old_t');
    expect(one('attribute domain;', 'attribute').name.name).toBe('domain');
    expect(one('attribute_role ra;', 'attribute_role').name.name).toBe('ra');
    const ta = one('typeattribute a_t domain, files;', 'typeattribute');
    expect([ta.subject.name, ta.attributes.map((a) => a.name)]).toEqual(['a_t', ['domain', 'files']]);
    const ra = one('roleattribute r ra, rb;', 'roleattribute');
    expect([ra.subject.name, ra.attributes.map((a) => a.name)]).toEqual(['r', ['ra', 'rb']]);
  });

  it('expandattribute, typebounds, permissive, bool, tunable', () => {
    const e = one('expandattribute { a b } false;', 'expandattribute');
    expect([show(e.attributes), e.value]).toEqual(['{ a b }', false]);
    const tb = one('typebounds parent_t child_t, other_t;', 'typebounds');
    expect([tb.bounding.name, tb.bounded.map((b) => b.name)]).toEqual(['parent_t', ['child_t', 'other_t']]);
    expect(one('permissive a_t;', 'permissive').type.name).toBe('a_t');
    expect(one('bool b true;', 'bool')).toMatchObject({ name: { name: 'b' }, value: true });
    expect(one('TUNABLE t FALSE;', 'tunable')).toMatchObject({ name: { name: 't' }, value: false });
  });

  it('roles: declarations with attributes, types, transitions, allow', () => {
    expect(one('role r, ra;', 'role').attributes.map((a) => a.name)).toEqual(['ra']);
    const rt = one('role r types { a_t b_t };', 'role');
    expect(rt.types && show(rt.types)).toBe('{ a_t b_t }');
    const tr = one('role_transition r a_t:process s;', 'role_transition');
    expect([show(tr.roles), show(tr.types), tr.classes && show(tr.classes), tr.result.name]).toEqual(['r', 'a_t', 'process', 's']);
    expect(one('role_transition r a_t s;', 'role_transition').classes).toBeUndefined();
    const ra = one('allow r { s t };', 'roleallow');
    expect([show(ra.from), show(ra.to)]).toEqual(['r', '{ s t }']);
  });

  it('users as gen_user writes them', () => {
    const u = one('user u_u roles { staff_r sysadm_r } level s0 range s0 - s0:c0.c1023;', 'user');
    expect([u.name.name, show(u.roles), u.level?.sensitivity.name, u.range?.high?.categories.map((c) => c.name)]).toEqual(['u_u', '{ staff_r sysadm_r }', 's0', ['c0.c1023']]);
    expect(one('user u_u roles object_r;', 'user').level).toBeUndefined();
  });
});

describe('rules', () => {
  it('allow and its kin, with every form of name set', () => {
    const r = one('allow { a_t -b_t { c_t } } ~{ d_t e_t }:{ file dir } *;', 'avrule');
    expect([r.rule, show(r.source), show(r.target), show(r.classes), show(r.perms)]).toEqual(['allow', '{ a_t -b_t { c_t } }', '~{ d_t e_t }', '{ file dir }', '*']);
    expect(parse('auditallow a b:c d; auditdeny a b:c d; dontaudit a b:c d; neverallow a ~b:c ~d;').map((s) => (s as te.AvRule).rule)).toEqual(['auditallow', 'auditdeny', 'dontaudit', 'neverallow']);
    expect(show(one('allow domain - unconfined_t self:file read;', 'avrule').source)).toBe('domain - unconfined_t');
    expect(show(one('allow a_t self:file { read -write };', 'avrule').target)).toBe('self');
  });

  it('xperm rules: numbers, ranges, nested sets, complements', () => {
    const x = one('allowxperm a_t b_t:chr_file ioctl { 0x8910 0x8912-0x8914 { 42 } };', 'xpermrule');
    expect([x.rule, x.operation.name, x.perms.complement]).toEqual(['allowxperm', 'ioctl', false]);
    expect(x.perms.operand).toMatchObject({ kind: 'xpermSet', items: [{ low: 0x8910 }, { low: 0x8912, high: 0x8914 }, { kind: 'xpermSet', items: [{ low: 42 }] }] });
    expect(one('dontauditxperm a b:c ioctl ~0x1;', 'xpermrule').perms).toMatchObject({ complement: true, operand: { low: 1 } });
    expect(parse('auditallowxperm a b:c ioctl 1; neverallowxperm a b:c ioctl ~{ 1 2 };').map((s) => (s as te.XpermRule).rule)).toEqual(['auditallowxperm', 'neverallowxperm']);
  });

  it('type_transition (with an object name), type_member, type_change, range_transition', () => {
    const t = one('type_transition a_t b_t:file c_t "name.conf";', 'typerule');
    expect([t.rule, show(t.source), show(t.target), show(t.classes), t.result.name, t.fileName?.value]).toEqual(['type_transition', 'a_t', 'b_t', 'file', 'c_t', 'name.conf']);
    expect(t.fileName?.span).toEqual({ file: 'm.te', line: 2, column: 34, endLine: 2, endColumn: 45 });
    expect(one('type_member a b:c d;', 'typerule').rule).toBe('type_member');
    expect(one('type_change a b:c d;', 'typerule').fileName).toBeUndefined();
    const rt = one('range_transition a_t b_t:process s0 - s0:c0,c3;', 'range_transition');
    expect([rt.classes && show(rt.classes), rt.range.low.sensitivity.name, rt.range.high?.categories.map((c) => c.name)]).toEqual(['process', 's0', ['c0', 'c3']]);
    expect(one('range_transition a b s1;', 'range_transition').classes).toBeUndefined();
  });
});

describe('blocks', () => {
  it('if/else with boolean expressions, checkpolicy precedence and keyword operators', () => {
    const s = one('if (a && !b || c ^ d == e) { allow x y:z w; } else { dontaudit x y:z w; }', 'if');
    expect(cond(s.condition)).toBe('((a && !b) || (c ^ (d == e)))');
    expect(s.then.statements.map((x) => x.kind)).toEqual(['avrule']);
    expect(s.else?.statements.map((x) => x.kind)).toEqual(['avrule']);
    expect(cond(one('if (a and not b or c xor d eq e) { }', 'if').condition)).toBe('((a && !b) || (c ^ (d == e)))');
    expect(cond(one('if x != y { }', 'if').condition)).toBe('(x != y)');
  });

  it('optional/else, nested, with their requires', () => {
    const o = one('optional { require { type a_t; } optional { allow b a_t:c d; } } else { type e_t; }', 'optional');
    expect(o.body.statements.map((x) => x.kind)).toEqual(['require', 'optional']);
    expect(o.else?.statements.map((x) => x.kind)).toEqual(['type']);
  });

  it('keeps empty statements out and takes keywords in either case', () => {
    expect(parse(';;ALLOW a b:c d;;').map((s) => s.kind)).toEqual(['avrule']);
  });
});

describe('statements only a base policy holds', () => {
  it('parses them to where they end (many without a ;) and names them', () => {
    const src = [
      'class file',
      'class file { read write }',
      'class dir inherits file { search }',
      'common file { ioctl }',
      'sid kernel',
      'sid kernel system_u:system_r:kernel_t:s0',
      'sensitivity s0 alias unclassified;',
      'dominance { s0 s1 }',
      'category c0;',
      'level s0:c0.c1023;',
      'mlsconstrain file { read } ((l1 dom l2) or (t1 == mlsfileread));',
      'constrain process transition ( u1 == u2 or t1 == can_change_process_identity );',
      'fs_use_xattr ext4 system_u:object_r:fs_t:s0;',
      'genfscon proc /kmsg -c system_u:object_r:proc_kmsg_t:s15:c0.c1023',
      'genfscon sysfs / system_u:object_r:sysfs_t:s0',
      'portcon tcp 8080-8090 system_u:object_r:http_port_t:s0',
      'netifcon lo system_u:object_r:lo_t:s0 system_u:object_r:unlabeled_t:s0',
      'nodecon 127.0.0.1 255.255.255.255 system_u:object_r:lo_node_t:s0',
      'nodecon ::1 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff system_u:object_r:lo_node_t:s0',
      'policycap open_perms;',
      'default_range process source low-high;',
      'allow a b:c d;',
    ].join('\n');
    const s = parse(src, '');
    expect(s.map((x) => (x.kind === 'baseOnly' ? `${x.keyword}${x.name ? ` ${x.name.name}` : ''}/${x.contexts.length}` : x.kind))).toEqual([
      'class file/0',
      'class file/0',
      'class dir/0',
      'common file/0',
      'sid kernel/0',
      'sid kernel/1',
      'sensitivity s0/0',
      'dominance/0',
      'category c0/0',
      'level/0',
      'mlsconstrain/0',
      'constrain/0',
      'fs_use_xattr ext4/1',
      'genfscon proc/1',
      'genfscon sysfs/1',
      'portcon tcp/1',
      'netifcon lo/2',
      'nodecon/1',
      'nodecon/1',
      'policycap open_perms/0',
      'default_range/0',
      'avrule',
    ]);
    expect(s[5]?.span).toEqual({ file: 'm.te', line: 6, column: 1, endLine: 6, endColumn: 41 });
  });
});

describe('spans', () => {
  it('puts every node where it was written; sync lines move lines and files as in checkmodule', () => {
    const r = parseModuleText({ name: 'x.tmp', text: '#line 1 "myapp.te"\nmodule m 1.0;\n#line 20\n  allow a_t b_t:file read;\n' });
    expect(r.diagnostics).toEqual([]);
    const a = r.ast.statements[0] as te.AvRule;
    expect(a.span).toEqual({ file: 'myapp.te', line: 20, column: 3, endLine: 20, endColumn: 27 });
    expect((a.perms as te.Ident).span).toEqual({ file: 'myapp.te', line: 20, column: 22, endLine: 20, endColumn: 26 });
    expect(r.ast.header?.span).toMatchObject({ file: 'myapp.te', line: 1, column: 1 });
  });
});

describe('placeless parsing (a first pass whose diagnostics are only counted)', () => {
  it('gives the same tree with every span the text at line 0, and the same diagnostics there', () => {
    const text = '#line 1 "user.te"\nmodule m 1.0;\ntype a_t;\nallow a_t b_t:file read;\nallow $ ;\n';
    const placed = parseModuleText({ name: 'm.tmp', text });
    const placeless = parseModuleText({ name: 'm.tmp', text, placeless: true });
    const strip = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x) => (k === 'span' ? undefined : x)));
    expect(strip(placeless.ast)).toEqual(strip(placed.ast));
    expect(placed.ast.statements[0]?.span).toMatchObject({ file: 'user.te', line: 2 });
    expect(placeless.ast.statements[0]?.span).toEqual({ file: 'm.tmp', line: 0 });
    expect(Object.isFrozen(placeless.ast.statements[0]?.span)).toBe(true);
    expect(placeless.diagnostics.map((d) => [d.code, d.span])).toEqual(placed.diagnostics.map((d) => [d.code, { file: 'm.tmp', line: 0 }]));
    expect(placed.diagnostics.length).toBeGreaterThan(0);
  });
});
