import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipAll } from '../../../test/support/gunzipAll.js';
import { GZIP_SLICE } from './gunzip.js';

const one = gzipSync('one\n');
const two = gzipSync('two\n');
const cat = (...b: (Buffer | string)[]): Buffer => Buffer.concat(b.map((x) => (typeof x === 'string' ? Buffer.from(x, 'latin1') : x)));

describe('gzip members as gzip -d reads them', () => {
  it('reads concatenated members, whatever the chunks', async () => {
    for (const chunk of [1, 3, 7, 1000]) expect(await gunzipAll(cat(one, two, one), chunk)).toEqual({ data: Buffer.from('one\ntwo\none\n'), warnings: [] });
  });

  it('ignores zero bytes after the last member, silently', async () => {
    for (const chunk of [1, 100]) expect(await gunzipAll(cat(one, Buffer.alloc(10)), chunk)).toEqual({ data: Buffer.from('one\n'), warnings: [] });
  });

  it('keeps every member before trailing garbage and warns once, naming the file and offset', async () => {
    for (const chunk of [1, 5, 1000]) {
      const r = await gunzipAll(cat(one, two, 'garbage', one), chunk);
      expect(r.data.toString()).toBe('one\ntwo\n');
      expect(r.error).toBeUndefined();
      expect(r.warnings).toHaveLength(1);
      expect(r.warnings[0]).toMatchObject({ severity: 'warning', code: 'trailing-garbage', data: { file: 'f.gz', offset: one.length + two.length, members: 2 } });
      expect(r.warnings[0]!.message).toContain('f.gz');
    }
    // As gzip: zeros and then anything, a member included, are garbage; so is a zip header.
    expect(await gunzipAll(cat(one, '\0\0', two))).toMatchObject({ data: Buffer.from('one\n'), warnings: [{ data: { offset: one.length } }] });
    expect(await gunzipAll(cat(one, 'PK\x03\x04abc'))).toMatchObject({ data: Buffer.from('one\n'), warnings: [{ code: 'trailing-garbage' }] });
  });

  it('fails, after the data before it, on a lone byte, a cut or corrupt member, an unknown method or flags', async () => {
    const cases: [Buffer, string, number][] = [
      [cat(one, 'x'), 'one\n', one.length + 1],
      [cat(one, '\x1f\x8b'), 'one\n', one.length + 2],
      [cat(one, '\x1f\x8b\x07'), 'one\n', one.length + 2],
      [cat(one, '\x1f\x8b\x08\x40\0\0\0\0\0\0'), 'one\n', one.length + 3],
      [cat(one, '\x1f\x9dabc'), 'one\n', one.length],
      [cat(one, two.subarray(0, two.length - 3)), 'one\ntwo\n', one.length + two.length - 3],
      [cat(one, two.subarray(0, two.length - 8), Buffer.from([two[two.length - 8]! ^ 1]), two.subarray(two.length - 7)), 'one\ntwo\n', one.length + two.length - 8],
    ];
    for (const [bytes, data, offset] of cases) {
      const r = await gunzipAll(bytes);
      expect(r.data.toString()).toBe(data);
      expect(r.warnings).toEqual([]);
      expect(r.error).toMatchObject({ code: 'file-read', data: { file: 'f.gz', offset } });
    }
  });

  it('reads header fields (extra, name, comment, header CRC) and the old magic 1f 9e', async () => {
    // FEXTRA "ab", FNAME "n", FCOMMENT "c", FHCRC, as `gzip` does not write them but RFC 1952 allows.
    const body = one.subarray(10);
    const head = Buffer.from([0x1f, 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3, 2, 0, 0x61, 0x62, 0x6e, 0, 0x63, 0]);
    const { crc32 } = await import('node:zlib');
    const hcrc = Buffer.alloc(2);
    hcrc.writeUInt16LE(crc32(head) & 0xffff);
    expect((await gunzipAll(cat(head, hcrc, body, two), 1)).data.toString()).toBe('one\ntwo\n');
    hcrc[0]! ^= 1;
    expect((await gunzipAll(cat(head, hcrc, body))).error).toMatchObject({ code: 'file-read', data: { offset: head.length } });
    expect((await gunzipAll(cat(one, '\x1f\x9e', two.subarray(2)))).data.toString()).toBe('one\ntwo\n');
  });

  it('streams a member larger than a slice, in order', async () => {
    const text = Buffer.from(Array.from({ length: 40000 }, (_, i) => `line ${i * 7919}\n`).join(''));
    const gz = gzipSync(text, { level: 1 });
    expect(gz.length).toBeGreaterThan(GZIP_SLICE);
    expect((await gunzipAll(cat(gz, gz, 'junk'), 10000)).data.equals(cat(text, text))).toBe(true);
  });
});
