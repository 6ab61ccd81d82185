// GNU m4 1.4's builtin macros, each as m4 defines it: argument counts and
// their warnings, what an empty or missing argument means, and the exact
// expansion. syscmd, esyscmd, maketemp and mkstemp are refused
// (`m4-unsupported`): policy sources must not run commands or make files.
import { dumpArgs, strtol } from './args.js';
import type { M4Definition, M4Engine } from './engine.js';
import { evaluate } from './eval.js';
import { formatM4 } from './format.js';
import { compileGnuRegex } from './regex.js';

/** A builtin: its name, whether it takes builtins as arguments, whether it needs parentheses to be called. */
export interface Builtin {
  name: string;
  macroArgs: boolean;
  blind: boolean;
  fn: (m: M4Engine, args: string[], funcs: readonly (Builtin | undefined)[]) => string;
}

/** bad_argc: warns about too few or too many arguments; true when too few (the call then does nothing). */
function badArgc(m: M4Engine, args: readonly string[], min: number, max: number): boolean {
  const argc = args.length;
  if (min > 0 && argc < min) {
    m.warn(`Warning: too few arguments to builtin \`${args[0]}'`);
    return true;
  }
  if (max > 0 && argc > max) m.warn(`Warning: excess arguments to builtin \`${args[0]}' ignored`);
  return false;
}

/** strtol(arg, 10) as m4's numeric_arg uses it; undefined when not a number (after warning). */
export function numericArg(m: M4Engine, name: string, arg: string): number | undefined {
  if (arg === '') {
    m.warn(`empty string treated as 0 in builtin \`${name}'`);
    return 0;
  }
  const r = strtol(arg);
  if (r.end !== arg.length) {
    m.warn(`non-numeric argument to builtin \`${name}'`);
    return undefined;
  }
  if (/^[ \t\n\v\f\r]/.test(arg)) m.warn(`leading whitespace ignored in builtin \`${name}'`);
  else if (r.overflow) m.warn(`numeric overflow detected in builtin \`${name}'`);
  return r.value;
}

function quoted(m: M4Engine, s: string): string {
  return m.lquote + s + m.rquote;
}

function defineMacro(m: M4Engine, args: string[], funcs: readonly (Builtin | undefined)[], push: boolean): string {
  if (badArgc(m, args, 2, 3)) return '';
  if (funcs[1] !== undefined) {
    m.warn(`Warning: ${args[0]}: invalid macro name ignored`);
    return '';
  }
  const name = args[1] as string;
  const f = funcs[2];
  const def: M4Definition = f !== undefined ? { builtin: f } : { text: args[2] ?? '' };
  m.setDef(name, def, push);
  return '';
}

function include(m: M4Engine, args: string[], silent: boolean): string {
  if (badArgc(m, args, 2, 2)) return '';
  const name = args[1] as string;
  const found = m.pathSearch(name);
  if (found === undefined) {
    if (!silent) m.error(`cannot open \`${name}': No such file or directory`);
    return '';
  }
  m.includeFile(found.path, found.text);
  return '';
}

function expandRanges(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; from = s.charCodeAt(i++)) {
    if (s.charCodeAt(i) === 45 && from !== 0) {
      i++;
      if (i >= s.length) {
        out += '-';
        break;
      }
      const to = s.charCodeAt(i);
      if (from <= to) while (from++ < to) out += String.fromCharCode(from);
      else while (--from >= to) out += String.fromCharCode(from);
    } else out += s[i];
  }
  return out;
}

function substitute(m: M4Engine, repl: string, groups: RegExpExecArray, nsub: number): string {
  let out = '';
  let from = 0;
  for (;;) {
    const bs = repl.indexOf('\\', from);
    if (bs === -1) return out + repl.slice(from);
    out += repl.slice(from, bs);
    const c = repl[bs + 1];
    if (c === undefined) {
      m.warn('Warning: trailing \\ ignored in replacement');
      return out;
    }
    if (c === '0' || c === '&') {
      if (c === '0' && !m.substituteWarned) {
        m.warn('Warning: \\0 will disappear, use \\& instead in replacements');
        m.substituteWarned = true;
      }
      out += groups[0];
    } else if (c >= '1' && c <= '9') {
      const k = c.charCodeAt(0) - 48;
      if (k > nsub) m.warn(`Warning: sub-expression ${k} not present`);
      else out += groups[k] ?? '';
    } else out += c;
    from = bs + 2;
  }
}

