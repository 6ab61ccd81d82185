// Byte sources: what the line readers read. A source has a name (shown in
// every location) and opens as a stream of chunks. Files are read in 1 MB
// chunks, gzip data (told by its magic bytes, whatever the name) is gunzipped
// on the way as `gzip -d` does (gunzip.ts: concatenated members, trailing
// garbage a warning given to `onWarning`), `-` is stdin; text, Node streams
// and (async) iterables of lines are sources too, for library users. A file
// or stdin stops with an `input-too-large` error past a size limit (counted
// after decompression), so that a small gzip cannot become an endless input.
import { closeSync, createReadStream, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { type Diagnostic, fail } from './diagnostic.js';
import { gunzipMembers } from './gzip/gunzip.js';
import { MAX_LOG_BYTES, MAX_WHOLE_FILE_BYTES } from './limits.js';

/** A named stream of bytes (a log, usually). */
export interface LogSource {
  /** Shown in locations: a path as given, `-` for stdin, or a name such as `<string>`. */
  name: string;
  /** Opens the bytes; called once per read. Errors name the source (`path` is set). */
  open(): AsyncIterable<Buffer | string>;
  /** Size in bytes when known, for progress. */
  size?: number;
  /** The path of a file as opened (not stdin, within its size limit): readers may read it in byte ranges when it is not gzip data. */
  file?: string;
}

/**
 * What the library's readers take: a source, a path (`{ path }`, `-` is stdin),
 * text (`{ text }`), a Node stream, or an iterable or async iterable of lines
 * (without their newlines); or a list of these, read in order.
 */
export type LogInput = LogSource | { path: string; name?: string } | { text: string | Buffer; name?: string } | NodeJS.ReadableStream | Iterable<string> | AsyncIterable<string>;

export interface FileSourceOptions {
  /** What locations show (default: the path). */
  name?: string;
  /** Read for `-` (default: process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Bytes read (after decompression) before an `input-too-large` error (default MAX_LOG_BYTES, 4 GiB). */
  maxBytes?: number;
  /** Told of problems the read goes on after (trailing garbage after gzip data), once per source however often it is opened. */
  onWarning?: (d: Diagnostic) => void;
}

/** A file (gunzipped when it is gzip data), or stdin for `-`. */
export function fileSource(path: string, opts: FileSourceOptions = {}): LogSource {
  const name = opts.name ?? path;
  const max = opts.maxBytes ?? MAX_LOG_BYTES;
  let warned = false;
  const warn = (d: Diagnostic): void => {
    if (!warned) opts.onWarning?.(d);
    warned = true;
  };
  if (path === '-') return { name, open: () => readBytes(named(opts.stdin ?? process.stdin, name), name, max, warn) };
  let size: number | undefined;
  if (!path.endsWith('.gz')) {
    try {
      size = statSync(path).size;
    } catch {
      // Reported when opened.
    }
  }
  const src: LogSource = { name, open: () => readBytes(named(createReadStream(path, { highWaterMark: 1024 * 1024 }), name), name, max, warn) };
  if (size !== undefined) {
    src.size = size;
    // Over the limit, the one reader says so.
    if (size <= max) src.file = path;
  }
  return src;
}

const toBuffer = (c: Buffer | string): Buffer => (typeof c === 'string' ? Buffer.from(c) : c);

/** The stream's bytes, gunzipped when they start with gzip's magic bytes, stopped past `max`. */
async function* readBytes(stream: AsyncIterable<Buffer | string>, name: string, max: number, warn: (d: Diagnostic) => void): AsyncGenerator<Buffer> {
  const it = stream[Symbol.asyncIterator]();
  try {
    let head: Buffer = Buffer.alloc(0);
    while (head.length < 2) {
      const n = await it.next();
      if (n.done) break;
      head = head.length === 0 ? toBuffer(n.value) : Buffer.concat([head, toBuffer(n.value)]);
    }
    if (head.length === 0) return;
    async function* raw(): AsyncGenerator<Buffer> {
      yield head;
      for (let n = await it.next(); !n.done; n = await it.next()) yield toBuffer(n.value);
    }
    const gzip = head[0] === 0x1f && head[1] === 0x8b;
    let total = 0;
    for await (const chunk of gzip ? gunzipMembers(raw(), name, warn) : raw()) {
      total += chunk.length;
      if (total > max) {
        fail('input-too-large', `${name} holds more than ${max} bytes${gzip ? ' once decompressed' : ''}: read stopped`, {
          notes: [RAISE_HINT],
          data: { file: name, limit: max },
        });
      }
      yield chunk;
    }
  } finally {
    await it.return?.();
  }
}

/** Text (or bytes) as a source. */
export function textSource(text: string | Buffer, name = '<string>'): LogSource {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  return {
    name,
    size: bytes.length,
    open: async function* () {
      yield bytes;
    },
  };
}

/** A stream of bytes (read once). */
export function streamSource(stream: NodeJS.ReadableStream, name = '<stream>'): LogSource {
  return { name, open: () => named(stream, name) };
}

/** Lines (without newlines), sync or async, as a source. */
export function linesSource(lines: Iterable<string> | AsyncIterable<string>, name = '<lines>'): LogSource {
  return {
    name,
    open: async function* () {
      for await (const line of lines) yield `${line}\n`;
    },
  };
}

/** Every input as a source, in order. */
export function toLogSources(input: LogInput | readonly LogInput[]): LogSource[] {
  if (Array.isArray(input)) return (input as readonly LogInput[]).map(toLogSource);
  return [toLogSource(input as LogInput)];
}

function toLogSource(input: LogInput): LogSource {
  if (typeof input === 'string') throw new TypeError('a log input is { path }, { text }, a stream or an iterable of lines, not a plain string');
  if (isSource(input)) return input;
  if ('path' in input && typeof input.path === 'string') return fileSource(input.path, input.name !== undefined ? { name: input.name } : {});
  if ('text' in input && (typeof input.text === 'string' || Buffer.isBuffer(input.text))) return textSource(input.text, input.name);
  if (input instanceof Readable || typeof (input as NodeJS.ReadableStream).pipe === 'function') return streamSource(input as NodeJS.ReadableStream);
  if (Symbol.asyncIterator in input || Symbol.iterator in input) return linesSource(input as Iterable<string> | AsyncIterable<string>);
  throw new TypeError('not a log input: give { path }, { text }, a stream or an iterable of lines');
}

function isSource(x: object): x is LogSource {
  return typeof (x as LogSource).open === 'function' && typeof (x as LogSource).name === 'string';
}

/** The stream, with its errors naming the source as the user named it (Node's read errors carry the resolved path or none, zlib's no file). */
function named(stream: NodeJS.ReadableStream, path: string): AsyncIterable<Buffer | string> {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    e.path = path;
  });
  return stream as AsyncIterable<Buffer | string>;
}

