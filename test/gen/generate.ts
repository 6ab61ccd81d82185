// Deterministic random audit log generator.
//
//   generateLog({ seed: 7, events: 20, format: 'raw', missingRuleOnly: true })
//     -> { text, meta }
//
// Events (AVC / USER_AVC denials with SYSCALL, CWD, PATH, PROCTITLE records,
// granted AVCs, SELINUX_ERR, MAC_POLICY_LOAD, DAEMON_START and unrelated
// records) are drawn from the name pools of the Debian policy
// (fixtures/policy-names.json) with a seeded PRNG, then rendered in one of
// the LOG_FORMATS (render.ts). The events depend only on the seed and the
// options that say what to draw, never on the format, so one seed rendered in
// two formats is the same log.

import { type AuditEvent, type AuditRecord, field, lit, type Part, spaced, TYPE_NUM } from './model.js';
import { attr, loadNames, type PolicyNames } from './names.js';
import { Rng } from './prng.js';
import { type LogFormat, renderLog } from './render.js';

export type { LogFormat } from './render.js';
export { LOG_FORMATS } from './render.js';

/** Probabilities (0..1) of the optional ingredients. */
export interface GenMix {
  /** A denial event carries SYSCALL/CWD/PATH/PROCTITLE records. */
  syscall: number;
  /** A string value gets a space or quote, so the kernel hex-encodes it. */
  hex: number;
  /** permissive=1 instead of 0. */
  permissive: number;
  /** The AVC has no permissive= field (kernels before 4.17). */
  noPermissiveField: number;
  /** An event has a second AVC record (same serial). */
  multiAvc: number;
  /** Reuse an access already in the log (possibly other permissions). */
  repeat: number;
  /** Event is an `avc:  granted` record (audit2allow ignores them). */
  granted: number;
  /** Event is a SELINUX_ERR security_compute_sid record. */
  selinuxErr: number;
  /**
   * Share of SELINUX_ERR records in today's kernel form
   * (`op=security_compute_sid invalid_context="..." scontext=...`) instead of
   * the `security_compute_sid:  invalid context ... for scontext=...` form
   * audit2allow knows (it ignores the new one).
   */
  selinuxErrModern: number;
  /** Event is a MAC_POLICY_LOAD. */
  policyLoad: number;
  /** Event is a DAEMON_START (auditd (re)start); the log also starts with one at this rate. */
  daemonStart: number;
  /**
   * Share of DAEMON_START records in the old `auditd start, ver=...` form, the only one sepolgen
   * takes for a restart with audit2allow -l (README difference 5); the others are audit 3's.
   */
  daemonStartOld: number;
  /** Event is unrelated to SELinux (SERVICE_START, USER_LOGIN, EXECVE). */
  noise: number;
  /** Non-missing-rule mode: share of denials that are USER_AVC (dbus, systemd service/system). */
  userAvc: number;
  /** Old kernels' AVC_PATH record after the AVC. */
  avcPath: number;
  /** ioctl denial logged with ioctlcmd=0x0. */
  ioctlZero: number;
  /** Non-missing-rule mode only: an AVC the policy rejects (undefined type, bad perm, unknown class, bad role). */
  invalid: number;
  /** A line carrying an AVC is cut short at a random place (syslog line limits, bad copies). */
  truncate: number;
  /** The whole log has \r\n line ends (per-log probability). */
  crlf: number;
}

export const DEFAULT_MIX: GenMix = {
  syscall: 0.8,
  hex: 0.15,
  permissive: 0.2,
  noPermissiveField: 0.05,
  multiAvc: 0.12,
  repeat: 0.2,
  granted: 0.03,
  selinuxErr: 0.04,
  selinuxErrModern: 0,
  policyLoad: 0.02,
  daemonStart: 0.02,
  daemonStartOld: 0,
  noise: 0.08,
  userAvc: 0.1,
  avcPath: 0,
  ioctlZero: 0.03,
  invalid: 0.08,
  truncate: 0.01,
  crlf: 0.02,
};

export interface GenOptions {
  seed: number;
  /** Number of events (default 12). */
  events?: number;
  /** Output format (default 'raw'). */
  format?: LogFormat;
  /** Several formats: each event is rendered in one drawn from this list (overrides format). */
  formats?: LogFormat[];
  /** Only (source, target, class, perms) that audit2why calls TERULE; no invalid AVCs. */
  missingRuleOnly?: boolean;
  /** Mix records of up to this many consecutive events (default 3; 0 or 1 = no interleaving). Not for ausearch-i. */
  interleave?: number;
  /** Overrides of DEFAULT_MIX. */
  mix?: Partial<GenMix>;
  /** First event time in seconds (default derived from the seed, in Nov 2023). */
  startTime?: number;
  /** First serial (default derived from the seed). */
  startSerial?: number;
  /** Host name for node=/syslog/journal prefixes. */
  host?: string;
  /** Name pools (default: fixtures/policy-names.json). */
  names?: PolicyNames;
}

export type InvalidKind = 'undefined-type' | 'bad-perm' | 'unknown-class' | 'bad-role';

export interface AvcMeta {
  serial: number;
  record: 'AVC' | 'USER_AVC';
  result: 'denied' | 'granted';
  scontext: string;
  tcontext: string;
  tclass: string;
  perms: string[];
  permissive?: 0 | 1;
  ioctlcmd?: number;
  /** Deliberately invalid for the policy (non-missing-rule mode only). */
  invalid?: InvalidKind;
  comm: string;
}

export interface SelinuxErrMeta {
  serial: number;
  invalidContext: string;
  role: string;
  type: string;
  scontext: string;
  tcontext: string;
  tclass: string;
  /** Written in the `op=security_compute_sid invalid_context=` form. */
  modern: boolean;
}

export interface GenMeta {
  seed: number;
  formats: LogFormat[];
  missingRuleOnly: boolean;
  events: number;
  avcs: AvcMeta[];
  selinuxErrs: SelinuxErrMeta[];
  /** Records per type. */
  counts: Record<string, number>;
  /** Lines cut short (mix.truncate); `avcs` still lists their AVCs as drawn. */
  truncated: string[];
  /** \r\n line ends. */
  crlf: boolean;
  /** Hex-encoded values in the log: field name, hex text, decoded value. */
  hexFields: Array<{ field: string; hex: string; value: string }>;
  /**
   * Union of permissions per (source type, target type, class) over the
   * denied AVCs not marked invalid: what audit2allow should allow when every
   * such AVC is accepted by the policy (always so in missingRuleOnly mode)
   * and no line was truncated.
   */
  expected: Array<{ source: string; target: string; tclass: string; perms: string[] }>;
}

export interface GeneratedLog {
  text: string;
  meta: GenMeta;
}

// ---------------------------------------------------------------------------
// Tables

