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

// Hand-written modules (declarations, sets, transitions, conditional and
// optional blocks) print as valid CIL in pp's order and forms, block by
// block (cilDeclarations.ts, cilRules.ts, cilSets.ts), without the promise of
// pp's exact bytes (printModuleCil in cilModule.ts gives those, for the
// module as the devel Makefile and checkmodule store it):
// * each block (the module, then each optional block, nested as written,
//   `(optional MODULE_optional_N` with N the block's number in pp's count:
//   the module is 1, optional blocks and else branches count on in source
//   order) prints its declarations and requires, its av, xperm and type rules
//   (te order), role transitions, role allows, range transitions, name-based
//   type transitions, conditional blocks as `(booleanif EXPR (true ...)
//   (false ...))`, the attributes made for its sets, then its optional blocks.
//   Lines inside blocks are indented by four spaces per level, as pp does.
// * CIL has no else branch for an optional block: like pp, the printer leaves
//   it out, and says so with a `cil-unsupported` warning (options.onDiagnostic).
// Where pp 3.4's output for the fixture test/fixtures/ir/everyKind.ts differs
// (same policy once compiled; the oracle test checks that): pp lists role
// transitions, range transitions and conditional blocks last first; it orders
// type aliases by its hash table; it prints no expandtypeattribute for a
// module; it leaves a space before the `)` of name lists; a role that only
// gets types in an optional block comes after that block's required types,
// with a cil_gen_require line. It also crashes on a
// required user and writes `(s0 (range c2 c3 c0))`, which secilc refuses, for
// `s0:c0,c2.c3`; we print `(s0 (c0 (range c2 c3)))`.
//
// Names are printed as they are: the module must have passed the identifier
// check first (src/selinux/ir/walk.ts moduleNames() lists every name).

import { type Diagnostic, diagnostic } from '../../../base/diagnostic.js';
import type { Block, BoolExpr, Conditional, ConditionalRule, Module, Optional, Statement } from '../../ir/index.js';
import { assertPrintable } from '../../ir/index.js';
import { sortedRules, unsectionedStatements } from '../te.js';
import { blockFacts, cilDeclarationLines } from './cilDeclarations.js';
import { cilAvRule, cilRangeTransition, cilRoleAllow, cilRoleTransition, cilTypeRule, cilXpermRule, type RuleContext } from './cilRules.js';
import { BlockSets, type SetCounter } from './cilSets.js';
import { collectSymbols, type Symbols } from './cilSymbols.js';

export { cilXpermChunks } from './cilRules.js';

export interface PrintCilOptions {
  /** Receives a warning for what CIL cannot express and the output leaves out (an optional block's else branch). */
  onDiagnostic?: (d: Diagnostic) => void;
}

interface ModuleContext {
  syms: Symbols;
  prefix: string;
  setCounter: SetCounter;
  /** The last block number given (the module is block 1). */
  blockCount: number;
  options: PrintCilOptions;
}

/** The CIL that pp writes for `module` (as printTe writes it); "" for an empty one. */
export function printCil(module: Module, options: PrintCilOptions = {}): string {
  assertPrintable(module);
  const ctx: ModuleContext = { syms: collectSymbols(module), prefix: module.name ?? 'module', setCounter: { next: 0 }, blockCount: 1, options };
  // The module's statements in te order: audit2allow's layout sorts its rules.
  const statements = module.layout === 'written' ? module.statements : [...unsectionedStatements(module), ...sortedRules(module)];
  const lines = blockLines(ctx, module, statements, 0);
  return lines.map((l) => `${l}\n`).join('');
}

const indentOf = (depth: number): string => ' '.repeat(4 * depth);

