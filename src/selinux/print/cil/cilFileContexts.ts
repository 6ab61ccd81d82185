// A module's file contexts as pp writes them (file_contexts_to_cil): one
// `(filecon "REGEX" MODE CONTEXT)` per spec in file order; MODE `any` when
// the spec has no file type; `()` for `<<none>>`; the level range split by
// pp's string code, so a category list prints as `(s0(c0 (range c2 c5) ))`.
import type { FcContext, FcFileType, FcSpec, MlsLevel } from '../../ir/index.js';

const MODES: Record<FcFileType, string> = { '--': 'file', '-d': 'dir', '-c': 'char', '-b': 'block', '-s': 'socket', '-p': 'pipe', '-l': 'symlink' };

/** level_string_to_cil over the level as the .fc writes it. */
function levelText(level: MlsLevel): string {
  const cats = level.categories ?? [];
  if (cats.length === 0) return `(${level.sensitivity})`;
  return `(${level.sensitivity}(${cats.map((c) => (typeof c === 'string' ? `${c} ` : `(range ${c[0]} ${c[1]}) `)).join('')}))`;
}

function contextText(ctx: FcContext): string {
  // A context without a level gets pp's DEFAULT_LEVEL, systemlow, at both ends.
  const range = ctx.range === undefined ? 'systemlow systemlow' : `${levelText(ctx.range.low)} ${levelText(ctx.range.high ?? ctx.range.low)}`;
  return `(${ctx.user} ${ctx.role} ${ctx.type} (${range}))`;
}

/** The filecon lines of a module's specs. */
export function ppFileContexts(specs: readonly FcSpec[]): string[] {
  return specs.map((s) => `(filecon "${s.path}" ${s.fileType === undefined ? 'any' : MODES[s.fileType]} ${s.context === undefined ? '()' : contextText(s.context)})`);
}
