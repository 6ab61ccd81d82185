// Comparing our `porthole allow` output with audit2allow's.
//
// Two comparisons (see the spec's oracle section):
//  1. structural, on every log: per (source, target, class) the union of
//     permissions of the allow / dontaudit rules (target `self` = source),
//     plus the `role R types T;` pairs and the allowxperm/dontauditxperm rules;
//  2. full output, byte for byte, on logs whose denials are all missing-rule
//     cases, after normaliseOutputs() and nothing else.

export interface RuleUnion {
  rule: string;
  source: string;
  target: string;
  tclass: string;
  perms: string[];
}

export interface Structure {
  /** `rule source target class` -> sorted perms */
  rules: Map<string, Set<string>>;
  roles: Set<string>;
  xperms: Set<string>;
  /** Rule-looking lines the patterns above do not understand (e.g. a class with a space). */
  unparsed: Set<string>;
}

const AV_RE = /^(allow|dontaudit|auditallow|neverallow) (\S+) (\S+):(\S*) (?:\{ ([^}]*) \}|(\S+));$/;
const XPERM_RE = /^(allowxperm|dontauditxperm|auditallowxperm|neverallowxperm) (\S+) (\S+):(\S*) (\S+) (.*);$/;
const ROLE_RE = /^role (\S+) types (\S+);$/;

/** Rules, roles and xperm rules of a te-style output (comments ignored). */
export function structureOf(text: string): Structure {
  const rules = new Map<string, Set<string>>();
  const roles = new Set<string>();
  const xperms = new Set<string>();
  const unparsed = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    let m = AV_RE.exec(line);
    if (m) {
      const [, rule, src, tgt0, cls] = m;
      const perms = (m[5] ?? m[6] ?? '').split(' ').filter(Boolean);
      const tgt = tgt0 === 'self' ? src : tgt0;
      const key = `${rule} ${src} ${tgt} ${cls}`;
      let s = rules.get(key);
      if (!s) rules.set(key, (s = new Set()));
      for (const p of perms) s.add(p);
      continue;
    }
    m = XPERM_RE.exec(line);
    if (m) {
      const [, rule, src, tgt0, cls, op, vals] = m;
      xperms.add(`${rule} ${src} ${tgt0 === 'self' ? src : tgt0}:${cls} ${op} ${vals}`);
      continue;
    }
    m = ROLE_RE.exec(line);
    if (m) {
      roles.add(`${m[1]} ${m[2]}`);
      continue;
    }
    if (/^(allow|dontaudit|auditallow|neverallow)(xperm)? /.test(line)) unparsed.add(line);
  }
  return { rules, roles, xperms, unparsed };
}

export function unionsOf(s: Structure): RuleUnion[] {
  return [...s.rules.entries()]
    .map(([k, v]) => {
      const [rule = '', source = '', target = '', tclass = ''] = k.split(' ');
      return { rule, source, target, tclass, perms: [...v].sort() };
    })
    .sort((a, b) => cmp(`${a.rule} ${a.source} ${a.target} ${a.tclass}`, `${b.rule} ${b.source} ${b.target} ${b.tclass}`));
}

export interface StructDiff {
  /** `rule src tgt:class` expected perms vs actual perms (missing side = null). */
  rules: Array<{ key: string; expected: string[] | null; actual: string[] | null }>;
  roles: { missing: string[]; extra: string[] };
  xperms: { missing: string[]; extra: string[] };
  unparsed: { missing: string[]; extra: string[] };
}

export function diffStructure(expected: Structure, actual: Structure): StructDiff {
  const rules: StructDiff['rules'] = [];
  const keys = new Set([...expected.rules.keys(), ...actual.rules.keys()]);
  for (const k of [...keys].sort(cmp)) {
    const e = expected.rules.get(k);
    const a = actual.rules.get(k);
    const es = e ? [...e].sort() : null;
    const as = a ? [...a].sort() : null;
    if (JSON.stringify(es) !== JSON.stringify(as)) {
      const [rule, s, t, c] = k.split(' ');
      rules.push({ key: `${rule} ${s} ${t}:${c}`, expected: es, actual: as });
    }
  }
  const setDiff = (e: Set<string>, a: Set<string>) => ({
    missing: [...e].filter((x) => !a.has(x)).sort(cmp),
    extra: [...a].filter((x) => !e.has(x)).sort(cmp),
  });
  return {
    rules,
    roles: setDiff(expected.roles, actual.roles),
    xperms: setDiff(expected.xperms, actual.xperms),
    unparsed: setDiff(expected.unparsed, actual.unparsed),
  };
}

