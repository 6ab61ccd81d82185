// Reading audit input: a path, text, a stream or lines. Every denial comes with its
// system call, process and path; malformed records are counted, not fatal.
//   node examples/read-denials.mjs [LOG]
import { formatContext, malformedDiagnostic, printDiagnostic, readDenials } from 'porthole';

const here = new URL('.', import.meta.url).pathname;
const log = { path: process.argv[2] ?? `${here}denials.log`, name: 'denials.log' };
// Text works as well as a file; this line is malformed (no '}' closes the permissions).
const broken = { text: 'type=AVC msg=audit(1700000200.1:900): avc:  denied  { write for pid=1 scontext=a:b:c_t:s0 tclass=file\n', name: 'pasted' };

const stats = await readDenials([log, broken], {}, (d) => {
  const proc = d.comm ?? d.exe ?? '?';
  console.log(`${d.loc.file}:${d.loc.line} ${proc} ${d.denied ? 'denied' : 'granted'} { ${d.perms.join(' ')} } ${formatContext(d.scontext)} -> ${formatContext(d.tcontext)}:${d.tclass}`);
});
console.log(`${stats.lines} lines, ${stats.records} records, ${stats.malformed} malformed`);
const problem = malformedDiagnostic(stats);
if (problem) process.stdout.write(printDiagnostic(problem));
