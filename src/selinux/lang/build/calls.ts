// The interface and template calls m4 made while expanding a module, read
// from its origins (each M4Expansion holds the call's arguments when origins
// are recorded), and their argument counts checked against the definitions:
// too few is an error (each missing `$N` expands to nothing, and the text
// m4 leaves is broken in ways checkmodule only calls `syntax error`), too
// many a warning (m4 drops them). Only calls the user wrote are checked: a
// call inside a header's interface is the header's business (and a wrong
// count there follows from the user's call, which is reported).
// Calls m4 made inside another call's argument list (not quoted) leave no
// trace in the origins and are not seen.
// Not here: the definitions and their arity (definitions.ts).
import { type Diagnostic, type DiagnosticNote, diagnostic } from '../../../base/diagnostic.js';
import type { Span } from '../../../base/span.js';
import { definitionSignature, type PolicyDefinition } from '../../refpolicy/index.js';
import type { M4Expansion, M4Location, M4Origin } from '../m4/engine.js';
import { expansionChainNotes } from '../te/source.js';
import { arityOf } from './definitions.js';

/** One call of an interface or template, as m4 made it. */
export interface InterfaceCall {
  expansion: M4Expansion;
  definition: PolicyDefinition;
  /** Arguments given: `name()` and `name` give none. */
  given: number;
}

/** The arguments a call gave: m4 counts `name()` as one empty argument, a caller means none. */
export function givenArguments(e: M4Expansion): number {
  const args = e.args ?? [];
  return args.length === 1 && (args[0] as string).trim() === '' ? 0 : args.length;
}

/** Every call of a definition in `callables` that produced output, each once, innermost first along each chain. */
export function interfaceCalls(origins: readonly M4Origin[], callables: ReadonlyMap<string, PolicyDefinition>): InterfaceCall[] {
  const seen = new Set<M4Expansion>();
  const calls: InterfaceCall[] = [];
  for (const o of origins) {
    // A chain seen once has had all its calls collected.
    for (let e = o.expansion; e !== undefined && !seen.has(e); e = e.parent) {
      seen.add(e);
      const definition = callables.get(e.macro);
      if (definition !== undefined) calls.push({ expansion: e, definition, given: givenArguments(e) });
    }
  }
  return calls;
}

export function siteSpan(site: M4Location): Span {
  return site.column === undefined ? { file: site.file, line: site.line } : { file: site.file, line: site.line, column: site.column };
}

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The argument-count diagnostic of one call, or undefined when the count is right. */
export function arityDiagnostic(call: InterfaceCall): Diagnostic | undefined {
  const { definition: d, given, expansion: e } = call;
  const arity = arityOf(d);
  const tooFew = given < arity.min;
  if (!tooFew && (arity.max === undefined || given <= arity.max)) return undefined;
  const signature = definitionSignature(d);
  const notes: DiagnosticNote[] = [];
  if (tooFew) {
    const missing = d.params.slice(given, arity.min);
    for (const p of missing) notes.push({ message: `missing: ${p.name}${p.summary === '' ? '' : ` (${p.summary})`}` });
    if (missing.length === 0) notes.push({ message: `its body uses ${Array.from({ length: arity.min - given }, (_, k) => `$${given + k + 1}`).join(', ')}` });
  } else notes.push({ message: `m4 drops the ${plural(given - (arity.max as number), 'extra argument')}` });
  notes.push({ message: `${signature} is defined at ${d.file}:${d.line}` }, ...expansionChainNotes(e.parent));
  const takes = arity.max === arity.min ? plural(arity.min, 'argument') : tooFew ? `at least ${plural(arity.min, 'argument')}` : `at most ${plural(arity.max as number, 'argument')}`;
  return diagnostic(tooFew ? 'error' : 'warning', 'te-interface-arguments', `${d.kind} ${signature} takes ${takes}; this call gives ${given === 0 ? 'none' : given}`, {
    span: siteSpan(e.site),
    notes,
    data: { name: d.name, given, min: arity.min, ...(arity.max === undefined ? {} : { max: arity.max }) },
  });
}

/** A call whose argument count is wrong, and its diagnostic (an error for too few, a warning for too many). */
export interface ArityFinding {
  call: InterfaceCall;
  diagnostic: Diagnostic;
}

/**
 * Whether the user wrote the call: at the top of the .te, in a support macro's
 * argument (optional_policy, tunable_policy), or in an interface of the module's
 * own .if; not in the body of an interface or template of the include tree.
 */
function writtenBy(call: InterfaceCall, callables: ReadonlyMap<string, PolicyDefinition>, files: ReadonlySet<string>): boolean {
  for (let p = call.expansion.parent; p !== undefined; p = p.parent) {
    const d = callables.get(p.macro);
    if (d !== undefined && !files.has(d.file)) return false;
  }
  return true;
}

/** The argument-count findings of the calls the user wrote (in `files`: the .te and the module's .if). */
export function checkCallArity(calls: readonly InterfaceCall[], callables: ReadonlyMap<string, PolicyDefinition>, files: ReadonlySet<string>): ArityFinding[] {
  const found: ArityFinding[] = [];
  for (const call of calls) {
    if (!writtenBy(call, callables, files)) continue;
    const d = arityDiagnostic(call);
    if (d !== undefined) found.push({ call, diagnostic: d });
  }
  return found;
}

/** Whether a diagnostic's chain notes (its last notes) end with the chain of `e`: it comes from the expansion of that call. */
export function insideExpansion(d: Diagnostic, e: M4Expansion): boolean {
  const chain = expansionChainNotes(e);
  const notes = d.notes;
  if (notes.length < chain.length) return false;
  const off = notes.length - chain.length;
  return chain.every((c, k) => sameSpan(notes[off + k]?.span, c.span));
}

function sameSpan(a: Span | undefined, b: Span | undefined): boolean {
  return a !== undefined && b !== undefined && a.file === b.file && a.line === b.line && a.column === b.column;
}
