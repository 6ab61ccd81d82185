// Acceptance: the RBAC that `porthole rbac` generates from logs, replayed by
// `porthole rbac check` over the same logs, denies nothing; with one
// generated rule removed, it denies the requests that rule allowed. On
// audit2rbac's demo log and on a generated log of many subjects.
import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { makeAuditLines } from '../../../bench/rbac-gen.mjs';
import { memoryIo } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { tempDir } from '../../support/tempDir.js';

const dir = tempDir('rbac-replay');

async function porthole(args: string[]) {
  const io = memoryIo({ cwd: dir.path, stdin: Readable.from([]) });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

/** Removes the first rule with a resource from the YAML (its `- apiGroups:` item). */
function dropFirstResourceRule(yaml: string): string {
  const lines = yaml.split('\n');
  const start = lines.indexOf('- apiGroups:');
  let end = start + 1;
  while (end < lines.length && lines[end]!.startsWith('  ')) end++;
  return [...lines.slice(0, start), ...lines.slice(end)].join('\n');
}

describe('rbac check replays the RBAC that rbac generated', () => {
  it('on a generated log of 1500 events from 30 subjects: no denials; one rule fewer: denials', async () => {
    writeFileSync(dir.join('gen.log'), [...makeAuditLines(1500, 30, 7)].join('\n') + '\n');
    const gen = await porthole(['rbac', '-f', 'gen.log', '--all-subjects']);
    expect(gen.code).toBe(0);
    writeFileSync(dir.join('gen.yaml'), gen.out);
    const ok = await porthole(['rbac', 'check', '-f', 'gen.log', '--rbac', 'gen.yaml', '--json']);
    const summary = JSON.parse(ok.out.trim().split('\n').at(-1)!).summary;
    expect(summary).toMatchObject({ requests: 1500, denied: 0 });
    expect(ok.code).toBe(0);

    writeFileSync(dir.join('less.yaml'), dropFirstResourceRule(gen.out));
    const less = await porthole(['rbac', 'check', '-f', 'gen.log', '--rbac', 'less.yaml']);
    expect(less.code).toBe(1);
    expect(less.out).toMatch(/^denied: [1-9]\d* of 1500 requests/);
  });

  it('audit2rbac mode keeps query strings in URLs, which the authorizer does not match: the replay shows it', async () => {
    const user = 'app@example.com';
    const event = (uri: string) => JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', verb: 'get', requestURI: uri, user: { username: user, groups: ['system:authenticated'] } });
    writeFileSync(dir.join('q.log'), `${event('/livez?verbose=1')}\n${event('/metrics')}\n`);
    for (const [flags, denied] of [
      [[], 0],
      [['--compat=audit2rbac'], 1],
    ] as const) {
      const gen = await porthole(['rbac', '-f', 'q.log', '--user', user, ...flags]);
      expect(gen.code).toBe(0);
      writeFileSync(dir.join('q.yaml'), gen.out);
      const chk = await porthole(['rbac', 'check', '-f', 'q.log', '--rbac', 'q.yaml', '--json']);
      const s = JSON.parse(chk.out.trim().split('\n').at(-1)!).summary;
      expect(s.deniedDistinct > 0 ? 1 : 0).toBe(denied);
    }
  });
});