export function structDiffEmpty(d: StructDiff): boolean {
  return d.rules.length === 0 && (['roles', 'xperms', 'unparsed'] as const).every((k) => d[k].missing.length === 0 && d[k].extra.length === 0);
}

// ---------------------------------------------------------------------------
// Normalisation for the byte-for-byte comparison.

export interface LogFacts {
  /** The log is `ausearch -i` output (msg=audit(11/14/23 22:13:20.123:1001) : ...). */
  ausearchI: boolean;
  /**
   * For each unquoted hex comm=, exe= and path= value of the log (path: of
   * AVC_PATH records, the only path audit2allow reads): decoded value -> what
   * audit2allow prints (the hex minus its first and last character).
   */
  hexValues: Map<string, string>;
  /**
   * README "Differences" #10: the log has AVC_PATH records audit2allow did not
   * see (written `type=1402`, or in dmesg / journald form): we show their path
   * with -v / -e, it does not.
   */
  avcPathsUnseen: boolean;
  /** The log has AVC_PATH records in some form. */
  avcPaths: boolean;
  /**
   * README "Differences" #6: the only lines audit2allow took as SELinux input
   * were `security_compute_sid:` lines it cannot read, which our side ran
   * without (harness.ts ourInputLog): audit2allow prints an empty module, we
   * say "Nothing to do".
   */
  selinuxOnlyUnreadComputeSid: boolean;
  /**
   * Our side ran without the AVCs the policy made audit2allow drop (harness.ts ourInputLog). Where
   * they were all audit2allow had (after the last policy load, with -l), it prints an empty module
   * and we say "Nothing to do".
   */
  policyDroppedLeftOut: boolean;
}

/** An AVC_PATH record in any form: `type=AVC_PATH`, `type=1402` (raw, dmesg, kernel syslog), journald's `audit[PID]: AVC_PATH`. */
export const AVC_PATH_LINE_RE = /(?:^|\s)(?:type=(?:AVC_PATH|1402)|AVC_PATH)(?=\s|$)/;

const AUSEARCH_HEADER_RE = /msg=audit\(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d+:\d+\) : /;

/**
 * What normaliseOutputs needs to know about the input log; `oracle`: what the
 * harness learnt from audit2allow's own parser (harness.ts compareCase).
 */
export function logFacts(logText: string, oracle: { avcPathsUnseen?: boolean; selinuxOnlyUnreadComputeSid?: boolean; policyDroppedLeftOut?: boolean } = {}): LogFacts {
  const hexValues = new Map<string, string>();
  // Unquoted values: hex (decoded by us), or plain words some tools write
  // unquoted (comm=local): audit2allow drops a character at each end of both.
  const re = /(?:^|[\s\x1d])(?:comm|exe|path)=([^"\s\x1d'][^\s\x1d']*)(?=[\s\x1d']|$)/gm;
  for (const m of logText.matchAll(re)) {
    const v = m[1] ?? '';
    if (/^(?:[0-9A-F]{2})+$/.test(v)) hexValues.set(Buffer.from(v, 'hex').toString('utf8'), v.slice(1, -1));
    else if (!hexValues.has(v)) hexValues.set(v, v.slice(1, -1));
  }
  // README #7: a line cut inside a quoted value (`exe="/usr`): we read the
  // value to the end of the line, audit2allow drops its last character too.
  for (const m of logText.matchAll(/(?:^|[\s\x1d])(?:comm|exe)="([^"\n]*?)\r?$/gm)) {
    const v = m[1] ?? '';
    if (v && !hexValues.has(v)) hexValues.set(v, v.slice(0, -1));
  }
  return {
    ausearchI: AUSEARCH_HEADER_RE.test(logText),
    hexValues,
    avcPaths: logText.split('\n').some((l) => AVC_PATH_LINE_RE.test(l)),
    avcPathsUnseen: oracle.avcPathsUnseen ?? false,
    selinuxOnlyUnreadComputeSid: oracle.selinuxOnlyUnreadComputeSid ?? false,
    policyDroppedLeftOut: oracle.policyDroppedLeftOut ?? false,
  };
}

