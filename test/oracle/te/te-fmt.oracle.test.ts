// porthole fmt keeps meaning, on the whole reference policy: every module's
// .te, .if and .fc formatted, then expanded by our m4 devel pipeline as the
// Makefile would (the formatted .if as the module's own) gives the same
// tokens of the module language (type and text; whitespace and comments may
// differ) and the same .fc fields line for line as the sources as written;
// formatting is idempotent; and the include tree's .if files formatted
// (copied to a scratch include tree) expand a few modules to the same tokens.
// How many files fmt leaves as they are is printed (refpolicy is mostly
// formatted already).
//
// CI: the refpolicy sample (every tenth module, the base modules).
// PORTHOLE_FULL_SWEEP=1: all 408, and every header of the include tree.
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DEFAULT_DEVEL_INCLUDE, expandDevelFileContexts, expandDevelModule, formatModuleSource, type SourceKind, te } from '../../../src/index.js';
import { tempDir } from '../../support/tempDir.js';
import { describeOracle, findOracles } from '../support/oracles.js';
import { refpolicyModules, refpolicySample } from '../support/refpolicy.js';

const FULL = process.env.PORTHOLE_FULL_SWEEP === '1';

/** The module language's tokens, as `type text` lines. */
function tokens(text: string): string[] {
  return te.lex(text).tokens.map((t) => `${t.type} ${t.text}`);
}

/** The .fc lines' fields after m4 (blank and comment lines left out). */
function fcFields(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/).join(' '))
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** The first place two lists differ, for the report. */
function firstDifference(a: string[], b: string[]): string {
  const i = a.findIndex((x, k) => x !== b[k]);
  const k = i === -1 ? Math.min(a.length, b.length) : i;
  return `at ${k}: ${a[k] ?? '(end)'} / ${b[k] ?? '(end)'}`;
}

describeOracle('fmt: formatted refpolicy sources expand to the same policy', () => {
  const env = findOracles().env;
  const src = join(env.SE_REFPOLICY_SRC ?? '/usr/src/selinux-policy-src', 'policy/modules');
  const include = env.SE_DEVEL_INCLUDE ?? DEFAULT_DEVEL_INCLUDE;
  const sample = refpolicySample(refpolicyModules(src), FULL);
  const scratch = tempDir('fmt-oracle');

  const format = (text: string, kind: SourceKind, file: string): string => {
    const r = formatModuleSource(text, kind, file);
    expect(r.diagnostics.map((d) => `${d.span?.file}:${d.span?.line} ${d.message}`)).toEqual([]);
    return r.text;
  };

  it('keeps the tokens of every module and the fields of every .fc; idempotent', () => {
    const differ: string[] = [];
    const notIdempotent: string[] = [];
    let files = 0;
    let unchanged = 0;
    const t0 = performance.now();
    for (const m of sample) {
      const texts = { te: readFileSync(m.path, 'latin1'), if: readFileSync(m.path.replace(/\.te$/, '.if'), 'latin1'), fc: readFileSync(m.path.replace(/\.te$/, '.fc'), 'latin1') };
      const out = { te: '', if: '', fc: '' };
      for (const kind of ['te', 'if', 'fc'] as const) {
        out[kind] = format(texts[kind], kind, `${m.name}.${kind}`);
        files++;
        if (out[kind] === texts[kind]) unchanged++;
        if (format(out[kind], kind, `${m.name}.${kind}`) !== out[kind]) notIdempotent.push(`${m.name}.${kind}`);
      }
      const expand = (t: { te: string; if: string }) => expandDevelModule({ name: `${m.name}.te`, text: t.te }, { includeDir: include, moduleIf: { name: `${m.name}.if`, text: t.if } }).output;
      const a = tokens(expand(texts));
      const b = tokens(expand(out));
      if (a.join('\n') !== b.join('\n')) differ.push(`${m.name}.te/.if ${firstDifference(a, b)}`);
      const fa = fcFields(expandDevelFileContexts({ name: `${m.name}.fc`, text: texts.fc }, { includeDir: include }).output);
      const fb = fcFields(expandDevelFileContexts({ name: `${m.name}.fc`, text: out.fc }, { includeDir: include }).output);
      if (fa.join('\n') !== fb.join('\n')) differ.push(`${m.name}.fc ${firstDifference(fa, fb)}`);
    }
    process.stderr.write(`fmt sweep: ${sample.length} modules, ${files} files, ${unchanged} left unchanged (${files - unchanged} reformatted); ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    expect(differ).toEqual([]);
    expect(notIdempotent).toEqual([]);
    // refpolicy is mostly formatted already: a formatter that rewrites most of it is too opinionated.
    expect(unchanged / files).toBeGreaterThan(0.75);
  }, 1_200_000);

  it('keeps the expansion of modules built against formatted headers', () => {
    // A scratch include tree: build.conf and support/ as they are, every layer's .if formatted.
    const dir = scratch.join('include');
    mkdirSync(dir);
    cpSync(join(include, 'support'), join(dir, 'support'), { recursive: true });
    cpSync(join(include, 'build.conf'), join(dir, 'build.conf'));
    let headers = 0;
    let unchanged = 0;
    const notIdempotent: string[] = [];
    for (const layer of readdirSync(include, { withFileTypes: true })
      .filter((l) => l.isDirectory() && l.name !== 'support')
      .map((l) => l.name)) {
      mkdirSync(join(dir, layer));
      for (const f of readdirSync(join(include, layer)).filter((x) => x.endsWith('.if'))) {
        const text = readFileSync(join(include, layer, f), 'latin1');
        const out = format(text, 'if', `${layer}/${f}`);
        headers++;
        if (out === text) unchanged++;
        if (format(out, 'if', f) !== out) notIdempotent.push(`${layer}/${f}`);
        writeFileSync(join(dir, layer, f), out, 'latin1');
      }
    }
    process.stderr.write(`fmt headers: ${headers} .if files, ${unchanged} left unchanged\n`);
    expect(headers).toBeGreaterThan(400);
    expect(notIdempotent).toEqual([]);
    const differ: string[] = [];
    for (const m of FULL ? sample : sample.slice(0, 8)) {
      const t = { name: `${m.name}.te`, text: readFileSync(m.path, 'latin1') };
      const a = tokens(expandDevelModule(t, { includeDir: include }).output);
      const b = tokens(expandDevelModule(t, { includeDir: dir }).output);
      if (a.join('\n') !== b.join('\n')) differ.push(`${m.name} ${firstDifference(a, b)}`);
    }
    expect(differ).toEqual([]);
  }, 1_200_000);
}, ['env', 'devel-include', 'refpolicy-src']);