function regexpFor(m: M4Engine, name: string, pattern: string): { re: RegExp; nsub: number } | undefined {
  const r = compileGnuRegex(pattern);
  if ('error' in r) {
    if (r.unsupported) m.error(`${name}: ${r.error} in regular expression \`${pattern}'`, 'm4-regex');
    else m.warn(`bad regular expression: \`${pattern}': ${r.error}`);
    return undefined;
  }
  return r;
}

const list: Builtin[] = [];
function def(name: string, macroArgs: boolean, blind: boolean, fn: Builtin['fn']): void {
  list.push({ name, macroArgs, blind, fn });
}

def('__file__', false, false, (m, a) => {
  badArgc(m, a, 1, 1);
  return quoted(m, m.curFile);
});
def('__line__', false, false, (m, a) => {
  badArgc(m, a, 1, 1);
  return String(m.curLine);
});
def('__program__', false, false, (m, a) => {
  badArgc(m, a, 1, 1);
  return quoted(m, m.program);
});
def('builtin', true, true, (m, a, f) => {
  if (badArgc(m, a, 2, -1)) return '';
  if (f[1] !== undefined) {
    m.warn(`Warning: ${a[0]}: invalid macro name ignored`);
    return '';
  }
  const name = a[1] as string;
  const b = BUILTINS.get(name);
  if (b === undefined) {
    // GNU m4 reports it and goes on (its exit status stays 0); it is an error here all the same.
    m.report('error', 'm4-error', `undefined builtin \`${name}'`);
    return '';
  }
  const args = a.slice(1);
  const funcs = f.slice(1);
  if (!b.macroArgs) for (let i = 1; i < funcs.length; i++) funcs[i] = undefined;
  return b.fn(m, args, funcs);
});
def('changecom', false, false, (m, a) => {
  badArgc(m, a, 1, 3);
  let bc = a.length >= 2 ? (a[1] as string) : undefined;
  let ec = a.length >= 3 ? (a[2] as string) : undefined;
  if (bc === undefined) bc = ec = '';
  else if (ec === undefined || (bc !== '' && ec === '')) ec = '\n';
  m.bcomm = bc;
  m.ecomm = ec;
  return '';
});
def('changequote', false, false, (m, a) => {
  badArgc(m, a, 1, 3);
  let lq = a.length >= 2 ? (a[1] as string) : undefined;
  let rq = a.length >= 3 ? (a[2] as string) : undefined;
  if (lq === undefined) {
    lq = '`';
    rq = "'";
  } else if (rq === undefined || (lq !== '' && rq === '')) rq = "'";
  m.lquote = lq;
  m.rquote = rq;
  return '';
});
def('debugmode', false, false, () => '');
def('debugfile', false, false, () => '');
def('traceon', false, false, () => '');
def('traceoff', false, false, () => '');
def('decr', false, true, (m, a) => {
  if (badArgc(m, a, 2, 2)) return '';
  const v = numericArg(m, a[0] as string, a[1] as string);
  return v === undefined ? '' : String((v - 1) | 0);
});
def('incr', false, true, (m, a) => {
  if (badArgc(m, a, 2, 2)) return '';
  const v = numericArg(m, a[0] as string, a[1] as string);
  return v === undefined ? '' : String((v + 1) | 0);
});
def('define', true, true, (m, a, f) => defineMacro(m, a, f, false));
def('pushdef', true, true, (m, a, f) => defineMacro(m, a, f, true));
def('defn', false, true, (m, a) => {
  if (badArgc(m, a, 2, -1)) return '';
  let out = '';
  for (let i = 1; i < a.length; i++) {
    const d = m.lookup(a[i] as string);
    if (d === undefined) continue;
    if (d.builtin === undefined) out += quoted(m, d.text);
    else if (a.length !== 2) m.warn(`Warning: cannot concatenate builtin \`${a[i]}'`);
    else m.pushMacro(d.builtin);
  }
  return out;
});
def('divert', false, false, (m, a) => {
  badArgc(m, a, 1, 2);
  let n: number | undefined = 0;
  if (a.length >= 2) n = numericArg(m, a[0] as string, a[1] as string);
  if (n === undefined) return '';
  m.makeDiversion(n);
  return '';
});
def('divnum', false, false, (m, a) => {
  badArgc(m, a, 1, 1);
  return String(m.currentDiv);
});
def('dnl', false, false, (m, a) => {
  badArgc(m, a, 1, 1);
  m.skipLine();
  return '';
});
def('dumpdef', false, false, (m, a) => {
  const names = a.length > 1 ? a.slice(1) : m.names();
  const rows: string[] = [];
  for (const n of names.sort()) {
    const d = m.lookup(n);
    if (d === undefined) {
      if (a.length > 1) m.warn(`undefined macro \`${n}'`);
      continue;
    }
    rows.push(`${n}:\t${d.builtin !== undefined ? `<${d.builtin.name}>` : quoted(m, d.text)}\n`);
  }
  m.writeStderr(rows.join(''));
  return '';
});
def('errprint', false, true, (m, a) => {
  if (badArgc(m, a, 2, -1)) return '';
  m.writeStderr(dumpArgs(a, ' ', '', ''));
  return '';
});
def('eval', false, true, (m, a) => {
  if (badArgc(m, a, 2, 4)) return '';
  let radix: number | undefined = 10;
  if ((a[2] ?? '') !== '') radix = numericArg(m, a[0] as string, a[2] as string);
  if (radix === undefined) return '';
  if (radix < 1 || radix > 36) {
    m.warn(`radix ${radix} in builtin \`${a[0]}' out of range`);
    return '';
  }
  let min: number | undefined = 1;
  if (a.length >= 4) min = numericArg(m, a[0] as string, a[3] as string);
  if (min === undefined) return '';
  if (min < 0) {
    m.warn(`negative width to builtin \`${a[0]}'`);
    return '';
  }
  let value = 0;
  const expr = a[1] as string;
  if (expr === '') m.warn(`empty string treated as 0 in builtin \`${a[0]}'`);
  else {
    const r = evaluate(expr);
    if (r.warning !== undefined) m.warn(r.warning);
    if (r.error !== undefined) {
      if (r.fatalStatus) m.error(r.error);
      else m.warn(r.error);
      return '';
    }
    value = r.value;
  }
  if (radix === 1) {
    let out = '';
    let v = value;
    if (v < 0) {
      out += '-';
      v = -v;
    }
    if (Math.abs(v) > 100_000_000) m.fatal('eval: output too large in radix 1', 'm4-limit');
    out += '0'.repeat(Math.max(0, min - v)) + '1'.repeat(v);
    return out;
  }
  let s = value < 0 ? (-value).toString(radix) : value.toString(radix);
  const neg = value < 0;
  if (s.length < min) s = '0'.repeat(min - s.length) + s;
  return (neg ? '-' : '') + s;
});
def('format', false, true, (m, a) => {
  if (badArgc(m, a, 2, -1)) return '';
  return formatM4(a, (msg) => m.warn(msg));
});
def('ifdef', false, true, (m, a) => {
  if (badArgc(m, a, 2, 4)) return '';
  return m.lookup(a[1] as string) !== undefined ? (a[2] ?? '') : (a[3] ?? '');
});
def('ifelse', false, true, (m, a) => {
  if (a.length === 2) return '';
  if (badArgc(m, a, 4, -1)) return '';
  if (a.length % 3 === 0) m.warn(`Warning: excess arguments to builtin \`${a[0]}' ignored`);
  let i = 1;
  let argc = a.length - 1;
  for (;;) {
    if (a[i] === a[i + 1]) return a[i + 2] ?? '';
    if (argc === 3) return '';
    if (argc === 4 || argc === 5) return a[i + 3] ?? '';
    argc -= 3;
    i += 3;
  }
});
def('include', false, true, (m, a) => include(m, a, false));
def('sinclude', false, true, (m, a) => include(m, a, true));
def('index', false, true, (m, a) => {
  if (badArgc(m, a, 3, 3)) return a.length === 2 ? '0' : '';
  return String((a[1] as string).indexOf(a[2] as string));
});
def('indir', true, true, (m, a, f) => {
  if (badArgc(m, a, 2, -1)) return '';
  const name = f[1] !== undefined ? '' : (a[1] as string);
  const d = m.lookup(name);
  if (d === undefined) {
    m.warn(`undefined macro \`${name}'`);
    return '';
  }
  const args = a.slice(1);
  const funcs = f.slice(1);
  if (d.builtin === undefined || !d.builtin.macroArgs) for (let i = 1; i < funcs.length; i++) funcs[i] = undefined;
  return m.callDefinition(d, args, funcs);
});
def('len', false, true, (m, a) => {
  if (badArgc(m, a, 2, 2)) return '';
  return String((a[1] as string).length);
});
def('m4exit', false, false, (m, a) => {
  badArgc(m, a, 1, 2);
  let code: number | undefined = 0;
  if (a.length >= 2) code = numericArg(m, a[0] as string, a[1] as string) ?? 1;
  if (code < 0 || code > 255) {
    m.warn(`exit status out of range: \`${code}'`);
    code = 1;
  }
  return m.exit(code);
});
def('m4wrap', false, true, (m, a) => {
  if (badArgc(m, a, 2, -1)) return '';
  m.pushWrapup(dumpArgs(a, ' ', '', ''));
  return '';
});
def('patsubst', false, true, (m, a) => {
  if (badArgc(m, a, 3, 4)) return a.length === 2 ? (a[1] as string) : '';
  const victim = a[1] as string;
  const r = regexpFor(m, a[0] as string, a[2] as string);
  if (r === undefined) return '';
  const repl = a[3] ?? '';
  const len = victim.length;
  let out = '';
  let offset = 0;
  while (offset <= len) {
    r.re.lastIndex = offset;
    const g = r.re.exec(victim);
    if (g === null) {
      if (offset < len) out += victim.slice(offset);
      break;
    }
    if (g.index > offset) out += victim.slice(offset, g.index);
    out += substitute(m, repl, g, r.nsub);
    const end = g.index + (g[0] as string).length;
    offset = end;
    if (g.index === end) {
      if (offset < len) out += victim[offset];
      offset++;
    }
  }
  return out;
});
def('popdef', false, true, (m, a) => {
  if (badArgc(m, a, 2, -1)) return '';
  for (let i = 1; i < a.length; i++) m.popDef(a[i] as string);
  return '';
});
def('regexp', false, true, (m, a) => {
  if (badArgc(m, a, 3, 4)) return a.length === 2 ? '0' : '';
  const r = regexpFor(m, a[0] as string, a[2] as string);
  if (r === undefined) return '';
  r.re.lastIndex = 0;
  const g = r.re.exec(a[1] as string);
  if (a.length === 3) return String(g === null ? -1 : g.index);
  return g === null ? '' : substitute(m, a[3] as string, g, r.nsub);
});
def('shift', false, true, (m, a) => {
  if (badArgc(m, a, 2, -1)) return '';
  return dumpArgs(a.slice(1), ',', m.lquote, m.rquote);
});
def('substr', false, true, (m, a) => {
  if (badArgc(m, a, 3, 4)) return a.length === 2 ? (a[1] as string) : '';
  const s = a[1] as string;
  const avail = s.length;
  const start = numericArg(m, a[0] as string, a[2] as string);
  if (start === undefined) return '';
  let length: number | undefined = avail;
  if (a.length >= 4) length = numericArg(m, a[0] as string, a[3] as string);
  if (length === undefined) return '';
  if (start < 0 || length <= 0 || start >= avail) return '';
  if (start + length > avail) length = avail - start;
  return s.slice(start, start + length);
});
def('sysval', false, false, () => '0');
for (const name of ['syscmd', 'esyscmd', 'maketemp', 'mkstemp']) {
  def(name, false, true, (m) => {
    m.error(`${name} is not supported: policy sources cannot run commands or make files`, 'm4-unsupported');
    return '';
  });
}
def('translit', false, true, (m, a) => {
  if (badArgc(m, a, 3, 4) || a[1] === '' || a[2] === '') return a.length >= 2 ? (a[1] as string) : '';
  let from = a[2] as string;
  if (from.includes('-')) from = expandRanges(from);
  let to = a[3] ?? '';
  if (to.includes('-')) to = expandRanges(to);
  const map = new Map<number, string>();
  let t = 0;
  for (let i = 0; i < from.length; i++) {
    const c = from.charCodeAt(i);
    if (!map.has(c)) map.set(c, to[t] ?? '');
    if (t < to.length) t++;
  }
  const s = a[1] as string;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const r = map.get(s.charCodeAt(i));
    out += r === undefined ? s[i] : r;
  }
  return out;
});
def('undefine', false, true, (m, a) => {
  if (badArgc(m, a, 2, -1)) return '';
  for (let i = 1; i < a.length; i++) m.undefine(a[i] as string);
  return '';
});
def('undivert', false, false, (m, a) => {
  if (a.length === 1) {
    m.undivertAll();
    return '';
  }
  for (let i = 1; i < a.length; i++) {
    const arg = a[i] as string;
    const r = strtol(arg);
    if (r.end === arg.length && !/^[ \t\n\v\f\r]/.test(arg)) m.insertDiversion(r.value);
    else {
      const found = m.pathSearch(arg);
      if (found !== undefined) m.insertFile(found.text);
      else m.warn(`cannot undivert \`${arg}': No such file or directory`);
    }
  }
  return '';
});

/** The builtins by name. */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(list.map((b) => [b.name, b]));
