// The comments audit2allow -v and -e put above each rule: which denials
// produced it. Lines are returned without their leading '#'.
import type { Denial } from '../../audit/avc.js';
import { formatContext } from '../ir/context.js';
import { wrapText } from './textwrap.js';

/** sepolgen's list_to_space_str: `read` or `{ read write }` (as print's spaceList; learn does not depend on print). */
function spaceList(items: readonly string[]): string {
  return items.length === 1 ? items[0]! : `{ ${items.join(' ')} }`;
}

function process(d: Denial | undefined): string {
  // audit2allow reads comm and exe from the AVC line and the path from an
  // AVC_PATH record only; we do the same, with hex-encoded values decoded.
  return ` comm="${d?.comm ?? ''}" exe="${d?.exe ?? ''}" path="${d?.avcPath ?? ''}"`;
}

/** -v: the rule's types, class and perms, and the first denial's process. */
export function explainShort(source: string, target: string, tclass: string, perms: readonly string[], first: Denial | undefined): string[] {
  const lines = [` src="${source}" tgt="${target}" class="${tclass}", perms="${spaceList(perms)}"`];
  if (first) lines.push(process(first));
  return lines;
}

/** -e: every denial behind the rule, with its log line wrapped at 80 columns. */
export function explainLong(denials: readonly Denial[]): string[] {
  const lines: string[] = [];
  for (const d of denials) {
    lines.push(` ${d.header}`);
    lines.push(`  scontext="${formatContext(d.scontext)}" tcontext="${formatContext(d.tcontext)}"`);
    lines.push(`  class="${d.tclass}" perms="${spaceList(d.perms)}"`);
    lines.push(' ' + process(d));
    lines.push(...wrapText(`message="${d.message ?? ''}\n"`, 80, '  ', '   '));
  }
  return lines;
}
