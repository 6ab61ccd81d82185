import { describe, expect, it } from 'vitest';
import { compileSpecRegex, firstBytes, literalPrefix, PcreError, parsePcre, sampleMatch, toJsSource } from './pcre.js';

const matches = (spec: string, subject: string): boolean => compileSpecRegex(spec).test(subject);
const error = (spec: string): { kind: string; message: string } | undefined => {
  try {
    parsePcre(spec);
    return undefined;
  } catch (e) {
    if (e instanceof PcreError) return { kind: e.kind, message: e.message };
    throw e;
  }
};

describe('PCRE2 specs as libselinux compiles them', () => {
  it('anchors without grouping: a top-level | leaks out of the anchors', () => {
    expect(toJsSource(parsePcre('/a|/b'))).toBe('^/a|/b(?=\\n?$)');
    expect(matches('/a|/b', '/azzz')).toBe(true);
    expect(matches('/a|/b', 'zzz/b')).toBe(true);
    expect(matches('/a|/b', '/bz')).toBe(false);
    expect(matches('/(a|b)', '/azzz')).toBe(false);
  });

  it('lets $ match before a final newline, and . match newlines and any byte (DOTALL, no UTF)', () => {
    expect(matches('/x', '/x\n')).toBe(true);
    expect(matches('/x', '/x\n\n')).toBe(false);
    expect(matches('/x$', '/x\n')).toBe(true);
    expect(matches('/x\\z', '/x\n')).toBe(false);
    expect(matches('/.*', '/a\nb')).toBe(true);
    expect(matches('/.', '/\xff')).toBe(true);
    expect(matches('/..', '/\xc3\xa9')).toBe(true);
  });

  it('reads classes as PCRE does: ] first is literal, POSIX names, escapes, \\s without 0xA0', () => {
    expect(matches('/[]x]+', '/]x]')).toBe(true);
    expect(matches('/[^]x]', '/y')).toBe(true);
    expect(matches('/[^]x]', '/]')).toBe(false);
    expect(matches('/[[:digit:]_]+', '/1_2')).toBe(true);
    expect(matches('/[[:alpha:]]', '/1')).toBe(false);
    expect(matches('/a\\sb', '/a b')).toBe(true);
    expect(matches('/a\\sb', '/a\xa0b')).toBe(false);
    expect(matches('/[\\d-]+', '/1-2')).toBe(true);
    expect(matches('/\\w+', '/\xe9')).toBe(false);
    expect(matches('/\\x41\\Q.*\\E', '/A.*')).toBe(true);
    expect(matches('/a{2}b{1,}c{,2}', '/aabc{,2}')).toBe(true);
  });

  it('rejects what PCRE2 rejects, and what it accepts but cannot be translated', () => {
    expect(error('/a(')).toEqual({ kind: 'invalid', message: 'missing closing parenthesis' });
    expect(error('/a)')).toEqual({ kind: 'invalid', message: 'unmatched closing parenthesis' });
    expect(error('*a')).toEqual({ kind: 'invalid', message: 'quantifier does not follow a repeatable item' });
    expect(error('/[z-a]')?.message).toBe('range out of order in character class');
    expect(error('/[abc')?.message).toBe('missing terminating ] for character class');
    expect(error('/\\y')?.message).toBe('unrecognized character follows \\: y');
    expect(error('/x{3,2}')?.message).toBe('numbers out of order in {} quantifier');
    expect(error('/(a)\\1')?.kind).toBe('unsupported');
    expect(error('/(?>a)')?.kind).toBe('unsupported');
    expect(error('/(?i)a')?.kind).toBe('unsupported');
    expect(error('/a*+')?.kind).toBe('unsupported');
    expect(error('/a(?#comment)b')).toBeUndefined();
  });

  it('finds the fixed prefix every match starts with', () => {
    expect(literalPrefix(parsePcre('/usr/lib(/.*)?'))).toBe('/usr/lib');
    expect(literalPrefix(parsePcre('/usr/libx?'))).toBe('/usr/lib');
    expect(literalPrefix(parsePcre('/usr/lib\\.so+'))).toBe('/usr/lib.so');
    expect(literalPrefix(parsePcre('/a|/b'))).toBe('');
  });

  it('generates examples that match', () => {
    let seed = 1;
    const rnd = { next: () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646 };
    for (const spec of ['/usr/lib(/.*)?', '/home/[^/]+/\\.ssh(/.*)?', '/var/run/[a-z]+\\.pid', '/dev/tty[0-9]*']) {
      for (let k = 0; k < 20; k++) expect(matches(spec, sampleMatch(parsePcre(spec), rnd)), spec).toBe(true);
    }
  });

  it('knows the bytes a match can begin with, or says it does not', () => {
    const lead = (spec: string, skip: number): string | undefined => {
      const t = firstBytes(parsePcre(spec).alts[0]!.slice(skip));
      return t && String.fromCharCode(...[...t.keys()].filter((c) => t[c] === 1));
    };
    expect(lead('/root/((www)|(web)|(public_html))(/.+)?', 6)).toBe('pw');
    expect(lead('/x/a?quota', 3)).toBe('aq');
    expect(lead('/x/[0-9]+.pid', 3)).toBe('0123456789');
    expect(lead('/x/(a|b*)c', 3)).toBe('abc');
    // Unknown: any byte, a possibly empty rest, an assertion.
    expect(lead('/x/.*', 3)).toBeUndefined();
    expect(lead('/x(/.*)?', 2)).toBeUndefined();
    expect(lead('/x/(a|)', 3)).toBeUndefined();
    expect(lead('/x/(?=a)a', 3)).toBeUndefined();
    // Every generated match of these specs begins (after the prefix) with a byte of the table.
    let seed = 7;
    const rnd = { next: () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646 };
    for (const spec of ['/root/((www)|(web)|(public_html))(/.*)?/logs(/.*)?', '/usr/lib/[^/]+/x', '/dev/(tty|pts)[0-9]*', '/a/b?c+(d|e)f']) {
      const tree = parsePcre(spec);
      const prefix = literalPrefix(tree);
      const table = firstBytes(tree.alts[0]!.slice(prefix.length))!;
      for (let k = 0; k < 50; k++) expect(table[sampleMatch(tree, rnd).charCodeAt(prefix.length)], spec).toBe(1);
    }
  });
});
