// Every lint rule with a failing and a passing example (the README's), run
// through lintPolicy with that rule alone; and the source reader's shape.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/tempDir.js';
import type { Diagnostic } from '../../../base/diagnostic.js';
import { fileContextsFromText } from '../../labels/load.js';
import { parseSubs } from '../../labels/subs.js';
import { LINT_CACHE_VERSION } from './cache.js';
import { type LintInput, lintSource, lintSourceParts } from './context.js';
import { readLintInputs, readTexts } from './files.js';
import { lintPolicy } from './lint.js';
import { type Item, readSource, readSourceInParts } from './reader/source.js';
import { LINT_RULES } from './rules.js';
import { joinSummaries, type SourceSummary, summarizeSource } from './summary.js';

const FILES_IF = `interface(\`files_type',\`
	gen_require(\`
		attribute file_type;
	')
	typeattribute $1 file_type;
')
interface(\`corecmd_executable_file',\`
	gen_require(\`
		attribute exec_type;
	')
	typeattribute $1 exec_type;
	files_type($1)
')
`;

/** The codes and lines rule `code` finds in the files (named, as on the command line). */
function findings(code: string, files: Record<string, string>, subs = ''): string[] {
  // `subs`: rules given as --subs would give them.
  const inputs: LintInput[] = Object.entries(files).map(([file, text]) => ({ file, text, named: true }));
  const system = fileContextsFromText({ base: '/usr/bin(/.*)?\tsystem_u:object_r:bin_t:s0\n', subsDist: '/var/run /run\n' }).contexts;
  const rules = LINT_RULES.filter((r) => r.code === code || (code === 'fc-type-foreign' && r.code === 'fc-type-undeclared'));
  expect(rules.length, code).toBeGreaterThan(0);
  return lintPolicy(inputs, { system, subs: parseSubs(subs, 'extra.subs', 'subs'), build: 'none', rules, include: [{ file: 'kernel/files.if', text: FILES_IF }] })
    .filter((d) => d.code === code)
    .map((d) => `${d.span?.file}:${d.span?.line}`);
}

describe('the source reader', () => {
  it('reads calls, quoted bodies, require blocks and statements without m4', () => {
    const items = readSource("interface(`a_read',`\n\tgen_require(`\n\t\ttype a_t;\n\t')\n\tallow $1 a_t:file { read getattr };\n')\n");
    expect(items).toHaveLength(1);
    const call = items[0]!;
    expect(call.kind === 'call' && call.name).toBe('interface');
    const body = call.kind === 'call' ? call.args[1]! : [];
    expect(body.map((i) => i.kind)).toEqual(['call', 'statement']);
    const stmt = body[1]!;
    expect(stmt.kind === 'statement' && stmt.tokens.join(' ')).toBe('allow $1 a_t : file { read getattr }');
    expect(stmt.line).toBe(5);
  });

  it('ends a statement written without ; (genfscon ... gen_context(...)) at its line', () => {
    const items = readSource('genfscon proc /mtrr gen_context(system_u:object_r:mtrr_t,s0)\ntype null_t;\n');
    expect(items.map((i) => (i.kind === 'statement' ? i.tokens[0] : i.kind))).toEqual(['genfscon', 'type']);
  });

  it('reads a source in parts of whole top-level items: together, the items read at once', () => {
    const text = BIG_IF.slice(0, 4000);
    const parts: Item[][] = [];
    readSourceInParts(text, 50, (items) => parts.push(items));
    expect(parts.length).toBeGreaterThan(5);
    expect(JSON.stringify(parts.flat())).toBe(JSON.stringify(readSource(text)));
    const none: Item[][] = [];
    readSourceInParts('', 50, (items) => none.push(items));
    expect(none).toEqual([[]]);
  });

  it('an .if larger than one part gives the findings and summary it gives read whole', () => {
    // lintPolicy reads an .if in parts of 20,000 tokens; lintContext reads it whole.
    const input: LintInput = { file: 'm/big.if', text: BIG_IF };
    const sourceRules = LINT_RULES.filter((r) => r.source !== undefined);
    const whole = lintSource(input);
    const key = (d: Diagnostic) => `${d.span?.line}:${d.code}:${d.message}`;
    const found = lintPolicy([input], { build: 'none', rules: sourceRules }).map(key);
    expect(found.length).toBe(4000);
    expect(found.sort()).toEqual(
      sourceRules
        .flatMap((r) => r.source!(whole, { subs: [] }))
        .map(key)
        .sort(),
    );
    const parts: number[] = [];
    lintSourceParts(input, (src) => parts.push(src.items.length));
    expect(parts.length).toBeGreaterThan(2);
    let joined: SourceSummary | undefined;
    lintSourceParts(input, (src) => {
      const part = summarizeSource(src);
      joined = joined ? joinSummaries(joined, part) : part;
    });
    expect(joined).toEqual(summarizeSource(whole));
  });
});

