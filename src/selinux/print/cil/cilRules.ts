// Rules -> CIL lines, as pp (libsepol's module_to_cil.c) prints them: one
// line per (source, target, class) in value order, `self` after the named
// targets of each source; extended permissions split per ioctl driver; type,
// range and role transitions, role allow. Where the lines go is cil.ts's
// business.
import type { AvRule, AvRuleKind, MlsLevel, MlsRange, NameList, RangeTransition, RoleAllow, RoleTransition, TypeRule, XpermRange, XpermRule, XpermRuleKind } from '../../ir/index.js';
import { isNameSet, isPlainNames } from '../../ir/index.js';
import type { BlockSets } from './cilSets.js';
import { permOrder, SELF, type Symbols } from './cilSymbols.js';

/** What rule printing needs: the module's symbol values and the block's set attributes. */
export interface RuleContext {
  syms: Symbols;
  sets: BlockSets;
  /** Levels as pp writes a module's (semantic) levels: `(s0 )`, `(s0 (range c0 c1023))`. */
  ppLevels?: boolean;
}

const AV_KEYWORD: Record<AvRuleKind, string> = {
  allow: 'allow',
  dontaudit: 'dontaudit',
  auditallow: 'auditallow',
  neverallow: 'neverallow',
  // auditdeny P is dontaudit of every permission but P.
  auditdeny: 'dontaudit',
};

const XPERM_KEYWORD: Record<XpermRuleKind, string> = {
  allowxperm: 'allowx',
  dontauditxperm: 'dontauditx',
  auditallowxperm: 'auditallowx',
  neverallowxperm: 'neverallowx',
};

const TYPE_RULE_KEYWORD: Record<TypeRule['rule'], string> = {
  type_transition: 'typetransition',
  type_change: 'typechange',
  type_member: 'typemember',
};

/** A rule's source list: plain names in value order (a plain "self" is a name here), or a set's attribute. */
function sourceNames(ctx: RuleContext, list: NameList): string[] {
  if (isPlainNames(list)) return ctx.syms.types.sort(isNameSet(list) ? list.names : list);
  return ctx.sets.types(ctx.syms.types, list).names;
}

/**
 * The (source, target) pairs of a rule, in pp's order. Sources are numbered
 * before targets (and targets before classes): names the module does not
 * declare or require get their values in that order.
 */
function typePairs(ctx: RuleContext, sources: NameList, targets: NameList): Array<[string, string]> {
  const snames = sourceNames(ctx, sources);
  const tgt = ctx.sets.types(ctx.syms.types, targets);
  const tnames = tgt.self ? [...tgt.names, SELF] : tgt.names;
  return snames.flatMap((s) => tnames.map((t): [string, string] => [s, t]));
}

/** The (source, target, class) triples of a rule, in pp's order. */
function expand(ctx: RuleContext, rule: { sources: NameList; targets: NameList; classes: string[] }): Array<[string, string, string]> {
  const pairs = typePairs(ctx, rule.sources, rule.targets);
  const classes = ctx.syms.classes.sort(rule.classes);
  return pairs.flatMap(([s, t]) => classes.map((c): [string, string, string] => [s, t, c]));
}

