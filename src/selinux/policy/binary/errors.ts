/** A binary policy that cannot be read: names the section being read and the byte offset. */
export class PolicyReadError extends Error {
  override readonly name = 'PolicyReadError';
  constructor(
    /** The section being read, e.g. "avtab", "types", "ocontexts/portcon". */
    readonly section: string,
    /** Byte offset in the file where the problem was found. */
    readonly offset: number,
    /** What was wrong, without the location. */
    readonly detail: string,
  ) {
    super(`${section} at byte ${offset}: ${detail}`);
  }
}
