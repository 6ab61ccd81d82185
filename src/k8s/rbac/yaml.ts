// RBAC objects -> YAML as the Kubernetes serializer writes it (Go structs to
// JSON, then sigs.k8s.io/yaml, i.e. yaml.v2): keys in yaml.v2's order (its
// "natural" order: digit runs compare as numbers, letters after other
// characters), sequences not indented under their key, empty lists left out
// where the Go field says omitempty, and YAML 1.1 scalars: a string that
// yaml.v2 would read back as something else (true, y, no, on, ~, 1_000, 1:20,
// 0x1f, a date) is double-quoted; one that a plain scalar cannot hold (leading
// `*`, `: ` inside) is single-quoted. The `yaml` package does the writing.
import { Document, type Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { PolicyRule, RbacObjects, Role, RoleBinding, Subject } from './rule.js';
import { foldLikeYamlV2 } from './yamlFold.js';

/** The objects as YAML documents (Roles, ClusterRoles, RoleBindings, ClusterRoleBindings), `---` between. */
export function printRbacYaml(objects: RbacObjects): string {
  const docs = [...objects.roles, ...objects.clusterRoles, ...objects.roleBindings, ...objects.clusterRoleBindings].map((o) => objectYaml(toKubeJson(o)));
  return docs.join('---\n');
}

/** The objects as the API's JSON, in printing order. */
export function rbacObjectsJson(objects: RbacObjects): Record<string, unknown>[] {
  return [...objects.roles, ...objects.clusterRoles, ...objects.roleBindings, ...objects.clusterRoleBindings].map(toKubeJson);
}

/** The object as the API's JSON (omitempty fields left out). */
export function toKubeJson(o: Role | RoleBinding): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  if (o.metadata.name) metadata.name = o.metadata.name;
  if (o.metadata.namespace) metadata.namespace = o.metadata.namespace;
  if (o.metadata.labels && Object.keys(o.metadata.labels).length > 0) metadata.labels = o.metadata.labels;
  if (o.metadata.annotations && Object.keys(o.metadata.annotations).length > 0) metadata.annotations = o.metadata.annotations;
  const out: Record<string, unknown> = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: o.kind, metadata };
  if ('rules' in o) {
    out.rules = o.rules.map(ruleJson);
  } else {
    out.roleRef = { apiGroup: o.roleRef.apiGroup, kind: o.roleRef.kind, name: o.roleRef.name };
    if (o.subjects.length > 0) out.subjects = o.subjects.map(subjectJson);
  }
  return out;
}

function ruleJson(r: PolicyRule): Record<string, unknown> {
  const out: Record<string, unknown> = { verbs: r.verbs };
  if (r.apiGroups?.length) out.apiGroups = r.apiGroups;
  if (r.resources?.length) out.resources = r.resources;
  if (r.resourceNames?.length) out.resourceNames = r.resourceNames;
  if (r.nonResourceURLs?.length) out.nonResourceURLs = r.nonResourceURLs;
  return out;
}

function subjectJson(s: Subject): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: s.kind };
  if (s.apiGroup) out.apiGroup = s.apiGroup;
  out.name = s.name;
  if (s.namespace) out.namespace = s.namespace;
  return out;
}

/** One JSON value as one YAML document, as sigs.k8s.io/yaml writes it. */
export function objectYaml(value: unknown): string {
  // One document, reused: only its contents change. The failsafe schema
  // leaves every scalar's style to us (decided by yaml.v2's rules below).
  DOC.contents = toNode(value) as typeof DOC.contents;
  return foldLikeYamlV2(escapeLikeYamlV2(DOC.toString(TO_STRING)));
}

/**
 * What yaml.v2 escapes in a double-quoted scalar and the yaml package leaves
 * as it is: DEL and C1 controls, NEL and the Unicode line and paragraph
 * separators (line breaks to a YAML 1.1 reader), byte order marks, U+FFFE,
 * U+FFFF and characters past U+FFFF. A string holding one is double-quoted
 * (scalarStyle: not printable), so every one in the text is in such a
 * scalar, where the escape reads back as the character.
 */
const V2_ESCAPED = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\u{10000}-\u{10ffff}]/gu;
const V2_NAMED: Record<string, string> = { '\u0085': '\\N', '\u2028': '\\L', '\u2029': '\\P' };

