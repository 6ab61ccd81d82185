// CIL printer: the text that libsepol's pp converter (module_to_cil.c, run as
// /usr/libexec/selinux/hll/pp) writes for the module that
//   checkmodule -M -m -o x.mod x.te && semodule_package -o x.pp -m x.mod
// builds from the te text of the same Module. Byte for byte for the modules
// audit2allow writes (checked against libsepol 3.4 by test/oracle/cil.oracle.test.ts).
//
// What pp does, and so what this printer does (found by compiling many small
// modules; see test/fixtures/cil/ for the goldens):
//
// * Every statement is one line ending in "\n"; no blank lines, no comments,
//   no header. The module's name and version are not printed. Required classes
//   print nothing.
// * Order of the output:
//     1. roles, in role value order: object_r first (it is value 1 in every
//        policydb) if required, then the other required roles in the order the
//        require block names them. Each required role prints
//        `(roleattributeset cil_gen_require R)` followed at once by
//        `(roletype R T)` for every type any `role R types ...;` gave it
//        (all statements merged into one set), in type value order.
//        Except object_r: `role object_r types T;` compiles (with or without
//        `role object_r;` in the require) but pp prints no roletype for it.
//     2. `(typeattributeset cil_gen_require T)` for each required type, in the
//        order the require block names them (type value order).
//     3. the av and xperm rules, in the order of the te file (pp keeps it).
//        `role R types T;` prints nothing here: it is folded into 1.
// * The te file is what our te printer (src/selinux/print/te.ts) writes, and
//   it reorders rules: av rules, then xperm rules, stably sorted by (first
//   source, first target, first class) in code-point order. printCil applies
//   the same order, so that printCil(m) is byte for byte what pp prints for
//   printTe(m). If te.ts changes its order, change sortedRules there (the
//   oracle test compiles printTe's output and will say so).
// * Values are given in declaration order: a module's symbols are numbered in
//   the order its require block names them. The te printer writes the require
//   block in IR order, so the IR order of require.types / require.roles /
//   require.classes (and of each class's perm list) *is* the value order.
// * A rule with several sources, targets or classes becomes one line per
//   (source, target, class), sources outermost, each list in value order (not
//   the order written), duplicates dropped. A `self` target is a flag in the
//   binary module, so it comes after all named targets of each source.
// * Permissions: `(allow s t (file (read open getattr)))` lists them in bit
//   order of the class *as the module declares it*, i.e. the order of the
//   class's permissions in the require block (several `class C {..}` lines
//   append). Not sorted, not the kernel's order. For an IR built by
//   audit2allow that is the sorted order.
// * Keywords: allow, dontaudit, auditallow, neverallow; allowx, dontauditx,
//   auditallowx, neverallowx.
// * Extended permissions: checkmodule splits one allowxperm into several
//   binary rules and pp prints one line for each, in this order: first, if any
//   ioctl "driver" (high byte) is covered completely (0xNN00-0xNNff), one rule
//   listing those drivers, printed as `(range 0xNN00 0xMMff)` per run of
//   consecutive complete drivers; then one rule per partially covered driver,
//   ascending. Inside a rule: a single value `0x5401`, a run of two or more
//   `(range 0x5403 0x5405)`, space separated, lowercase hex without padding
//   (`0x0`). Example: `(allowx s t (ioctl chr_file (0x5401 (range 0x5403 0x5405))))`.
//   The split happens per source rule, so a multi-driver rule with several
//   sources prints driver by driver, each driver over all (source, target, class).
//
// What the IR can express but checkmodule would reject (so pp has no answer)
// is printed by the closest rule, deterministically:
// * names not in the require block (e.g. a plain rule list without `module`):
//   they get values after the required ones, in first-use order; no
//   cil_gen_require line is printed for them.
// * permissions not in the require block: after the required ones, in
//   first-use order.
// * a role in `role R types T;` that is not required: after the required roles,
//   first-use order, only its roletype lines.
// * an av rule without permissions, or an xperm rule without values: no line
//   (pp refuses to print an empty permission list).
// * xperm operations other than ioctl (libsepol 3.4 has none; later versions
//   add nlmsg): split per driver like ioctl but without whole-driver rules.

