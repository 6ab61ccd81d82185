// Lowering and the written .te printer on the whole reference policy: every
// module of $SE_REFPOLICY_SRC expanded by our m4 devel pipeline is parsed,
// lowered to the module IR, printed, parsed and lowered again: the same
// module (spans aside), and the same text when printed again; its .fc too.
// Lowering leaves nothing out but the base-only statements of the base
// modules. And checkmodule -M -m compiles our printed .te of every module it
// accepts in its m4 form, to the same bytes (the IR keeps every symbol in the
// order checkmodule numbers them).
//
// CI: the te oracle's sample (every tenth module by name, the 12 base
// modules and systemd). PORTHOLE_FULL_SWEEP=1: all 408 (counts and times are
// printed).
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import {
  DEFAULT_DEVEL_INCLUDE,
  type Diagnostic,
  expandDevelFileContexts,
  expandDevelModule,
  lowerFileContexts,
  lowerModule,
  parseFileContextsText,
  parseModuleText,
  printFileContexts,
  printTe,
} from '../../../src/index.js';
import { stripSpans } from '../../support/stripSpans.js';
import { tempDir } from '../../support/tempDir.js';
import { describeOracle, findOracles } from '../support/oracles.js';
import { REFPOLICY_BASE, refpolicyModules, refpolicySample } from '../support/refpolicy.js';

const run = promisify(execFile);
const FULL = process.env.PORTHOLE_FULL_SWEEP === '1';
const FIXTURES = fileURLToPath(new URL('../../fixtures/te/', import.meta.url));

