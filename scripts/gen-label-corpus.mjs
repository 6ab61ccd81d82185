#!/usr/bin/env node
// Makes the path corpus of the file-label oracle tests
// (test/fixtures/labels/corpus.txt.gz): every exact-path spec of a
// file_contexts (and .homedirs), several strings generated from each regex
// spec and near misses of them, a sample of `find / -xdev` on this machine,
// paths under /run, /var/run, /home/*, /root, /usr/lib64, /usr/local/lib64
// and every alias of the equivalence files, and odd paths (`//`, trailing `/`,
// `.` and `..`, non-ASCII and non-UTF-8 bytes, a final newline, very long
// paths). Seeded: the same inputs give the same corpus; the machine's own tree
// differs between machines, which is why the corpus is committed.
//
//   npm run build && node scripts/gen-label-corpus.mjs [FILE_CONTEXTS] [OUT]
//
// One path per line; `\\`, `\n` and bytes outside 0x20-0x7e are written `\\`, `\n`, `\xHH`
// (test/oracle/labels/corpus.ts reads it).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = await import(pathToFileURL(join(root, 'dist/index.js')).href);
const fcFile = process.argv[2] ?? '/etc/selinux/default/contexts/files/file_contexts';
const outFile = process.argv[3] ?? join(root, 'test/fixtures/labels/corpus.txt.gz');

let seed = 20261205;
const rnd = {
  next() {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  },
};
const pick = (a) => a[Math.floor(rnd.next() * a.length)];

const { contexts } = lib.loadFileContexts(fcFile);
const paths = new Set();
const add = (p) => {
  if (p.length > 0 && !p.includes('\0')) paths.add(p);
};

// 1. Specs: exact paths as they are; regexes by example, with near misses.
const WORDS = ['x', 'foo', 'bin', 'lib', 'log', 'run', '.hidden', 'a.b', 'tmp', 'user', 'data', 'conf', 'sub/dir'];
const generated = [];
for (const spec of contexts.specs) {
  if (spec.exact !== undefined) {
    add(spec.exact);
    add(spec.exact + '/' + pick(WORDS));
    add(spec.exact.slice(0, -1));
    generated.push(spec.exact);
    continue;
  }
  for (let k = 0; k < 6; k++) {
    const s = lib.sampleMatch(lib.specTree(spec), rnd);
    add(s);
    generated.push(s);
  }
  const s = lib.sampleMatch(lib.specTree(spec), rnd);
  add(s + pick(WORDS));
  add(s + '/' + pick(WORDS));
  add(s.slice(0, -1));
  add(s + '\n');
}

// 2. This machine's tree (a sample), all of its first three levels.
const found = spawnSync('find', ['/', '-xdev'], { encoding: 'latin1', maxBuffer: 1 << 30 })
  .stdout.split('\n')
  .filter(Boolean);
const skip = /^\/(work|tmp|proc|sys)(\/|$)/;
let n = 0;
for (const p of found.sort()) {
  if (skip.test(p)) continue;
  if (p.split('/').length <= 4 || n++ % 9 === 0) add(p);
}

// 3. Aliases: both sides of every equivalence rule, and paths of the corpus rewritten to their alias.
const rules = [...contexts.subs, ...contexts.subsDist];
const extra = ['/run', '/var/run', '/root', '/usr/lib64', '/usr/local/lib64', ...(existsSync('/home') ? ['/home/user', '/home/cloudsdk', '/home/a b'] : [])];
const all = [...paths];
for (const r of rules) {
  add(r.src);
  add(r.dst);
  add(r.src + '/');
  add(r.src + 'x');
  add(r.src + '/' + pick(WORDS));
  const under = all.filter((p) => p.startsWith(r.dst + '/'));
  for (let k = 0; k < Math.min(400, under.length); k++) add(r.src + pick(under).slice(r.dst.length));
}
for (const base of extra) {
  const under = all.filter((p) => p.startsWith('/run/') || p.startsWith('/home/') || p.startsWith('/root/') || p.startsWith('/usr/lib/'));
  for (let k = 0; k < 300; k++) {
    const p = pick(under);
    add(base + p.slice(p.indexOf('/', 1)));
    add(base + '/' + pick(WORDS) + '/' + pick(WORDS));
  }
}
for (let k = 0; k < 2000; k++)
  add('/home/' + pick(['user', 'u1', 'cloudsdk', 'x.y', 'a b']) + '/' + pick(generated.filter((g) => g.startsWith('/home/')).length ? [pick(WORDS)] : WORDS) + '/' + pick(WORDS));

// 4. Odd paths.
const base = [...paths];
const odd = (p) => {
  const parts = p.split('/');
  const i = 1 + Math.floor(rnd.next() * Math.max(1, parts.length - 1));
  switch (Math.floor(rnd.next() * 10)) {
    case 0:
      return p.replace('/', '//');
    case 1:
      return p + '/';
    case 2:
      return [...parts.slice(0, i), '.', ...parts.slice(i)].join('/');
    case 3:
      return [...parts.slice(0, i), '..', ...parts.slice(i)].join('/');
    case 4:
      return p + '/caf\xc3\xa9';
    case 5:
      return p + '/\xff\xfe';
    case 6:
      return p + '\n';
    case 7:
      return p + '/' + 'long'.repeat(300 + Math.floor(rnd.next() * 800));
    case 8:
      return '//' + p.slice(1) + '//';
    default:
      return p.slice(1);
  }
};
for (let k = 0; k < 12000; k++) add(odd(pick(base)));
for (const p of ['/', '//', '///', '/.', '/..', '.', 'x', '/\n', '\n', ' ', '/ ', '/\t', '/\xff']) add(p);

const esc = (p) => p.replace(/[\\\n]|[^\x20-\x7e]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
const text = [...paths].map(esc).join('\n') + '\n';
writeFileSync(outFile, gzipSync(Buffer.from(text, 'latin1'), { level: 9 }));
process.stdout.write(`${paths.size} paths -> ${outFile} (${readFileSync(outFile).length} bytes)\n`);