describe('a generated source', () => {
  it('with 150,000 findings of one rule: all of them (no list spread into a call)', () => {
    const text = 'allow a_t b_t:file { write read };\n'.repeat(150_000);
    const found = lintPolicy([{ file: 'gen.te', text }], { build: 'none', rules: LINT_RULES.filter((r) => r.code === 'lint-perm-order') });
    expect(found.length).toBe(150_000);
    expect(found[149_999]?.span?.line).toBe(150_000);
  });

  it('with one statement of 200,000 names: read, summarized, checked', () => {
    const names = Array.from({ length: 200_000 }, (_, i) => `t${i}_t`).join(' ');
    const te = `policy_module(gen, 1.0)\ntype gen_t;\ntype_transition gen_t { ${names} }:file gen_t;\nallow gen_t { ${names} }:file read;\n`;
    const found = lintPolicy([{ file: 'm/gen.te', text: te }], { build: 'none' });
    expect(found.map((d) => d.code)).toEqual([]);
  });
});

describe('reading a folder', () => {
  const dir = tempDir('lint-files');

  it('gives each file its bytes as latin1, read in groups of files cut from one string each', () => {
    const texts = ['type a_t;\n', '', 'caf\u00e9 \u00ff\n'.repeat(3), 'x', 'allow a_t b_t:file read;\n'.repeat(4)];
    const paths = texts.map((t, i) => {
      const p = join(dir.path, `f${i}.te`);
      writeFileSync(p, Buffer.from(t, 'latin1'));
      return p;
    });
    for (const group of [1, 10, 40, 1 << 20]) expect(readTexts(paths, group), `groups of ${group} bytes`).toEqual(texts);
    expect(readLintInputs([dir.path]).map((x) => [x.file.slice(dir.path.length + 1), x.text])).toEqual(texts.map((t, i) => [`f${i}.te`, t]));
  });
});

/** An .if of 2,000 interfaces (each with an unused require and permissions out of order): about 50,000 tokens. */
const BIG_IF = Array.from(
  { length: 2000 },
  (_, i) => `interface(\`big_${i}',\`\n\tgen_require(\`\n\t\ttype big_${i}_t, unused_${i}_t;\n\t')\n\tallow $1 big_${i}_t:file { write read };\n\ttype $1_big_t;\n')\n`,
).join('');