const COMM_LINE_RE = /^(#\s+)comm="(.*)" exe="(.*)" path="(.*)"$/;

/**
 * The normalisations allowed by the spec, and only those. Applied to both
 * outputs (expected = audit2allow's, actual = ours):
 *
 *  1. `require { ... }`: its lines are compared as a set (sorted here):
 *     audit2allow's `type` lines come out in Python set order, ours sorted.
 *     [Also, by the same cause, consecutive `role R types T;` lines: audit2allow
 *     prints a role's types in set order. Not in the spec's list; needed for
 *     the same reason as 1.]
 *  2. -v / -e comment lines `comm="..." exe="..." path="..."`: where the log
 *     hex-encoded comm / exe / (AVC_PATH) path (unquoted hex, because the value
 *     has a space or a quote), audit2allow prints the hex minus one character
 *     at each end (it strips the quotes it expects); we print the decoded
 *     value. Ours is mapped to audit2allow's form through the log's hex values.
 *  3. `ausearch -i` input (unquoted interpreted values):
 *     a. the -e header `# audit(11/14/23 22:13:20.123:1001) :` is cut by
 *        audit2allow at the first space (`# audit(11/14/23`); ours is cut the same way;
 *     b. audit2allow loses a character at each end of unquoted comm/exe values
 *        (and sees only the first word of a value with a space); ours is mapped
 *        the same way.
 *  4. README "Differences" #10 (AVC_PATH records in every form): when the log
 *     has AVC_PATH records audit2allow did not see (`type=1402`, dmesg or
 *     journald form), or is `ausearch -i` output with AVC_PATH records
 *     (audit2allow groups records by its header word, there only the date,
 *     so a date's last AVC_PATH goes to every AVC of that date), the
 *     `path="..."` of the -v / -e comment lines is masked on both sides.
 *  5. README "Differences" #6 (SELINUX_ERR read in every form): when the only
 *     lines audit2allow took as SELinux input were `security_compute_sid:`
 *     lines it cannot read (our side ran without them: harness.ts
 *     ourInputLog), audit2allow prints an empty module and we say "Nothing
 *     to do" (empty stdout, exit 0): our empty stdout stands for its empty
 *     module (blank lines and `module NAME 1.0;` only).
 *  6. README "Differences" #2 (rules the policy rejects carry a note): for a class
 *     the policy does not define, audit2allow keeps the rule without a note and
 *     ours has `#!!!! Not in the policy: class C is not defined` (after a blank line
 *     without -v/-e) above it; the note (and that blank line) is taken out of ours.
 * (README #7, AVC lines with `{ }` or an empty tclass=, is handled by running
 * both sides without those lines: audit2allow_batch.py excludeBadAvcs.)
 */
export function normaliseOutputs(expected: string, actual: string, facts: LogFacts): { expected: string; actual: string; applied: string[] } {
  const applied: string[] = [];
  let act = actual;
  if (facts.selinuxOnlyUnreadComputeSid && act === '' && EMPTY_MODULE_RE.test(expected) && expected !== '') {
    act = expected;
    applied.push('README #6: our "Nothing to do" for its empty module');
  } else if (facts.policyDroppedLeftOut && act === '' && EMPTY_MODULE_RE.test(expected) && expected !== '') {
    act = expected;
    applied.push('input: policy-dropped AVCs left out of ours were all it had: our "Nothing to do" for its empty module');
  }
  const unnoted = act.replace(/\n\n?#!!!! Not in the policy: class \S+ is not defined(?=\n)/g, '');
  if (unnoted !== act) {
    act = unnoted;
    applied.push('README #2: our note on a rule whose class the policy does not define');
  }
  let exp = expected;
  if (facts.avcPaths && (facts.avcPathsUnseen || facts.ausearchI)) {
    const [e, a] = [maskPaths(exp), maskPaths(act)];
    if (e !== exp || a !== act) applied.push('README #10: -v/-e AVC_PATH paths masked');
    [exp, act] = [e, a];
  }
  return { expected: sortBlocks(exp), actual: sortBlocks(mapActual(act, facts)), applied };
}

/** What audit2allow prints when it saw SELinux input but nothing to allow (any option set). */
const EMPTY_MODULE_RE = /^(?:\n|module \S+ 1\.0;\n)*$/;

const MASKED_PATH = '<AVC_PATH path: README #10>';

function maskPaths(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const m = COMM_LINE_RE.exec(line);
      return m ? `${m[1]}comm="${m[2]}" exe="${m[3]}" path="${MASKED_PATH}"` : line;
    })
    .join('\n');
}