const CAPS: Record<string, number> = {
  chown: 0,
  dac_override: 1,
  dac_read_search: 2,
  fowner: 3,
  fsetid: 4,
  kill: 5,
  setgid: 6,
  setuid: 7,
  setpcap: 8,
  linux_immutable: 9,
  net_bind_service: 10,
  net_broadcast: 11,
  net_admin: 12,
  net_raw: 13,
  ipc_lock: 14,
  ipc_owner: 15,
  sys_module: 16,
  sys_rawio: 17,
  sys_chroot: 18,
  sys_ptrace: 19,
  sys_pacct: 20,
  sys_admin: 21,
  sys_boot: 22,
  sys_nice: 23,
  sys_resource: 24,
  sys_time: 25,
  sys_tty_config: 26,
  mknod: 27,
  lease: 28,
  audit_write: 29,
  audit_control: 30,
  setfcap: 31,
  mac_override: 32,
  mac_admin: 33,
  syslog: 34,
  wake_alarm: 35,
  block_suspend: 36,
  audit_read: 37,
  perfmon: 38,
  bpf: 39,
  checkpoint_restore: 40,
};

/** ioctl numbers (16-bit, as the AVC logs them) and ausearch's name for them (undefined: printed in hex). */
const IOCTLS: Array<[number, string | undefined]> = [
  [0x5401, 'TCGETS'],
  [0x5402, 'TCSETS'],
  [0x5403, 'TCSETSW'],
  [0x541b, 'TIOCINQ'],
  [0x5421, 'FIONBIO'],
  [0x5413, 'TIOCGWINSZ'],
  [0x8927, 'SIOCGIFHWADDR'],
  [0x8933, 'SIOCGIFINDEX'],
  [0x4b3a, 'KDSETMODE'],
  [0x8912, undefined],
  [0x1261, undefined],
  [0x6601, undefined],
];

const PROGRAMS: Array<{ comm: string; exe: string; args: string[] }> = [
  { comm: 'httpd', exe: '/usr/sbin/httpd', args: ['/usr/sbin/httpd', '-DFOREGROUND'] },
  { comm: 'nginx', exe: '/usr/sbin/nginx', args: ['nginx: worker process'] },
  { comm: 'sshd', exe: '/usr/sbin/sshd', args: ['/usr/sbin/sshd', '-D'] },
  { comm: 'cat', exe: '/usr/bin/cat', args: ['cat', '/etc/hosts'] },
  { comm: 'python3', exe: '/usr/bin/python3.11', args: ['/usr/bin/python3', '/opt/app/run.py'] },
  { comm: 'useradd', exe: '/usr/sbin/useradd', args: ['useradd', '-m', 'alice'] },
  { comm: 'crond', exe: '/usr/sbin/cron', args: ['/usr/sbin/cron', '-f'] },
  { comm: 'systemd-logind', exe: '/lib/systemd/systemd-logind', args: ['/lib/systemd/systemd-logind'] },
  { comm: 'ntpd', exe: '/usr/sbin/ntpd', args: ['/usr/sbin/ntpd', '-p', '/run/ntpd.pid', '-g'] },
  { comm: 'postgres', exe: '/usr/lib/postgresql/15/bin/postgres', args: ['postgres: checkpointer'] },
  { comm: 'rsyslogd', exe: '/usr/sbin/rsyslogd', args: ['/usr/sbin/rsyslogd', '-n', '-iNONE'] },
  { comm: 'php-fpm8.2', exe: '/usr/sbin/php-fpm8.2', args: ['php-fpm: pool www'] },
  { comm: 'sh', exe: '/usr/bin/dash', args: ['/bin/sh', '-c', 'run-parts /etc/cron.daily'] },
  { comm: 'kworker/u8:2', exe: '/usr/bin/kmod', args: ['/sbin/modprobe', '-q', 'net-pf-10'] },
  { comm: 'node', exe: '/usr/bin/node', args: ['node', '/srv/app/server.js'] },
];
/** Names with spaces or quotes (the kernel hex-encodes them). */
const HEX_PROGRAMS: Array<{ comm: string; exe: string; args: string[] }> = [
  { comm: 'Web Content', exe: '/usr/lib/firefox-esr/firefox-esr', args: ['/usr/lib/firefox-esr/firefox-esr', '-contentproc'] },
  { comm: 'my app', exe: '/opt/My App/bin/my app', args: ['/opt/My App/bin/my app', '--serve'] },
  { comm: 'gdbus "x"', exe: '/usr/libexec/gvfsd', args: ['/usr/libexec/gvfsd'] },
  { comm: 'Socket Thread', exe: '/usr/lib/thunderbird/thunderbird', args: ['thunderbird'] },
];

const FILE_NAMES = [
  'index.html',
  'shadow',
  'resolv.conf',
  'app.log',
  'lib',
  'tmp',
  'run',
  'config.yaml',
  'data',
  'sock',
  'ptmx',
  'null',
  'random',
  'cgroup',
  'home',
  'id_rsa',
  'passwd',
  'libc.so.6',
  'server.pem',
  'modules',
];
const HEX_FILE_NAMES = ['my file.txt', 'Program Files', 'a "quoted" name', 'report 2023.pdf', 'new folder'];
const DIRS = ['/etc', '/var/lib/app', '/run', '/tmp', '/srv/www', '/home/alice', '/var/log', '/usr/lib', '/dev', '/proc/1'];
const HEX_DIRS = ['/srv/My Files', '/home/alice/Documents and Settings', '/tmp/a b c'];
const DEVS = ['"dm-0"', '"sda1"', '"tmpfs"', '"proc"', '"devtmpfs"', '"nvme0n1p2"', '"overlay"'];
const PORTS = [22, 25, 53, 80, 443, 3306, 5432, 6379, 8080, 8443, 9090, 11211];
const SERVICES = ['nginx.service', 'postgresql.service', 'cron.service', 'ssh.service', 'app.service'];
const DBUS_IFACES: Array<[string, string, string]> = [
  ['org.freedesktop.DBus', 'Hello', 'org.freedesktop.DBus'],
  ['org.freedesktop.login1.Manager', 'Inhibit', 'org.freedesktop.login1'],
  ['org.freedesktop.systemd1.Manager', 'GetUnit', 'org.freedesktop.systemd1'],
  ['org.freedesktop.NetworkManager', 'GetDevices', 'org.freedesktop.NetworkManager'],
];
const UNDEFINED_TYPES = ['myapp_t', 'myapp_exec_t', 'foo_var_lib_t', 'container_t', 'svirt_sandbox_file_t', 'staff_home_t'];

const UID_UNSET = 4294967295;

// ---------------------------------------------------------------------------
// Value encoding, as the kernel does it (audit_log_untrustedstring).

function needsHex(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c <= 0x20 || c >= 0x7f || ch === '"') return true;
  }
  return false;
}

