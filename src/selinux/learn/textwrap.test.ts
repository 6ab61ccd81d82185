import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../test/gen/prng.js';
import { describeOracle, SYSTEM_PYTHON } from '../../../test/oracle/support/oracles.js';
import { wrapText } from './textwrap.js';

// audit2allow -e formatting of one raw audit line.
const wrapAuditLine = (line: string): string[] => wrapText('message="' + line + '"', 80, '  ', '   ');

const AVC_LINE =
  'type=AVC msg=audit(1700000000.123:4567): avc:  denied  { read write } for  pid=1234 comm="httpd" ' +
  'name="index.html" dev="dm-0" ino=98765 scontext=system_u:system_r:httpd_t:s0-s0:c0.c1023 ' +
  'tcontext=unconfined_u:object_r:user_home_t:s0 tclass=file permissive=0\n';

describe('wrapText', () => {
  it('wraps an audit line the way audit2allow -e does', () => {
    expect(wrapAuditLine(AVC_LINE)).toEqual([
      '  message="type=AVC msg=audit(1700000000.123:4567): avc:  denied  { read write }',
      '   for  pid=1234 comm="httpd" name="index.html" dev="dm-0" ino=98765',
      '   scontext=system_u:system_r:httpd_t:s0-s0:c0.c1023',
      '   tcontext=unconfined_u:object_r:user_home_t:s0 tclass=file permissive=0 "',
    ]);
  });

  it('returns no lines for empty or blank text', () => {
    expect(wrapText('', 80)).toEqual([]);
    expect(wrapText(' \t\n ', 80, '  ')).toEqual([]);
  });

  it('keeps leading whitespace on the first line only', () => {
    expect(wrapText('  a b', 3)).toEqual(['  a', 'b']);
  });

  it('breaks hyphenated words between letters only', () => {
    expect(wrapText('goof-ball goof-ball', 12)).toEqual(['goof-ball', 'goof-ball']);
    expect(wrapText('aaaa goof-ball', 10)).toEqual(['aaaa goof-', 'ball']);
    expect(wrapText('aaaa s0-s0:c0', 10)).toEqual(['aaaa', 's0-s0:c0']);
  });

  it('splits em-dashes between words', () => {
    expect(wrapText('Look, goof-ball -- use the -b option!', 16)).toEqual(['Look, goof-ball', '-- use the -b', 'option!']);
    expect(wrapText('wordy--word', 6)).toEqual(['wordy', '--word']);
  });

  it('breaks long words, preferring the last hyphen', () => {
    expect(wrapText('x'.repeat(25), 10)).toEqual(['xxxxxxxxxx', 'xxxxxxxxxx', 'xxxxx']);
    expect(wrapText('a1-b2-c3-d4-e5', 7)).toEqual(['a1-b2-', 'c3-d4-', 'e5']);
  });

  it('expands tabs by column, resetting at newlines', () => {
    expect(wrapText('a\tb\nc\td', 80)).toEqual(['a       b c       d']);
  });

  it('treats \\x1d and other Unicode spaces as words that strip to nothing', () => {
    // Not a break point, but dropped at line edges like whitespace (only one
    // chunk is dropped, so the following space survives).
    expect(wrapText('aaa \x1d bbb', 4)).toEqual(['aaa', ' bbb']);
    expect(wrapText('aaa\x1dbbb', 80)).toEqual(['aaa\x1dbbb']);
  });

  it('counts code points, not UTF-16 units', () => {
    expect(wrapText('😀😀😀 b', 4)).toEqual(['😀😀😀', 'b']);
    expect(wrapText('😀'.repeat(5), 2)).toEqual(['😀😀', '😀😀', '😀']);
  });

  it('keeps a trailing space when a long word gets an empty slice', () => {
    expect(wrapText('tml" dev="dm-0"', 5)).toEqual(['tml" ', 'dev="', 'dm-0"']);
  });

  it('terminates where Python would loop forever (indent >= width, leading space)', () => {
    expect(wrapText(' a', 2, '   ')).toEqual(['   a']);
  });

  it('rejects non-positive widths', () => {
    expect(() => wrapText('a', 0)).toThrow(RangeError);
  });
});

const FRAGMENTS = [
  'type=AVC',
  'msg=audit(1700000000.123:4567):',
  'avc:',
  ' denied ',
  '{ read write }',
  'for',
  'pid=1234',
  'comm="httpd"',
  'name="a b"',
  'scontext=system_u:system_r:httpd_t:s0-s0:c0.c1023',
  'tclass=file',
  'path=/var/lib/some-long-directory-name/file-name.txt',
  'exe="/usr/sbin/httpd"',
  'proctitle=2F7573722F7362696E',
  'a-b',
  'goof-ball',
  'well-known-thing',
  'x--y',
  'wordy--word',
  '--',
  '---',
  '-',
  '-b',
  'a-',
  '-a',
  'é-à',
  'über-straße',
  'naïve',
  'Ω-Ω-Ω',
  '日本語',
  'καλημέρα',
  '😀',
  '²-³',
  '_-_',
  '1-2',
  'a1-b2',
  "it's--",
  '!--x',
  '?--é',
  '\x1d',
  '\x1c',
  '\x1e',
  '\x1f',
  '\xa0',
  '\u2003',
  '\x85',
  '\u3000',
  '\ufeff',
  '\u0301',
  'e\u0301-e\u0301',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\x0b',
  '\x0c',
  '"',
  "'",
  '.',
  ',',
  '=',
  ':',
];

function randomText(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const roll = rand();
  // Occasionally a very long unbreakable token.
  if (roll < 0.08) return pick(['', ' ']) + 'k'.repeat(40 + Math.floor(rand() * 200)) + pick(['', '-x', '\n']);
  let text = '';
  const count = Math.floor(rand() * 40);
  for (let i = 0; i < count; i++) {
    text += pick(FRAGMENTS);
    if (rand() < 0.6) text += pick([' ', ' ', '  ', '\t', '']);
  }
  return text;
}

function buildCases(): { text: string; width: number; initial: string; subsequent: string }[] {
  const rng = new Rng(0x5e11a);
  const rand = (): number => rng.next();
  const texts = ['', '\n', AVC_LINE, 'message="' + AVC_LINE + '"', '\x1d', 'a\x1db'];
  for (let i = 0; i < 300; i++) texts.push(randomText(rand));
  const cases = [];
  for (const text of texts) {
    cases.push({ text: 'message="' + text + '"', width: 80, initial: '  ', subsequent: '   ' });
    for (const width of [1, 5, 12, 30]) cases.push({ text, width, initial: '', subsequent: '' });
    cases.push({ text, width: 20, initial: '> ', subsequent: '    ' });
  }
  return cases;
}

const PY_SCRIPT = `
import json, sys, textwrap
cases = json.load(sys.stdin)
json.dump([textwrap.wrap(c["text"], c["width"], initial_indent=c["initial"], subsequent_indent=c["subsequent"]) for c in cases], sys.stdout)
`;

describeOracle('wrapText matches CPython textwrap.wrap', () => {
  it('on random and audit-like input', () => {
    const cases = buildCases();
    const result = spawnSync(SYSTEM_PYTHON, ['-c', PY_SCRIPT], {
      input: JSON.stringify(cases),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(result.status, result.stderr).toBe(0);
    const expected = JSON.parse(result.stdout) as string[][];
    expect(expected.length).toBe(cases.length);
    cases.forEach((c, i) => {
      expect(wrapText(c.text, c.width, c.initial, c.subsequent), JSON.stringify(c)).toEqual(expected[i]);
    });
  });
}, ['python']);
