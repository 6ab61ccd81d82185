// Byte sources: what the line readers read. A source has a name (shown in
// every location) and opens as a stream of chunks. Files are read in 1 MB
// chunks, `.gz` files are gunzipped on the way, `-` is stdin; text, Node
// streams and (async) iterables of lines are sources too, for library users.
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** A named stream of bytes (a log, usually). */
export interface LogSource {
  /** Shown in locations: a path as given, `-` for stdin, or a name such as `<string>`. */
  name: string;
  /** Opens the bytes; called once per read. Errors name the source (`path` is set). */
  open(): AsyncIterable<Buffer | string>;
  /** Size in bytes when known, for progress. */
  size?: number;
  /** The path of a plain file as opened (not stdin, not gunzipped): readers may read it in byte ranges. */
  file?: string;
}

/**
 * What the library's readers take: a source, a path (`{ path }`, `-` is stdin),
 * text (`{ text }`), a Node stream, or an iterable or async iterable of lines
 * (without their newlines); or a list of these, read in order.
 */
export type LogInput = LogSource | { path: string; name?: string } | { text: string | Buffer; name?: string } | NodeJS.ReadableStream | Iterable<string> | AsyncIterable<string>;

/** A file (`.gz` gunzipped), or stdin for `-`. `name` is what locations show (default: the path). */
export function fileSource(path: string, opts: { name?: string; stdin?: NodeJS.ReadableStream } = {}): LogSource {
  const name = opts.name ?? path;
  if (path === '-') return { name, open: () => named(opts.stdin ?? process.stdin, name) };
  const gz = path.endsWith('.gz');
  let size: number | undefined;
  if (!gz) {
    try {
      size = statSync(path).size;
    } catch {
      // Reported when opened.
    }
  }
  const src: LogSource = {
    name,
    open: () => {
      const file = createReadStream(path, { highWaterMark: 1024 * 1024 });
      if (!gz) return named(file, name);
      // pipe() does not pass the file's errors on: a missing .gz would look empty.
      const gunzip = createGunzip();
      file.on('error', (e) => gunzip.destroy(e));
      return named(file.pipe(gunzip), name);
    },
  };
  if (size !== undefined) {
    src.size = size;
    src.file = path;
  }
  return src;
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