function hexOf(s: string): string {
  return Buffer.from(s, 'utf8').toString('hex').toUpperCase();
}

class Ctx {
  readonly hexFields: GenMeta['hexFields'] = [];
  constructor(
    readonly rng: Rng,
    readonly names: PolicyNames,
    readonly mix: GenMix,
    readonly missingOnly: boolean,
  ) {}

  /** An untrusted string field: "value" or HEX (ausearch -i shows the value unquoted). */
  str(k: string, value: string): Part {
    if (needsHex(value)) {
      const hex = hexOf(value);
      this.hexFields.push({ field: k, hex, value });
      return field(k, hex, value);
    }
    return field(k, `"${value}"`, value);
  }
}

function uidI(uid: number): string {
  if (uid === UID_UNSET) return 'unset';
  if (uid === 0) return 'root';
  return String(uid);
}

function uidField(k: string, uid: number, enrich: boolean): Part {
  return field(k, String(uid), uidI(uid), enrich ? `"${uidI(uid)}"` : undefined);
}

// ---------------------------------------------------------------------------
// Drawing accesses

interface Access {
  record: 'AVC' | 'USER_AVC';
  scontext: string;
  tcontext: string;
  tclass: string;
  perms: string[];
  invalid?: InvalidKind;
}

function ctype(ctx: string): string {
  return ctx.split(':')[2] ?? '';
}

function withType(ctx: string, type: string): string {
  const f = ctx.split(':');
  f[2] = type;
  return f.join(':');
}

function sourceContext(c: Ctx): string {
  const { rng, names } = c;
  const doms = Object.keys(names.domainRoles);
  const d = rng.pick(doms);
  const roles = names.domainRoles[d] ?? ['system_r'];
  const role = roles.includes('system_r') && rng.chance(0.85) ? 'system_r' : rng.pick(roles);
  const user = names.roleUser[role] ?? 'system_u';
  const range = names.users[user]?.range.trim() ?? 's0';
  const level = range === 's0' ? 's0' : rng.pick(names.sourceLevels);
  return `${user}:${role}:${d}:${level}`;
}

function objectContext(c: Ctx, type: string): string {
  const user = c.rng.chance(0.8) ? 'system_u' : 'unconfined_u';
  return `${user}:object_r:${type}:${c.rng.pick(c.names.targetLevels)}`;
}

function drawPerms(c: Ctx, perms: string[]): string[] {
  const k = c.rng.chance(0.6) ? 1 : c.rng.chance(0.7) ? 2 : 3;
  return c.rng.sample(perms, Math.min(k, perms.length)).sort();
}

/** A random access over the policy's names (not necessarily a missing rule). */
function randomAccess(c: Ctx): Access {
  const { rng, names } = c;
  const userAvcClasses = Object.entries(names.classTargets).filter(([, t]) => t.record === 'USER_AVC');
  const kernelClasses = Object.entries(names.classTargets).filter(([, t]) => t.record === 'AVC');
  const wantUser = rng.chance(c.mix.userAvc);
  const pool = wantUser ? userAvcClasses : kernelClasses;
  const [cls, spec] = rng.weighted(pool.map((e) => [e, e[1].weight] as const));
  const perms = names.classes[cls] ?? [];
  const scon = sourceContext(c);
  const kind = spec.target;
  let tcon: string;
  let ps: string[];
  if (cls === 'system') {
    // The generic table marks system as a kernel class; systemd's checks go as USER_AVC below.
    tcon = 'system_u:system_r:kernel_t:s0';
    ps = drawPerms(c, names.kernelSystemPerms);
  } else if (kind === 'file') {
    tcon = objectContext(c, rng.pick(attr(names, 'file_type')));
    ps = drawPerms(c, perms);
  } else if (kind === 'dev') {
    tcon = objectContext(c, rng.pick(attr(names, 'device_node')));
    ps = drawPerms(c, perms);
  } else if (kind === 'fs') {
    tcon = objectContext(c, rng.pick(attr(names, 'filesystem_type')));
    ps = drawPerms(c, perms);
  } else if (kind === 'self') {
    tcon = scon;
    ps = drawPerms(c, perms);
  } else if (kind === 'domain' || (kind === 'selfdomain' && rng.chance(0.5))) {
    tcon = sourceContext(c);
    ps = drawPerms(c, perms);
  } else if (kind === 'selfdomain') {
    tcon = scon;
    ps = drawPerms(c, perms);
  } else if (kind.startsWith('fixed:')) {
    tcon = `system_u:object_r:${kind.slice(6)}:s0`;
    ps = drawPerms(c, perms);
  } else if (kind === 'unit') {
    tcon = objectContext(c, rng.pick(attr(names, 'systemdunit')));
    ps = drawPerms(c, perms);
  } else if (kind === 'socket') {
    const r = rng.next();
    if (r < 0.35 && perms.includes('name_connect')) {
      tcon = objectContext(c, rng.pick(attr(names, 'port_type')));
      ps = [rng.pick(['name_bind', 'name_connect'].filter((p) => perms.includes(p)))];
    } else if (r < 0.45 && perms.includes('node_bind')) {
      tcon = objectContext(c, rng.pick(attr(names, 'node_type')));
      ps = ['node_bind'];
    } else {
      tcon = scon;
      ps = drawPerms(
        c,
        perms.filter((p) => !['name_bind', 'name_connect', 'node_bind'].includes(p)),
      );
    }
  } else if (kind === 'unix') {
    if (rng.chance(0.4)) {
      tcon = sourceContext(c);
      ps = [cls === 'unix_stream_socket' ? 'connectto' : 'sendto'];
    } else {
      tcon = scon;
      ps = drawPerms(c, perms);
    }
  } else if (kind === 'node' || kind === 'netif' || kind === 'packet') {
    tcon = objectContext(c, rng.pick(attr(names, `${kind}_type`)));
    ps = drawPerms(c, perms);
  } else {
    tcon = scon;
    ps = drawPerms(c, perms);
  }
  let record: 'AVC' | 'USER_AVC' = spec.record;
  if (wantUser && cls !== 'dbus' && cls !== 'service' && rng.chance(0.5)) {
    // systemd's "system" class checks
    tcon = 'system_u:system_r:init_t:s0';
    return { record: 'USER_AVC', scontext: scon, tcontext: tcon, tclass: 'system', perms: drawPerms(c, names.systemdSystemPerms) };
  }
  if (cls === 'system') record = 'AVC';
  const a: Access = { record, scontext: scon, tcontext: tcon, tclass: cls, perms: ps };
  if (rng.chance(c.mix.invalid)) spoil(c, a);
  return a;
}

