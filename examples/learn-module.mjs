// audit2allow as a library call: the denials of a log become a policy module,
// analysed against a binary policy, printed as .te and as CIL.
//   node examples/learn-module.mjs [LOG] [POLICY]
import { learnFromLogs, printCil, printDiagnostic, printTe, readPolicyFile } from 'porthole';

const here = new URL('.', import.meta.url).pathname;
const log = process.argv[2] ?? `${here}denials.log`;
const policy = readPolicyFile(process.argv[3] ?? `${here}demo-policy.33`);

// Every option of `porthole allow` has a field: name (-m), dontaudit (-D), xperms (-x),
// type (-t), lastLoadOnly (-l), explain (-v/-e), policy (-p), ...
const { module, diagnostics } = await learnFromLogs({ path: log }, { name: 'myapp', policy, xperms: true });
for (const d of diagnostics) process.stderr.write(printDiagnostic(d));

process.stdout.write(printTe(module));
process.stdout.write('\n;; the same module as CIL (what semodule -i installs)\n');
process.stdout.write(printCil(module));
