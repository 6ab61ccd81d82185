// The Kubernetes audit event reader: every input form, several sources,
// .gz, and malformed entries counted and placed.
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir.js';
import type { Span } from '../../base/span.js';
import type { KubeAuditEvent } from './event.js';
import { malformedEventDiagnostic, readKubeEvents } from './read.js';

const ev = (verb: string, user = 'alice', extra: Record<string, unknown> = {}) => ({
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  verb,
  user: { username: user, groups: ['system:authenticated'] },
  ...extra,
});

async function read(text: string, name = 'log') {
  const events: { event: KubeAuditEvent; span: Span }[] = [];
  const stats = await readKubeEvents({ text, name }, (event, span) => events.push({ event, span }));
  return { events, stats, verbs: events.map((e) => e.event.verb), lines: events.map((e) => e.span.line) };
}

describe('readKubeEvents', () => {
  it('reads JSON lines', async () => {
    const r = await read([ev('get'), ev('list'), ev('watch')].map((e) => JSON.stringify(e)).join('\n') + '\n');
    expect(r.verbs).toEqual(['get', 'list', 'watch']);
    expect(r.lines).toEqual([1, 2, 3]);
    expect(r.stats).toMatchObject({ events: 3, malformed: 0 });
  });

  it('reads pretty-printed and concatenated JSON, and a JSON array', async () => {
    const text = `${JSON.stringify(ev('get'), null, 2)}\n${JSON.stringify(ev('list'))}${JSON.stringify(ev('watch'))}\n${JSON.stringify([ev('create'), ev('delete')], null, 1)}\n`;
    const r = await read(text);
    expect(r.verbs).toEqual(['get', 'list', 'watch', 'create', 'delete']);
    expect(r.lines.slice(0, 3)).toEqual([1, text.split('\n').findIndex((l) => l.includes('"list"')) + 1, text.split('\n').findIndex((l) => l.includes('"list"')) + 1]);
  });

  it('reads YAML documents', async () => {
    const r = await read('kind: Event\napiVersion: audit.k8s.io/v1beta1\nverb: get\nuser:\n  username: bob\n---\nkind: Event\napiVersion: audit.k8s.io/v1\nverb: "on"\n');
    expect(r.verbs).toEqual(['get', 'on']);
    expect(r.lines).toEqual([1, 7]);
  });

  it('flattens a v1 List and an EventList (whose items may lack kind and apiVersion)', async () => {
    const list = { kind: 'List', apiVersion: 'v1', items: [ev('get'), ev('list')] };
    const eventList = { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [{ verb: 'patch', user: { username: 'x' } }, ev('update')] };
    const r = await read(`${JSON.stringify(list)}\n${JSON.stringify(eventList)}\n`);
    expect(r.verbs).toEqual(['get', 'list', 'patch', 'update']);
  });

  it('maps Google Cloud Logging entries to events', async () => {
    const entry = (method: string, resourceName: string, who = 'app@example.iam.gserviceaccount.com') => ({
      protoPayload: { '@type': 'type.googleapis.com/google.cloud.audit.AuditLog', methodName: method, resourceName, serviceName: 'k8s.io', authenticationInfo: { principalEmail: who } },
      resource: { type: 'k8s_cluster' },
    });
    const r = await read(
      [
        entry('io.k8s.core.v1.pods.list', 'core/v1/namespaces/default/pods'),
        entry('io.k8s.apps.v1.deployments.scale.update', 'apps/v1/namespaces/web/deployments/front/scale'),
        entry('io.k8s.core.v1.nodes.get', 'core/v1/nodes/n1'),
        entry('io.k8s.get', 'version', 'system:anonymous'),
      ]
        .map((e) => JSON.stringify(e))
        .join('\n'),
    );
    expect(r.events.map((e) => e.event)).toEqual([
      {
        verb: 'list',
        user: { username: 'app@example.iam.gserviceaccount.com', groups: ['system:authenticated'] },
        objectRef: { apiGroup: '', apiVersion: 'v1', resource: 'pods', namespace: 'default', name: '', subresource: '' },
        requestURI: '/api/v1/namespaces/default/pods',
      },
      {
        verb: 'update',
        user: { username: 'app@example.iam.gserviceaccount.com', groups: ['system:authenticated'] },
        objectRef: { apiGroup: 'apps', apiVersion: 'v1', resource: 'deployments', namespace: 'web', name: 'front', subresource: 'scale' },
        requestURI: '/apis/apps/v1/namespaces/web/deployments/front/scale',
      },
      {
        verb: 'get',
        user: { username: 'app@example.iam.gserviceaccount.com', groups: ['system:authenticated'] },
        objectRef: { apiGroup: '', apiVersion: 'v1', resource: 'nodes', namespace: '', name: 'n1', subresource: '' },
        requestURI: '/api/v1/nodes/n1',
      },
      { verb: 'get', user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, requestURI: '/version' },
    ]);
  });

  it('counts malformed entries, reports the first at its line, and reads on', async () => {
    const text = [JSON.stringify(ev('get')), '{"kind":"Event","verb":', JSON.stringify({ kind: 'Pod', apiVersion: 'v1' }), 'garbage', JSON.stringify(ev('list'))].join('\n');
    const r = await read(text, 'a.log');
    expect(r.verbs).toEqual(['get', 'list']);
    expect(r.stats.malformed).toBe(3);
    const d = malformedEventDiagnostic(r.stats);
    expect(d).toMatchObject({ severity: 'warning', code: 'malformed-event', span: { file: 'a.log', line: 2 }, data: { count: 3 } });
    expect(malformedEventDiagnostic(r.stats, true)?.severity).toBe('error');
  });

  it('an event whose values would widen a rule (a verb or resource *, a * in a path) is malformed', async () => {
    const lines = [
      ev('*', 'u', { objectRef: { resource: 'pods' } }),
      ev('get', 'u', { objectRef: { resource: '*' } }),
      ev('get', 'u', { requestURI: '/api*' }),
      ev('get', 'u', { objectRef: { resource: 'pods', apiGroup: 'Bad Group' } }),
      ev('get', 'u', { requestURI: '/healthz?x=*' }),
    ];
    const r = await read(lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(r.stats.malformed).toBe(4);
    expect(r.events.map((e) => e.event.requestURI)).toEqual(['/healthz?x=*']);
  });

  it('a YAML document that does not parse is malformed at its line', async () => {
    const r = await read('kind: Event\napiVersion: audit.k8s.io/v1\nverb: get\n---\nkind: [Event\n', 'y.yaml');
    expect(r.verbs).toEqual(['get']);
    expect(r.stats.firstMalformed?.span).toEqual({ file: 'y.yaml', line: 5 });
  });

  const dir = tempDir('k8s-read');
  it('reads several sources, .gz included, in order', async () => {
    writeFileSync(dir.join('a.log'), JSON.stringify(ev('get')) + '\n');
    writeFileSync(dir.join('b.log.gz'), gzipSync(JSON.stringify(ev('list')) + '\n'));
    const verbs: string[] = [];
    const stats = await readKubeEvents([{ path: dir.join('a.log') }, { path: dir.join('b.log.gz') }], (e) => verbs.push(e.verb!));
    expect(verbs).toEqual(['get', 'list']);
    expect(stats.sources).toBe(2);
  });
});
