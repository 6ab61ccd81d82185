import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/tempDir.js';
import { LineSplitter } from './lines.js';
import { fileSource, type LogInput, type LogSource, toLogSources } from './source.js';

async function linesOf(source: LogSource): Promise<string[]> {
  const got: string[] = [];
  const splitter = new LineSplitter((b, s, e) => got.push(b.toString('utf8', s, e)));
  for await (const chunk of source.open()) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  splitter.end();
  return got;
}

describe('log sources', () => {
  const dir = tempDir('source').path;

  it('reads plain and gzipped files and stdin', async () => {
    writeFileSync(join(dir, 'a.log'), 'x\ny\n');
    writeFileSync(join(dir, 'a.log.gz'), gzipSync('x\ny\n'));
    for (const f of ['a.log', 'a.log.gz']) expect(await linesOf(fileSource(join(dir, f)))).toEqual(['x', 'y']);
    expect(fileSource(join(dir, 'a.log')).size).toBe(4);
    expect(await linesOf(fileSource('-', { stdin: Readable.from([Buffer.from('p\nq')]) }))).toEqual(['p', 'q']);
  });

  it('takes paths, text, streams and iterables of lines', async () => {
    writeFileSync(join(dir, 'b.log'), 'b1\nb2\n');
    async function* gen(): AsyncIterable<string> {
      yield 'g1';
      yield 'g2';
    }
    const inputs: LogInput[] = [{ path: join(dir, 'b.log'), name: 'b.log' }, { text: 't1\nt2' }, Readable.from([Buffer.from('s1\n')]), ['l1', 'l2'], gen()];
    const sources = toLogSources(inputs);
    expect(sources.map((s) => s.name)).toEqual(['b.log', '<string>', '<stream>', '<lines>', '<lines>']);
    const all = [];
    for (const s of sources) all.push(...(await linesOf(s)));
    expect(all).toEqual(['b1', 'b2', 't1', 't2', 's1', 'l1', 'l2', 'g1', 'g2']);
    expect(() => toLogSources('audit.log' as unknown as LogInput)).toThrow(/not a plain string/);
  });

  it('names the file in read errors, for a missing file and for a missing or truncated .gz', async () => {
    await expect(linesOf(fileSource(join(dir, 'missing.log'), { name: 'missing.log' }))).rejects.toMatchObject({ code: 'ENOENT', path: 'missing.log' });
    await expect(linesOf(fileSource(join(dir, 'missing.gz'), { name: 'missing.gz' }))).rejects.toMatchObject({ code: 'ENOENT', path: 'missing.gz' });
    writeFileSync(join(dir, 'cut.gz'), gzipSync('x\n'.repeat(1000)).subarray(0, 20));
    await expect(linesOf(fileSource(join(dir, 'cut.gz'), { name: 'cut.gz' }))).rejects.toMatchObject({ code: 'Z_BUF_ERROR', path: 'cut.gz' });
  });
});
