import { describe, expect, it } from 'vitest';
import { toDenials } from './avc.js';
import { type AuditEvent, EventAssembler } from './event.js';
import { type AuditRecord, parseAuditRecord } from './record/record.js';

const r = (line: string, n = 1): AuditRecord => parseAuditRecord(line, { file: 'f', line: n }) as AuditRecord;
const avc = (serial: number, perm = 'read') =>
  r(`type=AVC msg=audit(1.0:${serial}): avc:  denied  { ${perm} } for  pid=1 comm="c" path="/p" scontext=u:r:s_t:s0 tcontext=u:object_r:t_t:s0 tclass=file permissive=0`);
const sys = (serial: number) => r(`type=SYSCALL msg=audit(1.0:${serial}): arch=c000003e syscall=257 success=no exit=-13 pid=1 uid=0 auid=0 comm="c" exe="/bin/c"`);

function assemble(records: AuditRecord[], window = 64): AuditEvent[] {
  const out: AuditEvent[] = [];
  const a = new EventAssembler((e) => out.push(e), window);
  for (const x of records) a.push(x);
  a.flush();
  return out;
}

describe('EventAssembler', () => {
  it('groups interleaved records by stamp, in order of first record', () => {
    const evs = assemble([avc(1), avc(2), sys(1), sys(2)]);
    expect(evs.map((e) => [e.serial, e.records.map((x) => x.type)])).toEqual([
      [1, ['AVC', 'SYSCALL']],
      [2, ['AVC', 'SYSCALL']],
    ]);
  });

  it('emits the oldest event when the window is full', () => {
    const out: AuditEvent[] = [];
    const a = new EventAssembler((e) => out.push(e), 2);
    a.push(avc(1));
    a.push(avc(2));
    expect(out).toHaveLength(0);
    a.push(avc(3));
    expect(out.map((e) => e.serial)).toEqual([1]);
  });

  it('keeps nodes apart and closes events at EOE', () => {
    const out: AuditEvent[] = [];
    const a = new EventAssembler((e) => out.push(e));
    a.push(r('node=a type=SYSCALL msg=audit(1.0:5): syscall=2'));
    a.push(r('node=b type=SYSCALL msg=audit(1.0:5): syscall=2'));
    expect(out).toHaveLength(0);
    a.push(r('node=a type=EOE msg=audit(1.0:5): '));
    expect(out.map((e) => e.node)).toEqual(['a']);
    a.flush();
    expect(out.map((e) => e.node)).toEqual(['a', 'b']);
  });
});

describe('toDenials', () => {
  it('attaches the syscall, cwd, paths and proctitle of the event', () => {
    const [ev] = assemble([
      avc(9, 'write'),
      sys(9),
      r('type=CWD msg=audit(1.0:9): cwd="/root"'),
      r('type=PATH msg=audit(1.0:9): item=0 name=2F746D702F61206220 inode=1'),
      r('type=PROCTITLE msg=audit(1.0:9): proctitle=636174002F746D70'),
      r('type=AVC_PATH msg=audit(1.0:9): path="/tmp/x"'),
    ]);
    const [d] = toDenials(ev!);
    expect(d).toMatchObject({
      record: 'AVC',
      denied: true,
      perms: ['write'],
      tclass: 'file',
      comm: 'c',
      path: '/p',
      avcPath: '/tmp/x',
      cwd: '/root',
      paths: ['/tmp/a b '],
      proctitle: 'cat /tmp',
      syscall: { arch: 'c000003e', syscall: '257', success: 'no', exit: '-13', exe: '/bin/c' },
      serial: 9,
    });
    expect(d!.eventLocs).toHaveLength(6);
  });
});

describe('EventAssembler on one stamp repeated', () => {
  it('emits an event when it reaches the record limit, after the events opened before it, and starts a new one', () => {
    const out: AuditEvent[] = [];
    const a = new EventAssembler((e) => out.push(e), 64, 3);
    for (const x of [sys(1), avc(2), avc(2), avc(2), avc(2), sys(3)]) a.push(x);
    a.flush();
    expect(out.map((e) => [e.serial, e.records.length])).toEqual([
      [1, 1],
      [2, 3],
      [2, 1],
      [3, 1],
    ]);
    expect(a.split).toBe(1);
  });
});
