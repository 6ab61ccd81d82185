import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { smallPolicy } from '../fixtures/policy/writer.js';
import { tempDir } from '../support/tempDir.js';

const EXAMPLE = new URL('../../examples/denials.log', import.meta.url).pathname;
const AVC = (serial: number, s: string, t: string, cls: string, perms: string, extra = '') =>
  `type=AVC msg=audit(1700000000.${serial}:${serial}): avc:  denied  { ${perms} } for  pid=1 comm="app"${extra} scontext=system_u:system_r:${s}:s0 tcontext=system_u:object_r:${t}:s0 tclass=${cls} permissive=0\n`;

async function porthole(args: string[], opts: { stdin?: string; cwd?: string; env?: Record<string, string | undefined> } = {}) {
  const io = memoryIo({
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    stdin: Readable.from([Buffer.from(opts.stdin ?? '')]),
    env: opts.env ?? { PATH: process.env.PATH },
  });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const scratch = tempDir('cli-allow');

/** A new directory (under the file's scratch directory) holding `files`. */
function tmp(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(scratch.join('case-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('porthole allow', () => {
  it('prints plain rules from -i, arguments and stdin alike', async () => {
    const log = AVC(1, 'a_t', 'b_t', 'file', 'read');
    const dir = tmp({ 'a.log': log });
    const viaI = await porthole(['allow', '-i', 'a.log'], { cwd: dir });
    const viaArg = await porthole(['allow', 'a.log'], { cwd: dir });
    const viaStdin = await porthole(['allow'], { stdin: log });
    expect(viaI).toEqual({ code: 0, out: '\n\n#============= a_t ==============\nallow a_t b_t:file read;\n', err: '' });
    expect(viaArg).toEqual(viaI);
    expect(viaStdin).toEqual(viaI);
  });

  it('takes --jobs N from 1 to 256 (a small log is read in one thread whatever N is)', async () => {
    const one = await porthole(['allow', '-m', 'm', EXAMPLE]);
    expect(await porthole(['allow', '--jobs', '2', '-m', 'm', EXAMPLE])).toEqual(one);
    for (const bad of ['0', '1.5', 'x', '257']) {
      const r = await porthole(['allow', '--jobs', bad, EXAMPLE]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`--jobs takes a number of threads from 1 to 256, not '${bad}'`);
    }
  });

  it('takes --jobs-from SIZE: ranges from that size on (0: any file), the same output', async () => {
    const one = await porthole(['allow', '-m', 'm', EXAMPLE]);
    expect(await porthole(['allow', '--jobs', '3', '--jobs-from', '0', '-m', 'm', EXAMPLE])).toEqual(one);
    expect(await porthole(['allow', '--jobs', '3', '--jobs-from', '1K', '-m', 'm', EXAMPLE])).toEqual(one);
    const r = await porthole(['allow', '--jobs-from', 'lots', EXAMPLE]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--jobs-from: 'lots' is not a size");
  });

  it('says Nothing to do when the input has no SELinux records', async () => {
    expect(await porthole(['allow'], { stdin: 'hello\ntype=SYSCALL msg=audit(1.2:3): arch=c000003e\n' })).toEqual({
      code: 0,
      out: '',
      err:
        'Nothing to do\n' +
        "porthole: note[no-selinux-records]: no SELinux records in -: 2 lines read, 1 audit record among them, none of them SELinux's\n" +
        '  note: the input should hold AVC, USER_AVC or SELINUX_ERR records (an audit.log, `ausearch` output, syslog, dmesg or journal lines)\n',
    });
    expect((await porthole(['allow'], { stdin: '' })).err).toContain('porthole: note[no-selinux-records]: no SELinux records in -: the input is empty\n');
  });

  it('reports malformed records, keeps the rest, and fails with --strict', async () => {
    const input = AVC(1, 'a_t', 'b_t', 'file', 'read') + 'type=AVC msg=audit(1700000000.2:2): avc:  denied  { write for  scontext=a:b:c tclass=file\n';
    const r = await porthole(['allow'], { stdin: input });
    expect(r.code).toBe(0);
    expect(r.out).toContain('allow a_t b_t:file read;');
    expect(r.err).toBe("-:2:51: warning[malformed-record]: unbalanced braces: no '}' closes the permission list\n  note: the record was skipped; the rest of the input was read\n");
    const strict = await porthole(['allow', '--strict'], { stdin: input });
    expect(strict).toMatchObject({ code: 1, out: '' });
    expect(strict.err).toMatch(/^-:2:51: error\[malformed-record\]: /);
    const json = await porthole(['allow', '--json'], { stdin: input });
    expect(JSON.parse(json.err)).toEqual({
      severity: 'warning',
      code: 'malformed-record',
      message: "unbalanced braces: no '}' closes the permission list",
      span: { file: '-', line: 2, column: 51 },
      notes: [{ message: 'the record was skipped; the rest of the input was read' }],
      data: { count: 1 },
    });
  });

  it('survives garbage: binary bytes, huge lines, truncated records, bad contexts, non-UTF-8', async () => {
    const garbage = Buffer.concat([
      Buffer.from(AVC(1, 'a_t', 'b_t', 'file', 'read')),
      Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a, 0x1b, 0x5b, 0x31, 0x6d, 0x0a]),
      Buffer.from(
        'type=AVC msg=audit(1700000000.2:2): avc:  denied  { write } for  pid=1 comm="' + 'x'.repeat(1_500_000) + '" scontext=system_u:system_r:c_t:s0 tcontext=system_u:object_r:d_t:s0 tclass=file\n',
      ),
      Buffer.from('type=AVC msg=audit(1700000000.3:3): avc:  denied  { write } for  pid=1 scontext=system_u:system_r:c_t:s0 tcont\n'),
      Buffer.from('type=AVC msg=audit(1700000000.4:4): avc:  denied  { write } for  scontext=nocolons tcontext=system_u:object_r:d_t:s0 tclass=file\n'),
      Buffer.from('type=AVC msg=audit(1700000000.5:5): avc:  denied  { read } for  comm="'),
      Buffer.from([0xc3, 0x28, 0xa0, 0xa1]),
      Buffer.from('" scontext=system_u:system_r:e_t:s0 tcontext=system_u:object_r:f_t:s0 tclass=file\n'),
      Buffer.from('type=AVC msg=audit(17000'),
    ]);
    const dir = tmp();
    writeFileSync(join(dir, 'bad.log'), garbage);
    const r = await porthole(['allow', '-v', 'bad.log'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.out).toContain('allow a_t b_t:file read;');
    expect(r.out).toContain('allow c_t d_t:file write;');
    expect(r.out).toContain('allow e_t f_t:file read;');
    expect(r.out).toContain('comm="\uFFFD(\uFFFD\uFFFD"');
    expect(r.err).toBe('bad.log:5:60: warning[malformed-record]: AVC record has no tcontext=\n  note: 3 malformed records were skipped, this is the first; the rest of the input was read\n');
  });

  it('validates module names like audit2allow and warns about file suffixes', async () => {
    const bad = await porthole(['allow', '-m', '1abc'], { stdin: '' });
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      'porthole: error[usage]: bad module name \'1abc\': module names must begin with a letter, optionally followed by letters, numbers, "-", "_", "."\n  note: run with --help for usage\n',
    );
    const te = await porthole(['allow', '-m', 'mymodule.te'], { stdin: AVC(1, 'a_t', 'b_t', 'file', 'read') });
    expect(te.code).toBe(0);
    expect(te.err).toMatch(/^porthole: warning\[usage\]: module name 'mymodule.te' ends in '.te'.*did you mean 'mymodule'\?\n$/);
    expect(te.out).toContain('module mymodule.te 1.0;');
  });

  it('rejects -M with -m or -o, and options that are not supported yet', async () => {
    expect(await porthole(['allow', '-M', 'x', '-m', 'y'])).toEqual({ code: 2, out: '', err: 'porthole: error[usage]: --module-package conflicts with --module\n  note: run with --help for usage\n' });
    expect(await porthole(['allow', '-M', 'x', '-o', 'y'])).toEqual({ code: 2, out: '', err: 'porthole: error[usage]: --module-package conflicts with --output\n  note: run with --help for usage\n' });
    for (const flag of [['-R'], ['--interface-info', 'f'], ['--perm-map', 'f']]) {
      const r = await porthole(['allow', ...flag]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/not supported yet/);
    }
  });

  it('why reports input conflicts as allow does (audit2why is audit2allow)', async () => {
    const dir = tmp({ 'a.log': '' });
    writeFileSync(join(dir, 'policy.33'), smallPolicy({ version: 33 }));
    for (const cmd of ['why', 'allow']) {
      const r = await porthole([cmd, ...(cmd === 'why' ? ['--no-descriptions'] : []), '-p', 'policy.33', '-d', '-i', 'a.log'], { cwd: dir });
      expect(r.err, cmd).toContain('porthole: warning[usage]: --input conflicts with --dmesg\n');
    }
  });

  it('-w prints what `porthole why` prints (audit2allow -w is audit2why), ignoring the rule options', async () => {
    const dir = tmp({ 'a.log': 'type=AVC msg=audit(1.1:1): avc:  denied  { execute } for  pid=1 comm="app" scontext=u_u:r_r:a_t:s0 tcontext=u_u:object_r:b_t:s0 tclass=file permissive=0\n' });
    writeFileSync(join(dir, 'policy.33'), smallPolicy({ version: 33 }));
    const why = await porthole(['why', '--no-descriptions', '-p', 'policy.33', '-i', 'a.log'], { cwd: dir });
    const w = await porthole(['allow', '-w', '-m', 'x', '-p', 'policy.33', '-i', 'a.log'], { cwd: dir, env: { SE_POLICY_XML: '/nonexistent' } });
    expect(w.code).toBe(why.code);
    expect(w.out).toBe(why.out);
    expect(w.out).toContain('Was caused by:');
  });

  it('why --json: one object per AVC record, in log order, rejected ones included', async () => {
    const avc = (perm: string, tgt: string): string =>
      `type=AVC msg=audit(1.1:1): avc:  denied  { ${perm} } for  pid=1 comm="app" scontext=u_u:r_r:a_t:s0 tcontext=u_u:object_r:${tgt}:s0 tclass=file permissive=0\n`;
    const dir = tmp({ 'a.log': avc('write', 'b_t') + avc('write', 'nosuch_t') + avc('read', 'b_t') });
    writeFileSync(join(dir, 'policy.33'), smallPolicy({ version: 33 }));
    const r = await porthole(['why', '--json', '--no-descriptions', '-p', 'policy.33', 'a.log'], { cwd: dir });
    expect(r.code).toBe(0);
    const objs = r.out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objs.map((o) => [o.loc, o.perms, o.result])).toEqual([
      ['a.log:1', ['write'], 'DONTAUDIT'],
      ['a.log:2', ['write'], 'BADTCON'],
      ['a.log:3', ['read'], 'ALLOW'],
    ]);
    expect(objs[0]).toMatchObject({ message: avc('write', 'b_t').trimEnd(), denied: true, scontext: 'u_u:r_r:a_t:s0', tclass: 'file', explanation: 'should be dontaudited by the active policy' });
    expect(objs[1]).toMatchObject({ result: 'BADTCON', reason: 'type nosuch_t is not defined' });
    const w = await porthole(['allow', '-w', '--json', '-p', 'policy.33', 'a.log'], { cwd: dir, env: { SE_POLICY_XML: '/nonexistent' } });
    expect(w.out).toBe(r.out);
    // The text leaves out what the policy rejects, as audit2why does.
    const text = await porthole(['why', '--no-descriptions', '-p', 'policy.33', 'a.log'], { cwd: dir });
    expect(text.out.match(/Was caused by:/g)).toHaveLength(2);
    const shown = await porthole(['why', '--no-descriptions', '--show-rejected', '-p', 'policy.33', 'a.log'], { cwd: dir });
    expect(shown.err).toBe(`a.log:2: note[context-invalid]: rejected by the policy (BADTCON: type nosuch_t is not defined): ${avc('write', 'nosuch_t').trimEnd()}\n`);
  });

  it('writes NAME.te and NAME.cil with -M, and says how to get the .pp without checkmodule', async () => {
    const dir = tmp();
    const r = await porthole(['allow', '-M', 'myapp', '-i', EXAMPLE], { cwd: dir, env: { PATH: '/nonexistent' } });
    expect(r.code).toBe(0);
    expect(r.out).toBe('******************** IMPORTANT ***********************\nTo make this policy package active, execute:\n\nsemodule -i myapp.cil\n\n');
    expect(r.err).toBe(
      'porthole: note[module-build]: myapp.pp was not built: checkmodule and semodule_package not found\n' +
        '  note: install them with `apt-get install checkpolicy semodule-utils` (Debian, Ubuntu) or `dnf install checkpolicy policycoreutils` (Fedora, RHEL)\n' +
        '  note: myapp.cil installs as it is: semodule -i myapp.cil\n',
    );
    expect(readFileSync(join(dir, 'myapp.te'), 'utf8')).toMatch(/^\nmodule myapp 1\.0;\n/);
    expect(readFileSync(join(dir, 'myapp.cil'), 'utf8')).toContain('(allow httpd_t var_lib_t (dir (add_name write)))');
    expect(existsSync(join(dir, 'myapp.pp'))).toBe(false);
  });

  it('appends to -o, prints CIL with -C, and JSON with evidence', async () => {
    const dir = tmp({ 'out.te': 'before\n' });
    await porthole(['allow', '-i', EXAMPLE, '-o', 'out.te'], { cwd: dir });
    expect(readFileSync(join(dir, 'out.te'), 'utf8')).toMatch(/^before\n\n\n#============= httpd_t/);
    const cil = await porthole(['allow', '-C', '-m', 'myapp', EXAMPLE]);
    expect(cil.out).toMatch(/^\(typeattributeset cil_gen_require devpts_t\)\n/);
    const json = JSON.parse((await porthole(['allow', '--json', '-x', EXAMPLE])).out);
    const open = json.rules.find((r: { target: string }) => r.target === 'etc_runtime_t');
    expect(open).toMatchObject({ rule: 'allow', source: 'httpd_t', class: 'file', perms: ['open', 'read'], evidence: { count: 2 } });
    expect(open.evidence.locations[0]).toMatch(/denials\.log:2$/);
    expect(json.rules.some((r: { rule: string; xperms?: string }) => r.rule === 'allowxperm' && r.xperms === '0x5401')).toBe(true);
  });

  it('-l keeps only what follows the last policy load or daemon start', async () => {
    const input = AVC(1, 'a_t', 'b_t', 'file', 'read') + 'type=MAC_POLICY_LOAD msg=audit(1700000000.2:2): auid=0 ses=1 lsm=selinux res=1\n' + AVC(3, 'c_t', 'd_t', 'dir', 'search');
    const r = await porthole(['allow', '-l'], { stdin: input });
    expect(r.out).toBe('\n\n#============= c_t ==============\nallow c_t d_t:dir search;\n');
    const started = AVC(1, 'a_t', 'b_t', 'file', 'read') + 'type=DAEMON_START msg=audit(1700000000.2:2): op=start ver=3.0.9 format=enriched res=success\n';
    expect(await porthole(['allow', '-l'], { stdin: started })).toMatchObject({ out: '', err: expect.stringMatching(/^Nothing to do\nporthole: note\[no-selinux-records\]/) });
  });

  it('-v/-e list denials in line order and take paths from AVC_PATH records of the same stamp', async () => {
    const line = (serial: number, comm: string) =>
      `type=AVC msg=audit(1700000000.${serial}:${serial}): avc:  denied  { read } for  pid=1 comm="${comm}" scontext=system_u:system_r:a_t:s0 tcontext=system_u:object_r:b_t:s0 tclass=file permissive=0\n`;
    const input = line(701, 'one') + line(702, 'two') + line(701, 'three') + 'type=AVC_PATH msg=audit(1700000000.701:701):  path="/srv/x"\n';
    const e = (await porthole(['allow', '-e'], { stdin: input })).out;
    expect([...e.matchAll(/^# audit\(([^)]*)\):$/gm)].map((m) => m[1])).toEqual(['1700000000.701:701', '1700000000.702:702', '1700000000.701:701']);
    expect([...e.matchAll(/^# {2}comm="(\w+)" exe="" path="([^"]*)"$/gm)].map((m) => `${m[1]}:${m[2]}`)).toEqual(['one:/srv/x', 'two:', 'three:/srv/x']);
    const v = (await porthole(['allow', '-v'], { stdin: input })).out;
    expect(v).toContain('# comm="one" exe="" path="/srv/x"\n');
  });

  it('-p keeps AVCs of types the policy lacks, with a note (audit2allow drops them)', async () => {
    const policy = join(tmp(), 'policy.33');
    writeFileSync(policy, smallPolicy({ version: 33, mls: true }));
    const r = await porthole(['allow', '-p', policy], { stdin: AVC(1, 'nosuch_t', 'other_t', 'file', 'read') });
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      '\n\n#============= nosuch_t ==============\n\n#!!!! Not in the policy: the source context of this avc is not valid: user system_u is not defined\nallow nosuch_t other_t:file read;\n',
    );
    const bad = join(tmp(), 'bad.33');
    writeFileSync(bad, 'not a policy');
    expect(await porthole(['allow', '-p', bad], { stdin: '' })).toMatchObject({ code: 1, err: expect.stringMatching(/^\/.*bad\.33: error\[policy-format\]: header at byte 0: bad magic /) });
  });

  it('reports unreadable files with their name', async () => {
    const r = await porthole(['allow', '-i', '/nonexistent/audit.log']);
    expect(r).toEqual({ code: 1, out: '', err: 'porthole: error[file-read]: cannot read /nonexistent/audit.log: no such file or directory\n' });
    const dir = tmp();
    for (const args of [
      ['allow', '-i', dir],
      ['avc', dir],
      ['why', '-p', dir, '-i', EXAMPLE],
      ['policy', 'info', dir],
    ]) {
      expect(await porthole(args), args.join(' ')).toEqual({ code: 1, out: '', err: `porthole: error[file-read]: cannot read ${dir}: is a directory\n` });
    }
  });
});

describe('porthole avc', () => {
  it('prints a table and JSON lines with locations', async () => {
    const table = await porthole(['avc', EXAMPLE]);
    expect(table.out.split('\n')[0]).toMatch(/^TIME\s+RESULT\s+SOURCE\s+TARGET\s+CLASS\s+PERMS\s+COMM\s+PATH\s+SYSCALL\s+AT$/);
    expect(table.out).toContain('myapp worker');
    const lines = (await porthole(['avc', '--json', EXAMPLE])).out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatchObject({ source: 'httpd_t', target: 'etc_runtime_t', tclass: 'file', perms: ['read'], cwd: '/', proctitle: '/opt/myapp/bin/myappd --foreground' });
    expect(lines[0].records).toHaveLength(5);
  });
});
