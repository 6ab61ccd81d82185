// Logs a hostile user can make the kernel write: a process name (comm) and an
// executable path chosen to break out of a generated comment or to drive the
// reader's terminal. The kernel hex-encodes values with spaces, quotes or
// control bytes; readers decode them.

const hex = (s: string): string => Buffer.from(s).toString('hex').toUpperCase();

/** A comm that, decoded and printed raw into a `.te` comment, would add a rule. */
export const BREAKOUT = 'x"\nrequire{type shadow_t;class file open;}allow httpd_t shadow_t:file { read open };\n#';

/** An exe that would set a terminal's title and clear its screen. */
export const TITLE = '\u001b]0;pwned\u0007\u001b[2J';

/** One AVC record (httpd_t reading etc_t, allowed in the reference policy) with BREAKOUT and TITLE in it. */
export const breakoutLog = (serial = 10): string =>
  `type=AVC msg=audit(1700000000.100:${serial}): avc:  denied  { read } for  pid=1 comm=${hex(BREAKOUT)} exe=${hex(TITLE)} name="x" scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0\n`;
