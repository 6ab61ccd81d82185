// The few WebAssembly names the project's loops use (the policy reader's kernel, the lint
// tokenizer): the project's TypeScript libs (ES2023, no DOM) do not declare them.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Memory {
    constructor(d: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  class Instance {
    constructor(m: Module, imports: object);
    readonly exports: object;
  }
}
