// audit2rbac's behaviour data (../shared/corpora/k8s): its TestProcessOptions
// cases, the derived TestProcess case, eventToAttributes, the case whose output
// depends on Go map order, and the demo log's expected output per subject.
// All run in `audit2rbac` mode; the default mode is checked where it differs.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${user} and ${version} are audit2rbac's template placeholders, not JavaScript's
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RbacObjects, RequestAttributes, Role, RoleBinding } from '../../../src/index.js';
import { eventToRequest, generateRbac, learnRbac, printRbacYaml } from '../../../src/index.js';
import { sharedDirs } from '../support/oracles.js';

interface Case {
  name: string;
  options: { expandMultipleNamespacesToClusterScoped: boolean; expandMultipleNamesToUnnamed: boolean; verbExpansions: Record<string, string[]>; name: string };
  existing: Record<string, unknown>[];
  requests: RequestAttributes[];
  expected?: Record<string, unknown[]>;
  possibleExpected?: Record<string, unknown[]>[];
}

/** The objects of a case as RbacObjects. */
function toObjects(list: Record<string, unknown>[]): RbacObjects {
  const o: RbacObjects = { roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [] };
  for (const x of list) {
    const kind = x.kind as string;
    if (kind === 'Role') o.roles.push(x as unknown as Role);
    else if (kind === 'ClusterRole') o.clusterRoles.push(x as unknown as Role);
    else if (kind === 'RoleBinding') o.roleBindings.push(x as unknown as RoleBinding);
    else if (kind === 'ClusterRoleBinding') o.clusterRoleBindings.push(x as unknown as RoleBinding);
  }
  for (const r of [...o.roles, ...o.clusterRoles]) r.rules ??= [];
  return o;
}

/** Objects as comparable data: nil and empty lists alike (Semantic.DeepEqual), no undefined fields. */
function normal(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normal);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x === undefined || x === null || (Array.isArray(x) && x.length === 0) || k === 'apiVersion') continue;
      out[k] = normal(x);
    }
    return out;
  }
  return v;
}

function run(c: Case): Record<string, unknown> {
  const requests = c.requests.map((r) => ({ ...r, groups: r.groups ?? undefined }));
  const g = generateRbac(toObjects(c.existing), requests, { ...c.options, mode: 'audit2rbac' });
  return normal({ roles: g.roles, clusterRoles: g.clusterRoles, roleBindings: g.roleBindings, clusterRoleBindings: g.clusterRoleBindings }) as Record<string, unknown>;
}

describe('audit2rbac corpus (../shared/corpora/k8s)', () => {
  const dirs = sharedDirs('audit2rbac corpus', ['corpora/k8s']);
  const dir = dirs.get('corpora/k8s');
  if (!dir) return;
  const data = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as {
    cases: Case[];
    derivedCases: Case[];
    knownNondeterministic: Case[];
    eventToAttributesCases: { name: string; event: Record<string, unknown>; expected: RequestAttributes }[];
  };

  for (const c of [...data.cases, ...data.derivedCases]) {
    it(`case: ${c.name}`, () => {
      expect(run(c)).toEqual(normal(c.expected));
    });
  }

  for (const c of data.knownNondeterministic) {
    it(`map-order case: ${c.name} gives one of audit2rbac's possible outputs`, () => {
      const got = run(c);
      expect(c.possibleExpected!.map(normal)).toContainEqual(got);
    });
  }

  for (const c of data.eventToAttributesCases) {
    it(`eventToAttributes: ${c.name}`, () => {
      const r = eventToRequest(c.event, 'audit2rbac');
      expect(normal({ ...r, groups: r.groups ?? null })).toEqual(normal(c.expected));
    });
  }

  const VERSION = 'v0.0.0-test';
  for (const [file, subject] of [
    ['alice.yaml', { user: 'alice' }],
    ['bob.yaml', { user: 'bob' }],
    ['sa1.yaml', { serviceAccount: { namespace: 'ns1', name: 'sa1' } }],
  ] as const) {
    it(`demo: ${file} byte for byte`, async () => {
      const res = await learnRbac({ path: join(dir, 'audit2rbac_demo.log') }, { subject, mode: 'audit2rbac', version: VERSION });
      expect(res.stats.malformed).toBe(0);
      const expected = readFileSync(join(dir, 'demo-expected', file), 'utf8').replaceAll('${version}', VERSION);
      expect(res.subjects.map((s) => printRbacYaml(s.objects)).join('')).toBe(expected);
    });
  }
});
