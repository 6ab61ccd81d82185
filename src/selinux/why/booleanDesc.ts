// Boolean descriptions as sepolicy.boolean_desc() gives them: the first <p>
// of the <desc> of every <bool> and <tunable> in policy.xml (in modules of
// layers, and at the top level), newlines stripped at both ends and the
// others turned into spaces; for a boolean not found (or no readable
// policy.xml): "Allow <first word> to <other words>".

import { gunzipSync } from 'node:zlib';
import { fail, PortholeError } from '../../base/diagnostic.js';
import { MAX_WHOLE_FILE_BYTES } from '../../base/limits.js';
import { readWholeFile } from '../../base/source.js';

export const DEFAULT_POLICY_XML = '/usr/share/selinux/devel/policy.xml';

interface XmlElement {
  name: string;
  attrs: Map<string, string>;
  children: XmlElement[];
  /** Text before the first child element (ElementTree's .text), entities decoded; undefined when empty. */
  text?: string;
}

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e]!;
  });
}

/**
 * Which elements the descriptions need, by parent: the document's root element, its layers and
 * top-level bools and tunables, the layers' modules, the modules' bools and tunables, their <desc>
 * and its <p>. Everything else is scanned past without being built (policy.xml is mostly
 * interface documentation: building all of it cost ~300 ms and as much garbage collection).
 */
function wanted(parent: string | undefined, depth: number, name: string): boolean {
  if (depth === 0) return true;
  switch (parent) {
    case undefined:
      return false;
    case 'layer':
      return name === 'module';
    case 'module':
      return name === 'bool' || name === 'tunable';
    case 'bool':
    case 'tunable':
      return name === 'desc';
    case 'desc':
      return name === 'p';
    default:
      return depth === 1 && (name === 'layer' || name === 'bool' || name === 'tunable');
  }
}

interface Open {
  name: string;
  /** The element, when it is one the descriptions need. */
  el?: XmlElement;
  /** A child element was seen (ElementTree's .text stops there). */
  sawChild: boolean;
}

/** Whitespace, '/' or '>': the end of a tag name. */
function nameEnd(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0x2f || c === 0x3e;
}

/**
 * A small XML parser for policy.xml (elements, attributes, text, comments, CDATA, PIs, DOCTYPE)
 * that builds only the elements `wanted` names, with ElementTree's .text for them.
 */
export function parseXml(src: string): XmlElement {
  if (src.includes('\r')) src = src.replace(/\r\n?/g, '\n');
  const root: XmlElement = { name: '#document', attrs: new Map(), children: [] };
  const stack: Open[] = [{ name: '#document', el: root, sawChild: false }];
  let i = 0;
  const n = src.length;
  /** Text src[from, to) (entities decoded unless CDATA) for the element open now, if it is built and has no child yet. */
  const addText = (from: number, to: number, cdata: boolean): void => {
    const cur = stack[stack.length - 1]!;
    if (!cur.el || cur.sawChild || stack.length < 2) return;
    const text = cdata ? src.slice(from, to) : decodeEntities(src.slice(from, to));
    if (text !== '') cur.el.text = (cur.el.text ?? '') + text;
  };
  while (i < n) {
    const lt = src.indexOf('<', i);
    if (lt < 0) {
      addText(i, n, false);
      break;
    }
    if (lt > i) addText(i, lt, false);
    if (src.startsWith('<!--', lt)) {
      const e = src.indexOf('-->', lt + 4);
      i = e < 0 ? n : e + 3;
    } else if (src.startsWith('<![CDATA[', lt)) {
      const e = src.indexOf(']]>', lt + 9);
      addText(lt + 9, e < 0 ? n : e, true);
      i = e < 0 ? n : e + 3;
    } else if (src.startsWith('<?', lt)) {
      const e = src.indexOf('?>', lt + 2);
      i = e < 0 ? n : e + 2;
    } else if (src.startsWith('<!', lt)) {
      // DOCTYPE, possibly with an internal subset in [...].
      let j = lt + 2;
      let depth = 0;
      while (j < n) {
        const ch = src[j];
        if (ch === '[') depth++;
        else if (ch === ']') depth--;
        else if (ch === '>' && depth <= 0) break;
        j++;
      }
      i = j + 1;
    } else if (src[lt + 1] === '/') {
      const e = src.indexOf('>', lt);
      if (stack.length > 1) stack.pop();
      i = e < 0 ? n : e + 1;
    } else {
      // Start tag.
      let j = lt + 1;
      while (j < n && !nameEnd(src.charCodeAt(j))) j++;
      const name = src.slice(lt + 1, j);
      const parent = stack[stack.length - 1]!;
      parent.sawChild = true;
      const keep = parent.el !== undefined && wanted(parent.el === root ? undefined : parent.name, stack.length - 1, name);
      if (!keep) {
        // Stepped over up to its '>' (a '>' inside a quoted attribute value does not end it).
        let quote = 0;
        for (; j < n; j++) {
          const c = src.charCodeAt(j);
          if (quote !== 0) {
            if (c === quote) quote = 0;
          } else if (c === 0x22 || c === 0x27) quote = c;
          else if (c === 0x3e) break;
        }
        i = j + 1;
        if (src.charCodeAt(j - 1) !== 0x2f) stack.push({ name, sawChild: false });
        continue;
      }
      const el: XmlElement = { name, attrs: new Map(), children: [] };
      for (;;) {
        while (j < n && /\s/.test(src[j]!)) j++;
        if (j >= n || src[j] === '>' || src[j] === '/') break;
        let k = j;
        while (k < n && !/[\s=/>]/.test(src[k]!)) k++;
        const key = src.slice(j, k);
        while (k < n && /\s/.test(src[k]!)) k++;
        if (src[k] !== '=') {
          j = k;
          continue;
        }
        k++;
        while (k < n && /\s/.test(src[k]!)) k++;
        const q = src[k];
        if (q === '"' || q === "'") {
          const e = src.indexOf(q, k + 1);
          el.attrs.set(key, decodeEntities(src.slice(k + 1, e < 0 ? n : e)));
          j = e < 0 ? n : e + 1;
        } else {
          let e = k;
          while (e < n && !/[\s>]/.test(src[e]!)) e++;
          el.attrs.set(key, src.slice(k, e));
          j = e;
        }
      }
      const selfClosing = src[j] === '/';
      const e = src.indexOf('>', j);
      i = e < 0 ? n : e + 1;
      parent.el!.children.push(el);
      if (!selfClosing) stack.push({ name, el, sawChild: false });
    }
  }
  return root;
}

