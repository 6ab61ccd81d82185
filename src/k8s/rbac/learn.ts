// Audit logs -> RBAC objects per subject: `porthole rbac`'s library function.
// Events are read as a stream and reduced to the requests of the subjects
// asked for (a user, a service account, the members of a group, or every
// principal), then each subject's requests go through the generator. By
// default a subject keeps each distinct request once, so memory grows with
// distinct requests, not with the log; `audit2rbac` mode keeps every request
// as audit2rbac does (its sort is not a strict order, so duplicates can
// change its result). Names, labels and annotations come from templates with
// `${user}` and `${version}`, sanitized as audit2rbac does.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${user} and ${version} are audit2rbac's template placeholders, not JavaScript's
import { fail } from '../../base/diagnostic.js';
import type { LogInput } from '../../base/source.js';
import type { Span } from '../../base/span.js';
import type { KubeAuditEvent } from '../audit/event.js';
import { type KubeReadStats, readKubeEvents } from '../audit/read.js';
import { DEFAULT_VERB_EXPANSIONS, discoveryRbac, generateRbac, userToSubject } from './generate.js';
import { eventToRequest, eventUser, type RbacMode, type RequestAttributes, requestKey, StringPool } from './request.js';
import { RBAC_GROUP, type RbacObjects, type Subject } from './rule.js';

/** Whose requests to learn from. */
export type RbacSubjectFilter = { user: string } | { serviceAccount: { namespace: string; name: string } } | { group: string } | { allSubjects: true };

export interface LearnRbacOptions {
  subject: RbacSubjectFilter;
  /** Only events on objects in this namespace. */
  namespace?: string | undefined;
  expandMultiNamespace?: boolean | undefined;
  expandMultiName?: boolean | undefined;
  /** Name template (`${user}`, `${version}`); default `porthole:${user}` (`audit2rbac:${user}` in audit2rbac mode). */
  name?: string | undefined;
  /** Label templates K=V; default porthole.dev/user=${user}, porthole.dev/generated=true. */
  labels?: readonly string[] | undefined;
  /** Annotation templates K=V; default porthole.dev/version=${version}. */
  annotations?: readonly string[] | undefined;
  /** `audit2rbac`: reproduce audit2rbac exactly (see the README for the differences). */
  mode?: RbacMode | undefined;
  /** What `${version}` stands for (default `unknown`). */
  version?: string | undefined;
  progress?: ((line: string) => void) | undefined;
  onMalformed?: ((span: Span, reason: string) => void) | undefined;
}

export interface LearnedSubject {
  /** The principal (user name, service account user name, or group name). */
  principal: string;
  subject: Subject;
  objects: RbacObjects;
  /** Events of this subject, and distinct requests among them. */
  events: number;
  requests: number;
}

export interface LearnRbacResult {
  subjects: LearnedSubject[];
  stats: KubeReadStats;
  /** Events that matched the subject filter (and namespace). */
  matched: number;
}

export const AUDIT2RBAC_DEFAULTS = {
  name: 'audit2rbac:${user}',
  labels: ['audit2rbac.liggitt.net/user=${user}', 'audit2rbac.liggitt.net/generated=true'],
  annotations: ['audit2rbac.liggitt.net/version=${version}'],
} as const;

export const PORTHOLE_DEFAULTS = {
  name: 'porthole:${user}',
  labels: ['porthole.dev/user=${user}', 'porthole.dev/generated=true'],
  annotations: ['porthole.dev/version=${version}'],
} as const;

interface Bucket {
  principal: string;
  subject: Subject | undefined;
  events: number;
  list: RequestAttributes[];
  seen: Map<string, RequestAttributes> | undefined;
}

/** Reads the logs and generates RBAC objects for each subject asked for. */
export async function learnRbac(input: LogInput | readonly LogInput[], opts: LearnRbacOptions): Promise<LearnRbacResult> {
  const collector = new RequestCollector(opts);
  const stats = await readKubeEvents(input, (e) => collector.add(e), { ...(opts.progress ? { progress: opts.progress } : {}), ...(opts.onMalformed ? { onMalformed: opts.onMalformed } : {}) });
  const subjects: LearnedSubject[] = [];
  for (const principal of collector.principals()) subjects.push(collector.generate(principal)!);
  return { subjects, stats, matched: collector.matched };
}

/**
 * The requests of the subjects asked for, kept as they come (from files or
 * from a webhook), and the objects generated for one of them on demand.
 */
export class RequestCollector {
  /** Events that matched the subject filter (and namespace). */
  matched = 0;
  private readonly buckets = new Map<string, Bucket>();
  private readonly pool = new StringPool();
  private readonly mode: RbacMode;
  private readonly wantedUser: string | undefined;
  private readonly group: string | undefined;

