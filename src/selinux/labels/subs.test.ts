import { describe, expect, it } from 'vitest';
import { parseSubs, substitute } from './subs.js';

describe('equivalence rules', () => {
  const subs = parseSubs('# local\n/web /srv/app\n/web /srv\n  /new /\n/legacy /var/run2\nonefield\n', 'fc.subs', 'subs');
  const dist = parseSubs('/var/run2 /var/old\n/var/run2 /var/new\n/var/run /run\n', 'fc.subs_dist', 'subs_dist');

  it('reads ALIAS ORIGINAL lines, skipping comments and lines with one field', () => {
    expect(subs.map((r) => [r.src, r.dst, r.line])).toEqual([
      ['/web', '/srv/app', 2],
      ['/web', '/srv', 3],
      ['/new', '/', 4],
      ['/legacy', '/var/run2', 5],
    ]);
  });

  it('tries later lines first, matches only at a / boundary, and handles a / destination', () => {
    expect(substitute(subs, dist, '/web/x').path).toBe('/srv/x');
    expect(substitute(subs, dist, '/webx').path).toBe('/webx');
    expect(substitute(subs, dist, '/new/srv').path).toBe('/srv');
    expect(substitute(subs, dist, '/new').path).toBe('/');
    expect(substitute(subs, dist, '/var/run').path).toBe('/run');
    expect(substitute(subs, dist, '/var/runx').path).toBe('/var/runx');
  });

  it('chains one .subs rule then one .subs_dist rule', () => {
    const r = substitute(subs, dist, '/legacy/a');
    expect(r.path).toBe('/var/new/a');
    expect(r.rules.map((x) => `${x.kind}:${x.line}`)).toEqual(['subs:5', 'subs_dist:2']);
  });
});
