// The shape of a lint rule: a stable id (its diagnostic code), a severity,
// what it finds, and its check: over one source while its items are at hand
// (`source`), or over every source's summary once all are read (`policy`).
import type { Diagnostic, DiagnosticCode, Severity } from '../../../../base/diagnostic.js';
import type { LintContext, LintEnv, LintSource } from '../context.js';

export interface LintRule {
  code: DiagnosticCode;
  severity: Severity;
  /** selint's check of the same thing, when there is one (for the agreement test and the README). */
  selint?: string | undefined;
  /** The findings in one source (sources are given in order). */
  source?(src: LintSource, env: LintEnv): Diagnostic[];
  /** The findings across sources, from their summaries. */
  policy?(ctx: LintContext): Diagnostic[];
}