function descOf(el: XmlElement): string | undefined {
  const desc = el.children.find((c) => c.name === 'desc');
  const p = desc?.children.find((c) => c.name === 'p');
  if (!p) return undefined;
  return (p.text ?? '').replace(/^\n+|\n+$/g, '').replace(/\n/g, ' ');
}

/** gen_bool_dict(): boolean name -> description. */
export function booleanDescriptions(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  const doc = parseXml(xml);
  const top = doc.children.find((c) => !c.name.startsWith('#')) ?? doc;
  const add = (el: XmlElement): void => {
    const name = el.attrs.get('name');
    const d = descOf(el);
    if (name !== undefined && d !== undefined) out.set(name, d);
  };
  for (const layer of top.children) {
    if (layer.name !== 'layer') continue;
    for (const m of layer.children) {
      if (m.name !== 'module') continue;
      for (const b of m.children) if (b.name === 'tunable') add(b);
      for (const b of m.children) if (b.name === 'bool') add(b);
    }
    for (const b of top.children) if (b.name === 'bool') add(b);
  }
  for (const b of top.children) if (b.name === 'tunable') add(b);
  return out;
}

/** sepolicy.boolean_desc's fallback for a boolean policy.xml does not describe. */
export function fallbackDescription(name: string): string {
  const words = name.split('_');
  return `Allow ${words[0]} to ${words.slice(1).join(' ')}`;
}

/**
 * Descriptions read lazily from a policy.xml (plain or gzip); a missing file gives only fallbacks.
 * A file over `maxBytes` (default MAX_WHOLE_FILE_BYTES, 64 MiB; decompressed too) is an `input-too-large` error.
 */
export class BooleanDescriber {
  private map?: Map<string, string>;
  constructor(
    private readonly path: string = DEFAULT_POLICY_XML,
    private readonly maxBytes = MAX_WHOLE_FILE_BYTES,
  ) {}

  describe(name: string): string {
    if (!this.map) {
      let text: string | undefined;
      try {
        const raw = readWholeFile(this.path, this.path, this.maxBytes);
        const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw, { maxOutputLength: this.maxBytes }) : raw;
        text = bytes.toString('latin1');
      } catch (e) {
        if (e instanceof PortholeError) throw e;
        if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
          fail('input-too-large', `${this.path} is larger than ${this.maxBytes} bytes once decompressed, the limit for a file read whole`, {
            notes: ['--max-input-size raises the limit (a number of bytes, or with K, M, G or T)'],
            data: { file: this.path, limit: this.maxBytes },
          });
        }
        text = undefined;
      }
      this.map = text === undefined ? new Map() : booleanDescriptions(text);
    }
    return this.map.get(name) ?? fallbackDescription(name);
  }
}
