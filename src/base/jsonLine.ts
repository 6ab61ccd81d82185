// One value as one line of JSON, safe for a JSON-lines reader and a terminal.
// JSON.stringify escapes C0 controls, but leaves DEL, the C1 controls (0x9b is
// CSI on some terminals; 0x85 is a line break for Python's splitlines) and
// U+2028/U+2029 (line breaks to JavaScript before ES2019 and to many
// editors) raw; here they are written as \uXXXX too. The value read back is
// the same.

const UNSAFE = /[\u007f-\u009f\u2028\u2029]/;
const UNSAFE_ALL = /[\u007f-\u009f\u2028\u2029]/g;

/** `JSON.stringify(value)` with DEL, C1 and U+2028/U+2029 escaped, and a newline. */
export function jsonLine(value: unknown): string {
  const s = JSON.stringify(value);
  return `${UNSAFE.test(s) ? s.replace(UNSAFE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : s}\n`;
}
