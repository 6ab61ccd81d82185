// Existing RBAC replayed over audit logs (`porthole rbac check`): every
// request of the logs goes through the RBAC authorizer with the manifests'
// objects; the report lists the requests they would deny, and for every rule
// of every role how many requests it allowed (the first rule that allows a
// request, in the authorizer's order, is the one credited), so that rules
// never used stand out. Requests are kept once per distinct request, with a
// count and where the first one is.
import type { LogInput } from '../../../base/source.js';
import type { Span } from '../../../base/span.js';
import type { KubeAuditEvent } from '../../audit/event.js';
import { type KubeReadStats, readKubeEvents } from '../../audit/read.js';
import { RbacAuthorizer } from '../authorizer.js';
import { discoveryRbac } from '../generate.js';
import { compareRequests } from '../order.js';
import { eventToRequest, type RequestAttributes, requestKey, StringPool } from '../request.js';
import { compactString, type PolicyRule, type RbacObjects, type Role } from '../rule.js';

export interface DeniedRequest {
  request: RequestAttributes;
  count: number;
  first: Span;
}

export interface RuleUse {
  role: { kind: Role['kind']; name: string; namespace?: string | undefined };
  /** 0-based index of the rule in its role. */
  index: number;
  rule: PolicyRule;
  /** Requests (events) this rule allowed. */
  uses: number;
}

export interface RbacCheckReport {
  stats: KubeReadStats;
  /** Events replayed, and how many were denied. */
  requests: number;
  denied: number;
  deniedRequests: DeniedRequest[];
  rules: RuleUse[];
}

export interface CheckRbacOptions {
  /** Add the built-in discovery role every cluster has (get on /api*, /healthz, /version...; default true), as generation assumes it. */
  discovery?: boolean | undefined;
  onMalformed?: ((span: Span, reason: string) => void) | undefined;
  progress?: ((line: string) => void) | undefined;
}

function withDiscovery(o: RbacObjects): RbacObjects {
  const d = discoveryRbac();
  return { roles: o.roles, clusterRoles: [...o.clusterRoles, ...d.clusterRoles], roleBindings: o.roleBindings, clusterRoleBindings: [...o.clusterRoleBindings, ...d.clusterRoleBindings] };
}

/**
 * Requests replayed against RBAC objects as they come, from a log or a webhook's batches: each
 * distinct request kept once with its count and first place; report() authorizes them.
 */
export class RbacReplay {
  private readonly objects: RbacObjects;
  private readonly authz: RbacAuthorizer;
  private readonly distinct = new Map<string, { request: RequestAttributes; count: number; first: Span }>();
  private readonly pool = new StringPool();
  /** Events replayed so far. */
  requests = 0;

  constructor(manifests: RbacObjects, opts: Pick<CheckRbacOptions, 'discovery'> = {}) {
    this.objects = opts.discovery === false ? manifests : withDiscovery(manifests);
    this.authz = new RbacAuthorizer(this.objects);
  }

  add(event: KubeAuditEvent, span: Span): void {
    this.requests++;
    const r = eventToRequest(event, 'porthole');
    const k = requestKey(r);
    const seen = this.distinct.get(k);
    if (seen) seen.count++;
    else this.distinct.set(this.pool.get(k), { request: this.pool.request(r), count: 1, first: span });
  }

  /** The report on the requests so far (`stats`: how they were read). */
  report(stats: KubeReadStats): RbacCheckReport {
    const { objects } = this;
    const uses = new Map<Role, number[]>();
    for (const r of [...objects.clusterRoles, ...objects.roles]) uses.set(r, new Array<number>(r.rules.length).fill(0));
    const deniedRequests: DeniedRequest[] = [];
    let denied = 0;
    for (const d of this.distinct.values()) {
      const ref = this.authz.allowingRule(d.request);
      if (ref) {
        const u = uses.get(ref.role);
        if (u) u[ref.index]! += d.count;
      } else {
        denied += d.count;
        deniedRequests.push({ ...d });
      }
    }
    deniedRequests.sort((a, b) => compareRequests(a.request, b.request));
    const rules: RuleUse[] = [];
    for (const role of [...objects.clusterRoles, ...objects.roles]) {
      role.rules.forEach((rule, index) => {
        rules.push({ role: { kind: role.kind, name: role.metadata.name, namespace: role.metadata.namespace }, index, rule, uses: uses.get(role)![index]! });
      });
    }
    return { stats, requests: this.requests, denied, deniedRequests, rules };
  }
}

/** Replays every request of the logs against the objects. */
export async function checkRbac(input: LogInput | readonly LogInput[], manifests: RbacObjects, opts: CheckRbacOptions = {}): Promise<RbacCheckReport> {
  const replay = new RbacReplay(manifests, opts);
  const stats = await readKubeEvents(input, (event, span) => replay.add(event, span), {
    ...(opts.onMalformed ? { onMalformed: opts.onMalformed } : {}),
    ...(opts.progress ? { progress: opts.progress } : {}),
  });
  return replay.report(stats);
}

/** A request as one line: `user VERB group/resource/subresource ns/name` or `user VERB /path`. */
export function describeRequest(r: RequestAttributes): string {
  if (!r.resourceRequest) return `${r.user} ${r.verb} ${r.path}`;
  const res = `${r.apiGroup === '' ? '' : `${r.apiGroup}/`}${r.resource}${r.subresource ? `/${r.subresource}` : ''}`;
  const where = r.namespace ? ` in ${r.namespace}` : ' (cluster-wide)';
  return `${r.user} ${r.verb} ${res}${r.name ? ` ${r.name}` : ''}${where}`;
}

/** The report as text. */
export function formatRbacCheck(rep: RbacCheckReport): string {
  const roleName = (u: RuleUse): string => `${u.role.kind} ${u.role.namespace ? `${u.role.namespace}/` : ''}${u.role.name}`;
  let out = `denied: ${rep.denied} of ${rep.requests} requests (${rep.deniedRequests.length} distinct)\n`;
  for (const d of rep.deniedRequests) out += `  ${describeRequest(d.request)}  x${d.count}  first at ${d.first.file}:${d.first.line}\n`;
  const unused = rep.rules.filter((r) => r.uses === 0);
  out += `rules never used: ${unused.length} of ${rep.rules.length}\n`;
  for (const u of unused) out += `  ${roleName(u)} rule ${u.index + 1}: ${compactString(u.rule)}\n`;
  out += 'rules used:\n';
  for (const u of rep.rules.filter((r) => r.uses > 0)) out += `  ${roleName(u)} rule ${u.index + 1}: ${compactString(u.rule)}  x${u.uses}\n`;
  return out;
}

/** The report as JSON lines: one per denied request, one per rule, then the summary. */
export function rbacCheckJson(rep: RbacCheckReport): unknown[] {
  return [
    ...rep.deniedRequests.map((d) => ({ denied: { ...d.request, groups: d.request.groups ?? null, count: d.count, first: d.first } })),
    ...rep.rules.map((u) => ({ rule: { role: u.role, index: u.index, rule: u.rule, uses: u.uses } })),
    {
      summary: {
        requests: rep.requests,
        denied: rep.denied,
        deniedDistinct: rep.deniedRequests.length,
        rules: rep.rules.length,
        unusedRules: rep.rules.filter((r) => r.uses === 0).length,
        malformed: rep.stats.malformed,
      },
    },
  ];
}
