// m4's format builtin: printf as C does it for %c %s %d %i %o %u %x %X %e %E
// %f %F %g %G %%, with the flags `-+ 0#`, a width and a precision (either may
// be `*`), length modifiers ignored. Integers are C ints (32 bits); a missing
// argument is 0 or empty, a non-numeric one 0 with a warning.
import { strtol } from './args.js';

function cInt(arg: string | undefined, warn: (m: string) => void): number {
  if (arg === undefined || arg === '') return 0;
  const r = strtol(arg);
  if (r.end !== arg.length) warn(`non-numeric argument ${arg}`);
  return r.value;
}

function cDouble(arg: string | undefined, warn: (m: string) => void): number {
  if (arg === undefined || arg === '') return 0;
  const m = /^[ \t\n\v\f\r]*[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)/i.exec(arg);
  if (!m || m[0].length !== arg.length) warn(`non-numeric argument ${arg}`);
  if (!m) return 0;
  const t = m[0]
    .trim()
    .toLowerCase()
    .replace(/^([+-]?)inf(inity)?$/, '$1Infinity');
  return t.endsWith('nan') ? Number.NaN : Number(t);
}

function expC(s: string): string {
  // JS writes e+5, C writes e+05.
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

function fmtFloat(v: number, conv: string, prec: number | undefined, alt: boolean): string {
  const p = prec ?? 6;
  const upper = conv === conv.toUpperCase();
  let s: string;
  if (!Number.isFinite(v)) s = Number.isNaN(v) ? 'nan' : 'inf';
  else if (conv === 'f' || conv === 'F') s = Math.abs(v).toFixed(p);
  else if (conv === 'e' || conv === 'E') s = expC(Math.abs(v).toExponential(p));
  else {
    const P = p === 0 ? 1 : p;
    const x = Math.abs(v);
    const exp = x === 0 ? 0 : Number(x.toExponential(P - 1).split('e')[1]);
    if (exp < -4 || exp >= P) s = expC(x.toExponential(P - 1));
    else s = x.toFixed(P - 1 - exp);
    if (!alt && s.includes('.')) s = s.replace(/\.?0+(?=e|$)/, '');
  }
  if (alt && !s.includes('.') && /^\d/.test(s) && (conv === 'f' || conv === 'F' || conv === 'e' || conv === 'E')) s = s.replace(/^(\d+)/, '$1.');
  return upper ? s.toUpperCase() : s;
}

/** format(args[1], args[2], ...): the text, warnings through `warn`. */
export function formatM4(args: readonly string[], warn: (m: string) => void): string {
  const f = args[1] ?? '';
  let ai = 2;
  const next = (): string | undefined => (ai < args.length ? args[ai++] : undefined);
  let out = '';
  let i = 0;
  while (i < f.length) {
    const pct = f.indexOf('%', i);
    if (pct === -1) {
      out += f.slice(i);
      break;
    }
    out += f.slice(i, pct);
    i = pct + 1;
    if (f[i] === '%') {
      out += '%';
      i++;
      continue;
    }
    let left = false;
    let plus = false;
    let space = false;
    let zero = false;
    let alt = false;
    for (; i < f.length; i++) {
      const c = f[i];
      if (c === '-') left = true;
      else if (c === '+') plus = true;
      else if (c === ' ') space = true;
      else if (c === '0') zero = true;
      else if (c === '#') alt = true;
      else if (c === "'") {
        /* grouping: none in the C locale */
      } else break;
    }
    let width = 0;
    if (f[i] === '*') {
      width = cInt(next(), warn);
      if (width < 0) {
        left = true;
        width = -width;
      }
      i++;
    } else
      while (/[0-9]/.test(f[i] ?? '')) {
        width = width * 10 + Number(f[i]);
        i++;
      }
    let prec: number | undefined;
    if (f[i] === '.') {
      i++;
      if (f[i] === '*') {
        prec = cInt(next(), warn);
        if (prec < 0) prec = undefined;
        i++;
      } else {
        prec = 0;
        while (/[0-9]/.test(f[i] ?? '')) {
          prec = prec * 10 + Number(f[i]);
          i++;
        }
      }
    }
    while (f[i] !== undefined && 'hlLqjzt'.includes(f[i] as string)) i++;
    const conv = f[i];
    i++;
    let body: string;
    let sign = '';
    let numeric = true;
    switch (conv) {
      case 'c':
        // A NUL ends the C string m4 copies: the piece is empty.
        body = String.fromCharCode(cInt(next(), warn) & 0xff).replace('\0', '');
        numeric = false;
        break;
      case 's': {
        const s = next() ?? '';
        body = prec === undefined ? s : s.slice(0, prec);
        numeric = false;
        break;
      }
      case 'd':
      case 'i': {
        const v = cInt(next(), warn);
        sign = v < 0 ? '-' : plus ? '+' : space ? ' ' : '';
        body = Math.abs(v).toString();
        if (prec !== undefined) body = prec === 0 && v === 0 ? '' : body.padStart(prec, '0');
        break;
      }
      case 'o':
      case 'u':
      case 'x':
      case 'X': {
        const v = cInt(next(), warn) >>> 0;
        body = v.toString(conv === 'o' ? 8 : conv === 'u' ? 10 : 16);
        if (conv === 'X') body = body.toUpperCase();
        if (prec !== undefined) body = prec === 0 && v === 0 ? '' : body.padStart(prec, '0');
        if (alt && conv === 'o' && !body.startsWith('0')) body = `0${body}`;
        if (alt && v !== 0 && (conv === 'x' || conv === 'X')) sign = conv === 'x' ? '0x' : '0X';
        break;
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G': {
        const v = cDouble(next(), warn);
        sign = v < 0 || Object.is(v, -0) ? '-' : plus ? '+' : space ? ' ' : '';
        body = fmtFloat(v, conv, prec, alt);
        if (!Number.isFinite(v)) zero = false;
        prec = undefined;
        break;
      }
      default:
        warn(`Warning: unrecognized specifier in \`${f}'`);
        return out;
    }
    const len = sign.length + body.length;
    if (len >= width) out += sign + body;
    else if (left) out += sign + body + ' '.repeat(width - len);
    else if (zero && numeric && prec === undefined) out += sign + '0'.repeat(width - len) + body;
    else out += ' '.repeat(width - len) + sign + body;
  }
  return out;
}