/** A block's lines at `depth`: declarations, rules, blocks, set attributes, then its optional blocks. */
function blockLines(ctx: ModuleContext, block: Block, statements: readonly Statement[], depth: number): string[] {
  const rc: RuleContext = { syms: ctx.syms, sets: new BlockSets(ctx.prefix, ctx.setCounter) };
  const facts = blockFacts(block);
  const lines = cilDeclarationLines(rc, facts);
  const later: string[][] = [[], [], [], []];
  const conditionals: Conditional[] = [];
  const optionals: Optional[] = [];
  for (const st of statements) {
    switch (st.kind) {
      case 'av':
      case 'xperm':
        lines.push(...ruleLines(rc, st));
        break;
      case 'typerule':
        // pp prints name-based transitions after the other rules (they are a list of their own).
        if (st.objectName === undefined) lines.push(...cilTypeRule(rc, st));
        else later[3]!.push(...cilTypeRule(rc, st));
        break;
      case 'role_transition':
        later[0]!.push(...cilRoleTransition(rc, st));
        break;
      case 'role_allow':
        later[1]!.push(...cilRoleAllow(rc, st));
        break;
      case 'range_transition':
        later[2]!.push(...cilRangeTransition(rc, st));
        break;
      case 'conditional':
        conditionals.push(st);
        break;
      case 'optional':
        optionals.push(st);
        break;
      default:
        break;
    }
  }
  lines.push(...later.flat());
  for (const c of conditionals) lines.push(...conditionalLines(rc, c));
  lines.push(...rc.sets.lines());
  const out = depth === 0 ? lines : lines.map((l) => indentOf(depth) + l);
  for (const opt of optionals) out.push(...optionalLines(ctx, opt, depth));
  return out;
}

function ruleLines(rc: RuleContext, st: ConditionalRule): string[] {
  switch (st.kind) {
    case 'av':
      return cilAvRule(rc, st);
    case 'xperm':
      return cilXpermRule(rc, st);
    case 'typerule':
      return cilTypeRule(rc, st);
    case 'require':
      return [];
  }
}

/** `(and (a) (not (b)))`: pp writes a boolean as a one-element list. */
export function cilBoolExpr(e: BoolExpr): string {
  switch (e.op) {
    case 'bool':
      return `(${e.name})`;
    case 'not':
      return `(not ${cilBoolExpr(e.operand)})`;
    default:
      return `(${e.op} ${cilBoolExpr(e.left)} ${cilBoolExpr(e.right)})`;
  }
}

function conditionalLines(rc: RuleContext, c: Conditional): string[] {
  const lines = [`(booleanif ${cilBoolExpr(c.condition)}`];
  const branch = (name: 'true' | 'false', rules: readonly ConditionalRule[] | undefined): void => {
    const inner = (rules ?? []).flatMap((r) => ruleLines(rc, r));
    // pp prints no branch that has no rules.
    if (inner.length > 0) lines.push(`${indentOf(1)}(${name}`, ...inner.map((l) => indentOf(2) + l), `${indentOf(1)})`);
  };
  branch('true', c.whenTrue);
  branch('false', c.whenFalse);
  lines.push(')');
  return lines;
}

function optionalLines(ctx: ModuleContext, opt: Optional, depth: number): string[] {
  const id = ++ctx.blockCount;
  const lines = [`${indentOf(depth)}(optional ${ctx.prefix}_optional_${id}`, ...blockLines(ctx, opt, opt.statements, depth + 1), `${indentOf(depth)})`];
  if (opt.else && opt.else.length > 0) {
    // Its number (and those of the optional blocks inside it) are taken all the same.
    ctx.blockCount += 1 + countOptionals(opt.else);
    ctx.options.onDiagnostic?.(diagnostic('warning', 'cil-unsupported', 'CIL has no else branch for an optional block: the else branch is left out of the CIL', opt.span ? { span: opt.span } : {}));
  }
  return lines;
}

function countOptionals(statements: readonly Statement[]): number {
  let n = 0;
  for (const st of statements) {
    if (st.kind !== 'optional') continue;
    n += 1 + countOptionals(st.statements);
    if (st.else && st.else.length > 0) n += 1 + countOptionals(st.else);
  }
  return n;
}