/** Make an access invalid for the policy (audit2allow drops it, except unknown classes). */
function spoil(c: Ctx, a: Access): void {
  const { rng, names } = c;
  const kind = rng.pick<InvalidKind>(['undefined-type', 'bad-perm', 'unknown-class', 'bad-role']);
  a.invalid = kind;
  if (kind === 'undefined-type') {
    const t = rng.pick(UNDEFINED_TYPES);
    if (rng.chance(0.5)) {
      const self = a.tcontext === a.scontext;
      a.scontext = withType(a.scontext, t);
      if (self) a.tcontext = a.scontext;
    } else {
      a.tcontext = withType(a.tcontext, t);
    }
  } else if (kind === 'bad-perm') {
    const other = Object.keys(names.classes).filter((k) => k !== a.tclass);
    const own = new Set(names.classes[a.tclass] ?? []);
    const foreign = (names.classes[rng.pick(other)] ?? []).filter((p) => !own.has(p));
    a.perms = [...new Set([...a.perms, foreign.length > 0 && rng.chance(0.7) ? rng.pick(foreign) : 'bogus_perm'])].sort();
  } else if (kind === 'unknown-class') {
    a.tclass = rng.pick(['(null)', 'foo_class', 'x_stuff']);
  } else {
    // A domain in a role that does not have it: the context is invalid.
    const [role, type] = rng.pick(names.invalidRoleTypes);
    const user = names.roleUser[role] ?? 'system_u';
    const self = a.tcontext === a.scontext;
    a.scontext = `${user}:${role}:${type}:s0`;
    if (self) a.tcontext = a.scontext;
  }
}

function poolAccess(c: Ctx): Access;
function poolAccess(c: Ctx, other: Access): Access | undefined;
/** A missing-rule access from the pool; with `other`: another kernel AVC of the same source context. */
function poolAccess(c: Ctx, other?: Access): Access | undefined {
  const { rng, names } = c;
  const tuples = names.missingRule.tuples;
  let t = rng.pick(tuples);
  if (other !== undefined) {
    const ctxs = names.missingRule.contexts;
    const same = tuples.filter((x) => ctxs[x[0]] === other.scontext && x[4] === 'AVC' && !(ctxs[x[1]] === other.tcontext && x[2] === other.tclass));
    if (same.length === 0) return undefined;
    t = rng.pick(same);
  }
  const [s, tt, cls, perms, record] = t;
  const sc = names.missingRule.contexts[s];
  const tc = names.missingRule.contexts[tt];
  if (sc === undefined || tc === undefined) throw new Error('policy-names.json: bad missingRule context index');
  return { record, scontext: sc, tcontext: tc, tclass: cls, perms: perms.slice() };
}

// ---------------------------------------------------------------------------
// Records

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  exe: string;
  args: string[];
  auid: number;
  uid: number;
  ses: number;
  tty: string;
}

function drawProc(c: Ctx): Proc {
  const { rng } = c;
  const p = rng.chance(c.mix.hex) ? rng.pick(HEX_PROGRAMS) : rng.pick(PROGRAMS);
  const login = rng.chance(0.3);
  return {
    pid: rng.range(300, 65000),
    ppid: rng.chance(0.5) ? 1 : rng.range(300, 65000),
    comm: p.comm,
    exe: p.exe,
    args: p.args,
    auid: login ? 0 : UID_UNSET,
    uid: 0,
    ses: login ? rng.range(1, 40) : UID_UNSET,
    tty: login ? `pts${rng.range(0, 4)}` : '(none)',
  };
}

interface ObjInfo {
  dir: string;
  name: string;
  path: string;
  dev: string;
  ino: number;
  mode: string; // octal st_mode for PATH records
  modeI: string;
}

function drawObj(c: Ctx, tclass: string): ObjInfo {
  const { rng } = c;
  const hex = rng.chance(c.mix.hex);
  const dir = hex && rng.chance(0.5) ? rng.pick(HEX_DIRS) : rng.pick(DIRS);
  const name = hex ? rng.pick(HEX_FILE_NAMES) : rng.pick(FILE_NAMES);
  const isDir = tclass === 'dir';
  const perm = isDir ? rng.pick([0o755, 0o700, 0o1777]) : rng.pick([0o644, 0o600, 0o755, 0o640]);
  const [typeBits, typeName] = isDir
    ? [0o040000, 'dir']
    : tclass === 'chr_file'
      ? [0o020000, 'character']
      : tclass === 'lnk_file'
        ? [0o120000, 'link']
        : tclass === 'sock_file'
          ? [0o140000, 'socket']
          : tclass === 'fifo_file'
            ? [0o010000, 'fifo']
            : tclass === 'blk_file'
              ? [0o060000, 'block']
              : [0o100000, 'file'];
  const special = perm & 0o7000 ? `${[perm & 0o4000 ? 'suid' : '', perm & 0o2000 ? 'sgid' : '', perm & 0o1000 ? 'sticky' : ''].filter(Boolean).join(',')},` : '';
  return {
    dir,
    name,
    path: `${dir}/${name}`,
    dev: rng.pick(DEVS),
    ino: rng.range(2, 9_000_000),
    mode: `0${(typeBits | perm).toString(8)}`,
    modeI: `${typeName},${special}${(perm & 0o777).toString(8)}`,
  };
}

interface SyscallPlan {
  nr: number;
  name: string;
  a: [Part, Part, Part, Part];
}

function hexArg(k: string, v: number): Part {
  const h = v.toString(16);
  return field(k, h, `0x${h}`);
}

