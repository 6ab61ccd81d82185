#!/usr/bin/env node
// Benchmark: file-label lookups. Ours (dist/) against libselinux through
// /usr/bin/python3's `selinux` module, on the corpus of the oracle tests
// (test/fixtures/labels/corpus.txt.gz) in every mode, in one process each;
// then one lookup as a whole process: `porthole label -m file PATH` against
// `matchpathcon -m file PATH` and against `node -e 0`. Prints the figures and
// the ratios; exits 1 when ours is under 20x the lookups per second of the
// binding or a single lookup takes more than 0.25 s.
//
//   npm run build && node bench/lib/label.mjs      (or bash bench/label.sh)
//
// Knobs: BENCH_REPS=N whole-process runs of each command, interleaved (default 15, medians);
// SE_FC (default: from /var/lib/selinux-oracles/oracles.env).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = Object.fromEntries(
  readFileSync('/var/lib/selinux-oracles/oracles.env', 'utf8')
    .split('\n')
    .map((l) => /^([A-Z_]+)=(.*)$/.exec(l))
    .filter(Boolean)
    .map((m) => [m[1], m[2].replace(/^"|"$/g, '')]),
);
const FC = process.env.SE_FC ?? env.SE_FC ?? '/etc/selinux/default/contexts/files/file_contexts';
const REPS = Number(process.env.BENCH_REPS ?? 15);
const MODES = [0, 0o100000, 0o040000, 0o120000, 0o020000, 0o060000, 0o140000, 0o010000];

// The corpus, UTF-8 paths only (the binding cannot pass the others).
const utf8 = new TextDecoder('utf-8', { fatal: true });
const corpus = gunzipSync(readFileSync(join(root, 'test/fixtures/labels/corpus.txt.gz')))
  .toString('latin1')
  .split('\n')
  .filter(Boolean)
  .map((l) => l.replace(/\\(\\|n|x[0-9a-f]{2})/g, (_, e) => (e === '\\' ? '\\' : e === 'n' ? '\n' : String.fromCharCode(parseInt(e.slice(1), 16)))))
  .filter((p) => {
    try {
      utf8.decode(Buffer.from(p, 'latin1'));
      return true;
    } catch {
      return false;
    }
  });

// Ours, in this process.
const t0 = performance.now();
const lib = await import(pathToFileURL(join(root, 'dist/selinux/labels/index.js')).href);
const t1 = performance.now();
const fc = lib.loadFileContexts(FC).contexts;
const t2 = performance.now();
let n = 0;
for (const m of MODES) for (const p of corpus) n += fc.lookup(p, m).context === undefined ? 0 : 1;
const t3 = performance.now();
const oursRate = (corpus.length * MODES.length) / ((t3 - t2) / 1000);
// Sustained: three more passes over the same corpus (directory entries and regexes already made,
// the code compiled); their median. Reported beside the first pass, which is what the target is
// checked on (the binding's passes are all alike).
const again = [];
for (let r = 0; r < 3; r++) {
  const s = performance.now();
  for (const m of MODES) for (const p of corpus) fc.lookup(p, m);
  again.push((corpus.length * MODES.length) / ((performance.now() - s) / 1000));
}
const sustained = again.sort((x, y) => x - y)[1];

// libselinux through Python, in one process.
const PY = `
import json, sys, time
import selinux
req = json.load(sys.stdin)
t0 = time.perf_counter()
o = selinux.selinux_opt(); o.type = selinux.SELABEL_OPT_PATH; o.value = req["fc"]
h = selinux.selabel_open(selinux.SELABEL_CTX_FILE, o, 1)
t1 = time.perf_counter()
paths = [bytes.fromhex(p).decode("utf-8") for p in req["paths"]]
n = 0
t2 = time.perf_counter()
for m in req["modes"]:
    for p in paths:
        try:
            selinux.selabel_lookup_raw(h, p, m); n += 1
        except OSError:
            pass
t3 = time.perf_counter()
json.dump({"load": t1 - t0, "lookups": t3 - t2, "found": n}, sys.stdout)
`;
const py = spawnSync('/usr/bin/python3', ['-s', '-c', PY], {
  input: JSON.stringify({ fc: FC, modes: MODES, paths: corpus.map((p) => Buffer.from(p, 'latin1').toString('hex')) }),
  encoding: 'utf8',
  maxBuffer: 1 << 28,
});
if (py.status !== 0) throw new Error(py.stderr);
const pyr = JSON.parse(py.stdout);
const pyRate = (corpus.length * MODES.length) / pyr.lookups;

// One lookup, whole process, interleaved runs; medians.
const cmds = {
  porthole: [join(root, 'dist/porthole.cjs'), ['label', '-m', 'file', '-f', FC, '/usr/bin/passwd']],
  matchpathcon: ['matchpathcon', ['-m', 'file', '-f', FC, '/usr/bin/passwd']],
  'node -e 0': [process.execPath, ['-e', '0']],
};
const times = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
for (let r = 0; r < REPS; r++) {
  for (const [name, [cmd, args]] of Object.entries(cmds)) {
    const s = process.hrtime.bigint();
    const x = spawnSync(cmd, args, { encoding: 'utf8' });
    const e = Number(process.hrtime.bigint() - s) / 1e6;
    if (x.status !== 0) throw new Error(`${name}: ${x.stderr}`);
    times[name].push(e);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const med = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));

const f = (x, d = 1) => x.toFixed(d);
const out = [
  `corpus: ${corpus.length} UTF-8 paths x ${MODES.length} modes = ${corpus.length * MODES.length} lookups (${FC})`,
  `found: ours ${n}, libselinux ${pyr.found}${n === pyr.found ? '' : '  MISMATCH'}`,
  `lookups/s: ours ${f(oursRate, 0)} (first pass; sustained ${f(sustained, 0)}), libselinux via Python ${f(pyRate, 0)}: ${f(oursRate / pyRate)}x (sustained ${f(sustained / pyRate)}x; want >= 20x)`,
  `load: ours ${f(t2 - t1)} ms (+ ${f(t1 - t0)} ms import), libselinux ${f(pyr.load * 1000)} ms`,
  `one lookup, whole process (median of ${REPS}): porthole ${f(med.porthole)} ms, matchpathcon ${f(med.matchpathcon)} ms, node -e 0 ${f(med['node -e 0'])} ms (want porthole <= 250 ms)`,
];
process.stdout.write(out.join('\n') + '\n');
const ok = oursRate / pyRate >= 20 && med.porthole <= 250 && n === pyr.found;
process.exit(ok ? 0 : 1);