const RAISE_HINT = '--max-input-size raises the limit (a number of bytes, or with K, M, G or T)';

/**
 * The bytes of an open file read whole, at most `max` (default
 * MAX_WHOLE_FILE_BYTES, 64 MiB): past it, an `input-too-large` error naming
 * the file and the limit. For what has no size to go by (a pipe, a device
 * such as /dev/zero) as much as for regular files.
 */
export function readWholeFd(fd: number, name: string, max = MAX_WHOLE_FILE_BYTES, hint = RAISE_HINT): Buffer {
  const tooLarge = (): never =>
    fail('input-too-large', `${name} is larger than ${max} bytes, the limit for a file read whole`, {
      notes: [hint],
      data: { file: name, limit: max },
    });
  const st = fstatSync(fd);
  if (st.isFile() && st.size > max) tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(Math.min(1024 * 1024, max + 1 - total));
    const got = readSync(fd, buf, 0, buf.length, null);
    if (got === 0) break;
    chunks.push(buf.subarray(0, got));
    total += got;
    if (total > max) tooLarge();
  }
  return Buffer.concat(chunks, total);
}

/** The bytes of the file at `path` read whole, as readWholeFd reads them. */
export function readWholeFile(path: string, name = path, max = MAX_WHOLE_FILE_BYTES, hint = RAISE_HINT): Buffer {
  const fd = openSync(path, 'r');
  try {
    return readWholeFd(fd, name, max, hint);
  } finally {
    closeSync(fd);
  }
}
