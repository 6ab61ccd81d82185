// The WebAssembly loops of the policy reader (readerKernel.wat) and the memory
// they work in. A fresh process reads a policy once, before V8 has compiled
// the JavaScript loops: the 100k+ rules then cost ~30 ms in the interpreter,
// ~3 ms here, and the optimizing compiler's background work on those loops
// slows the main thread of a 2-CPU machine more than it saves.
// The AvTab columns and the AvTabIndex tables of one policy live in one
// WebAssembly memory sized when the avtab is reached (pages never written
// cost nothing), so the typed arrays over it stay valid: it never grows. The
// reader's own memory (the constraints are checked through its window) grows
// as the type attribute map, read last, needs.
// Without WebAssembly (or for a table too large for it), everything runs in
// JavaScript (avtab.ts, indexes.ts, readConstraints.ts, readRules.ts); the results are the same.
import { READER_KERNEL_BASE64 } from './readerKernel.wasm.js';

interface KernelExports {
  readEntries(at: number, end: number, n: number, ntypes: number, nclasses: number, src: number, tgt: number, cls: number, spec: number, data: number, i0: number): number;
  buildIndex(src: number, tgt: number, cls: number, n: number, slots: number, mask: number, next: number): number;
  readConstraints(at: number, end: number, n: number, vt: number, typeset: number): number;
  readMaps(at: number, end: number, n: number, limit: number, ends: number, list: number, k: number, cap: number): number;
  used: { value: number };
  scattered: { value: number };
  filled: { value: number };
  /** The highest value the name sets of the last readConstraints name, per kind, and the window offset of the map naming it. */
  topUser: { value: number };
  topUserAt: { value: number };
  topRole: { value: number };
  topRoleAt: { value: number };
  topType: { value: number };
  topTypeAt: { value: number };
}

/** Bytes of the window the entries are copied through. */
export const KERNEL_WINDOW = 64 * 1024;
const PAGE = 64 * 1024;
/** A 32-bit memory tops out at 4 GB; stay well below. */
const MAX_BYTES = 2 ** 31;

let compiled: WebAssembly.Module | null | undefined;
let enabled = true;

/** Turns the WebAssembly loops off or on (tests compare both paths). */
export function useReaderKernel(on: boolean): void {
  enabled = on;
}

function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(fromBase64(READER_KERNEL_BASE64)) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

function fromBase64(s: string): Uint8Array {
  const B = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (B) return B.from(s, 'base64');
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Room in one WebAssembly memory, handed out front to back. */
export class KernelArena {
  readonly kernel: KernelExports;
  buffer: ArrayBuffer;
  private top = KERNEL_WINDOW;
  private readonly memory: WebAssembly.Memory;
  private win: Uint8Array | undefined;

  private constructor(mod: WebAssembly.Module, pages: number, maximum: number) {
    this.memory = new WebAssembly.Memory({ initial: pages, maximum });
    this.kernel = new WebAssembly.Instance(mod, { porthole: { memory: this.memory } }).exports as unknown as KernelExports;
    this.buffer = this.memory.buffer;
  }

  /**
   * An arena of `bytes` (plus the window), or undefined when the kernel is off or unavailable.
   * Size it close to what will be used: V8 counts all of it as external memory, and a large
   * reservation sets off garbage collections. `growable`: grow() may add room later (which
   * invalidates every view of the old buffer).
   */
  static create(bytes: number, growable = false): KernelArena | undefined {
    if (!enabled) return undefined;
    const total = KERNEL_WINDOW + bytes + 64;
    if (total > MAX_BYTES) return undefined;
    const mod = kernelModule();
    if (!mod) return undefined;
    const pages = Math.ceil(total / PAGE);
    try {
      return new KernelArena(mod, pages, growable ? MAX_BYTES / PAGE : pages);
    } catch {
      return undefined;
    }
  }

  /** Adds room for at least `bytes` more (growable arenas); false when it cannot. */
  grow(bytes: number): boolean {
    const pages = Math.ceil(Math.max(bytes, this.buffer.byteLength) / PAGE);
    if (this.buffer.byteLength + pages * PAGE > MAX_BYTES) return false;
    try {
      this.memory.grow(pages);
    } catch {
      return false;
    }
    this.buffer = this.memory.buffer;
    this.win = undefined;
    return true;
  }

  /** Bytes from `at` to the end of the arena. */
  roomFrom(at: number): number {
    return this.buffer.byteLength - at;
  }

  /** Offset of `bytes` more bytes (8-aligned), or -1 when they do not fit. */
  take(bytes: number): number {
    const at = this.top;
    if (at + bytes > this.buffer.byteLength) return -1;
    this.top = (at + bytes + 7) & ~7;
    return at;
  }

  /** The window, to copy input into. */
  window(): Uint8Array {
    return (this.win ??= new Uint8Array(this.buffer, 0, KERNEL_WINDOW));
  }
}

/** Bytes an AvTab of `n` entries takes in an arena (its columns), and its index. */
export function arenaColumnBytes(n: number): number {
  return 4 * (2 * n + 8) + 4 * n + 8;
}
export function arenaIndexBytes(n: number): number {
  return 4 * indexCapacity(n) + 4 * n + 16;
}

/** Slots of an AvTabIndex over n entries: a power of two, at least 1.25n (keys are fewer than entries). */
export function indexCapacity(n: number): number {
  let cap = 16;
  while (cap < n * 1.25) cap *= 2;
  return cap;
}
