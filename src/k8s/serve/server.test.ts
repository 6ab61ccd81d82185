// The webhook server: a load test (concurrent clients on loopback post a
// known number of events in EventLists, in no particular order; the server
// counts them all and generates what the file mode generates from the same
// events), the token, the body limit and malformed bodies.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAuditLines } from '../../../bench/rbac-gen.mjs';
import { checkRbac, formatRbacCheck, rbacCheckJson } from '../rbac/check/check.js';
import { learnRbac } from '../rbac/learn.js';
import type { RbacObjects } from '../rbac/rule.js';
import { printRbacYaml } from '../rbac/yaml.js';
import { createRbacServer, type RbacServer } from './server.js';

const LINES = [...makeAuditLines(3000, 40, 11)];
let srv: RbacServer;
let base = '';

beforeAll(async () => {
  srv = createRbacServer({ token: 's3cret', maxBodyBytes: 1024 * 1024, version: 'v' });
  await new Promise<void>((done) => srv.server.listen(0, '127.0.0.1', () => done()));
  base = `http://127.0.0.1:${(srv.server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => srv.server.close(() => done())));

const auth = { authorization: 'Bearer s3cret' };
const post = (body: string, headers: Record<string, string> = auth) => fetch(`${base}/`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('rbac serve', () => {
  it('takes concurrent EventList POSTs: every event counted, the RBAC equal to the file mode', async () => {
    const batches: string[] = [];
    for (let i = 0; i < LINES.length; i += 37) {
      const items = LINES.slice(i, i + 37).map((l) => {
        const { kind: _k, apiVersion: _v, ...rest } = JSON.parse(l) as Record<string, unknown>;
        return rest;
      });
      batches.push(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items }));
    }
    // Eight clients, each taking every eighth batch from the end: arrival order differs from the file's.
    const clients = Array.from({ length: 8 }, async (_, c) => {
      for (let b = batches.length - 1 - c; b >= 0; b -= 8) expect((await post(batches[b]!)).status).toBe(200);
    });
    await Promise.all(clients);
    const stats = (await (await fetch(`${base}/stats`, { headers: auth })).json()) as { events: number; batches: number };
    expect(stats).toMatchObject({ events: LINES.length, batches: batches.length });

    const file = await learnRbac({ text: LINES.join('\n') }, { subject: { allSubjects: true }, version: 'v' });
    expect(file.subjects.length).toBeGreaterThan(10);
    for (const s of file.subjects) {
      const param = s.subject.kind === 'ServiceAccount' ? `serviceaccount=${s.subject.namespace}:${s.subject.name}` : `user=${encodeURIComponent(s.principal)}`;
      const res = await fetch(`${base}/rbac?${param}`, { headers: auth });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(printRbacYaml(s.objects));
    }
  });

  it('wants the token (but not for /healthz)', async () => {
    expect((await post('{}', {})).status).toBe(401);
    expect((await post('{}', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('answers 400 to a malformed body and 413 to one over the limit, and counts them', async () => {
    const before = srv.stats.malformedBodies;
    expect((await post('{"kind":')).status).toBe(400);
    expect((await post('{"kind":"Pod","apiVersion":"v1"}')).status).toBe(400);
    expect(srv.stats.malformedBodies).toBe(before + 2);
    expect((await post('x'.repeat(2 * 1024 * 1024))).status).toBe(413);
    expect(srv.stats.tooLarge).toBe(1);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("serves rbac check's report on the events so far, as the file mode reports it", async () => {
    const file = await learnRbac({ text: LINES.join('\n') }, { subject: { allSubjects: true }, version: 'v' });
    const all: RbacObjects = { roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [] };
    for (const s of file.subjects) {
      all.roles.push(...s.objects.roles);
      all.clusterRoles.push(...s.objects.clusterRoles);
      all.roleBindings.push(...s.objects.roleBindings);
      all.clusterRoleBindings.push(...s.objects.clusterRoleBindings);
    }
    // One generated rule taken out: its requests are denied.
    const [first, ...rest] = all.clusterRoles;
    const objects = { ...all, clusterRoles: [{ ...first!, rules: first!.rules.slice(1) }, ...rest] };
    const checking = createRbacServer({ check: { objects } });
    await new Promise<void>((done) => checking.server.listen(0, '127.0.0.1', () => done()));
    try {
      const url = `http://127.0.0.1:${(checking.server.address() as AddressInfo).port}`;
      for (let i = 0; i < LINES.length; i += 500) {
        const res = await fetch(`${url}/`, { method: 'POST', body: `{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[${LINES.slice(i, i + 500).join(',')}]}` });
        expect(res.status).toBe(200);
      }
      const expected = await checkRbac({ text: LINES.join('\n') }, objects);
      expect(expected.denied).toBeGreaterThan(0);
      // The same report; only the first places differ (webhook:N, the Nth batch, against file:line).
      const places = / {2}first at \S+/g;
      expect((await (await fetch(`${url}/check`)).text()).replace(places, '')).toBe(formatRbacCheck(expected).replace(places, ''));
      const lines = (await (await fetch(`${url}/check?format=json`)).text()).trim().split('\n');
      expect(JSON.parse(lines.at(-1)!)).toEqual(rbacCheckJson(expected).at(-1));
      expect(JSON.parse(lines[0]!).denied.first).toEqual({ file: 'webhook', line: expect.any(Number) });
    } finally {
      await new Promise<void>((done) => checking.server.close(() => done()));
    }
    // Without RBAC to check against, there is no report.
    expect((await fetch(`${base}/check`, { headers: auth })).status).toBe(404);
  });

  it('404 for a principal it has not seen', async () => {
    expect((await fetch(`${base}/rbac?user=nobody`, { headers: auth })).status).toBe(404);
  });
});
