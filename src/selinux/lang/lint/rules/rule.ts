// The shape of a lint rule: a stable id (its diagnostic code), a severity,
// what it finds, and the check over the whole context (the rules that look at
// one module at a time loop over ctx.modules themselves).
import type { Diagnostic, DiagnosticCode, Severity } from '../../../../base/diagnostic.js';
import type { LintContext } from '../context.js';

export interface LintRule {
  code: DiagnosticCode;
  severity: Severity;
  /** selint's check of the same thing, when there is one (for the agreement test and the README). */
  selint?: string | undefined;
  check(ctx: LintContext): Diagnostic[];
}
