// What a user macro's definition becomes when called: $0..$N, $#, $* and $@
// replaced by the call's arguments (GNU m4: several digits after $ make one
// number), the arguments joined as shift, errprint and m4wrap join them, and
// numbers read as m4 reads them (C's strtol).
import type { M4Location } from './engine.js';

/** A stretch of an expansion that came from an argument, and where that argument was written. */
export interface Segment {
  start: number;
  end: number;
  site: M4Location;
}

/** The expansion of a user macro: $0..$N (several digits), $#, $*, $@. */
export function expandUser(text: string, args: readonly string[], lq: string, rq: string): string {
  let i = text.indexOf('$');
  if (i === -1) return text;
  let out = '';
  let from = 0;
  const n = text.length;
  while (i !== -1) {
    out += text.slice(from, i);
    const c = text.charCodeAt(i + 1);
    if (c >= 48 && c <= 57) {
      let j = i + 1;
      let k = 0;
      while (j < n && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) {
        k = k * 10 + (text.charCodeAt(j) - 48);
        j++;
      }
      if (k < args.length) out += args[k];
      from = j;
    } else if (c === 35) {
      out += String(args.length - 1);
      from = i + 2;
    } else if (c === 42 || c === 64) {
      out += dumpArgs(args, ',', c === 64 ? lq : '', c === 64 ? rq : '');
      from = i + 2;
    } else {
      out += '$';
      from = i + 1;
    }
    i = text.indexOf('$', from);
  }
  return out + text.slice(from);
}

/** The arguments (without the name) joined by `sep`, each quoted with lq/rq. */
export function dumpArgs(args: readonly string[], sep: string, lq: string, rq: string): string {
  let out = '';
  for (let i = 1; i < args.length; i++) {
    if (i > 1) out += sep;
    out += lq + args[i] + rq;
  }
  return out;
}

/** C strtol(s, &end, 10) on a 64-bit long, then cast to int: the value, where parsing stopped, whether it overflowed. */
export function strtol(s: string): { value: number; end: number; overflow: boolean } {
  // The common case: a few decimal digits, nothing else.
  if (s.length > 0 && s.length <= 9) {
    let v = 0;
    let i = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
    }
    if (i === s.length) return { value: v, end: i, overflow: false };
  }
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)/.exec(s);
  if (!m) return { value: 0, end: 0, overflow: false };
  let v = BigInt(m[2] as string);
  if (m[1] === '-') v = -v;
  const max = 2n ** 63n - 1n;
  const min = -(2n ** 63n);
  let overflow = false;
  if (v > max) {
    v = max;
    overflow = true;
  } else if (v < min) {
    v = min;
    overflow = true;
  }
  return { value: Number(BigInt.asIntN(32, v)), end: m[0].length, overflow };
}

/** expandUser, also saying which stretches of the result came from which argument (for origins). */
export function expandUserTracked(text: string, args: readonly string[], lq: string, rq: string, sites: readonly (M4Location | undefined)[]): { text: string; segments: Segment[] } {
  const segments: Segment[] = [];
  let out = '';
  const arg = (k: number): void => {
    const a = args[k] ?? '';
    const site = sites[k];
    if (site !== undefined && a.length > 0) segments.push({ start: out.length, end: out.length + a.length, site });
    out += a;
  };
  let from = 0;
  const n = text.length;
  let i = text.indexOf('$');
  while (i !== -1) {
    out += text.slice(from, i);
    const c = text.charCodeAt(i + 1);
    if (c >= 48 && c <= 57) {
      let j = i + 1;
      let k = 0;
      while (j < n && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) {
        k = k * 10 + (text.charCodeAt(j) - 48);
        j++;
      }
      if (k === 0) out += args[0];
      else if (k < args.length) arg(k);
      from = j;
    } else if (c === 35) {
      out += String(args.length - 1);
      from = i + 2;
    } else if (c === 42 || c === 64) {
      for (let k = 1; k < args.length; k++) {
        if (k > 1) out += ',';
        if (c === 64) out += lq;
        arg(k);
        if (c === 64) out += rq;
      }
      from = i + 2;
    } else {
      out += '$';
      from = i + 1;
    }
    i = text.indexOf('$', from);
  }
  return { text: out + text.slice(from), segments };
}
