import { describe, expect, it } from 'vitest';
import { PortholeError } from '../../base/diagnostic.js';
import { fileContextsFromText } from './load.js';
import { FileContexts, LABEL_MODES } from './lookup.js';
import { hasMetaChars, parseSpecs, specStem } from './specs.js';

const FILE = LABEL_MODES.file!;
const DIR = LABEL_MODES.dir!;

describe('file context lookups', () => {
  const { contexts: fc, diagnostics } = fileContextsFromText({
    base: [
      '/.*\tu:r:default_t:s0',
      '/srv(/.*)?\tu:r:srv_t:s0',
      '/srv/x\tu:r:x_t:s0',
      '/srv/.*\t--\tu:r:file_t:s0',
      '/srv/x\t-d\tu:r:xdir_t:s0',
      '/srv/none(/.*)?\t<<none>>',
      '/opt/a|/zz/b\tu:r:leak_t:s0',
      '/dup\tu:r:one_t:s0',
      '/dup\tu:r:two_t:s0',
      '/srv/a\\.b\tu:r:ab_t:s0',
    ].join('\n'),
    local: '/srv/y(/.*)?\tu:r:local_t:s0\n',
    subsDist: '/alias /srv\n',
  });

  it('decides literal versus regex and the stem as libselinux does', () => {
    expect([hasMetaChars('/srv/a\\.b'), hasMetaChars('/srv/a.b'), hasMetaChars('/srv/x')]).toEqual([false, true, false]);
    expect([specStem('/srv/x'), specStem('/srv(/.*)?'), specStem('/x'), specStem('/\\.a/b')]).toEqual(['/srv', undefined, undefined, undefined]);
  });

  it('prefers exact paths, later specs, matching file types; <<none>> is no context', () => {
    expect(fc.lookup('/srv/x').context).toBe('u:r:xdir_t:s0');
    expect(fc.lookup('/srv/x', FILE).context).toBe('u:r:x_t:s0');
    expect(fc.lookup('/srv/q', FILE).context).toBe('u:r:file_t:s0');
    expect(fc.lookup('/srv/q', DIR).context).toBe('u:r:srv_t:s0');
    expect(fc.lookup('/srv/none/z')).toMatchObject({ context: undefined, error: 'ENOENT', spec: { context: '<<none>>' } });
    expect(fc.lookup('/srv/y/z', FILE).context).toBe('u:r:local_t:s0');
    expect(fc.lookup('/srv/a.b').context).toBe('u:r:ab_t:s0');
    expect(fc.lookup('/dup').context).toBe('u:r:two_t:s0');
  });

  it('cleans the path (// and a trailing /), applies equivalence rules, and skips specs of another stem', () => {
    expect(FileContexts.clean('//srv///x//')).toBe('/srv/x');
    expect(fc.lookup('//alias//x/', FILE).context).toBe('u:r:x_t:s0');
    expect(fc.lookup('/opt/azzz').context).toBe('u:r:leak_t:s0');
    expect(fc.lookup('/zz/b').context).toBe('u:r:default_t:s0');
    expect(fc.lookup('/srv/x\n', FILE).context).toBe('u:r:x_t:s0');
    expect(fc.lookup('')).toEqual({ context: undefined, error: 'EINVAL' });
    expect(fc.lookup('relative')).toEqual({ context: undefined, error: 'ENOENT' });
  });

  it('warns about duplicates within a file, and explains the losers', () => {
    expect(diagnostics.map((d) => [d.code, d.span?.line])).toEqual([
      ['file-contexts-duplicate', 5],
      ['file-contexts-duplicate', 9],
    ]);
    const e = fc.explain('/srv/x', FILE);
    expect(e.spec?.line).toBe(3);
    expect(e.losers.map((l) => [l.spec.line, l.reason])).toEqual([
      [5, 'file-type'],
      [4, 'lower-priority'],
      [2, 'lower-priority'],
      [1, 'lower-priority'],
    ]);
  });

  it('fails the load on errors, naming each line', () => {
    try {
      fileContextsFromText({ base: '/a(\tu:r:t:s0\n/b\n/c\t-z\tu:r:t:s0\n/d\xe9\tu:r:t:s0\n' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PortholeError);
      expect((e as PortholeError).diagnostics.map((d) => [d.code, d.span?.line])).toEqual([
        ['file-contexts-regex', 1],
        ['file-contexts-syntax', 2],
        ['file-contexts-syntax', 3],
        ['file-contexts-syntax', 4],
      ]);
    }
  });
});

describe('executableLabel', () => {
  it("gives a regular file's context and type, or undefined", async () => {
    const { executableLabel } = await import('./report.js');
    const { contexts } = fileContextsFromText({ base: '/usr/bin(/.*)?\tu:r:bin_t:s0\n/usr/bin/app\t--\tsystem_u:object_r:app_exec_t:s0\n/usr/bin/none\t<<none>>\n', subsDist: '/bin /usr/bin\n' });
    expect(executableLabel(contexts, '/bin/app')).toMatchObject({ context: 'system_u:object_r:app_exec_t:s0', type: 'app_exec_t', spec: { line: 2 } });
    expect(executableLabel(contexts, '/usr/bin/none')).toBeUndefined();
  });
});

describe('spec matchers without the regex engine', () => {
  it('agree with the regex on the shapes they take', async () => {
    const { specMatcher, specRegex } = await import('./specs.js');
    const specs = ['/usr/lib/[^/]+/x/yz', '/usr/[^/]*bin', '/usr/(.*/)?bin(/.*)?', '/usr/lib/(.*/)?sbin', '/usr/(.*/)?man/.*', '/u(.*/)?b.*', '/usr/(?:.*/)?x/y(/.*)?'];
    const keys = [
      '/usr/bin',
      '/usr/bin\n',
      '/usr/bin\n\n',
      '/usr/bin/',
      '/usr/binx',
      '/usr/xbin',
      '/usr/a/bin',
      '/usr/a/bin/c',
      '/usr/a/xbin/bin',
      '/usr/a/bin\n',
      '/usr/lib/sbin',
      '/usr/lib/a/sbin',
      '/usr/lib/a/sbin/x',
    ];
    const more = [
      '/usr/man/',
      '/usr/man/x',
      '/usr/a/man/\n',
      '/usr/mans/x',
      '/ub',
      '/u/b',
      '/ux/bq',
      '/usr/x/y',
      '/usr/q/x/y/z',
      '/usr/x/yz',
      '/usr//x/y',
      '/usr/lib/q/x/yz',
      '/usr/lib/q/x/yz\n',
      '/usr/lib/q/x/yz\n\n',
      '/usr/lib/q/r/x/yz',
      '/usr/lib/q/x/yzz',
    ];
    for (const regex of specs) {
      const {
        specs: [spec],
      } = parseSpecs(`${regex}\tu:r:t:s0\n`, 'fc', 'base');
      const match = specMatcher(spec!);
      const re = specRegex(spec!);
      for (const key of [...keys, ...more]) expect([regex, key, match(key)]).toEqual([regex, key, re.test(key)]);
    }
  });
});