function planSyscall(c: Ctx, a: Access, ioctl: number | undefined): SyscallPlan {
  const { rng } = c;
  const ptr = () => rng.range(0x10000, 0x7fffffff);
  const p = a.perms;
  if (ioctl !== undefined) {
    const known = IOCTLS.find(([n]) => n === ioctl)?.[1];
    return { nr: 16, name: 'ioctl', a: [hexArg('a0', rng.range(0, 40)), field('a1', ioctl.toString(16), known ?? `0x${ioctl.toString(16)}`), hexArg('a2', ptr()), hexArg('a3', 0)] };
  }
  if (p.includes('name_connect') || p.includes('connectto')) {
    return { nr: 42, name: 'connect', a: [hexArg('a0', rng.range(3, 40)), hexArg('a1', ptr()), hexArg('a2', rng.pick([16, 28, 110])), hexArg('a3', 0)] };
  }
  if (p.includes('name_bind') || p.includes('node_bind')) {
    return { nr: 49, name: 'bind', a: [hexArg('a0', rng.range(3, 40)), hexArg('a1', ptr()), hexArg('a2', 16), hexArg('a3', 0)] };
  }
  if (p.includes('execute') || p.includes('transition') || p.includes('entrypoint') || p.includes('execute_no_trans')) {
    return { nr: 59, name: 'execve', a: [hexArg('a0', ptr()), hexArg('a1', ptr()), hexArg('a2', ptr()), hexArg('a3', 0)] };
  }
  if (a.tclass === 'dir' && (p.includes('add_name') || p.includes('create'))) {
    return { nr: 83, name: 'mkdir', a: [hexArg('a0', ptr()), field('a1', '1ed', '0755'), hexArg('a2', 0), hexArg('a3', 0)] };
  }
  if (p.includes('unlink') || p.includes('remove_name')) {
    return { nr: 87, name: 'unlink', a: [hexArg('a0', ptr()), hexArg('a1', 0), hexArg('a2', 0), hexArg('a3', 0)] };
  }
  if (p.includes('getattr')) {
    return { nr: 262, name: 'newfstatat', a: [field('a0', 'ffffff9c', 'AT_FDCWD'), hexArg('a1', ptr()), hexArg('a2', ptr()), hexArg('a3', 0)] };
  }
  if (['file', 'dir', 'lnk_file', 'chr_file', 'blk_file', 'sock_file', 'fifo_file'].includes(a.tclass) || a.tclass === 'capability') {
    const [flags, flagsI] = rng.pick<[number, string]>([
      [0, 'O_RDONLY'],
      [2, 'O_RDWR'],
      [0x80000, 'O_RDONLY|O_CLOEXEC'],
      [0x241, 'O_WRONLY|O_CREAT|O_TRUNC'],
    ]);
    return { nr: 257, name: 'openat', a: [field('a0', 'ffffff9c', 'AT_FDCWD'), hexArg('a1', ptr()), field('a2', flags.toString(16), flagsI), hexArg('a3', flags === 0x241 ? 0x1b6 : 0)] };
  }
  return rng.pick<SyscallPlan>([
    { nr: 0, name: 'read', a: [hexArg('a0', rng.range(3, 40)), hexArg('a1', ptr()), hexArg('a2', 4096), hexArg('a3', 0)] },
    { nr: 1, name: 'write', a: [hexArg('a0', rng.range(3, 40)), hexArg('a1', ptr()), hexArg('a2', rng.range(1, 4096)), hexArg('a3', 0)] },
    { nr: 44, name: 'sendto', a: [hexArg('a0', rng.range(3, 40)), hexArg('a1', ptr()), hexArg('a2', rng.range(1, 512)), hexArg('a3', 0)] },
  ]);
}

function syscallRecord(c: Ctx, proc: Proc, sc: SyscallPlan, opts: { success: boolean; exit: number; items: number; subj: string; key?: string }): AuditRecord {
  const errno: Record<number, string> = { [-13]: 'EACCES(Permission denied)', [-1]: 'EPERM(Operation not permitted)' };
  const parts: Part[] = [
    field('arch', 'c000003e', 'x86_64', 'x86_64'),
    field('syscall', String(sc.nr), sc.name, sc.name),
    field('success', opts.success ? 'yes' : 'no'),
    field('exit', String(opts.exit), errno[opts.exit] ?? String(opts.exit)),
    ...sc.a,
    field('items', String(opts.items)),
    field('ppid', String(proc.ppid)),
    field('pid', String(proc.pid)),
    uidField('auid', proc.auid, true),
    uidField('uid', proc.uid, true),
    uidField('gid', 0, true),
    uidField('euid', proc.uid, true),
    uidField('suid', proc.uid, true),
    uidField('fsuid', proc.uid, true),
    uidField('egid', 0, true),
    uidField('sgid', 0, true),
    uidField('fsgid', 0, true),
    field('tty', proc.tty),
    field('ses', String(proc.ses), proc.ses === UID_UNSET ? 'unset' : String(proc.ses)),
    c.str('comm', proc.comm),
    c.str('exe', proc.exe),
    field('subj', opts.subj),
    opts.key === undefined ? field('key', '(null)') : field('key', `"${opts.key}"`, opts.key),
  ];
  return { type: 'SYSCALL', num: TYPE_NUM.SYSCALL ?? 1300, parts: spaced(parts), kernel: true, pid: proc.pid };
}

function cwdRecord(c: Ctx, dir: string): AuditRecord {
  return { type: 'CWD', num: TYPE_NUM.CWD ?? 1307, parts: spaced([c.str('cwd', dir)]), kernel: true };
}

function pathRecord(c: Ctx, item: number, obj: ObjInfo, tcontext: string, nametype: string): AuditRecord {
  const parts: Part[] = [
    field('item', String(item)),
    c.str('name', nametype === 'PARENT' ? obj.dir : obj.path),
    field('inode', String(obj.ino)),
    field('dev', 'fd:00'),
    field('mode', nametype === 'PARENT' ? '040755' : obj.mode, nametype === 'PARENT' ? 'dir,755' : obj.modeI),
    uidField('ouid', 0, true),
    uidField('ogid', 0, true),
    field('rdev', '00:00'),
    field('obj', tcontext),
    field('nametype', nametype),
    field('cap_fp', '0', 'none'),
    field('cap_fi', '0', 'none'),
    field('cap_fe', '0'),
    field('cap_fver', '0'),
    field('cap_frootid', '0'),
  ];
  return { type: 'PATH', num: TYPE_NUM.PATH ?? 1302, parts: spaced(parts), kernel: true };
}

function proctitleRecord(c: Ctx, args: string[]): AuditRecord {
  const joined = args.join('\0');
  let f: Part;
  if (args.length === 1 && !needsHex(joined)) {
    f = field('proctitle', `"${joined}"`, joined);
  } else {
    const hex = hexOf(joined);
    c.hexFields.push({ field: 'proctitle', hex, value: joined });
    f = field('proctitle', hex, args.join(' '));
  }
  return { type: 'PROCTITLE', num: TYPE_NUM.PROCTITLE ?? 1327, parts: [f], kernel: true };
}

/** The `avc:  denied  { a b } for ` prefix. */
function avcHead(result: 'denied' | 'granted', perms: string[], twoSpaces: boolean): Part {
  return lit(`avc:  ${result}  { ${perms.join(' ')} } for${twoSpaces ? '  ' : ' '}`);
}

