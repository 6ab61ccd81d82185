// `porthole iface find|show|defs|def` over small include trees in both
// layouts (devel headers, refpolicy sources): text, --json, -I and
// $SE_DEVEL_INCLUDE, order, exit statuses and errors.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { tempDir } from '../support/tempDir.js';

const dir = tempDir('iface-cli');

const KERNEL_IF = `## <summary>Core.</summary>

########################################
## <summary>
##	Allow caller to read kernel messages.
## </summary>
## <param name="domain">
##	<summary>
##	Domain allowed access.
##	</summary>
## </param>
#
interface(\`kernel_read_messages',\`
	gen_require(\`
		attribute can_receive_kernel_messages;
	')

	typeattribute $1 can_receive_kernel_messages;
')
`;
const NETUTILS_IF = `########################################
## <summary>
##	Execute ping in the caller domain.
## </summary>
## <param name="domain">
##	<summary>
##	Domain allowed access.
##	</summary>
## </param>
#
interface(\`netutils_exec_ping',\`
	gen_require(\`
		type ping_exec_t;
	')

	can_exec($1, ping_exec_t)
')
`;
const AAA_IF = "template(`aaa_template',`\n\tallow $1_t ping_exec_t:file read;\n')\n";
const PATTERNS_SPT = ['#', '# Domain transition', '#', "define(`domtrans_pattern',`", '\tallow $1 $2:file { getattr open read execute };', "\tallow $1 $3:process transition;\n')", ''].join('\n');
const PERMS_SPT = "define(`read_file_perms',`{ getattr open read lock ioctl }')\n";

