// The comparison helpers of the oracle harness (no oracle needed).
import { describe, expect, it } from 'vitest';
import { diffLines, diffStructure, logFacts, normaliseOutputs, structDiffEmpty, structureOf } from './compare.js';

describe('structureOf', () => {
  it('merges rules per (rule, source, target, class), self = source', () => {
    const s = structureOf(
      [
        'allow a_t self:capability setuid;',
        'allow a_t a_t:capability { chown };',
        'allow a_t b_t:file { open read };',
        'dontaudit a_t b_t:file write;',
        'allowxperm a_t b_t:file ioctl { 0x5401 0x5403-0x5405 };',
        'role r types t;',
        'allow a_t b_t:lnk_file p { x };',
      ].join('\n'),
    );
    expect([...(s.rules.get('allow a_t a_t capability') ?? [])].sort()).toEqual(['chown', 'setuid']);
    expect([...(s.rules.get('allow a_t b_t file') ?? [])].sort()).toEqual(['open', 'read']);
    expect(s.rules.has('dontaudit a_t b_t file')).toBe(true);
    expect([...s.xperms]).toEqual(['allowxperm a_t b_t:file ioctl { 0x5401 0x5403-0x5405 }']);
    expect([...s.roles]).toEqual(['r t']);
    expect([...s.unparsed]).toEqual(['allow a_t b_t:lnk_file p { x };']);
    expect(structDiffEmpty(diffStructure(s, structureOf('allow a_t b_t:file read;')))).toBe(false);
    expect(structDiffEmpty(diffStructure(s, s))).toBe(true);
  });
});

describe('normaliseOutputs', () => {
  it("compares require blocks and a role's type lines as sets", () => {
    const a = 'module m 1.0;\n\nrequire {\n\ttype b_t;\n\ttype a_t;\n\tclass file read;\n}\n\nrole r types y_t;\nrole r types x_t;\n';
    const b = 'module m 1.0;\n\nrequire {\n\ttype a_t;\n\ttype b_t;\n\tclass file read;\n}\n\nrole r types x_t;\nrole r types y_t;\n';
    const n = normaliseOutputs(a, b, logFacts(''));
    expect(n.expected).toBe(n.actual);
    expect(normaliseOutputs(a, b.replace('class file read', 'class file write'), logFacts('')).actual).not.toBe(n.expected);
  });

  it("maps our decoded hex comm/exe/path to audit2allow's hex minus its ends", () => {
    const log =
      'type=AVC msg=audit(1.2:3): avc:  denied  { read } for  pid=1 comm=6D7920617070 name="x" scontext=a:b:c_t:s0 tcontext=a:b:d_t:s0 tclass=file\ntype=AVC_PATH msg=audit(1.2:3):  path=2F612062\n';
    const facts = logFacts(log);
    const n = normaliseOutputs('#  comm="D792061707" exe="" path="F61206"', '#  comm="my app" exe="" path="/a b"', facts);
    expect(n.actual).toBe(n.expected);
  });

  it('cuts -e headers and unquoted comm/exe of ausearch -i input the way audit2allow does', () => {
    const log = 'type=AVC msg=audit(11/14/23 22:13:21.456:1002) : avc:  denied  { write } for  pid=1234 comm=useradd name=usr scontext=a:b:c_t:s0 tcontext=a:b:d_t:s0 tclass=dir permissive=0 \n';
    const facts = logFacts(log);
    expect(facts.ausearchI).toBe(true);
    const n = normaliseOutputs('# audit(11/14/23\n#  comm="serad" exe="" path=""', '# audit(11/14/23 22:13:21.456:1002) :\n#  comm="useradd" exe="" path=""', facts);
    expect(n.actual).toBe(n.expected);
  });

  it('masks AVC_PATH paths of -v/-e lines only when audit2allow did not see them all, or for ausearch -i (README #10)', () => {
    const raw = 'type=AVC msg=audit(1.2:3): avc:  denied  { read } for  pid=1 comm="a" name="x" scontext=a:b:c_t:s0 tcontext=a:b:d_t:s0 tclass=file\ntype=1402 msg=audit(1.2:3):  path="/x"\n';
    const a2a = '#  comm="a" exe="" path=""';
    const ours = '#  comm="a" exe="" path="/x"';
    expect(logFacts(raw).avcPaths).toBe(true);
    const unseen = normaliseOutputs(a2a, ours, logFacts(raw, { avcPathsUnseen: true }));
    expect(unseen.actual).toBe(unseen.expected);
    const seen = normaliseOutputs(a2a, ours, logFacts(raw, { avcPathsUnseen: false }));
    expect(seen.actual).not.toBe(seen.expected);
    const ausearch = 'type=AVC_PATH msg=audit(11/14/23 22:13:21.456:1002) : path=/x \n';
    const n = normaliseOutputs('#  comm="" exe="" path="y"', '#  comm="" exe="" path="/x"', logFacts(ausearch));
    expect(n.actual).toBe(n.expected);
    expect(normaliseOutputs(a2a, ours, logFacts('type=AVC_PATH msg=audit(1.2:3):  path="/x"\n')).actual).toBe(ours);
  });

  it('takes our "Nothing to do" for audit2allow\'s empty module only when its SELinux input was unreadable SELINUX_ERR lines (README #6)', () => {
    const facts = logFacts('node=h type=SELINUX_ERR msg=audit(1.2:3): security_compute_sid:  invalid context u:r:t:s0 for scontext=u:r:s:s0 tcontext=u:object_r:e:s0 tclass=process\n', {
      selinuxOnlyUnreadComputeSid: true,
    });
    for (const empty of ['\n\n', '\nmodule mymod 1.0;\n\n\n\n', '\n\n\n']) {
      const n = normaliseOutputs(empty, '', facts);
      expect(n.actual).toBe(n.expected);
      expect(normaliseOutputs(empty, '', logFacts('')).actual).not.toBe(n.expected);
    }
    const withRule = normaliseOutputs('\n\n#============= a_t ==============\nallow a_t b_t:file read;\n', '', facts);
    expect(withRule.actual).not.toBe(withRule.expected);
  });
});

describe('diffLines', () => {
  it('lists only the changed lines', () => {
    expect(diffLines('a\nb\nc', 'a\nx\nc')).toEqual([
      { actualLine: 2, actual: 'x' },
      { expectedLine: 2, expected: 'b' },
    ]);
    expect(diffLines('a\nb', 'a\nb')).toEqual([]);
  });
});

describe('normaliseOutputs: empty module against "Nothing to do"', () => {
  it('only when our input lost the lines audit2allow had', () => {
    const empty = '\n\n';
    expect(normaliseOutputs(empty, '', logFacts('', { policyDroppedLeftOut: true })).actual).toBe(normaliseOutputs(empty, '', logFacts('', { policyDroppedLeftOut: true })).expected);
    expect(normaliseOutputs(empty, '', logFacts('')).actual).not.toBe(normaliseOutputs(empty, '', logFacts('')).expected);
  });
});