function kernelAvc(c: Ctx, a: Access, proc: Proc, obj: ObjInfo, result: 'denied' | 'granted', permissive: 0 | 1 | undefined, ioctl: number | undefined): AuditRecord {
  const { rng } = c;
  const parts: Part[] = [field('pid', String(proc.pid)), c.str('comm', proc.comm)];
  const fileish = ['file', 'dir', 'lnk_file', 'chr_file', 'blk_file', 'sock_file', 'fifo_file', 'anon_inode'].includes(a.tclass);
  if (a.tclass.startsWith('capability') || a.tclass.startsWith('cap_') || a.tclass.startsWith('cap2_')) {
    const n = CAPS[a.perms[0] ?? ''];
    if (n !== undefined) parts.push(field('capability', String(n), a.perms[0]));
  } else if (a.perms.includes('name_connect')) {
    parts.push(field('dest', String(rng.pick(PORTS))));
  } else if (a.perms.includes('name_bind')) {
    parts.push(field('src', String(rng.pick(PORTS))));
  } else if (a.perms.includes('connectto')) {
    parts.push(c.str('path', rng.pick(['/run/dbus/system_bus_socket', '/run/systemd/journal/stdout', '/run/app/app.sock'])));
  } else if (fileish || a.tclass === 'filesystem') {
    if (a.tclass === 'filesystem') {
      parts.push(field('dev', rng.pick(DEVS)));
    } else {
      if (ioctl !== undefined || rng.chance(0.35)) parts.push(c.str('path', obj.path));
      else parts.push(c.str('name', obj.name));
      parts.push(field('dev', obj.dev), field('ino', String(obj.ino)));
    }
  }
  if (ioctl !== undefined) parts.push(field('ioctlcmd', `0x${ioctl.toString(16)}`, IOCTLS.find(([n]) => n === ioctl)?.[1]));
  parts.push(field('scontext', a.scontext), field('tcontext', a.tcontext), field('tclass', a.tclass));
  if (permissive !== undefined) parts.push(field('permissive', String(permissive)));
  return { type: 'AVC', num: TYPE_NUM.AVC ?? 1400, parts: [avcHead(result, a.perms, true), ...spaced(parts)], kernel: true, pid: proc.pid };
}

function userAvc(c: Ctx, a: Access, permissive: 0 | 1): { rec: AuditRecord; ident: { ident: string; pid: number }; comm: string } {
  const { rng } = c;
  const inner: Part[] = [];
  let outerPid: number;
  let subj: string;
  let exe: string;
  let ident: string;
  let outerUid: number;
  if (a.tclass === 'dbus') {
    outerPid = rng.range(400, 1200);
    outerUid = 0;
    subj = 'system_u:system_r:system_dbusd_t:s0-s0:c0.c1023';
    exe = '/usr/bin/dbus-daemon';
    ident = 'dbus-daemon';
    const [iface, member, dest] = rng.pick(DBUS_IFACES);
    if (a.perms.includes('acquire_svc')) {
      inner.push(field('service', dest), field('spid', String(rng.range(300, 65000))));
    } else {
      inner.push(
        field('msgtype', rng.pick(['method_call', 'method_return', 'signal'])),
        field('interface', iface),
        field('member', member),
        field('dest', dest),
        field('spid', String(rng.range(300, 65000))),
        field('tpid', String(outerPid)),
      );
    }
    inner.push(field('scontext', a.scontext), field('tcontext', a.tcontext), field('tclass', a.tclass), field('permissive', String(permissive)));
  } else {
    outerPid = 1;
    outerUid = 0;
    subj = 'system_u:system_r:init_t:s0';
    exe = '/lib/systemd/systemd';
    ident = 'systemd';
    inner.push(field('auid', 'n/a', 'root'), field('uid', '0', 'root'), field('gid', '0', 'root'));
    if (a.tclass === 'service') {
      const unit = `/lib/systemd/system/${rng.pick(SERVICES)}`;
      inner.push(field('path', `"${unit}"`, unit));
    }
    inner.push(field('cmdline', `"/bin/systemctl ${a.perms[0] ?? 'status'} ${rng.pick(SERVICES)}"`));
    inner.push(field('scontext', a.scontext), field('tcontext', a.tcontext), field('tclass', a.tclass));
    if (rng.chance(0.5)) inner.push(field('permissive', String(permissive)));
  }
  // `exe="..." sauid=N hostname=? addr=? terminal=?` follow after two spaces.
  const tail: Part[] = [field('exe', `"${exe}"`, exe), uidField('sauid', outerUid, true), field('hostname', '?'), field('addr', '?'), field('terminal', '?')];
  const parts: Part[] = [
    ...spaced([field('pid', String(outerPid)), uidField('uid', outerUid, true), uidField('auid', UID_UNSET, true), field('ses', String(UID_UNSET), 'unset'), field('subj', subj)]),
    lit(" msg='"),
    avcHead('denied', a.perms, false),
    ...spaced(inner),
    lit('  '),
    ...spaced(tail),
    lit("'"),
  ];
  return { rec: { type: 'USER_AVC', num: TYPE_NUM.USER_AVC ?? 1107, parts, kernel: false, pid: outerPid }, ident: { ident, pid: outerPid }, comm: '' };
}

// ---------------------------------------------------------------------------

