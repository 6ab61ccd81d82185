// A deep copy of a value without its `span` fields (and without undefined
// ones): for comparing a module lowered from printed text with the module
// that was printed, whose spans point elsewhere.

export function stripSpans<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'span' ? undefined : v))) as T;
}
