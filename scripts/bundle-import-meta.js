// Injected into the CommonJS bundle (scripts/bundle-cli.mjs) for `import.meta.url`, which
// CommonJS lacks: the bundle's own URL, so that `new URL('./rangeWorker.js', import.meta.url)`
// finds the worker bundled beside it.
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;
