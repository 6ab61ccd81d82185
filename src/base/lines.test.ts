import { describe, expect, it } from 'vitest';
import { LineSplitter, MAX_LINE_BYTES } from './lines.js';

function split(chunks: Buffer[]): { lines: string[]; long: Array<[number, number]> } {
  const lines: string[] = [];
  const long: Array<[number, number]> = [];
  const s = new LineSplitter(
    (buf, start, end, n) => lines.push(`${n}:${buf.toString('utf8', start, end)}`),
    (n, bytes) => long.push([n, bytes]),
  );
  for (const c of chunks) s.push(c);
  s.end();
  return { lines, long };
}

describe('LineSplitter', () => {
  it('splits lines across chunk boundaries and strips \\r', () => {
    const text = 'one\r\ntwo\n\nthree';
    for (let cut = 0; cut <= text.length; cut++) {
      const b = Buffer.from(text);
      expect(split([b.subarray(0, cut), b.subarray(cut)]).lines).toEqual(['1:one', '2:two', '3:', '4:three']);
    }
  });

  it('reports a line over the limit and goes on', () => {
    const big = Buffer.alloc(MAX_LINE_BYTES + 10, 0x61);
    const { lines, long } = split([Buffer.from('a\n'), big.subarray(0, 1000), big.subarray(1000), Buffer.from('\nb\n')]);
    expect(lines).toEqual(['1:a', '3:b']);
    expect(long).toEqual([[2, MAX_LINE_BYTES + 10]]);
  });
});