/** `checkmodule -M -m -o NAME.mod NAME.te` in `dir`: the module's bytes, or undefined when checkmodule refuses it. */
async function compile(dir: string, name: string, text: string): Promise<Buffer | undefined> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.te`), text, 'latin1');
  try {
    await run('checkmodule', ['-M', '-m', '-o', `${name}.mod`, `${name}.te`], { cwd: dir });
    return readFileSync(join(dir, `${name}.mod`));
  } catch {
    return undefined;
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

describeOracle('te: every reference policy module lowers, prints and lowers back the same', () => {
  const env = findOracles().env;
  const src = join(env.SE_REFPOLICY_SRC ?? '/usr/src/selinux-policy-src', 'policy/modules');
  const include = env.SE_DEVEL_INCLUDE ?? DEFAULT_DEVEL_INCLUDE;
  const sample = refpolicySample(refpolicyModules(src), FULL, ['systemd']);
  const dir = tempDir('te-lower');
  /** The m4 output and our printed text of each module, for checkmodule. */
  const printed: { name: string; expanded: string; written: string; baseOnly: boolean }[] = [];

  it(`round-trips the .te and .fc of ${sample.length} modules`, () => {
    const differ: string[] = [];
    const leftOut: string[] = [];
    let statements = 0;
    let specs = 0;
    let lowerTime = 0;
    const t0 = performance.now();
    for (const m of sample) {
      const te = expandDevelModule({ name: `${m.name}.te`, text: readFileSync(m.path, 'latin1') }, { includeDir: include });
      const fc = expandDevelFileContexts({ name: `${m.name}.fc`, text: readFileSync(m.path.replace(/\.te$/, '.fc'), 'latin1') }, { includeDir: include });
      const parsed = parseModuleText({ name: `${m.name}.te`, text: te.output });
      const warnings: Diagnostic[] = [];
      const a = performance.now();
      const module = lowerModule(parsed.ast, { onDiagnostic: (d) => warnings.push(d) });
      lowerTime += performance.now() - a;
      statements += module.statements.length;
      // Only base-only statements, only in base modules.
      for (const w of warnings) if (!REFPOLICY_BASE.includes(m.name) || w.data?.node !== 'baseOnly') leftOut.push(`${m.name}: ${w.message}`);
      const written = printTe(module);
      const again = parseModuleText({ name: `${m.name}.printed.te`, text: written });
      const relowered = lowerModule(again.ast);
      if (again.diagnostics.length > 0) differ.push(`${m.name}: printed text does not parse: ${again.diagnostics[0]?.message}`);
      else if (JSON.stringify(stripSpans(relowered)) !== JSON.stringify(stripSpans(module))) {
        expect(stripSpans(relowered), m.name).toEqual(stripSpans(module));
      } else if (printTe(relowered) !== written) differ.push(`${m.name}: printed text not stable`);
      printed.push({ name: m.name, expanded: te.output, written, baseOnly: warnings.length > 0 });

      const fcSpecs = lowerFileContexts(parseFileContextsText({ name: `${m.name}.fc`, text: fc.output }).ast);
      specs += fcSpecs.length;
      const fcText = printFileContexts(fcSpecs);
      const fcAgain = parseFileContextsText(fcText);
      if (fcAgain.diagnostics.length > 0) differ.push(`${m.name}.fc: printed text does not parse`);
      else expect(stripSpans(lowerFileContexts(fcAgain.ast)), `${m.name}.fc`).toEqual(stripSpans(fcSpecs));
    }
    process.stderr.write(
      `te lower sweep: ${sample.length} modules, ${statements} top-level statements, ${specs} .fc specs; ${((performance.now() - t0) / 1000).toFixed(1)} s in all (m4, parse twice, lower twice, print twice), lowering ${(lowerTime / 1000).toFixed(2)} s\n`,
    );
    expect(differ).toEqual([]);
    expect(leftOut).toEqual([]);
  }, 1_200_000);

  it('checkmodule compiles our printed .te of each module it accepts as m4 wrote it, to the same bytes', async () => {
    expect(printed.length).toBe(sample.length);
    const refused: string[] = [];
    const differ: string[] = [];
    const refusedAsWritten: string[] = [];
    const t0 = performance.now();
    await eachLimited(printed, 2, async (p) => {
      const original = await compile(dir.join('m4'), p.name, p.expanded);
      if (original === undefined) {
        refusedAsWritten.push(p.name);
        return;
      }
      const ours = await compile(dir.join('printed'), p.name, p.written);
      if (ours === undefined) refused.push(p.name);
      else if (!ours.equals(original)) differ.push(p.name);
    });
    const accepted = printed.length - refusedAsWritten.length;
    process.stderr.write(
      `te lower sweep: checkmodule accepts ${accepted} of ${printed.length} modules as m4 wrote them; of those it accepts ${accepted - refused.length} as we print them, ${accepted - refused.length - differ.length} compiled to the same bytes (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`,
    );
    // Refused as m4 wrote them: the base modules that hold base-only statements, and systemd (a missing require).
    expect(refusedAsWritten.sort()).toEqual(
      printed
        .filter((p) => p.baseOnly || p.name === 'systemd')
        .map((p) => p.name)
        .sort(),
    );
    expect(refused).toEqual([]);
    // The same symbols in the same order, the same rules: the same module.
    expect(differ).toEqual([]);
  }, 1_200_000);

  it('compiles a module with every statement kind, as written and as we print it, to the same bytes', async () => {
    const text = readFileSync(join(FIXTURES, 'porthole_lower.te'), 'latin1');
    const parsed = parseModuleText({ name: 'porthole_lower.te', text });
    expect(parsed.diagnostics).toEqual([]);
    const warnings: Diagnostic[] = [];
    const module = lowerModule(parsed.ast, { onDiagnostic: (d) => warnings.push(d) });
    expect(warnings).toEqual([]);
    const original = await compile(dir.join('hand', 'm4'), 'porthole_lower', text);
    const ours = await compile(dir.join('hand', 'printed'), 'porthole_lower', printTe(module));
    expect(original).toBeDefined();
    expect(ours?.equals(original as Buffer)).toBe(true);
  });
}, ['env', 'checkmodule', 'devel-include', 'refpolicy-src']);