function tree(root: string, layout: 'devel' | 'refpolicy'): string {
  const files: Record<string, string> = {
    'kernel/kernel.if': KERNEL_IF,
    'admin/netutils.if': NETUTILS_IF,
    'admin/aaa.if': AAA_IF,
    'support/misc_patterns.spt': PATTERNS_SPT,
    'support/obj_perm_sets.spt': PERMS_SPT,
  };
  for (const [rel, text] of Object.entries(files)) {
    const path = layout === 'devel' ? dir.join(root, rel) : dir.join(root, 'policy', rel.startsWith('support/') ? rel : `modules/${rel}`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return root;
}

async function porthole(args: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ cwd: dir.path, stdin: Readable.from([]), env });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('porthole iface', () => {
  const devel = tree('include', 'devel');
  const src = tree('refpolicy', 'refpolicy');

  it('find: every interface or template with a matching line, files in layer and name order', async () => {
    expect(await porthole(['iface', 'find', '-I', devel, 'ping_exec'])).toEqual({
      code: 0,
      out: [
        'admin/aaa.if: 1: aaa_template($1)',
        'admin/aaa.if: 2: \tallow $1_t ping_exec_t:file read;',
        'admin/netutils.if: 11: netutils_exec_ping(domain)',
        'admin/netutils.if: 13: \t\ttype ping_exec_t;',
        'admin/netutils.if: 16: \tcan_exec($1, ping_exec_t)',
        '',
      ].join('\n'),
      err: '',
    });
    const r = await porthole(['iface', 'find', '-I', devel, 'kernel.*message']);
    expect(r.out).toBe(
      'kernel/kernel.if: 13: kernel_read_messages(domain)\nkernel/kernel.if: 15: \t\tattribute can_receive_kernel_messages;\nkernel/kernel.if: 18: \ttypeattribute $1 can_receive_kernel_messages;\n',
    );
  });

  it('reads a refpolicy source tree the same way, and $SE_DEVEL_INCLUDE without -I', async () => {
    const a = await porthole(['iface', 'find', '-I', devel, 'ping']);
    expect(a.code).toBe(0);
    expect(await porthole(['iface', 'find', '-I', src, 'ping'])).toEqual(a);
    expect(await porthole(['iface', 'find', '-I', `${src}/policy`, 'ping'])).toEqual(a);
    expect(await porthole(['iface', 'find', 'ping'], { SE_DEVEL_INCLUDE: dir.join(devel) })).toEqual(a);
  });

  it('find --json: one object per definition with its matching lines', async () => {
    const r = await porthole(['iface', 'find', '--json', '-I', devel, 'can_exec']);
    expect(r.code).toBe(0);
    const lines = r.out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        name: 'netutils_exec_ping',
        kind: 'interface',
        file: 'admin/netutils.if',
        line: 11,
        column: 1,
        endLine: 17,
        signature: 'netutils_exec_ping(domain)',
        summary: 'Execute ping in the caller domain.',
        params: [{ name: 'domain', summary: 'Domain allowed access.', optional: false, unused: false }],
        lines: [{ line: 16, text: '\tcan_exec($1, ping_exec_t)' }],
      },
    ]);
  });

  it('show: the doc comment and the definition as written, after its place', async () => {
    const r = await porthole(['iface', 'show', '-I', devel, 'kernel_read_messages']);
    expect(r).toEqual({ code: 0, out: `# kernel/kernel.if:3\n${KERNEL_IF.split('\n').slice(2).join('\n')}`, err: '' });
    const j = JSON.parse((await porthole(['iface', 'show', '--json', '-I', devel, 'kernel_read_messages'])).out);
    expect(j.comment.length).toBe(10);
    expect(j.lines.map((l: { text: string }) => l.text).join('\n')).toContain('can_receive_kernel_messages');
  });

  it('defs and def: support macros, with the comment above them', async () => {
    expect(await porthole(['iface', 'defs', '-I', devel, 'domtrans'])).toEqual({ code: 0, out: 'support/misc_patterns.spt: 4: domtrans_pattern($1, $2, $3)\n', err: '' });
    expect((await porthole(['iface', 'defs', '-I', devel, 'getattr'])).out).toBe(
      'support/misc_patterns.spt: 4: domtrans_pattern($1, $2, $3)\nsupport/misc_patterns.spt: 5: \tallow $1 $2:file { getattr open read execute };\nsupport/obj_perm_sets.spt: 1: read_file_perms()\n',
    );
    expect(await porthole(['iface', 'def', '-I', src, 'read_file_perms'])).toEqual({ code: 0, out: `# support/obj_perm_sets.spt:1\n${PERMS_SPT}`, err: '' });
    expect((await porthole(['iface', 'def', '-I', devel, 'domtrans_pattern'])).out).toBe(`# support/misc_patterns.spt:1\n${PATTERNS_SPT.trimEnd()}\n`);
    // Interfaces are not macros, and the reverse.
    expect((await porthole(['iface', 'def', '-I', devel, 'netutils_exec_ping'])).code).toBe(1);
    expect((await porthole(['iface', 'find', '-I', devel, 'domtrans_pattern'])).code).toBe(1);
  });

  it('exits 1 with nothing found, or an unknown NAME with close names', async () => {
    expect(await porthole(['iface', 'find', '-I', devel, 'no_such_thing'])).toEqual({ code: 1, out: '', err: '' });
    const r = await porthole(['iface', 'show', '-I', devel, 'netutils_exec_pong']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('error[unknown-name]: no interface or template named netutils_exec_pong');
    expect(r.err).toContain('note: did you mean netutils_exec_ping?');
    const j = await porthole(['iface', 'def', '--json', '-I', devel, 'read_file_perm']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.err)).toMatchObject({ code: 'unknown-name', data: { kind: 'define', name: 'read_file_perm' } });
  });

  it('exits 2 for a bad REGEX or a missing argument, 1 for a directory that is not an include tree', async () => {
    const bad = await porthole(['iface', 'find', '-I', devel, 'kernel(']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('error[bad-query]: invalid regular expression "kernel("');
    expect((await porthole(['iface', 'defs', '-I', devel, '['])).code).toBe(2);
    expect((await porthole(['iface', 'find'])).code).toBe(2);
    const missing = await porthole(['iface', 'find', '-I', 'nowhere', 'x']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('error[file-read]: cannot read the include tree');
    mkdirSync(dir.join('empty'), { recursive: true });
    expect((await porthole(['iface', 'find', '-I', 'empty', 'x'])).err).toContain('is not an include tree');
  });

  it('warns about an unterminated definition and still answers from the rest', async () => {
    const t = tree('broken', 'devel');
    writeFileSync(dir.join(t, 'admin', 'zzz.if'), "interface(`zzz_broken',`\n\tallow $1 ping_exec_t:file read;\n");
    const r = await porthole(['iface', 'find', '-I', t, 'ping_exec']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('netutils_exec_ping');
    expect(r.out).not.toContain('zzz');
    expect(r.err).toBe('admin/zzz.if:1:1: warning[m4-error]: end of file in the argument list of interface(, which starts here\n  note: the definitions after it are not read\n');
  });
});
