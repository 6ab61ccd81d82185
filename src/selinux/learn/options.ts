// Checks on what people type for `allow`: module names and -t patterns.

/** audit2allow's rule: a letter, then letters, digits, '-', '_' or '.'. */
export function checkModuleName(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_.-]*$/.test(name);
}

/** People type `-M mymodule.te`; the name is valid but surely not meant. */
export function moduleNameWarning(name: string): string | undefined {
  const m = /^(.*)\.(te|pp|cil)$/.exec(name);
  if (!m) return undefined;
  return `module name '${name}' ends in '.${m[2]}'; the files will be named ${name}.te, ${name}.pp, ...; did you mean '${m[1]}'?`;
}

/** A Python `re.match` pattern (audit2allow -t) as a RegExp. */
export { pythonRegex } from '../../base/pythonRe.js';