/** `(allow s t (file (read open)))`; none for a rule without permissions (pp prints no empty list). */
export function cilAvRule(ctx: RuleContext, rule: AvRule): string[] {
  const kw = AV_KEYWORD[rule.rule];
  // `~P`, `*` and auditdeny (hand-written rules) as CIL permission expressions: `(not (P))`, `(all)`.
  const complement = (rule.permsComplement === true) !== (rule.rule === 'auditdeny');
  // typePairs' order, without the pairs (a module's rules make many).
  const snames = sourceNames(ctx, rule.sources);
  const tgt = ctx.sets.types(ctx.syms.types, rule.targets);
  const classes = ctx.syms.classes.sort(rule.classes);
  if (snames.length === 0 || (tgt.names.length === 0 && !tgt.self)) return [];
  // What follows `(kw s t ` for each class (undefined: nothing printed), the same for every pair: made once per class.
  const tails = classes.map((c): string | undefined => {
    const perms = permOrder(ctx.syms, c).sort(rule.perms);
    if (complement && ctx.ppLevels === true) {
      // checkmodule resolves `*` and `~{ P }` against the permissions the module knows for the class.
      const rest = permOrder(ctx.syms, c)
        .names()
        .filter((p) => !perms.includes(p));
      return rest.length > 0 ? `(${c} (${rest.join(' ')})))` : undefined;
    }
    if (complement) return `(${c} ${perms.length === 0 ? '(all)' : `(not (${perms.join(' ')}))`}))`;
    return perms.length > 0 ? `(${c} (${perms.join(' ')})))` : undefined;
  });
  const out: string[] = [];
  for (const s of snames) {
    for (const t of tgt.names) pushRule(out, `(${kw} ${s} ${t} `, tails);
    if (tgt.self) pushRule(out, `(${kw} ${s} ${SELF} `, tails);
  }
  return out;
}

function pushRule(out: string[], head: string, tails: ReadonlyArray<string | undefined>): void {
  for (const tail of tails) if (tail !== undefined) out.push(head + tail);
}

/** `(allowx s t (ioctl chr_file (0x5401 (range 0x5403 0x5405))))`, driver by driver. */
export function cilXpermRule(ctx: RuleContext, rule: XpermRule): string[] {
  const kw = XPERM_KEYWORD[rule.rule];
  const triples = expand(ctx, rule);
  const out: string[] = [];
  for (const chunk of cilXpermChunks(rule.operation, rule.ranges)) {
    for (const [s, t, c] of triples) out.push(`(${kw} ${s} ${t} (${rule.operation} ${c} (${chunk})))`);
  }
  return out;
}

/** `(typetransition s t c r)`, `(typetransition s t c "name" r)`, `(typechange ...)`, `(typemember ...)`. */
export function cilTypeRule(ctx: RuleContext, rule: TypeRule): string[] {
  const kw = TYPE_RULE_KEYWORD[rule.rule];
  const name = rule.objectName === undefined ? '' : ` "${rule.objectName}"`;
  if (ctx.ppLevels !== true) return expand(ctx, rule).map(([s, t, c]) => `(${kw} ${s} ${t} ${c}${name} ${rule.result})`);
  // checkmodule prepends each class's rule (class_perm_node, filename_trans_rule): last class first.
  const classes = ctx.syms.classes.sort(rule.classes).reverse();
  return typePairs(ctx, rule.sources, rule.targets).flatMap(([s, t]) => classes.map((c) => `(${kw} ${s} ${t} ${c}${name} ${rule.result})`));
}

/** The classes of a rule whose short form means `process`. */
function classesOrProcess(ctx: RuleContext, classes: string[]): string[] {
  return classes.length === 0 ? ['process'] : ctx.syms.classes.sort(classes);
}

/** `(rangetransition s t c ((s0) (s0 (c0 c1))))` */
export function cilRangeTransition(ctx: RuleContext, rule: RangeTransition): string[] {
  const range = ctx.ppLevels === true ? `(${ppLevel(rule.range.low)} ${ppLevel(rule.range.high ?? rule.range.low)})` : cilRange(rule.range);
  const classes = classesOrProcess(ctx, rule.classes);
  return typePairs(ctx, rule.sources, rule.targets).flatMap(([s, t]) => classes.map((c) => `(rangetransition ${s} ${t} ${c} ${range})`));
}

/** `(roletransition r t c newrole)` */
export function cilRoleTransition(ctx: RuleContext, rule: RoleTransition): string[] {
  const roles = ctx.syms.roles.sort(rule.roles);
  const types = ctx.sets.types(ctx.syms.types, rule.types);
  const classes = classesOrProcess(ctx, rule.classes);
  return roles.flatMap((r) => types.names.flatMap((t) => classes.map((c) => `(roletransition ${r} ${t} ${c} ${rule.result})`)));
}