import type { AvRuleKind, Module, XpermRange, XpermRuleKind } from '../ir/module.js';

import { type Rule, sortedRules } from './te.js';

const GEN_REQUIRE = 'cil_gen_require';
const OBJECT_R = 'object_r';
const SELF = 'self';

const AV_KEYWORD: Record<AvRuleKind, string> = {
  allow: 'allow',
  dontaudit: 'dontaudit',
  auditallow: 'auditallow',
  neverallow: 'neverallow',
};

const XPERM_KEYWORD: Record<XpermRuleKind, string> = {
  allowxperm: 'allowx',
  dontauditxperm: 'dontauditx',
  auditallowxperm: 'auditallowx',
  neverallowxperm: 'neverallowx',
};

/** Names numbered in first-seen order, like a policydb symbol table. */
class SymbolOrder {
  private readonly values = new Map<string, number>();

  add(name: string): void {
    if (!this.values.has(name)) this.values.set(name, this.values.size);
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  /** Distinct names, in value order (as an ebitmap walk yields them). */
  sort(names: Iterable<string>): string[] {
    const uniq = [...new Set(names)];
    for (const n of uniq) this.add(n);
    return uniq.sort((a, b) => this.values.get(a)! - this.values.get(b)!);
  }
}

interface Symbols {
  types: SymbolOrder;
  classes: SymbolOrder;
  perms: Map<string, SymbolOrder>;
  roles: SymbolOrder;
  requiredRoles: Set<string>;
}

function permOrder(syms: Symbols, cls: string): SymbolOrder {
  let order = syms.perms.get(cls);
  if (!order) {
    order = new SymbolOrder();
    syms.perms.set(cls, order);
  }
  return order;
}

function collectSymbols(module: Module): Symbols {
  const syms: Symbols = {
    types: new SymbolOrder(),
    classes: new SymbolOrder(),
    perms: new Map(),
    roles: new SymbolOrder(),
    requiredRoles: new Set(),
  };
  const req = module.require;
  if (req) {
    for (const t of req.types) syms.types.add(t);
    for (const [cls, perms] of req.classes) {
      syms.classes.add(cls);
      const order = permOrder(syms, cls);
      for (const p of perms) order.add(p);
    }
    // object_r is created by policydb_init, so it always has value 1.
    if (req.roles.includes(OBJECT_R)) syms.roles.add(OBJECT_R);
    for (const r of req.roles) {
      syms.roles.add(r);
      syms.requiredRoles.add(r);
    }
  }
  // Anything the require block does not name comes after, in first-use order.
  for (const st of module.statements) {
    switch (st.kind) {
      case 'av':
      case 'xperm':
        for (const s of st.sources) syms.types.add(s);
        for (const t of st.targets) if (t !== SELF) syms.types.add(t);
        for (const c of st.classes) {
          syms.classes.add(c);
          if (st.kind === 'av') {
            const order = permOrder(syms, c);
            for (const p of st.perms) order.add(p);
          }
        }
        break;
      case 'roletypes':
        // `role object_r types T;` never prints (see printCil); a required
        // object_r is already in the list.
        if (st.role !== OBJECT_R) syms.roles.add(st.role);
        for (const t of st.types) syms.types.add(t);
        break;
    }
  }
  return syms;
}

/** The (source, target, class) triples of a rule, in pp's order. */
function expand(syms: Symbols, rule: Rule): Array<[string, string, string]> {
  const sources = syms.types.sort(rule.sources);
  const targets = syms.types.sort(rule.targets.filter((t) => t !== SELF));
  if (rule.targets.includes(SELF)) targets.push(SELF);
  const classes = syms.classes.sort(rule.classes);
  const out: Array<[string, string, string]> = [];
  for (const s of sources) {
    for (const t of targets) {
      for (const c of classes) out.push([s, t, c]);
    }
  }
  return out;
}

function hex(v: number): string {
  return `0x${v.toString(16)}`;
}

const XPERM_MAX = 0xffff;

/**
 * The xperm lists checkmodule's split gives, each as pp prints it between the
 * parentheses of `(ioctl CLASS (...))`.
 */
export function cilXpermChunks(operation: string, ranges: readonly XpermRange[]): string[] {
  const bits = new Uint8Array(XPERM_MAX + 1);
  for (const [lo, hi] of ranges) {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi > XPERM_MAX || lo > hi) {
      throw new RangeError(`invalid ${operation} range ${lo}-${hi}`);
    }
    bits.fill(1, lo, hi + 1);
  }
  const complete: number[] = [];
  const partial: number[] = [];
  for (let driver = 0; driver <= 0xff; driver++) {
    const row = bits.subarray(driver << 8, (driver + 1) << 8);
    const n = row.reduce((a, b) => a + b, 0);
    if (n === 0) continue;
    if (n === 0x100 && operation === 'ioctl') complete.push(driver);
    else partial.push(driver);
  }
  const chunks: string[] = [];
  if (complete.length > 0) {
    chunks.push(
      runs(complete)
        .map(([a, b]) => `(range ${hex(a << 8)} ${hex((b << 8) | 0xff)})`)
        .join(' '),
    );
  }
  for (const driver of partial) {
    const values: number[] = [];
    for (let v = driver << 8; v <= ((driver << 8) | 0xff); v++) if (bits[v]) values.push(v);
    chunks.push(
      runs(values)
        .map(([a, b]) => (a === b ? hex(a) : `(range ${hex(a)} ${hex(b)})`))
        .join(' '),
    );
  }
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

/** The rule order of printTe: av rules then xperm rules, stably sorted by (source, target, class). */
/** The CIL that pp writes for `module` (as printTe writes it); "" for an empty one. */
export function printCil(module: Module): string {
  const syms = collectSymbols(module);
  const lines: string[] = [];

  // 1. roles, each followed by its types.
  const roleTypes = new Map<string, string[]>();
  for (const st of module.statements) {
    // checkmodule accepts `role object_r types T;` (required or not: the role
    // always exists) but pp prints no roletype for it; object_r gets every
    // type implicitly anyway.
    if (st.kind !== 'roletypes' || st.role === OBJECT_R) continue;
    let list = roleTypes.get(st.role);
    if (!list) roleTypes.set(st.role, (list = []));
    list.push(...st.types);
  }
  for (const role of syms.roles.names()) {
    if (syms.requiredRoles.has(role)) lines.push(`(roleattributeset ${GEN_REQUIRE} ${role})`);
    for (const t of syms.types.sort(roleTypes.get(role) ?? [])) lines.push(`(roletype ${role} ${t})`);
  }

  // 2. required types.
  for (const t of new Set(module.require?.types ?? [])) {
    lines.push(`(typeattributeset ${GEN_REQUIRE} ${t})`);
  }

  // 3. rules.
  for (const st of sortedRules(module)) {
    if (st.kind === 'av') {
      const kw = AV_KEYWORD[st.rule];
      for (const [s, t, c] of expand(syms, st)) {
        const perms = permOrder(syms, c).sort(st.perms);
        if (perms.length === 0) continue;
        lines.push(`(${kw} ${s} ${t} (${c} (${perms.join(' ')})))`);
      }
    } else if (st.kind === 'xperm') {
      const kw = XPERM_KEYWORD[st.rule];
      const triples = expand(syms, st);
      for (const chunk of cilXpermChunks(st.operation, st.ranges)) {
        for (const [s, t, c] of triples) {
          lines.push(`(${kw} ${s} ${t} (${st.operation} ${c} (${chunk})))`);
        }
      }
    }
  }

  return lines.map((l) => `${l}\n`).join('');
}