  constructor(private readonly opts: Omit<LearnRbacOptions, 'progress' | 'onMalformed'>) {
    this.mode = opts.mode ?? 'porthole';
    checkMetadataKeys(opts.labels ?? [], 'label');
    checkMetadataKeys(opts.annotations ?? [], 'annotation');
    const f = opts.subject;
    this.wantedUser = 'user' in f ? f.user : 'serviceAccount' in f ? `system:serviceaccount:${f.serviceAccount.namespace}:${f.serviceAccount.name}` : undefined;
    this.group = 'group' in f ? f.group : undefined;
  }

  /** Takes one event (ignored unless it matches). */
  add(event: KubeAuditEvent): void {
    const u = eventUser(event);
    let principal: string;
    let subject: Subject | undefined;
    if (this.wantedUser !== undefined) {
      if (u.username !== this.wantedUser) return;
      principal = this.wantedUser;
    } else if (this.group !== undefined) {
      if (!u.groups?.includes(this.group)) return;
      principal = this.group;
      subject = { kind: 'Group', apiGroup: RBAC_GROUP, name: this.group };
    } else {
      if (u.username === '') return;
      principal = u.username;
    }
    if (this.opts.namespace && event.objectRef?.namespace !== this.opts.namespace) return;
    let b = this.buckets.get(principal);
    if (!b) this.buckets.set(principal, (b = { principal: this.pool.get(principal), subject, events: 0, list: [], seen: this.mode === 'porthole' ? new Map() : undefined }));
    this.matched++;
    b.events++;
    const r = eventToRequest(event, this.mode);
    if (!b.seen) {
      b.list.push(this.pool.request(r));
      return;
    }
    const k = requestKey(r);
    if (!b.seen.has(k)) {
      const kept = this.pool.request(r);
      b.seen.set(this.pool.get(k), kept);
      b.list.push(kept);
    }
  }

  /** The principals seen, in order. */
  principals(): string[] {
    return [...this.buckets.keys()].sort();
  }

  /** The objects for one principal (undefined when it was not seen). */
  generate(principal: string): LearnedSubject | undefined {
    const b = this.buckets.get(principal);
    if (!b) return undefined;
    const opts = this.opts;
    const defaults = this.mode === 'audit2rbac' ? AUDIT2RBAC_DEFAULTS : PORTHOLE_DEFAULTS;
    const version = opts.version ?? 'unknown';
    const objects = generateRbac(discoveryRbac(), [...b.list], {
      verbExpansions: { ...DEFAULT_VERB_EXPANSIONS },
      expandMultipleNamespacesToClusterScoped: opts.expandMultiNamespace ?? true,
      expandMultipleNamesToUnnamed: opts.expandMultiName ?? true,
      name: (opts.name ?? defaults.name).replaceAll('${user}', sanitizeName(principal)).replaceAll('${version}', sanitizeName(version)),
      labels: templateMap(opts.labels ?? defaults.labels, sanitizeLabel(principal), sanitizeLabel(version)),
      annotations: templateMap(opts.annotations ?? defaults.annotations, principal, version),
      subject: b.subject,
      mode: this.mode,
    });
    return { principal, subject: b.subject ?? userToSubject(principal), objects, events: b.events, requests: b.list.length };
  }

  /** Distinct requests kept, over all principals. */
  get requests(): number {
    let n = 0;
    for (const b of this.buckets.values()) n += b.list.length;
    return n;
  }
}

const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Throws a usage error for a label or annotation key that the API server
 * would reject: `[PREFIX/]NAME`, PREFIX a DNS subdomain of at most 253
 * characters, NAME at most 63 of [A-Za-z0-9_.-], alphanumeric at both ends.
 */
export function checkMetadataKeys(entries: readonly string[], what: 'label' | 'annotation'): void {
  for (const entry of entries) {
    const e = entry.trim();
    if (e === '') continue;
    const key = e.includes('=') ? e.slice(0, e.indexOf('=')) : e;
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    const ok = QUALIFIED_NAME.test(name) && (prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix)));
    if (!ok) fail('usage', `not a valid ${what} key: ${JSON.stringify(key)} ([PREFIX/]NAME: NAME at most 63 characters of [A-Za-z0-9_.-], alphanumeric at both ends; PREFIX a DNS subdomain)`);
  }
}

/** K=V templates as a map (audit2rbac's Complete): empty entries skipped, a bare K has the value "". */
export function templateMap(entries: readonly string[], user: string, version: string): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (let s of entries) {
    s = s.trim();
    if (s === '') continue;
    out ??= {};
    s = s.replaceAll('${user}', user).replaceAll('${version}', version);
    const eq = s.indexOf('=');
    if (eq < 0) out[s] = '';
    else out[s.slice(0, eq)] = s.slice(eq + 1);
  }
  return out;
}

/** Lower case, every character but [a-zA-Z0-9:] as `-` (audit2rbac's sanitizeName). */
export function sanitizeName(s: string): string {
  return s.replace(/[^a-zA-Z0-9:]/gu, '-').toLowerCase();
}

/** Lower case, every character but [a-zA-Z0-9] as `-` (audit2rbac's sanitizeLabel). */
export function sanitizeLabel(s: string): string {
  return s.replace(/[^a-zA-Z0-9]/gu, '-').toLowerCase();
}