function escapeLikeYamlV2(text: string): string {
  return text.replace(V2_ESCAPED, (ch) => {
    const c = ch.codePointAt(0)!;
    const hex = c.toString(16).toUpperCase();
    return V2_NAMED[ch] ?? (c <= 0xff ? `\\x${hex.padStart(2, '0')}` : c <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\U${hex.padStart(8, '0')}`);
  });
}

const DOC = new Document(null, { schema: 'failsafe' });
const TO_STRING = { indentSeq: false, lineWidth: 0 } as const;

/** The value as yaml nodes: keys in yaml.v2's order, every string in the style yaml.v2 gives it. */
function toNode(v: unknown): Node {
  if (Array.isArray(v)) {
    const seq = new YAMLSeq();
    for (const x of v) seq.items.push(toNode(x));
    return seq;
  }
  if (v !== null && typeof v === 'object') {
    const map = new YAMLMap();
    const keys = sortedKeys(Object.keys(v));
    for (const k of keys) map.items.push(new Pair(scalar(k), toNode((v as Record<string, unknown>)[k])));
    return map;
  }
  if (typeof v === 'string') return scalar(v);
  const sc = new Scalar(v === null ? 'null' : String(v));
  sc.type = 'PLAIN';
  return sc;
}

const KEY_ORDERS = new Map<string, string[]>();

/** Keys in yaml.v2's order; the few key sets of RBAC objects are sorted once. */
function sortedKeys(keys: string[]): string[] {
  const id = keys.join('\u0000');
  let sorted = KEY_ORDERS.get(id);
  if (sorted === undefined) {
    sorted = keys.sort((a, b) => (goYamlKeyLess(a, b) ? -1 : goYamlKeyLess(b, a) ? 1 : 0));
    if (KEY_ORDERS.size < 10_000) KEY_ORDERS.set(id, sorted);
  }
  return sorted;
}

const STYLES = new Map<string, Scalar.Type>();

function scalar(s: string): Scalar {
  const sc = new Scalar(s);
  let style = STYLES.get(s);
  if (style === undefined) {
    style = scalarStyle(s);
    if (STYLES.size < 100_000) STYLES.set(s, style);
  }
  sc.type = style;
  return sc;
}

/** yaml.v2's keyList.Less for string keys. */
export function goYamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + (ar[ai]!.charCodeAt(0) - 48);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + (br[bi]!.charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]! < br[i]!;
  }
  return ar.length < br.length;
}

const isLetter = (c: string): boolean => /\p{L}/u.test(c);
const isDigit = (c: string): boolean => /\p{Nd}/u.test(c);

/** How yaml.v2 writes a string: plain, or quoted because plain would read back as another value or cannot hold it. */
export function scalarStyle(s: string): 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' {
  if (!resolvesToString(s) || BASE60_FLOAT.test(s) || OTHER_READERS.test(s)) return 'QUOTE_DOUBLE';
  const a = analyzeScalar(s);
  if (a.special || a.multiline) return 'QUOTE_DOUBLE';
  if (a.blockPlain) return 'PLAIN';
  return a.singleQuoted ? 'QUOTE_SINGLE' : 'QUOTE_DOUBLE';
}

/**
 * Plain scalars yaml.v2 reads as strings but other YAML 1.1 readers do not: `=` (PyYAML's value
 * tag, which it cannot construct), and an exponent or a dot without digits (`e0`, `.`, `-.e1`:
 * floats, NaN, to the yaml package). Quoted: every reader then gets the string.
 */
const OTHER_READERS = /^=$|^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$|^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const RESERVED = new Set(
  'y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE off Off OFF ~ null Null NULL .nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF <<'.split(' '),
);
const TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]| )(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d*)?(?:Z|[-+]\d{1,2}(?::\d{2})?)?)?$/;

/** yaml.v2's resolve(): whether a plain scalar with this text reads back as a string. */
function resolvesToString(s: string): boolean {
  if (s === '' || RESERVED.has(s)) return false;
  const c = s[0]!;
  if (c === '.') return !/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s);
  if (!/[-+0-9]/.test(c)) return true;
  if (/^[0-9]/.test(s) && TIMESTAMP.test(s)) return false;
  const plain = s.replace(/_/g, '');
  if (/^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]*|0[bB][01]+|[1-9][0-9]*|0)$/.test(plain)) return false;
  if (YAML_STYLE_FLOAT.test(plain)) return false;
  if (/^-?0b[01]+$/.test(plain)) return false;
  return true;
}

interface ScalarAnalysis {
  multiline: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  special: boolean;
}

/** libyaml's yaml_emitter_analyze_scalar, for a block context. */
function analyzeScalar(s: string): ScalarAnalysis {
  if (s === '') return { multiline: false, blockPlain: true, singleQuoted: true, special: false };
  let blockIndicators = s.startsWith('---') || s.startsWith('...');
  let special = false;
  let lineBreaks = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  const chars = [...s];
  const blank = (i: number): boolean => i >= chars.length || chars[i] === ' ' || chars[i] === '\t' || chars[i] === '\n' || chars[i] === '\r';
  let precededByWhitespace = true;
  let followedByWhitespace = blank(1);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      if ((ch === '?' || ch === ':') && followedByWhitespace) blockIndicators = true;
      if (ch === '-' && followedByWhitespace) blockIndicators = true;
    } else {
      if (ch === ':' && followedByWhitespace) blockIndicators = true;
      if (ch === '#' && precededByWhitespace) blockIndicators = true;
    }
    if (!printable(ch)) special = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (ch === '\n' || ch === '\r' || ch === '\u0085' || ch === '\u2028' || ch === '\u2029') {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousBreak = true;
      previousSpace = false;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = blank(i);
    followedByWhitespace = blank(i + 2);
  }
  let blockPlain = true;
  let singleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlain = false;
  if (breakSpace) blockPlain = singleQuoted = false;
  if (spaceBreak || special) blockPlain = singleQuoted = false;
  if (lineBreaks) blockPlain = false;
  if (blockIndicators) blockPlain = false;
  return { multiline: lineBreaks, blockPlain, singleQuoted, special };
}

/** libyaml's is_printable (a line feed counts). */
function printable(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  if (c === 0x0a) return true;
  if (c >= 0x20 && c <= 0x7e) return true;
  if (c >= 0xa0 && c <= 0xd7ff) return true;
  if (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) return true;
  return false;
}