describe('the lint rules, each failing and passing', () => {
  it('lint-perm-order: permissions not in byte order, or repeated', () => {
    expect(findings('lint-perm-order', { 'a.te': 'allow a_t self:process { signal sigkill };\nrequire {\n\tclass file { write read };\n}\n' })).toEqual(['a.te:1', 'a.te:3']);
    expect(findings('lint-perm-order', { 'a.te': 'allow a_t self:process { sigkill signal };\nallow a_t b_t:file ~{ write read };\n' })).toEqual(['a.te:2']);
    expect(findings('lint-perm-order', { 'a.te': 'allow a_t self:process { sigkill signal };\nallow a_t b_t:file read_file_perms;\n' })).toEqual([]);
  });

  it('lint-unused-require: in an interface (after the block) and in a module', () => {
    const iface = (body: string) => ({ 'a.if': `interface(\`a_read',\`\n\tgen_require(\`\n\t\ttype a_t, a_log_t;\n\t')\n${body}')\n` });
    expect(findings('lint-unused-require', iface('\tallow $1 a_t:file read;\n'))).toEqual(['a.if:3']);
    expect(findings('lint-unused-require', iface('\tallow $1 { a_t a_log_t }:file read;\n'))).toEqual([]);
    expect(findings('lint-unused-require', { 'b.te': 'module b 1.0;\nrequire {\n\ttype c_t;\n\ttype d_t;\n}\nallow c_t self:file read;\n' })).toEqual(['b.te:4']);
  });

  it('lint-missing-require: a type some module declares, used in an interface without a require', () => {
    const files = (req: string) => ({ 'a.te': 'policy_module(a, 1.0)\ntype a_t;\n', 'a.if': `interface(\`a_read',\`\n${req}\tallow $1 a_t:file read;\n')\n` });
    expect(findings('lint-missing-require', files(''))).toEqual(['a.if:2']);
    expect(findings('lint-missing-require', files("\tgen_require(`\n\t\ttype a_t;\n\t')\n"))).toEqual([]);
  });

  it('fc-regex-escape: a dot that is meant as a dot', () => {
    expect(findings('fc-regex-escape', { 'a.fc': '/etc/a.conf\t--\tgen_context(system_u:object_r:a_t,s0)\n' })).toEqual(['a.fc:1']);
    expect(
      findings('fc-regex-escape', {
        'a.fc': '/etc/a\\.conf\t--\tgen_context(system_u:object_r:a_t,s0)\n/etc/a\\.d(/.*)?\tgen_context(system_u:object_r:a_t,s0)\n/etc/[a.]x\tgen_context(system_u:object_r:a_t,s0)\n',
      }),
    ).toEqual([]);
  });

  it('fc-unreachable: a spec under the alias of an equivalence rule (--subs adds rules); an exact alias is fine', () => {
    expect(
      findings('fc-unreachable', { 'a.fc': '/var/run/a\\.pid\t--\tgen_context(system_u:object_r:a_t,s0)\n/opt/legacy/a\tgen_context(system_u:object_r:a_t,s0)\n' }, '/opt/legacy /opt/a\n'),
    ).toEqual(['a.fc:1', 'a.fc:2']);
    expect(findings('fc-unreachable', { 'a.fc': '/run/a\\.pid\t--\tgen_context(system_u:object_r:a_t,s0)\n/var/run\t-l\tgen_context(system_u:object_r:a_t,s0)\n' })).toEqual([]);
  });

  it('fc-duplicate: the same spec twice, unless in two branches of one ifdef', () => {
    expect(findings('fc-duplicate', { 'a.fc': '/opt/a\tgen_context(system_u:object_r:a_t,s0)\n/opt/a\tgen_context(system_u:object_r:a_t,s0)\n' })).toEqual(['a.fc:2']);
    expect(findings('fc-duplicate', { 'a.fc': "ifdef(`distro_x',`\n/opt/a\tgen_context(system_u:object_r:a_t,s0)\n',`\n/opt/a\tgen_context(system_u:object_r:a_t,s0)\n')\n" })).toEqual([]);
  });

  it('fc-type-undeclared and fc-type-foreign: a .fc type the module does not declare', () => {
    const te = "policy_module(a, 1.0)\ntype a_t;\ntemplate(`a_tmpl',`\n\ttype $1_conf_t;\n')\n";
    expect(findings('fc-type-undeclared', { 'a.te': te, 'a.fc': '/opt/a\tgen_context(system_u:object_r:nothing_t,s0)\n' })).toEqual(['a.fc:1']);
    expect(findings('fc-type-foreign', { 'a.te': te, 'a.fc': '/opt/a\tgen_context(system_u:object_r:b_t,s0)\n', 'b.te': 'policy_module(b, 1.0)\ntype b_t;\n' })).toEqual(['a.fc:1']);
    const called = {
      'a.if': "template(`a_tmpl',`\n\ttype $1_conf_t;\n')\n",
      'a.te': 'policy_module(a, 1.0)\ntype a_t;\na_tmpl(x)\n',
      'a.fc': '/opt/a\tgen_context(system_u:object_r:a_t,s0)\n/etc/x\tgen_context(system_u:object_r:x_conf_t,s0)\n',
    };
    expect(findings('fc-type-undeclared', called)).toEqual([]);
    expect(findings('fc-type-foreign', called)).toEqual([]);
  });

  it('lint-exec-without-fc: an executable type no .fc spec labels', () => {
    const te = 'policy_module(a, 1.0)\ntype a_exec_t;\ncorecmd_executable_file(a_exec_t)\n';
    expect(findings('lint-exec-without-fc', { 'a.te': te, 'a.fc': '/opt/a\tgen_context(system_u:object_r:a_conf_t,s0)\n' })).toEqual(['a.te:2']);
    expect(findings('lint-exec-without-fc', { 'a.te': te, 'a.fc': '/usr/bin/a\t--\tgen_context(system_u:object_r:a_exec_t,s0)\n' })).toEqual([]);
  });
});