/** `(roleallow r1 r2)` */
export function cilRoleAllow(ctx: RuleContext, rule: RoleAllow): string[] {
  const roles = ctx.syms.roles.sort(rule.roles);
  const newRoles = ctx.syms.roles.sort(rule.newRoles);
  return roles.flatMap((r) => newRoles.map((n) => `(roleallow ${r} ${n})`));
}

/** `(s0)`, `(s0 (c0 c1))`, `(s0 (range c0 c1023))`, `(s0 (c0 (range c2 c5)))`. */
export function cilLevel(level: MlsLevel): string {
  const cats = (level.categories ?? []).map((c) => (typeof c === 'string' ? c : `(range ${c[0]} ${c[1]})`));
  if (cats.length === 0) return `(${level.sensitivity})`;
  const one = level.categories?.length === 1 && typeof level.categories[0] !== 'string';
  return `(${level.sensitivity} ${one ? cats[0] : `(${cats.join(' ')})`})`;
}

/** semantic_level_to_cil: `(s0 )`, `(s0 (c0 c3))`, `(s0 (range c0 c1023))`, `(s0 (c0 range c2 c5))` (sic). */
export function ppLevel(level: MlsLevel): string {
  const cats = level.categories ?? [];
  if (cats.length === 0) return `(${level.sensitivity} )`;
  return `(${level.sensitivity} (${cats.map((c) => (typeof c === 'string' ? c : `range ${c[0]} ${c[1]}`)).join(' ')}))`;
}

/** `((low) (high))`; a single level is both ends. */
export function cilRange(range: MlsRange): string {
  return `(${cilLevel(range.low)} ${cilLevel(range.high ?? range.low)})`;
}

function hex(v: number): string {
  return `0x${v.toString(16)}`;
}

const XPERM_MAX = 0xffff;

/**
 * The xperm lists checkmodule's split gives, each as pp prints it between the
 * parentheses of `(ioctl CLASS (...))`. Works on the ranges (merged, then cut
 * at driver boundaries), not on the 65536 values.
 */
export function cilXpermChunks(operation: string, ranges: readonly XpermRange[]): string[] {
  for (const [lo, hi] of ranges) {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi > XPERM_MAX || lo > hi) {
      throw new RangeError(`invalid ${operation} range ${lo}-${hi}`);
    }
  }
  // Disjoint, non-adjacent runs in ascending order.
  const merged: Array<[number, number]> = [];
  for (const [lo, hi] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const last = merged[merged.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else merged.push([lo, hi]);
  }
  // Each driver's (high byte's) pieces of the runs, drivers ascending.
  const byDriver = new Map<number, Array<[number, number]>>();
  for (const [lo, hi] of merged) {
    for (let driver = lo >> 8; driver <= hi >> 8; driver++) {
      const piece: [number, number] = [Math.max(lo, driver << 8), Math.min(hi, (driver << 8) | 0xff)];
      const pieces = byDriver.get(driver);
      if (pieces) pieces.push(piece);
      else byDriver.set(driver, [piece]);
    }
  }
  const complete: number[] = [];
  const partial: Array<Array<[number, number]>> = [];
  for (const [driver, pieces] of byDriver) {
    const whole = pieces.length === 1 && pieces[0]![1] - pieces[0]![0] === 0xff;
    if (whole && operation === 'ioctl') complete.push(driver);
    else partial.push(pieces);
  }
  const chunks: string[] = [];
  if (complete.length > 0) {
    chunks.push(
      runs(complete)
        .map(([a, b]) => `(range ${hex(a << 8)} ${hex((b << 8) | 0xff)})`)
        .join(' '),
    );
  }
  for (const pieces of partial) chunks.push(pieces.map(([a, b]) => (a === b ? hex(a) : `(range ${hex(a)} ${hex(b)})`)).join(' '));
  return chunks;
}

/** Runs of consecutive integers in an ascending list. */
function runs(values: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const v of values) {
    const last = out[out.length - 1];
    if (last && last[1] + 1 === v) last[1] = v;
    else out.push([v, v]);
  }
  return out;
}
