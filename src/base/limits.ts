// The bounds that keep memory and output in proportion to what the input
// means, not to what a crafted input makes of it: how much a command reads,
// how much of one event it repeats, how wide a table cell grows. Each can be
// raised where a flag says so (`--max-input-size`, `--wide`).

/** Bytes read from a log (after decompression) before the read stops: 4 GiB (`--max-input-size`). */
export const MAX_LOG_BYTES = 4 * 1024 ** 3;

/** Bytes of a file that is read whole (a binary policy, policy XML): 64 MiB (`--max-input-size`). */
export const MAX_WHOLE_FILE_BYTES = 64 * 1024 ** 2;

/** Records of one event: the assembler emits an event when it has this many (audit/event.ts), and `avc --json` lists no more. */
export const MAX_EVENT_RECORDS = 1024;

/** Characters of an `avc` table cell (longer ones are cut, with a marker, unless `--wide`). */
export const MAX_CELL_WIDTH = 64;

/** The mark at the end of a cut table cell. */
export const CUT_MARK = '…';

/**
 * A size as `--max-input-size` takes it: bytes, or a number with K, M, G or T
 * (powers of 1024, an optional trailing B or iB). Undefined when it is not one.
 */
export function parseByteSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(text.trim());
  if (!m) return undefined;
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  const n = Math.floor(Number(m[1]) * scale);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