describe('the store of what each source gave (cache)', () => {
  const dir = tempDir('lint-cache');
  const files: LintInput[] = [
    { file: 'm/a.te', text: 'policy_module(a, 1.0)\ntype a_t;\ntype a_exec_t;\ncorecmd_executable_file(a_exec_t)\nallow a_t self:process { signal sigkill };\n' },
    { file: 'm/a.if', text: "interface(`a_read',`\n\tgen_require(`\n\t\ttype a_t, a_log_t;\n\t')\n\tallow $1 a_t:file read;\n')\n" },
    { file: 'm/a.fc', text: '/var/run/a\\.pid\t--\tgen_context(system_u:object_r:a_t,s0)\n/opt/a.conf\tgen_context(system_u:object_r:b_t,s0)\n' },
  ];
  const system = fileContextsFromText({ base: '', subsDist: '/var/run /run\n' }).contexts;
  const lint = (inputs: LintInput[], scope = 'k', build = 'b1') =>
    lintPolicy(inputs, { system, build: 'none', include: [{ file: 'kernel/files.if', text: FILES_IF }], cache: { dir: dir.path, scope, build } });
  const store = () => readdirSync(dir.path).filter((f) => f.startsWith('check-'));

  it('finds the same with the store as without, and takes a source from it while its bytes are the same', () => {
    const fresh = lintPolicy(files, { system, build: 'none', include: [{ file: 'kernel/files.if', text: FILES_IF }] });
    expect(fresh.map((d) => d.code)).toEqual(['lint-exec-without-fc', 'lint-perm-order', 'lint-unused-require', 'fc-unreachable', 'fc-regex-escape', 'fc-type-undeclared']);
    expect(lint(files)).toEqual(fresh);
    expect(store()).toHaveLength(1);
    expect(lint(files)).toEqual(fresh);
    // What the store says is what comes out (so it was read): a finding of a.te altered there.
    const file = join(dir.path, store()[0]!);
    const kept = JSON.parse(readFileSync(file, 'utf8'));
    kept.sources['m/a.te'].findings['lint-perm-order'][0].message = 'from the store';
    writeFileSync(file, JSON.stringify(kept));
    expect(lint(files).find((d) => d.code === 'lint-perm-order')?.message).toBe('from the store');
    // a.te changed: read again (the altered finding gone, the new line's there).
    const edited = [{ ...files[0]!, text: `${files[0]!.text}allow a_t self:file { write read };\n` }, files[1]!, files[2]!];
    const again = lint(edited).filter((d) => d.code === 'lint-perm-order');
    expect(again.map((d) => [d.span?.line, d.message])).toEqual([
      [5, fresh.find((d) => d.code === 'lint-perm-order')!.message],
      [6, 'permissions not in order: write before read; write { read write }'],
    ]);
    // Other paths: another store; another build of the same paths: its store replaces the old one.
    expect(lint(files, 'other')).toEqual(fresh);
    expect(store()).toHaveLength(2);
    const before = store();
    expect(lint(files, 'other', 'b2')).toEqual(fresh);
    expect(store()).toHaveLength(2);
    expect(store()).not.toEqual(before);
  });

  it('ignores a store it cannot read, or of another version', () => {
    const before = new Set(store());
    const fresh = lint(files, 'broken');
    const file = join(dir.path, store().find((f) => !before.has(f))!);
    const kept = JSON.parse(readFileSync(file, 'utf8'));
    const damaged = (f: (e: Record<string, unknown>) => void) => {
      const copy = structuredClone(kept);
      f(copy.sources['m/a.te']);
      return JSON.stringify(copy);
    };
    const stores = [
      '{',
      JSON.stringify({ version: -1, sources: {} }),
      JSON.stringify({ version: LINT_CACHE_VERSION, sources: null }),
      damaged((e) => {
        e.findings = 5;
      }),
      damaged((e) => {
        (e.findings as Record<string, unknown>)['lint-perm-order'] = 'x';
      }),
      damaged((e) => {
        (e.summary as Record<string, unknown>).entries = null;
      }),
    ];
    for (const bad of stores) {
      writeFileSync(file, bad);
      expect(lint(files, 'broken')).toEqual(fresh);
    }
    expect(existsSync(file)).toBe(true);
  });
});