export function generateLog(opts: GenOptions): GeneratedLog {
  const names = opts.names ?? loadNames();
  const mix: GenMix = { ...DEFAULT_MIX, ...(opts.mix ?? {}) };
  const missingOnly = opts.missingRuleOnly === true;
  const rng = new Rng(opts.seed, 1);
  const c = new Ctx(rng, names, mix, missingOnly);
  const nEvents = opts.events ?? 12;
  let sec = opts.startTime ?? 1699990000 + new Rng(opts.seed, 2).int(600000);
  let ms = rng.int(1000);
  let serial = opts.startSerial ?? 100 + new Rng(opts.seed, 3).int(90000);
  const events: AuditEvent[] = [];
  const avcs: AvcMeta[] = [];
  const errs: SelinuxErrMeta[] = [];
  const used: Access[] = [];

  const tick = (): void => {
    const dt = rng.range(1, 2500);
    ms += dt;
    sec += Math.floor(ms / 1000);
    ms %= 1000;
    serial += rng.chance(0.8) ? 1 : rng.range(2, 30);
  };

  const daemonStart = (): AuditEvent => {
    // Drawn only when asked for: the logs of the other mixes stay what they were.
    if (mix.daemonStartOld > 0 && rng.chance(mix.daemonStartOld)) {
      const pid = String(rng.range(300, 900));
      const parts = [lit(`auditd start, ver=1.2.9, format=raw, auid=${UID_UNSET} pid=${pid} res=success, auditd pid=${pid}`)];
      return { sec, ms, serial: rng.range(1000, 9999), records: [{ type: 'DAEMON_START', num: TYPE_NUM.DAEMON_START ?? 1200, parts, kernel: false }] };
    }
    const parts = spaced([
      field('op', 'start'),
      field('ver', '3.0.9'),
      field('format', rng.pick(['raw', 'enriched'])),
      field('kernel', '6.1.0-13-amd64'),
      uidField('auid', UID_UNSET, true),
      field('pid', String(rng.range(300, 900))),
      uidField('uid', 0, true),
      field('ses', String(UID_UNSET), 'unset'),
      field('subj', 'system_u:system_r:auditd_t:s0'),
      field('res', 'success'),
    ]);
    return { sec, ms, serial: rng.range(1000, 9999), records: [{ type: 'DAEMON_START', num: TYPE_NUM.DAEMON_START ?? 1200, parts, kernel: false }] };
  };

  if (rng.chance(Math.min(1, mix.daemonStart * 10))) {
    events.push(daemonStart());
    tick();
  }

  for (let e = 0; e < nEvents; e++) {
    tick();
    const r = rng.next();
    let acc = 0;
    const pick = (p: number): boolean => {
      acc += p;
      return r < acc;
    };
    if (pick(mix.daemonStart)) {
      events.push(daemonStart());
      continue;
    }
    if (pick(mix.policyLoad)) {
      const proc: Proc = { ...drawProc(c), comm: 'load_policy', exe: '/usr/sbin/load_policy', args: ['/sbin/load_policy'] };
      const load: AuditRecord = {
        type: 'MAC_POLICY_LOAD',
        num: TYPE_NUM.MAC_POLICY_LOAD ?? 1403,
        kernel: true,
        parts: spaced([uidField('auid', proc.auid, true), field('ses', String(proc.ses), proc.ses === UID_UNSET ? 'unset' : String(proc.ses)), field('lsm', 'selinux'), field('res', '1', 'yes')]),
      };
      const sc: SyscallPlan = { nr: 1, name: 'write', a: [hexArg('a0', 4), hexArg('a1', rng.range(0x10000, 0x7fffffff)), hexArg('a2', 2148201), hexArg('a3', 0)] };
      events.push({ sec, ms, serial, records: [load, syscallRecord(c, proc, sc, { success: true, exit: 2148201, items: 0, subj: 'system_u:system_r:load_policy_t:s0' })] });
      continue;
    }
    if (pick(mix.selinuxErr)) {
      const [role, type] = rng.pick(names.invalidRoleTypes);
      const user = names.roleUser[role] ?? 'system_u';
      const inv = `${user}:${role}:${type}:s0`;
      const scon = sourceContext(c);
      const tcon = objectContext(c, rng.pick(attr(names, 'exec_type')));
      const modern = rng.chance(mix.selinuxErrModern);
      const rec: AuditRecord = modern
        ? {
            type: 'SELINUX_ERR',
            num: TYPE_NUM.SELINUX_ERR ?? 1401,
            kernel: true,
            parts: spaced([field('op', 'security_compute_sid'), c.str('invalid_context', inv), field('scontext', scon), field('tcontext', tcon), field('tclass', 'process')]),
          }
        : {
            type: 'SELINUX_ERR',
            num: TYPE_NUM.SELINUX_ERR ?? 1401,
            kernel: true,
            // ausearch -i (auparse 3.0.9) shows MCS category commas here as spaces,
            // but only once scontext has one: then in scontext and tcontext alike.
            parts: [
              lit(`security_compute_sid:  invalid context ${inv} for `),
              ...spaced([field('scontext', scon, scon.replace(/,/g, ' ')), field('tcontext', tcon, scon.includes(',') ? tcon.replace(/,/g, ' ') : tcon), field('tclass', 'process')]),
            ],
          };
      const proc = drawProc(c);
      const records = [rec];
      if (rng.chance(mix.syscall)) {
        const sc: SyscallPlan = {
          nr: 59,
          name: 'execve',
          a: [hexArg('a0', rng.range(0x10000, 0x7fffffff)), hexArg('a1', rng.range(0x10000, 0x7fffffff)), hexArg('a2', rng.range(0x10000, 0x7fffffff)), hexArg('a3', 0)],
        };
        records.push(syscallRecord(c, proc, sc, { success: false, exit: -13, items: 0, subj: scon }));
        records.push(proctitleRecord(c, proc.args));
      }
      errs.push({ serial, invalidContext: inv, role, type, scontext: scon, tcontext: tcon, tclass: 'process', modern });
      events.push({ sec, ms, serial, records });
      continue;
    }
    if (pick(mix.noise)) {
      const proc = drawProc(c);
      const kind = rng.int(3);
      if (kind === 0) {
        const unit = rng.pick(SERVICES).replace('.service', '');
        const parts = [
          ...spaced([field('pid', '1'), uidField('uid', 0, true), uidField('auid', UID_UNSET, true), field('ses', String(UID_UNSET), 'unset'), field('subj', 'system_u:system_r:init_t:s0')]),
          lit(" msg='"),
          ...spaced([
            field('unit', unit),
            field('comm', '"systemd"', 'systemd'),
            field('exe', '"/lib/systemd/systemd"', '/lib/systemd/systemd'),
            field('hostname', '?'),
            field('addr', '?'),
            field('terminal', '?'),
            field('res', 'success'),
          ]),
          lit("'"),
        ];
        events.push({ sec, ms, serial, records: [{ type: 'SERVICE_START', num: TYPE_NUM.SERVICE_START ?? 1130, parts, kernel: false, pid: 1 }] });
      } else if (kind === 1) {
        const parts = [
          ...spaced([field('pid', String(proc.pid)), uidField('uid', 0, true), uidField('auid', 0, true), field('ses', '3'), field('subj', 'system_u:system_r:sshd_t:s0-s0:c0.c1023')]),
          lit(" msg='"),
          ...spaced([
            field('op', 'login'),
            field('id', '0', 'root'),
            field('exe', '"/usr/sbin/sshd"', '/usr/sbin/sshd'),
            field('hostname', '?'),
            field('addr', '192.0.2.10'),
            field('terminal', '/dev/pts/0'),
            field('res', 'success'),
          ]),
          lit("'"),
        ];
        events.push({ sec, ms, serial, records: [{ type: 'USER_LOGIN', num: TYPE_NUM.USER_LOGIN ?? 1112, parts, kernel: false, pid: proc.pid }] });
      } else {
        const sc: SyscallPlan = {
          nr: 59,
          name: 'execve',
          a: [hexArg('a0', rng.range(0x10000, 0x7fffffff)), hexArg('a1', rng.range(0x10000, 0x7fffffff)), hexArg('a2', rng.range(0x10000, 0x7fffffff)), hexArg('a3', 0)],
        };
        const args = proc.args.map((x, n) => c.str(`a${n}`, x));
        const execve: AuditRecord = { type: 'EXECVE', num: TYPE_NUM.EXECVE ?? 1309, parts: spaced([field('argc', String(args.length)), ...args]), kernel: true };
        events.push({
          sec,
          ms,
          serial,
          records: [syscallRecord(c, proc, sc, { success: true, exit: 0, items: 2, subj: sourceContext(c), key: 'exec' }), execve, cwdRecord(c, '/'), proctitleRecord(c, proc.args)],
        });
      }
      continue;
    }
    if (pick(mix.granted)) {
      const proc: Proc = { ...drawProc(c), comm: rng.pick(['load_policy', 'setenforce', 'setsebool']), exe: '/usr/sbin/load_policy' };
      const perm = proc.comm === 'setsebool' ? 'setbool' : proc.comm === 'setenforce' ? 'setenforce' : 'load_policy';
      const a: Access = { record: 'AVC', scontext: 'unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023', tcontext: 'system_u:object_r:security_t:s0', tclass: 'security', perms: [perm] };
      const rec = kernelAvc(c, a, proc, drawObj(c, 'security'), 'granted', undefined, undefined);
      avcs.push({ serial, record: 'AVC', result: 'granted', scontext: a.scontext, tcontext: a.tcontext, tclass: a.tclass, perms: a.perms, comm: proc.comm });
      events.push({ sec, ms, serial, records: [rec] });
      continue;
    }

    // A denial event.
    let a: Access;
    if (used.length > 0 && rng.chance(mix.repeat)) {
      const prev = rng.pick(used);
      a = { ...prev, perms: prev.perms.length > 1 && rng.chance(0.5) ? rng.sample(prev.perms, rng.range(1, prev.perms.length)).sort() : prev.perms.slice() };
    } else {
      a = missingOnly ? poolAccess(c) : randomAccess(c);
      used.push(a);
    }
    const permissive: 0 | 1 = rng.chance(mix.permissive) ? 1 : 0;
    if (a.record === 'USER_AVC') {
      const u = userAvc(c, a, permissive);
      avcs.push({
        serial,
        record: 'USER_AVC',
        result: 'denied',
        scontext: a.scontext,
        tcontext: a.tcontext,
        tclass: a.tclass,
        perms: a.perms,
        permissive,
        comm: '',
        ...(a.invalid ? { invalid: a.invalid } : {}),
      });
      events.push({ sec, ms, serial, records: [u.rec], userSyslog: u.ident });
      continue;
    }
    const proc = drawProc(c);
    const accesses = [a];
    if (rng.chance(mix.multiAvc)) {
      let b: Access | undefined;
      if (missingOnly) {
        b = poolAccess(c, a);
        if (b === undefined && a.perms.length > 1) {
          // Two checks of one syscall: the permissions in two records.
          const cut = rng.range(1, a.perms.length - 1);
          b = { ...a, perms: a.perms.slice(cut) };
          accesses[0] = { ...a, perms: a.perms.slice(0, cut) };
        }
      } else {
        b = randomAccess(c);
        if (b.tcontext === b.scontext) b.tcontext = a.scontext;
        b.scontext = a.scontext;
      }
      if (b !== undefined && b.record === 'AVC') {
        accesses.push(b);
        used.push(b);
      }
    }
    const records: AuditRecord[] = [];
    const obj = drawObj(c, a.tclass);
    const noPerm = rng.chance(mix.noPermissiveField);
    for (const x of accesses) {
      let ioctl: number | undefined;
      if (x.perms.includes('ioctl') && x.tclass !== 'process') ioctl = rng.chance(mix.ioctlZero) ? 0 : rng.pick(IOCTLS)[0];
      records.push(kernelAvc(c, x, proc, obj, 'denied', noPerm ? undefined : permissive, ioctl));
      avcs.push({
        serial,
        record: 'AVC',
        result: 'denied',
        scontext: x.scontext,
        tcontext: x.tcontext,
        tclass: x.tclass,
        perms: x.perms,
        comm: proc.comm,
        ...(noPerm ? {} : { permissive }),
        ...(ioctl !== undefined ? { ioctlcmd: ioctl } : {}),
        ...(x.invalid ? { invalid: x.invalid } : {}),
      });
      if (rng.chance(mix.avcPath)) {
        // Kernels up to 2.6.3x: audit_log_d_path(), hex-encoded like any untrusted string.
        records.push({ type: 'AVC_PATH', num: TYPE_NUM.AVC_PATH ?? 1402, kernel: true, parts: [lit(' '), c.str('path', obj.path)] });
      }
    }
    if (rng.chance(mix.syscall)) {
      const firstIoctl = avcs[avcs.length - accesses.length]?.ioctlcmd;
      const sc = planSyscall(c, a, firstIoctl);
      const fileish = ['file', 'dir', 'lnk_file', 'chr_file', 'blk_file', 'sock_file', 'fifo_file'].includes(a.tclass);
      const items = fileish ? (a.tclass === 'dir' && sc.name === 'mkdir' ? 2 : 1) : 0;
      const ok = permissive === 1;
      records.push(syscallRecord(c, proc, sc, { success: ok, exit: ok ? (sc.name === 'openat' ? rng.range(3, 20) : 0) : rng.chance(0.9) ? -13 : -1, items, subj: a.scontext }));
      if (items > 0) {
        records.push(cwdRecord(c, rng.pick(['/', '/root', '/var/www', obj.dir])));
        if (items === 2) records.push(pathRecord(c, 0, obj, a.tcontext, 'PARENT'));
        records.push(pathRecord(c, items - 1, obj, a.tcontext, items === 2 ? 'CREATE' : 'NORMAL'));
      }
      records.push(proctitleRecord(c, proc.args));
    }
    events.push({ sec, ms, serial, records });
  }

  const formats = opts.formats && opts.formats.length > 0 ? opts.formats : [opts.format ?? 'raw'];
  const { text, truncated } = renderLog(events, {
    seed: opts.seed,
    formats,
    interleave: opts.interleave ?? 3,
    host: opts.host ?? new Rng(opts.seed, 4).pick(['web01', 'db-2.example.com', 'bill.example.com', 'debian', 'localhost']),
    truncate: mix.truncate,
    crlf: new Rng(opts.seed, 7).chance(mix.crlf),
  });

  const counts: Record<string, number> = {};
  for (const ev of events) for (const r of ev.records) counts[r.type] = (counts[r.type] ?? 0) + 1;

  const union = new Map<string, { source: string; target: string; tclass: string; perms: Set<string> }>();
  for (const x of avcs) {
    if (x.result !== 'denied' || x.invalid) continue;
    const key = `${ctype(x.scontext)} ${ctype(x.tcontext)} ${x.tclass}`;
    let u = union.get(key);
    if (!u) {
      u = { source: ctype(x.scontext), target: ctype(x.tcontext), tclass: x.tclass, perms: new Set() };
      union.set(key, u);
    }
    for (const p of x.perms) u.perms.add(p);
  }
  const expected = [...union.values()]
    .map((u) => ({ source: u.source, target: u.target, tclass: u.tclass, perms: [...u.perms].sort() }))
    .sort((x, y) => cmp(x.source, y.source) || cmp(x.target, y.target) || cmp(x.tclass, y.tclass));

  return {
    text,
    meta: { seed: opts.seed, formats, missingRuleOnly: missingOnly, events: events.length, avcs, selinuxErrs: errs, counts, truncated, crlf: text.includes('\r\n'), hexFields: c.hexFields, expected },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
