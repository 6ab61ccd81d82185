// The lint rules, in the order their findings are listed. A rule is one
// entry: add it here (and its code to DIAGNOSTIC_CODES and the README).

import { fcDuplicate, fcRegexEscape, fcSystem } from './rules/fcSpecs.js';
import { execWithoutFc, fcTypes } from './rules/fcTypes.js';
import { permOrder } from './rules/permOrder.js';
import { missingRequire, unusedRequire } from './rules/requires.js';
import type { LintRule } from './rules/rule.js';

export const LINT_RULES: readonly LintRule[] = [fcSystem, fcDuplicate, fcRegexEscape, fcTypes, execWithoutFc, permOrder, unusedRequire, missingRequire];
