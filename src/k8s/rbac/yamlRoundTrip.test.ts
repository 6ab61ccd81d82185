// The YAML `porthole rbac` prints reads back, with the `yaml` package and
// with PyYAML (both YAML 1.1, as Kubernetes' yaml.v2), to exactly the objects
// it was made from, whatever the strings in the audit events: user names,
// namespaces, resources, resource names and API groups with control
// characters, quotes, `: `, `#`, indicators (`-`, `?`, `*`, `&`, `!`), YAML
// 1.1 words (yes, no, null, ~), numbers, dates, line breaks and non-ASCII.
// Namespaces, resources and API groups must be DNS-like names (the reader
// rejects others as malformed events, which is checked too), so they get
// names that YAML 1.1 reads as something else (yes, 012, 1e3, 2001-01-01).
// Lone surrogates are left out: a YAML stream is Unicode text, which cannot
// hold them (JSON's \ud800 escape can; the YAML printer writes such a string
// as it is given and no YAML reader reads it back).
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { fuzzRuns } from '../../../test/support/fuzzRuns.js';
import { learnRbac } from './learn.js';
import { printRbacYaml, rbacObjectsJson } from './yaml.js';

const tricky = fc.constantFrom(
  'yes',
  'no',
  'y',
  'on',
  'off',
  'null',
  '~',
  'true',
  'NULL',
  '1',
  '-1',
  '1.5',
  '1e3',
  '0x1f',
  '012',
  '1_000',
  '1:20',
  '.inf',
  '.nan',
  '2001-01-01',
  '<<',
  '=',
  '-',
  '?',
  '*a',
  '&a',
  '!a',
  '!!str',
  '|',
  '>',
  '%x',
  '@x',
  '`x',
  '"',
  "'",
  'a: b',
  'a #b',
  '#c',
  '- x',
  '? x',
  ' x',
  'x ',
  '\n',
  'a\nb',
  'a\n\nb',
  '\t',
  '\r',
  '\0',
  '\x1b[2J',
  '\x7f',
  '\x85',
  '\u2028',
  '\ufeff',
  'é',
  '日本',
  '😀',
  '{a}',
  '[a]',
  ',',
  '...',
  '---',
);
const piece = fc.oneof(tricky, fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ unit: 'grapheme-ascii', maxLength: 6 }));
/** A string without lone surrogates (see the top of the file). */
const value = fc
  .array(piece, { minLength: 1, maxLength: 4 })
  .map((a) => a.join(''))
  .map((s) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, 'x'));

interface Case {
  user: string;
  namespace: string;
  resource: string;
  name: string;
  group: string;
}
/** DNS-like names that a YAML 1.1 reader takes for booleans, nulls, numbers or dates unless quoted; and any string, mostly rejected. */
const dnsName = fc.oneof(
  fc.constantFrom('yes', 'no', 'y', 'n', 'on', 'off', 'true', 'false', 'null', '1', '012', '0x1f', '1e3', '1.5', '1.0e-3', '2001-01-01', '2001-1-1', '0o7', '0b1', '1-2', 'pods'),
  fc.stringMatching(/^[a-z0-9]([-a-z0-9.]{0,8}[a-z0-9])?$/),
  value,
);
const caseArb = fc.record({ user: value.filter((u) => u !== ''), namespace: dnsName, resource: dnsName, name: value, group: dnsName });

/** The YAML and JSON of the objects learned from one event with these strings; none when the event is rejected as malformed. */
async function yamlOf(c: Case): Promise<{ yaml: string; json: unknown[] }[]> {
  const ev = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    verb: 'get',
    requestURI: '/x',
    user: { username: c.user, groups: ['g'] },
    objectRef: { resource: c.resource, namespace: c.namespace, name: c.name, apiGroup: c.group, apiVersion: 'v1' },
  };
  const r = await learnRbac({ text: `${JSON.stringify(ev)}\n` }, { subject: { allSubjects: true } });
  expect(r.stats.events + r.stats.malformed).toBe(1);
  return r.subjects.map((s) => ({ yaml: printRbacYaml(s.objects), json: rbacObjectsJson(s.objects) }));
}

const parseYaml = (text: string): unknown[] =>
  parseAllDocuments(text, { version: '1.1' }).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS();
  });

describe('rbac YAML reads back to the objects it was made from', () => {
  it('with the yaml package (YAML 1.1), for random strings in every field', async () => {
    let printed = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const outs = await yamlOf(c);
        if (outs.length > 0) printed++;
        for (const { yaml, json } of outs) expect(parseYaml(yaml)).toEqual(json);
      }),
      { seed: 11, numRuns: fuzzRuns() },
    );
    // Not vacuous: most events are valid and printed.
    expect(printed).toBeGreaterThan(fuzzRuns() / 4);
  });

  it('keeps the strings that went in', async () => {
    const c: Case = { user: '- yes: #x\n"\'~', namespace: 'no', resource: '012', name: 'x\ny', group: '1e3' };
    const [out] = await yamlOf(c);
    const text = JSON.stringify(parseYaml(out!.yaml));
    for (const v of Object.values(c)) expect(text).toContain(JSON.stringify(v).slice(1, -1));
  });

  const py = spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!py)('with PyYAML, for the same kind of strings (skipped when python3 has no yaml module)', async () => {
    const cases = fc.sample(caseArb, { seed: 12, numRuns: fuzzRuns() });
    const outs = (await Promise.all(cases.map(yamlOf))).flat();
    expect(outs.length).toBeGreaterThan(cases.length / 4);
    const script = 'import sys, json, yaml\nfor doc in json.load(sys.stdin):\n    print(json.dumps(list(yaml.safe_load_all(doc)), default=repr))';
    const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(outs.map((o) => o.yaml)), encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(outs.length);
    for (const [i, o] of outs.entries()) expect(JSON.parse(lines[i]!), o.yaml).toEqual(o.json);
  });
});
