// MLS levels and ranges as a module writes them, by name: `s0`,
// `s0:c0,c3.c5`, `s0 - s0:c0.c1023`. Not the binary policy's levels (values),
// which are in src/selinux/policy/model.ts.

/** A category, or an inclusive run of categories (`c3.c5`). */
export type MlsCategory = string | readonly [string, string];

export interface MlsLevel {
  sensitivity: string;
  /** As written; absent or empty for a level without categories. */
  categories?: MlsCategory[];
}

export interface MlsRange {
  low: MlsLevel;
  /** Absent when the range is the single level `low`. */
  high?: MlsLevel;
}
