// Equivalence rules (`file_contexts.subs` and `.subs_dist`), as libselinux
// reads and applies them (selabel_subs_init, selabel_sub, selabel_sub_key):
// `ALIAS ORIGINAL` per line, later lines tried first, a prefix match only at a
// `/` boundary (or the whole path), the `/` destination case; one `.subs` rule,
// then one `.subs_dist` rule on its result (or on the path when no `.subs`
// rule applied). Not here: the `//` collapse and trailing `/` drop that come
// before (lookup.ts).

export interface SubstitutionRule {
  /** The alias (the path people write). */
  src: string;
  /** What it stands for (the path file_contexts uses). */
  dst: string;
  file: string;
  line: number;
  kind: 'subs' | 'subs_dist';
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /[ \t\n\v\f\r]/.test(c);

/** Parses an equivalence file (latin1 text); the rules come back in file order. */
export function parseSubs(text: string, file: string, kind: 'subs' | 'subs_dist'): SubstitutionRule[] {
  const out: SubstitutionRule[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    let i = 0;
    while (isSpace(line[i])) i++;
    if (line[i] === '#') continue;
    const s0 = i;
    while (i < line.length && !isSpace(line[i])) i++;
    const src = line.slice(s0, i);
    if (src === '') continue;
    while (isSpace(line[i])) i++;
    const d0 = i;
    while (i < line.length && !isSpace(line[i])) i++;
    const dst = line.slice(d0, i);
    if (dst === '') continue;
    out.push({ src, dst, file, line: n + 1, kind });
  }
  return out;
}

/** The index of selabel_sub's rule for a path (later lines first: the alias is the path or a `/`-bounded prefix of it), or -1. */
function subsRuleIndex(rulesInFileOrder: readonly SubstitutionRule[], path: string): number {
  for (let k = rulesInFileOrder.length - 1; k >= 0; k--) {
    const src = rulesInFileOrder[k]!.src;
    if (path.startsWith(src) && (path.length === src.length || path.charCodeAt(src.length) === 47)) return k;
  }
  return -1;
}

/** The path after a rule that applies to it (the `/` destination case: the alias's `/` goes too). */
function rewrite(r: SubstitutionRule, path: string): string {
  const cut = path.length > r.src.length && r.dst === '/' ? r.src.length + 1 : r.src.length;
  return r.dst + path.slice(cut);
}

/** selabel_sub: the first rule (later lines first) whose alias is the path or a `/`-bounded prefix of it. */
export function applySubs(rulesInFileOrder: readonly SubstitutionRule[], path: string): { path: string; rule: SubstitutionRule } | undefined {
  const k = subsRuleIndex(rulesInFileOrder, path);
  if (k < 0) return undefined;
  const rule = rulesInFileOrder[k]!;
  return { path: rewrite(rule, path), rule };
}

/** substitute()'s path alone, without the record of the rules (the lookup's hot path). */
export function substitutePath(subs: readonly SubstitutionRule[], dist: readonly SubstitutionRule[], path: string): string {
  let p = path;
  let k = subsRuleIndex(subs, p);
  if (k >= 0) p = rewrite(subs[k]!, p);
  k = subsRuleIndex(dist, p);
  return k >= 0 ? rewrite(dist[k]!, p) : p;
}

export interface SubstitutionResult {
  path: string;
  /** The rules that rewrote the path, in the order applied (at most one of each kind). */
  rules: SubstitutionRule[];
}

/** selabel_sub_key: one `.subs` rule, then one `.subs_dist` rule on its result. */
export function substitute(subs: readonly SubstitutionRule[], dist: readonly SubstitutionRule[], path: string): SubstitutionResult {
  const rules: SubstitutionRule[] = [];
  const local = applySubs(subs, path);
  let p = path;
  if (local) {
    rules.push(local.rule);
    p = local.path;
  }
  const d = applySubs(dist, p);
  if (d) {
    rules.push(d.rule);
    p = d.path;
  }
  return { path: p, rules };
}
