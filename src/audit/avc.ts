// Stage 4: events -> denials. A denial is one AVC record together with what
// the rest of its event says about the access: the system call, the process,
// the path, the working directory and the command line.

import type { Span } from '../base/span.js';
import type { SecurityContext } from '../selinux/ir/context.js';
import type { AuditEvent } from './event.js';
import type { AuditRecord } from './record/record.js';

export interface SyscallInfo {
  arch?: string;
  syscall?: string;
  success?: string;
  exit?: string;
  pid?: string;
  ppid?: string;
  uid?: string;
  auid?: string;
  comm?: string;
  exe?: string;
  key?: string;
}

export interface Denial {
  /** "AVC" for the kernel, "USER_AVC" for a userspace object manager. */
  record: string;
  /** False for an `avc: granted` record (auditallow). */
  denied: boolean;
  permissive?: boolean | undefined;
  scontext: SecurityContext;
  tcontext: SecurityContext;
  tclass: string;
  /** In log order, as logged. */
  perms: string[];
  ioctlcmd?: number | undefined;
  /**
   * Set when the reader memoised the decision (ParseOptions.decisions): every
   * denial with the same verb, permissions, contexts and class has the same id.
   */
  decisionId?: number | undefined;
  /** Fields of the AVC record itself. */
  comm?: string | undefined;
  exe?: string | undefined;
  name?: string | undefined;
  pid?: string | undefined;
  /** The AVC record's own path= field. */
  path?: string | undefined;
  /** The path= of an AVC_PATH record of the same event (what audit2allow -v shows). */
  avcPath?: string | undefined;
  syscall?: SyscallInfo | undefined;
  cwd?: string | undefined;
  /** PATH records' name= values, in item order. */
  paths?: string[] | undefined;
  proctitle?: string | undefined;
  node?: string | undefined;
  stamp?: string | undefined;
  time?: number | undefined;
  serial?: number | undefined;
  /** audit2allow's header token, for `allow -e`. */
  header: string;
  /** The AVC line as text, when the reader kept it. */
  message?: string | undefined;
  /** Where the AVC record is. */
  loc: Span;
  /** Where every record of the event is, in input order. */
  eventLocs: Span[];
}

const SYSCALL_KEYS = ['arch', 'syscall', 'success', 'exit', 'pid', 'ppid', 'uid', 'auid', 'comm', 'exe', 'key'] as const;

function syscallInfo(r: AuditRecord): SyscallInfo {
  const s: SyscallInfo = {};
  for (const k of SYSCALL_KEYS) {
    const v = r.fields[k];
    if (v !== undefined) s[k] = v;
  }
  return s;
}

/** Every AVC of an event, with the event's context attached. */
export function toDenials(event: AuditEvent): Denial[] {
  let syscallRec: AuditRecord | undefined;
  let cwd: string | undefined;
  let proctitle: string | undefined;
  let avcPath: string | undefined;
  const paths: string[] = [];
  for (const r of event.records) {
    switch (r.type) {
      case 'SYSCALL':
        syscallRec = r;
        break;
      case 'CWD':
        cwd = r.fields.cwd;
        break;
      case 'PATH':
        if (r.fields.name !== undefined) paths.push(r.fields.name);
        break;
      case 'PROCTITLE':
        proctitle = r.fields.proctitle;
        break;
      case 'AVC_PATH':
        if (r.fields.path !== undefined) avcPath = r.fields.path;
        break;
    }
  }
  const out: Denial[] = [];
  let eventLocs: Span[] | undefined;
  for (const r of event.records) {
    const avc = r.avc;
    if (avc === undefined) continue;
    const f = r.fields;
    // All properties in one literal: one object shape for every denial.
    const d: Denial = {
      record: r.type,
      denied: avc.verb === 'denied',
      permissive: avc.permissive,
      scontext: avc.scontext,
      tcontext: avc.tcontext,
      tclass: avc.tclass,
      perms: avc.perms,
      ioctlcmd: avc.ioctlcmd,
      decisionId: r.decisionId,
      comm: f.comm,
      exe: f.exe,
      name: f.name,
      pid: f.pid,
      path: f.path,
      avcPath,
      syscall: syscallRec ? syscallInfo(syscallRec) : undefined,
      cwd,
      paths: paths.length > 0 ? paths : undefined,
      proctitle,
      node: r.node,
      stamp: r.stamp,
      time: r.time,
      serial: r.serial,
      header: r.header,
      message: r.text,
      loc: r.loc,
      eventLocs: (eventLocs ??= event.records.map((x) => x.loc)),
    };
    out.push(d);
  }
  return out;
}
