// "Did you mean": the parser reports a call m4 left as written
// (`te-undefined-interface`, the name in `data.name`); the build knows the
// names that are defined and adds the nearest ones (edit distance, or names
// holding the one written) as a note.
// Not here: finding the call (te/undefinedCall.ts).
import type { Diagnostic } from '../../../base/diagnostic.js';
import { closeNames } from '../../refpolicy/index.js';

/** How many names a note offers. */
export const SUGGESTIONS = 4;

/** The diagnostic with a note naming the defined names nearest the one called (unchanged when none is near). */
export function suggestDefined(d: Diagnostic, names: readonly string[], extraNotes: readonly string[] = []): Diagnostic {
  const name = d.data?.name;
  if (d.code !== 'te-undefined-interface' || typeof name !== 'string') return d;
  const near = closeNames(names, name, SUGGESTIONS);
  const notes = [...(near.length > 0 ? [{ message: `did you mean ${near.join(', ')}?` }] : []), ...extraNotes.map((message) => ({ message }))];
  return { ...d, notes: [...notes, ...d.notes], data: { ...d.data, ...(near.length > 0 ? { suggestions: near.join(' ') } : {}) } };
}
