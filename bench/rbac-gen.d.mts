/** `count` audit event lines (without newlines) for `subjects` principals, from `seed`. */
export function makeAuditLines(count: number, subjects?: number, seed?: number, period?: number): Generator<string>;
