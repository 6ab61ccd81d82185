// The WebAssembly loops of avtabKernel.wat and the memory they work in. A
// fresh process reads a policy once, before V8 has compiled the JavaScript
// loops: the 100k+ rules then cost ~30 ms in the interpreter, ~3 ms here.
// The AvTab columns and the AvTabIndex tables of one policy live in one
// WebAssembly memory sized when the avtab is reached (pages never written
// cost nothing), so the typed arrays over it stay valid: it never grows.
// Without WebAssembly (or for a table too large for it), everything runs in
// JavaScript (avtab.ts, indexes.ts); the results are the same.
import { AVTAB_KERNEL_BASE64 } from './avtabKernel.wasm.js';

// The few WebAssembly names used here (the project's TypeScript libs do not declare them).
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Memory {
    constructor(d: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
  }
  class Instance {
    constructor(m: Module, imports: object);
    readonly exports: object;
  }
}

interface KernelExports {
  readEntries(at: number, end: number, n: number, ntypes: number, nclasses: number, src: number, tgt: number, cls: number, spec: number, data: number, i0: number): number;
  buildIndex(src: number, tgt: number, cls: number, n: number, slots: number, mask: number, next: number): number;
}

/** Bytes of the window the entries are copied through. */
export const KERNEL_WINDOW = 64 * 1024;
const PAGE = 64 * 1024;
/** A 32-bit memory tops out at 4 GB; stay well below. */
const MAX_BYTES = 2 ** 31;

let compiled: WebAssembly.Module | null | undefined;
let enabled = true;

/** Turns the WebAssembly loops off or on (tests compare both paths). */
export function useAvtabKernel(on: boolean): void {
  enabled = on;
}

function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(Uint8Array.from(atob(AVTAB_KERNEL_BASE64), (ch) => ch.charCodeAt(0))) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Room in one WebAssembly memory, handed out front to back. */
export class KernelArena {
  readonly kernel: KernelExports;
  readonly buffer: ArrayBuffer;
  private top = KERNEL_WINDOW;

  private constructor(mod: WebAssembly.Module, pages: number) {
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.kernel = new WebAssembly.Instance(mod, { porthole: { memory } }).exports as unknown as KernelExports;
    this.buffer = memory.buffer;
  }

  /** An arena of `bytes` (plus the window), or undefined when the kernel is off or unavailable. */
  static create(bytes: number): KernelArena | undefined {
    if (!enabled) return undefined;
    const total = KERNEL_WINDOW + bytes + 64;
    if (total > MAX_BYTES) return undefined;
    const mod = kernelModule();
    if (!mod) return undefined;
    try {
      return new KernelArena(mod, Math.ceil(total / PAGE));
    } catch {
      return undefined;
    }
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
    return new Uint8Array(this.buffer, 0, KERNEL_WINDOW);
  }
}

/** Bytes an AvTab of `n` entries takes in an arena (its columns), and its index. */
export function arenaColumnBytes(n: number): number {
  return 4 * (2 * n + 8) + 4 * n + 8;
}
export function arenaIndexBytes(n: number): number {
  return 4 * indexCapacity(n) + 4 * n + 16;
}

/** Slots of an AvTabIndex over n entries: a power of two, at least 2n. */
export function indexCapacity(n: number): number {
  let cap = 16;
  while (cap < n * 2) cap *= 2;
  return cap;
}
