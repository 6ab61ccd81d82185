// learnRbac: subjects (user, service account, group, all), the namespace
// filter, the default mode's fixes, and the same bytes whatever the order
// of the events.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${user} and ${version} are template placeholders
import { describe, expect, it } from 'vitest';
import { makeAuditLines } from '../../../bench/rbac-gen.mjs';
import { learnRbac } from './learn.js';
import { printRbacYaml } from './yaml.js';

const ev = (user: string, verb: string, ref?: Record<string, string>, uri = '', groups = ['system:authenticated']) =>
  JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', verb, requestURI: uri, user: { username: user, groups }, ...(ref ? { objectRef: ref } : {}) });
const text = (lines: string[]) => ({ text: lines.join('\n') + '\n' });
const yaml = (r: Awaited<ReturnType<typeof learnRbac>>) => r.subjects.map((s) => printRbacYaml(s.objects)).join('---\n');

describe('learnRbac', () => {
  it('gives the same bytes whatever the order of the events', async () => {
    const lines = [...makeAuditLines(600, 12, 5)];
    const a = yaml(await learnRbac(text(lines), { subject: { allSubjects: true }, version: 'v' }));
    const shuffled = [...lines].reverse();
    for (let i = 0; i < shuffled.length; i += 7) [shuffled[i], shuffled[shuffled.length - 1 - i]] = [shuffled[shuffled.length - 1 - i]!, shuffled[i]!];
    expect(yaml(await learnRbac(text(shuffled), { subject: { allSubjects: true }, version: 'v' }))).toBe(a);
  });

  it('keeps each distinct request once (by default) and counts the events', async () => {
    const line = ev('u', 'get', { resource: 'pods', namespace: 'a', name: 'p', apiVersion: 'v1' });
    const r = await learnRbac(text([line, line, line]), { subject: { user: 'u' } });
    expect(r.subjects[0]).toMatchObject({ events: 3, requests: 1 });
    const c = await learnRbac(text([line, line, line]), { subject: { user: 'u' }, mode: 'audit2rbac' });
    expect(c.subjects[0]).toMatchObject({ events: 3, requests: 3 });
  });

  it('--group: the requests of the members, bound to the Group', async () => {
    const r = await learnRbac(
      text([
        ev('a', 'list', { resource: 'pods', namespace: 'x' }, '', ['devs']),
        ev('b', 'list', { resource: 'secrets', namespace: 'x' }, '', ['devs']),
        ev('c', 'list', { resource: 'nodes' }, '', ['ops']),
      ]),
      {
        subject: { group: 'devs' },
      },
    );
    expect(r.matched).toBe(2);
    expect(r.subjects[0]!.objects.roles[0]!.rules).toEqual([{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'secrets'] }]);
    expect(r.subjects[0]!.objects.roleBindings[0]!.subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' }]);
    expect(r.subjects[0]!.objects.roles[0]!.metadata.name).toBe('porthole:devs');
  });

  it('-n: only requests on objects in that namespace', async () => {
    const r = await learnRbac(text([ev('u', 'list', { resource: 'pods', namespace: 'a' }), ev('u', 'list', { resource: 'pods', namespace: 'b' })]), { subject: { user: 'u' }, namespace: 'b' });
    expect(r.matched).toBe(1);
    expect(r.subjects[0]!.objects.roles.map((x) => x.metadata.namespace)).toEqual(['b']);
  });

  it('strips query strings and keeps the name of a create on a subresource (audit2rbac does neither)', async () => {
    const lines = [ev('u', 'get', undefined, '/livez?verbose=1'), ev('u', 'create', { resource: 'pods', subresource: 'exec', namespace: 'a', name: 'web-0' })];
    const ours = (await learnRbac(text(lines), { subject: { user: 'u' } })).subjects[0]!.objects;
    expect(ours.clusterRoles[0]!.rules).toEqual([{ verbs: ['get'], nonResourceURLs: ['/livez'] }]);
    expect(ours.roles[0]!.rules).toEqual([{ verbs: ['create'], apiGroups: [''], resources: ['pods/exec'], resourceNames: ['web-0'] }]);
    const theirs = (await learnRbac(text(lines), { subject: { user: 'u' }, mode: 'audit2rbac' })).subjects[0]!.objects;
    expect(theirs.clusterRoles[0]!.rules).toEqual([{ verbs: ['get'], nonResourceURLs: ['/livez?verbose=1'] }]);
    expect(theirs.roles[0]!.rules).toEqual([{ verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] }]);
  });

  it('--generate-* templates and audit2rbac sanitizing', async () => {
    const r = await learnRbac(text([ev('Me@X.io', 'list', { resource: 'nodes' })]), {
      subject: { user: 'Me@X.io' },
      name: 'gen:${user}',
      labels: ['who=${user}', 'flag'],
      annotations: ['v=${version}'],
      version: '1.2',
    });
    expect(r.subjects[0]!.objects.clusterRoles[0]!.metadata).toEqual({ name: 'gen:me-x-io', labels: { who: 'me-x-io', flag: '' }, annotations: { v: '1.2' } });
  });
});
