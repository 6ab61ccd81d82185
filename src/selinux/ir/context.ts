// SELinux security contexts: user:role:type[:level].

export interface SecurityContext {
  user: string;
  role: string;
  type: string;
  /** MLS/MCS part ("s0", "s0-s0:c0.c1023"); absent in non-MLS contexts. */
  level?: string;
}

/**
 * Parses a context the way sepolgen does (split on ':', at least three
 * fields, the rest is the level), but also rejects empty user, role or type.
 */
export function parseContext(text: string): SecurityContext | undefined {
  const a = text.indexOf(':');
  if (a <= 0) return undefined;
  const b = text.indexOf(':', a + 1);
  if (b < 0 || b === a + 1) return undefined;
  let c = text.indexOf(':', b + 1);
  if (c < 0) c = text.length;
  if (c === b + 1) return undefined;
  const ctx: SecurityContext = { user: text.slice(0, a), role: text.slice(a + 1, b), type: text.slice(b + 1, c) };
  if (c < text.length) ctx.level = text.slice(c + 1);
  return ctx;
}

export function formatContext(ctx: SecurityContext): string {
  const base = `${ctx.user}:${ctx.role}:${ctx.type}`;
  return ctx.level === undefined ? base : `${base}:${ctx.level}`;
}
