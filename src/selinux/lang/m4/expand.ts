// One m4 run as the command line runs it: -D/-U in order, then each input
// file (`-` for standard input), then the wrapped-up text and the diversions.
import { M4Engine, type M4Options, type M4Result } from './engine.js';

/** One input: a file to read (found as m4 finds it), or text with the name it goes by. */
export type M4Input = string | { name: string; text: string };

export interface ExpandM4Options extends M4Options {
  /** -D NAME[=VALUE] and -U NAME, in command-line order. */
  defines?: readonly ({ define: string; value?: string } | { undefine: string })[];
}

/** Expands the inputs as `m4 [-s] [-I DIR]... [-D NAME=VALUE]... FILE...` would. */
export function expandM4(inputs: readonly M4Input[], opts: ExpandM4Options = {}): M4Result {
  const m = new M4Engine(opts);
  for (const d of opts.defines ?? []) {
    if ('define' in d) m.define(d.define, d.value ?? '');
    else m.undefine(d.undefine);
  }
  for (const input of inputs) {
    if (typeof input === 'string') m.processFile(input);
    else m.processText(input.name, input.text);
  }
  return m.finish();
}
