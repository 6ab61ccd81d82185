// The one SELinux IR: a policy module. A module learned from denials and one
// written by hand are the same value; every printer (te, CIL, JSON) reads it.
// The statement types are in rules.ts, declarations.ts and blocks.ts.
import type { Block } from './blocks.js';

export interface Module extends Block {
  /** Absent for a plain rule list (no `module` line). */
  name?: string;
  version?: string;
  /**
   * How the te printer lays the module out. 'audit2allow' (the default, what
   * learned modules use): the module's own rules sorted by (source, target,
   * class) under `#============= source ==============` headers, role types in
   * a ROLES section at the end, other statements before the rules in their
   * order. 'written': every statement in its order (hand-written modules).
   * The CIL printer follows the same rule order.
   */
  layout?: 'audit2allow' | 'written';
}
