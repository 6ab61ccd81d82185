// Boolean descriptions as sepolicy.boolean_desc() gives them: the first <p>
// of the <desc> of every <bool> and <tunable> in policy.xml (in modules of
// layers, and at the top level), newlines stripped at both ends and the
// others turned into spaces; for a boolean not found (or no readable
// policy.xml): "Allow <first word> to <other words>".
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

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

/** A small XML parser: enough for policy.xml (elements, attributes, text, comments, CDATA, PIs, DOCTYPE). */
export function parseXml(src: string): XmlElement {
  src = src.replace(/\r\n?/g, '\n');
  const root: XmlElement = { name: '#document', attrs: new Map(), children: [] };
  const stack: XmlElement[] = [root];
  let i = 0;
  const n = src.length;
  const addText = (t: string): void => {
    const cur = stack[stack.length - 1]!;
    if (cur.children.length === 0 && t !== '') cur.text = (cur.text ?? '') + t;
  };
  while (i < n) {
    const lt = src.indexOf('<', i);
    if (lt < 0) {
      addText(decodeEntities(src.slice(i)));
      break;
    }
    if (lt > i) addText(decodeEntities(src.slice(i, lt)));
    if (src.startsWith('<!--', lt)) {
      const e = src.indexOf('-->', lt + 4);
      i = e < 0 ? n : e + 3;
    } else if (src.startsWith('<![CDATA[', lt)) {
      const e = src.indexOf(']]>', lt + 9);
      addText(src.slice(lt + 9, e < 0 ? n : e));
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
      while (j < n && !/[\s/>]/.test(src[j]!)) j++;
      const el: XmlElement = { name: src.slice(lt + 1, j), attrs: new Map(), children: [] };
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
      stack[stack.length - 1]!.children.push(el);
      if (!selfClosing) stack.push(el);
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

/** Descriptions read lazily from a policy.xml (plain or gzip); a missing file gives only fallbacks. */
export class BooleanDescriber {
  private map?: Map<string, string>;
  constructor(private readonly path: string = DEFAULT_POLICY_XML) {}

  describe(name: string): string {
    if (!this.map) {
      let text: string | undefined;
      try {
        const raw = readFileSync(this.path);
        const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
        text = bytes.toString('latin1');
      } catch {
        text = undefined;
      }
      this.map = text === undefined ? new Map() : booleanDescriptions(text);
    }
    return this.map.get(name) ?? fallbackDescription(name);
  }
}
