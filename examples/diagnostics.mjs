// Problems are Diagnostics: a stable code, a message, a place, notes. Bad input
// throws one PortholeError; print it with printDiagnostic or as JSON.
//   node examples/diagnostics.mjs
import { PortholeError, printDiagnostic, readPolicyFile } from 'porthole';

const here = new URL('.', import.meta.url).pathname;
try {
  // A log, not a policy; `name` is how messages name the file (default: its path).
  readPolicyFile(`${here}denials.log`, { name: 'denials.log' });
} catch (e) {
  if (!(e instanceof PortholeError)) throw e;
  for (const d of e.diagnostics) {
    process.stdout.write(printDiagnostic(d));
    console.log(JSON.stringify({ code: d.code, data: d.data }));
  }
}
