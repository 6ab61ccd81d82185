// sedta's text (setools 4.4 `sedta`): the paths or transitions found, with --full the rules of
// each step, entrypoints sorted by name (sedta prints them in Python set order).
import type { Policy } from '../../model.js';
import { ruleText } from '../ruleText.js';
import type { RuleRef } from '../teLookup.js';
import type { DtaStep } from './dtaGraph.js';

export interface SedtaOptions {
  /** Print the rules of each step (sedta --full). */
  full?: boolean;
  /** Stop after this many paths or transitions (sedta -l; 0: no limit). */
  limit?: number;
}

/** What printing needs of the analysed graph: its direction and the rules of a step (DtaView; a DomainTransitionGraph is the forward view). */
export interface DtaSteps {
  readonly reverse?: boolean;
  step(a: number, b: number): DtaStep;
}

/** The details sedta --full prints after a step (print_transition). */
export function printDtaStep(policy: Policy, step: DtaStep): string {
  const r = (x: RuleRef): string => ruleText(policy, x);
  let o = '\n';
  if (step.transition.length) {
    o += 'Domain transition rule(s):\n';
    for (const t of step.transition) o += r(t) + '\n';
    if (step.setexec.length) {
      o += '\nSet execution context rule(s):\n';
      for (const s of step.setexec) o += r(s) + '\n';
    }
    for (const e of step.entrypoints) {
      o += `\nEntrypoint ${policy.types[e.type - 1]?.name}:\n`;
      o += '\tDomain entrypoint rule(s):\n';
      for (const x of e.entrypoint) o += `\t${r(x)}\n`;
      o += '\n\tFile execute rule(s):\n';
      for (const x of e.execute) o += `\t${r(x)}\n`;
      if (e.typeTransition.length) {
        o += '\n\tType transition rule(s):\n';
        for (const x of e.typeTransition) o += `\t${r(x)}\n`;
      }
      o += '\n';
    }
  }
  if (step.dyntransition.length) {
    o += 'Dynamic transition rule(s):\n';
    for (const d of step.dyntransition) o += r(d) + '\n';
    o += '\nSet current process context rule(s):\n';
    for (const s of step.setcurrent) o += r(s) + '\n';
    o += '\n';
  }
  return o + '\n';
}

/** `sedta -p POLICY -s FROM -t TO -S|-A N [--full] [-l N]` output for the given paths (lists of the analysed graph's nodes). */
export function printSedtaPaths(policy: Policy, graph: DtaSteps, paths: readonly number[][], opts: SedtaOptions = {}): string {
  const name = (v: number): string => policy.types[v - 1]?.name ?? `type${v}`;
  let o = '';
  let k = 0;
  for (const path of paths) {
    k++;
    o += `Domain transition path ${k}:\n`;
    for (let i = 1; i < path.length; i++) {
      // Steps of a reversed graph are printed the way the transitions go.
      const [s, t] = graph.reverse ? [path[i]!, path[i - 1]!] : [path[i - 1]!, path[i]!];
      o += `Step ${i}: ${name(s)} -> ${name(t)}\n`;
      if (opts.full) o += printDtaStep(policy, graph.step(path[i - 1]!, path[i]!));
    }
    // sedta stops before the blank line that ends a path.
    if (opts.limit && k >= opts.limit) break;
    o += '\n';
  }
  return o + `\n${k} domain transition path(s) found.\n`;
}

/** `sedta -p POLICY -s FROM [--full] [-l N]` output: the transitions out of (with -r, into) a domain. */
export function printSedtaTransitions(policy: Policy, graph: DtaSteps, edges: readonly (readonly [number, number])[], opts: SedtaOptions = {}): string {
  const name = (v: number): string => policy.types[v - 1]?.name ?? `type${v}`;
  let o = '';
  let k = 0;
  for (const [a, b] of edges) {
    k++;
    const [s, t] = graph.reverse ? [b, a] : [a, b];
    o += `Transition ${k}: ${name(s)} -> ${name(t)}\n`;
    if (opts.full) o += printDtaStep(policy, graph.step(a, b));
    if (opts.limit && k >= opts.limit) break;
  }
  return o + `\n${k} domain transition(s) found.\n`;
}