function mapActual(text: string, facts: LogFacts): string {
  const unhex = (v: string): string => facts.hexValues.get(v) ?? v;
  const strip = (v: string): string => (facts.ausearchI ? (v.split(/\s/)[0] ?? '').slice(1, -1) : unhex(v));
  return text
    .split('\n')
    .map((line) => {
      const m = COMM_LINE_RE.exec(line);
      if (m) return `${m[1]}comm="${strip(m[2] ?? '')}" exe="${strip(m[3] ?? '')}" path="${m[4] === MASKED_PATH ? MASKED_PATH : unhex(m[4] ?? '')}"`;
      if (facts.ausearchI && /^# audit\(/.test(line)) {
        const sp = line.indexOf(' ', 2);
        return sp >= 0 ? line.slice(0, sp) : line;
      }
      return line;
    })
    .join('\n');
}

function sortBlocks(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === 'require {') {
      let j = i + 1;
      while (j < lines.length && lines[j] !== '}') j++;
      out.push(line, ...lines.slice(i + 1, j).sort(cmp));
      i = j - 1;
      continue;
    }
    if (ROLE_RE.test(line)) {
      let j = i;
      while (j < lines.length && ROLE_RE.test(lines[j] ?? '') && (lines[j] ?? '').split(' ')[1] === line.split(' ')[1]) j++;
      out.push(...lines.slice(i, j).sort(cmp));
      i = j - 1;
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------
// Line diff (LCS), for reports.

export interface LineDiff {
  /** 1-based line numbers; the other side is absent for pure insertions/deletions. */
  expectedLine?: number;
  actualLine?: number;
  expected?: string | undefined;
  actual?: string | undefined;
}

export function diffLines(expected: string, actual: string, max = 200): LineDiff[] {
  const a = expected.split('\n');
  const b = actual.split('\n');
  // Trim common prefix/suffix to keep the table small.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const A = a.slice(pre, a.length - suf);
  const B = b.slice(pre, b.length - suf);
  const n = A.length;
  const m = B.length;
  const out: LineDiff[] = [];
  if (n * m > 4_000_000) {
    // Too big for the table: report both sides wholesale.
    for (const [k, l] of A.slice(0, max).entries()) out.push({ expectedLine: pre + k + 1, expected: l });
    for (const [k, l] of B.slice(0, max).entries()) out.push({ actualLine: pre + k + 1, actual: l });
    return out.slice(0, max);
  }
  const L: Uint32Array[] = [];
  for (let i = 0; i <= n; i++) L.push(new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = L[i] as Uint32Array;
    const next = L[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--) row[j] = A[i] === B[j] ? (next[j + 1] ?? 0) + 1 : Math.max(next[j] ?? 0, row[j + 1] ?? 0);
  }
  let i = 0;
  let j = 0;
  while ((i < n || j < m) && out.length < max) {
    if (i < n && j < m && A[i] === B[j]) {
      i++;
      j++;
    } else if (j < m && (i === n || (L[i]?.[j + 1] ?? 0) >= (L[i + 1]?.[j] ?? 0))) {
      out.push({ actualLine: pre + j + 1, actual: B[j] });
      j++;
    } else {
      out.push({ expectedLine: pre + i + 1, expected: A[i] });
      i++;
    }
  }
  return out;
}

export function formatLineDiff(d: LineDiff[]): string {
  return d.map((x) => (x.expected !== undefined ? `  - [a2a ${x.expectedLine}] ${JSON.stringify(x.expected)}` : `  + [ours ${x.actualLine}] ${JSON.stringify(x.actual)}`)).join('\n');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
