// Audit record type numbers, as dmesg and syslog print them (`type=1400`).
// Only the types Porthole reads are named; other numbers stay as they are.
import { text, WordMatcher } from './bytes.js';

const NAMES: Record<string, string> = {
  '1006': 'LOGIN',
  '1107': 'USER_AVC',
  '1112': 'USER_LOGIN',
  '1120': 'USER_SELINUX_ERR',
  '1200': 'DAEMON_START',
  '1201': 'DAEMON_END',
  '1300': 'SYSCALL',
  '1302': 'PATH',
  '1307': 'CWD',
  '1309': 'EXECVE',
  '1320': 'EOE',
  '1327': 'PROCTITLE',
  '1400': 'AVC',
  '1401': 'SELINUX_ERR',
  '1402': 'AVC_PATH',
  '1403': 'MAC_POLICY_LOAD',
  '1404': 'MAC_STATUS',
};

/** Maps `1400` to `AVC`; names pass through. */
export function recordTypeName(t: string): string {
  return NAMES[t] ?? t;
}

/** Known type words (numbers already mapped to their names): no string and no lookup by name per record. */
const KNOWN = new WordMatcher([
  ...Object.entries(NAMES),
  ...Object.values(NAMES),
  'USER_START',
  'USER_END',
  'CRED_ACQ',
  'CRED_DISP',
  'USER_ACCT',
  'SERVICE_START',
  'SERVICE_STOP',
  'BPF',
  'SOCKADDR',
  'USER_CMD',
  'CRED_REFR',
  'MMAP',
  'NETFILTER_CFG',
]);

/** The record type name in buf[start, end), without building a string for common types. */
export function recordTypeAt(buf: Buffer, start: number, end: number): string {
  return KNOWN.match(buf, start, end) ?? recordTypeName(text(buf, start, end));
}
