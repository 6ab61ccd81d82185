// `porthole iface` on the real include trees: the seed cases (issue 16), and
// `find` against a grep-style equivalent of the well-known `sefindif` shell
// function (awk over LAYER/*.if: an interface or template runs from its
// `interface(`/`template(` line to the `')` line that closes it; a matching
// line prints the definition's place once and its own place): the same set
// of NAME at FILE:LINE and FILE:LINE of each matching line, for a few
// regexes, on the devel headers and on the reference policy's sources.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { describeOracle, findOracles } from './support/oracles.js';

const REGEXES = ['kernel.*message', 'ping_exec', 'can_exec\\(', 'files_search_[a-z]+\\(\\$1\\)', 'self:capability (sys_admin|net_raw)'];

/** sefindif's shape as a shell pipeline: FILE:LINE:NAME for each definition with a match, FILE:LINE for each matching line after its first. */
const SEFINDIF = `cd "$1" && for f in */*.if; do
  RE="$2" LC_ALL=C awk -v F="$f" '
    BEGIN { R = ENVIRON["RE"] }
    /^(interface|template)\\(\`/ { name = $0; sub(/^[a-z]+\\(\`/, "", name); sub(/\\047.*/, "", name); start = NR; inside = 1; shown = 0 }
    inside && $0 ~ R { if (!shown) { print F ":" start ":" name; shown = 1 } if (NR != start) print F ":" NR }
    inside && /^\\047\\)/ { inside = 0 }
  ' "$f"
done`;

function sefindif(dir: string, regex: string): string[] {
  return execFileSync('bash', ['-c', SEFINDIF, 'sefindif', dir, regex], { encoding: 'utf8', maxBuffer: 64 << 20 })
    .split('\n')
    .filter(Boolean)
    .sort();
}

async function porthole(args: string[]) {
  const io = memoryIo({ stdin: Readable.from([]), env: {} });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

/** Our find --json as the pipeline's lines. */
async function ours(dir: string, regex: string): Promise<string[]> {
  const r = await porthole(['iface', 'find', '--json', '-I', dir, regex]);
  expect(r.err).toBe('');
  return r.out
    .split('\n')
    .filter(Boolean)
    .flatMap((l) => {
      const d = JSON.parse(l) as { file: string; line: number; name: string; lines: { line: number }[] };
      return [`${d.file}:${d.line}:${d.name}`, ...d.lines.filter((x) => x.line !== d.line).map((x) => `${d.file}:${x.line}`)];
    })
    .sort();
}

function seedCases(dir: () => string): void {
  it('find kernel.*message finds kernel_read_messages', async () => {
    const r = await porthole(['iface', 'find', '-I', dir(), 'kernel.*message']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^kernel\/kernel\.if: \d+: kernel_read_messages\(domain\)$/m);
  });

  it('show kernel_read_messages shows can_receive_kernel_messages, with its doc comment', async () => {
    const r = await porthole(['iface', 'show', '-I', dir(), 'kernel_read_messages']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('typeattribute $1 can_receive_kernel_messages;');
    expect(r.out).toMatch(/^## <summary>\n##\tAllow caller to read kernel messages\n/m);
    expect(r.out).toContain('## <param name="domain">');
    const j = JSON.parse((await porthole(['iface', 'show', '--json', '-I', dir(), 'kernel_read_messages'])).out);
    expect(j).toMatchObject({ kind: 'interface', file: 'kernel/kernel.if', summary: 'Allow caller to read kernel messages using the /proc/kmsg interface.' });
  });

  it('defs domtrans finds domtrans_pattern; def shows it', async () => {
    const r = await porthole(['iface', 'defs', '-I', dir(), 'domtrans']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^support\/misc_patterns\.spt: \d+: domtrans_pattern\(\$1, \$2, \$3\)$/m);
    expect((await porthole(['iface', 'def', '-I', dir(), 'read_file_perms'])).out).toMatch(/^define\(`read_file_perms',`\{ getattr open read lock ioctl \}'\)$/m);
  });

  it('find ping_exec finds netutils_exec_ping', async () => {
    const r = await porthole(['iface', 'find', '-I', dir(), 'ping_exec']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^admin\/netutils\.if: \d+: netutils_exec_ping\(domain\)$/m);
  });
}

function againstSefindif(dir: () => string, modules: () => string): void {
  it.each(REGEXES)('find %s: the same definitions and lines as sefindif', async (regex) => {
    const want = sefindif(modules(), regex);
    expect(want.length).toBeGreaterThan(0);
    expect(await ours(dir(), regex)).toEqual(want);
  });
}

describeOracle('iface on the devel headers ($SE_DEVEL_INCLUDE)', () => {
  const dir = (): string => findOracles().env.SE_DEVEL_INCLUDE ?? '/usr/share/selinux/devel/include';
  seedCases(dir);
  againstSefindif(dir, dir);
}, ['devel-include']);

describeOracle("iface on the reference policy's sources ($SE_REFPOLICY_SRC)", () => {
  const dir = (): string => findOracles().env.SE_REFPOLICY_SRC ?? '/usr/src/selinux-policy-src';
  seedCases(dir);
  againstSefindif(dir, () => join(dir(), 'policy', 'modules'));
}, ['refpolicy-src']);
