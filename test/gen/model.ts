// The format-independent model of a generated audit log: events made of
// records made of fields. render.ts turns it into text in each format.

/** One `key=value` of a record. */
export interface Field {
  kind: 'field';
  k: string;
  /** The value exactly as the kernel / auditd writes it (quotes included). */
  v: string;
  /** How `ausearch -i` shows the value; undefined = as v. */
  i?: string;
  /** Interpreted upper-case field auditd's ENRICHED format appends after \x1d. */
  enrich?: string;
}

/** Literal text inside a record body (e.g. `avc:  denied  { read } for `). */
export interface Lit {
  kind: 'lit';
  t: string;
  /** How `ausearch -i` shows it; undefined = unchanged. */
  i?: string;
}

export type Part = Field | Lit;

export interface AuditRecord {
  /** Record type name: AVC, USER_AVC, SYSCALL, ... */
  type: string;
  /** Numeric type (1400 for AVC, ...). */
  num: number;
  /** Body parts, concatenated as they are (separators are Lit parts). */
  parts: Part[];
  /** Extra enriched fields auditd appends that are not tied to one field (e.g. SAUID). */
  enrichExtra?: string[];
  /** Emitted by the kernel (shows up in dmesg / kernel: syslog lines). */
  kernel: boolean;
  /** pid for journald's `audit[PID]:` prefix, when the record has one. */
  pid?: number;
}

export interface AuditEvent {
  /** Seconds since the epoch, as in msg=audit(SECONDS.MS:SERIAL). */
  sec: number;
  ms: number;
  serial: number;
  records: AuditRecord[];
  /** Program that logged it when it reaches syslog outside the kernel (dbus-daemon[900], systemd[1]). */
  userSyslog?: { ident: string; pid: number };
}

export const TYPE_NUM: Record<string, number> = {
  SYSCALL: 1300,
  PATH: 1302,
  CWD: 1307,
  EXECVE: 1309,
  PROCTITLE: 1327,
  USER_AVC: 1107,
  USER_LOGIN: 1112,
  SERVICE_START: 1130,
  SERVICE_STOP: 1131,
  DAEMON_START: 1200,
  AVC: 1400,
  SELINUX_ERR: 1401,
  AVC_PATH: 1402,
  MAC_POLICY_LOAD: 1403,
  MAC_STATUS: 1404,
};

export function field(k: string, v: string, i?: string, enrich?: string): Field {
  const f: Field = { kind: 'field', k, v };
  if (i !== undefined && i !== v) f.i = i;
  if (enrich !== undefined) f.enrich = enrich;
  return f;
}

export function lit(t: string, i?: string): Lit {
  const l: Lit = { kind: 'lit', t };
  if (i !== undefined && i !== t) l.i = i;
  return l;
}

/** Fields separated by single spaces. */
export function spaced(parts: Part[]): Part[] {
  const out: Part[] = [];
  parts.forEach((p, n) => {
    if (n > 0) out.push(lit(' '));
    out.push(p);
  });
  return out;
}

export function rawBody(parts: Part[]): string {
  return parts.map((p) => (p.kind === 'lit' ? p.t : `${p.k}=${p.v}`)).join('');
}

export function interpretedBody(parts: Part[]): string {
  return parts.map((p) => (p.kind === 'lit' ? (p.i ?? p.t) : `${p.k}=${p.i ?? p.v}`)).join('');
}

export function enrichedSuffix(rec: AuditRecord): string[] {
  const out: string[] = [];
  for (const p of rec.parts) if (p.kind === 'field' && p.enrich !== undefined) out.push(`${p.k.toUpperCase()}=${p.enrich}`);
  if (rec.enrichExtra) out.push(...rec.enrichExtra);
  return out;
}
