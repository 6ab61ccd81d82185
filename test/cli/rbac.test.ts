// `porthole rbac` and `porthole rbac check`: flags, usage errors, --json,
// --strict, stdin, and the check report.
import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { tempDir } from '../support/tempDir.js';

const dir = tempDir('rbac-cli');

async function porthole(args: string[], stdin = '') {
  const io = memoryIo({ cwd: dir.path, stdin: Readable.from([Buffer.from(stdin)]) });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const ev = (user: string, verb: string, ref?: Record<string, string>, uri = '') =>
  JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', verb, requestURI: uri, user: { username: user, groups: ['system:authenticated'] }, ...(ref ? { objectRef: ref } : {}) });
const LOG =
  [
    ev('alice', 'list', { resource: 'pods', namespace: 'a' }),
    ev('alice', 'get', { resource: 'secrets', namespace: 'a', name: 's1' }),
    ev('system:serviceaccount:a:bot', 'list', { resource: 'nodes' }),
  ].join('\n') + '\n';

describe('porthole rbac', () => {
  it('usage errors: no subject, two subjects, a bad service account, no -f, a bad --compat, a bad boolean', async () => {
    writeFileSync(dir.join('a.log'), LOG);
    for (const args of [
      ['rbac', '-f', 'a.log'],
      ['rbac', '-f', 'a.log', '--user', 'a', '--group', 'g'],
      ['rbac', '-f', 'a.log', '--serviceaccount', 'nocolon'],
      ['rbac', '--user', 'a'],
      ['rbac', '-f', 'a.log', '--user', 'a', '--compat=kubectl'],
      ['rbac', '-f', 'a.log', '--user', 'a', '--expand-multi-name=maybe'],
      ['rbac', '-f', 'a.log', '--user', 'a', '--generate-labels', 'bad key=x'],
      ['rbac', '-f', 'a.log', '--user', 'a', '--generate-annotations', 'Not_A.Domain/x=1'],
      ['rbac', 'serve', '--listen', 'nowhere'],
    ]) {
      const r = await porthole(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain('error[usage]');
    }
  });

  it('reads stdin, takes --expand-multi-name=false, writes YAML', async () => {
    const log = [ev('u', 'get', { resource: 'pods', namespace: 'a', name: 'p1' }), ev('u', 'get', { resource: 'pods', namespace: 'a', name: 'p2' })].join('\n');
    const expanded = await porthole(['rbac', '-f', '-', '--user', 'u'], log);
    expect(expanded.code).toBe(0);
    expect(expanded.out).not.toContain('resourceNames');
    const named = await porthole(['rbac', '-f', '-', '--user', 'u', '--expand-multi-name=false'], log);
    expect(named.out).toContain('resourceNames:\n  - p1\n  - p2\n');
  });

  it('--json: one object per line', async () => {
    writeFileSync(dir.join('a.log'), LOG);
    const r = await porthole(['rbac', '-f', 'a.log', '--all-subjects', '--json']);
    expect(r.code).toBe(0);
    const kinds = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).kind);
    expect(kinds).toEqual(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);
  });

  it('malformed entries: a warning at file:line, exit 0; --strict: exit 1', async () => {
    writeFileSync(dir.join('bad.log'), `${LOG}{"kind":"Event"\n`);
    const r = await porthole(['rbac', '-f', 'bad.log', '--user', 'alice']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('bad.log:4: warning[malformed-event]');
    const s = await porthole(['rbac', '-f', 'bad.log', '--user', 'alice', '--strict']);
    expect(s.code).toBe(1);
    expect(s.err).toContain('bad.log:4: error[malformed-event]');
  });

  it('a missing file: file-read, exit 1', async () => {
    const r = await porthole(['rbac', '-f', 'nope.log', '--user', 'alice']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[file-read]: cannot read nope.log');
  });
});

describe('porthole rbac check', () => {
  it('reads manifests whole up to a limit: /dev/zero is an error, not all memory', async () => {
    writeFileSync(dir.join('a.log'), LOG);
    const r = await porthole(['rbac', 'check', '-f', dir.join('a.log'), '--rbac', '/dev/zero']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[input-too-large]: /dev/zero is larger than 67108864 bytes');
  });

  it('lists denied requests and unused rules; --json ends with a summary', async () => {
    writeFileSync(dir.join('a.log'), LOG);
    writeFileSync(
      dir.join('rbac.yaml'),
      `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: a}
rules:
- {apiGroups: [""], resources: [pods], verbs: [list]}
- {apiGroups: [""], resources: [configmaps], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}]
`,
    );
    const r = await porthole(['rbac', 'check', '-f', 'a.log', '--rbac', 'rbac.yaml']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('denied: 2 of 3 requests (2 distinct)\n');
    expect(r.out).toContain('  alice get secrets s1 in a  x1  first at a.log:2\n');
    expect(r.out).toContain('  Role a/r rule 2: {APIGroups:[""], Resources:["configmaps"], Verbs:["get"]}\n');
    const j = await porthole(['rbac', 'check', '-f', 'a.log', '--rbac', 'rbac.yaml', '--json']);
    expect(JSON.parse(j.out.trim().split('\n').at(-1)!)).toEqual({ summary: { requests: 3, denied: 2, deniedDistinct: 2, rules: 3, unusedRules: 2, malformed: 0 } });
  });

  it('a bad manifest: bad-manifest at file:line:col, exit 1', async () => {
    writeFileSync(dir.join('a.log'), LOG);
    writeFileSync(dir.join('bad.yaml'), 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {namespace: a}\n');
    const r = await porthole(['rbac', 'check', '-f', 'a.log', '--rbac', 'bad.yaml']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('bad.yaml:1:1: error[bad-manifest]: a Role without metadata.name');
  });
});

describe('porthole rbac: gzip logs with trailing garbage', () => {
  it('a warning without --strict (exit 0), an error with it (exit 1, after the YAML)', async () => {
    writeFileSync(dir.join('garbage.log'), Buffer.concat([gzipSync(LOG), Buffer.from('junk')]));
    const plain = await porthole(['rbac', '--user', 'alice', '-f', 'garbage.log']);
    expect(plain.code).toBe(0);
    expect(plain.err).toMatch(/^porthole: warning\[trailing-garbage\]: garbage\.log: /m);
    const strict = await porthole(['rbac', '--user', 'alice', '--strict', '-f', 'garbage.log']);
    expect(strict.code).toBe(1);
    expect(strict.err).toMatch(/^porthole: error\[trailing-garbage\]: garbage\.log: /m);
    expect(strict.out).toBe(plain.out);
  });
});
