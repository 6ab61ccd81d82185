// How commands report problems: one printer (FILE:LINE:COL: severity[code]: message, notes
// indented), JSON lines with --json, exit 2 for usage and 1 for the rest.
import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { tempDir } from '../support/tempDir.js';

const AVC = 'type=AVC msg=audit(1700000000.1:1): avc:  denied  { read } for  pid=1 comm="x" scontext=system_u:system_r:a_t:s0 tcontext=system_u:object_r:b_t:s0 tclass=file permissive=0\n';
const scratch = tempDir('messages');

async function porthole(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: scratch.path, stdin: Readable.from([Buffer.from(stdin)]) });
  const code = await run(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('diagnostics from the commands', () => {
  it('bare porthole prints the usage on stderr and exits 2; --help prints it on stdout and exits 0', async () => {
    const bare = await porthole([]);
    expect(bare.code).toBe(2);
    expect(bare.out).toBe('');
    expect(bare.err).toMatch(/^Usage: porthole \[options\] \[command\]/);
    const help = await porthole(['--help']);
    expect(help).toMatchObject({ code: 0, err: '' });
    expect(help.out).toBe(bare.err);
  });

  it('a write failure says cannot write, with the file', async () => {
    writeFileSync(scratch.join('a.log'), AVC);
    expect(await porthole(['allow', '-i', 'a.log', '-o', 'no-such-dir/out.te'])).toEqual({
      code: 1,
      out: '',
      err: 'porthole: error[file-write]: cannot write no-such-dir/out.te: no such file or directory\n',
    });
  });

  it('a truncated or missing .gz names the file', async () => {
    writeFileSync(scratch.join('cut.log.gz'), gzipSync(AVC.repeat(100)).subarray(0, 30));
    const cut = await porthole(['allow', 'cut.log.gz']);
    expect(cut.code).toBe(1);
    expect(cut.err).toMatch(/^porthole: error\[file-read\]: cannot read cut\.log\.gz: not a valid gzip stream \(unexpected end of file\) at compressed byte 30 \(the end\)\n$/);
    expect(await porthole(['avc', 'missing.log.gz'])).toEqual({ code: 1, out: '', err: 'porthole: error[file-read]: cannot read missing.log.gz: no such file or directory\n' });
  });

  it('a missing or unusable policy is named as typed, by every command that reads one', async () => {
    const gone = (name: string) => ({ code: 1, out: '', err: `porthole: error[file-read]: cannot read ${name}: no such file or directory\n` });
    expect(await porthole(['policy', 'info', 'nope.pp'])).toEqual(gone('nope.pp'));
    expect(await porthole(['policy', 'search', '--allow', 'nope.33'])).toEqual(gone('nope.33'));
    expect(await porthole(['why', '--policy', './nope.33', '-i', 'missing.log'])).toEqual(gone('./nope.33'));
    expect(await porthole(['policy', 'info', '.'])).toEqual({ code: 1, out: '', err: 'porthole: error[file-read]: cannot read .: is a directory\n' });
  });

  it('--json prints diagnostics as JSON lines on stderr', async () => {
    const r = await porthole(['allow', '--json', '-i', 'missing.log']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.err)).toEqual({ severity: 'error', code: 'file-read', message: 'cannot read missing.log: no such file or directory', notes: [] });
    const usage = await porthole(['allow', '--json', '-M', 'x', '-m', 'y']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.err)).toMatchObject({ code: 'usage', message: '--module-package conflicts with --module' });
  });

  it('--debug tells what was read and learned', async () => {
    writeFileSync(scratch.join('b.log'), AVC + AVC);
    const r = await porthole(['allow', '--debug', '-m', 'm', 'b.log']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^debug: +\d+ ms: read \d+ bytes, 2 lines, 2 audit records, 0 malformed\ndebug: +\d+ ms: learned module m: 1 statement \(1 allow\), requires 2 types, 1 class, 0 roles\n$/);
  });
});
