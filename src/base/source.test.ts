import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/tempDir.js';
import { PortholeError } from './diagnostic.js';
import { LineSplitter } from './lines.js';
import { fileSource, type LogInput, type LogSource, readWholeFile, toLogSources } from './source.js';

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
    await expect(linesOf(fileSource(join(dir, 'cut.gz'), { name: 'cut.gz' }))).rejects.toMatchObject({ code: 'file-read', diagnostics: [{ data: { file: 'cut.gz', offset: 20 } }] });
  });
});

describe('hostile sources', () => {
  const dir = tempDir('source-hostile').path;
  const code = async (p: Promise<unknown>): Promise<{ code: string; data?: unknown; message: string }> => {
    try {
      await p;
    } catch (e) {
      const d = (e as PortholeError).diagnostics[0]!;
      return { code: d.code, data: d.data, message: d.message };
    }
    throw new Error('no error');
  };

  it('knows gzip by its magic bytes, whatever the name, on stdin too, and reads concatenated members', async () => {
    const two = Buffer.concat([gzipSync('x\n'), gzipSync('y\n')]);
    writeFileSync(join(dir, 'plain'), two);
    expect(await linesOf(fileSource(join(dir, 'plain')))).toEqual(['x', 'y']);
    expect(await linesOf(fileSource('-', { stdin: Readable.from([two.subarray(0, 1), two.subarray(1)]) }))).toEqual(['x', 'y']);
  });

  it('names the file and the compressed bytes of a gzip error', async () => {
    const gz = gzipSync('a line\n'.repeat(1000));
    writeFileSync(join(dir, 'cut'), gz.subarray(0, gz.length - 10));
    const e = await code(linesOf(fileSource(join(dir, 'cut'), { name: 'cut' })));
    expect(e.code).toBe('file-read');
    expect(e.message).toContain('cut');
    expect(e.data).toMatchObject({ file: 'cut' });
  });

  it('stops past the size limit, counted after decompression', async () => {
    writeFileSync(join(dir, 'bomb'), gzipSync(Buffer.alloc(1 << 20, 0x61)));
    const e = await code(linesOf(fileSource(join(dir, 'bomb'), { name: 'bomb', maxBytes: 1000 })));
    expect(e).toMatchObject({ code: 'input-too-large', data: { file: 'bomb', limit: 1000 } });
    expect((await linesOf(fileSource(join(dir, 'bomb'), { maxBytes: 2 << 20 }))).length).toBe(1);
  });

  it('reads a file whole up to a limit, devices included', () => {
    writeFileSync(join(dir, 'small'), 'abc');
    expect(readWholeFile(join(dir, 'small')).toString()).toBe('abc');
    expect(() => readWholeFile(join(dir, 'small'), 'small', 2)).toThrow(PortholeError);
    expect(() => readWholeFile('/dev/zero', '/dev/zero', 1 << 20)).toThrow(/larger than 1048576 bytes/);
  });
});
