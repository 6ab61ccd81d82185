// RBAC manifests -> RbacObjects: YAML (several documents) or JSON files of
// Roles, ClusterRoles, RoleBindings and ClusterRoleBindings
// (rbac.authorization.k8s.io/v1 or v1beta1), alone or in a v1 List. Other
// kinds (a Deployment in the same file) are counted and skipped. An RBAC
// object that is not valid (no name, a rule without verbs, a binding without
// roleRef) is a `bad-manifest` error naming file:line:col.
import { isMap, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import { type Diagnostic, diagnostic, fileErrorDiagnostic, isFileError, PortholeError } from '../../../base/diagnostic.js';
import { MAX_WHOLE_FILE_BYTES } from '../../../base/limits.js';
import { readWholeFile } from '../../../base/source.js';
import type { Span } from '../../../base/span.js';
import { emptyRbacObjects, type PolicyRule, type RbacObjects, type Role, type RoleBinding, type Subject } from '../rule.js';

export interface ManifestFile {
  /** Shown in locations. */
  name: string;
  /** The text; read from `path` when absent. */
  text?: string | undefined;
  path?: string | undefined;
}

export interface ReadManifestsResult {
  objects: RbacObjects;
  /** Objects of other kinds, skipped. */
  skipped: number;
}

const RBAC_VERSIONS = new Set(['rbac.authorization.k8s.io/v1', 'rbac.authorization.k8s.io/v1beta1', 'rbac.authorization.k8s.io/v1alpha1']);

/** Reads RBAC manifests; throws a PortholeError (bad-manifest, file-read) listing every problem. */
export function readRbacManifests(files: readonly ManifestFile[]): ReadManifestsResult {
  const objects = emptyRbacObjects();
  let skipped = 0;
  const problems: Diagnostic[] = [];
  for (const f of files) {
    let text = f.text;
    if (text === undefined) {
      try {
        text = readWholeFile(f.path ?? f.name, f.name, MAX_WHOLE_FILE_BYTES, 'manifests are read whole; one this large is not an RBAC manifest (a device, a pipe?)').toString('utf8');
      } catch (e) {
        if (isFileError(e)) {
          problems.push(fileErrorDiagnostic(e, 'read', f.name));
          continue;
        }
        throw e;
      }
    }
    const lc = new LineCounter();
    const span = (node: Node | null | undefined): Span => {
      const off = node?.range?.[0] ?? 0;
      const p = lc.linePos(off);
      return { file: f.name, line: p.line, column: p.col };
    };
    const bad = (node: Node | null | undefined, message: string): void => void problems.push(diagnostic('error', 'bad-manifest', message, { span: span(node) }));
    for (const doc of parseAllDocuments(text, { lineCounter: lc, prettyErrors: false })) {
      if (doc.errors.length > 0) {
        const e = doc.errors[0]!;
        problems.push(diagnostic('error', 'bad-manifest', `not YAML or JSON: ${e.message.split('\n')[0]}`, { span: { file: f.name, line: e.linePos?.[0]?.line ?? 1, column: e.linePos?.[0]?.col } }));
        continue;
      }
      if (doc.contents === null) continue;
      const take = (node: Node): void => {
        if (!isMap(node)) {
          bad(node, 'a manifest that is not an object');
          return;
        }
        const v = node.toJSON() as Record<string, unknown>;
        if (v.kind === 'List' || (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items))) {
          const items = node.get('items', true);
          if (!isSeq(items)) {
            bad(node, 'a List without items');
            return;
          }
          for (const item of items.items) take(item as Node);
          return;
        }
        const kind = v.kind;
        if (kind !== 'Role' && kind !== 'ClusterRole' && kind !== 'RoleBinding' && kind !== 'ClusterRoleBinding') {
          skipped++;
          return;
        }
        if (typeof v.apiVersion !== 'string' || !RBAC_VERSIONS.has(v.apiVersion)) {
          bad(node, `a ${kind} of apiVersion ${JSON.stringify(v.apiVersion ?? null)} (rbac.authorization.k8s.io/v1)`);
          return;
        }
        const meta = v.metadata as Record<string, unknown> | undefined;
        if (!meta || typeof meta.name !== 'string' || meta.name === '') {
          bad(node, `a ${kind} without metadata.name`);
          return;
        }
        const namespaced = kind === 'Role' || kind === 'RoleBinding';
        const namespace = typeof meta.namespace === 'string' ? meta.namespace : namespaced ? 'default' : undefined;
        const labels = isStringMap(meta.labels) ? meta.labels : undefined;
        const metadata = { name: meta.name, namespace: namespaced ? namespace : undefined, labels };
        if (kind === 'Role' || kind === 'ClusterRole') {
          const rules = v.rules ?? [];
          if (!Array.isArray(rules)) {
            bad(node, `${kind} ${meta.name}: rules is not a list`);
            return;
          }
          const parsed: PolicyRule[] = [];
          for (let i = 0; i < rules.length; i++) {
            const r = toRule(rules[i]);
            if (typeof r === 'string') {
              bad((node.getIn(['rules', i], true) as Node) ?? node, `${kind} ${meta.name}: rule ${i + 1}: ${r}`);
              return;
            }
            parsed.push(r);
          }
          const role: Role = { kind, metadata, rules: parsed };
          const agg = v.aggregationRule as { clusterRoleSelectors?: { matchLabels?: Record<string, string> }[] } | undefined;
          if (kind === 'ClusterRole' && agg && Array.isArray(agg.clusterRoleSelectors))
            role.aggregationRule = { clusterRoleSelectors: agg.clusterRoleSelectors.map((s) => ({ matchLabels: isStringMap(s?.matchLabels) ? s.matchLabels : undefined })) };
          (kind === 'Role' ? objects.roles : objects.clusterRoles).push(role);
          return;
        }
        const ref = v.roleRef as Record<string, unknown> | undefined;
        if (!ref || (ref.kind !== 'Role' && ref.kind !== 'ClusterRole') || typeof ref.name !== 'string') {
          bad(node, `${kind} ${meta.name}: roleRef must name a Role or ClusterRole`);
          return;
        }
        if (kind === 'ClusterRoleBinding' && ref.kind !== 'ClusterRole') {
          bad(node, `${kind} ${meta.name}: a ClusterRoleBinding can only refer to a ClusterRole`);
          return;
        }
        const subjects: Subject[] = [];
        for (const s of Array.isArray(v.subjects) ? v.subjects : []) {
          const o = s as Record<string, unknown>;
          if ((o?.kind !== 'User' && o?.kind !== 'Group' && o?.kind !== 'ServiceAccount') || typeof o.name !== 'string') {
            bad(node, `${kind} ${meta.name}: a subject must be a User, Group or ServiceAccount with a name`);
            return;
          }
          subjects.push({ kind: o.kind, name: o.name, apiGroup: typeof o.apiGroup === 'string' ? o.apiGroup : undefined, namespace: typeof o.namespace === 'string' ? o.namespace : undefined });
        }
        const binding: RoleBinding = { kind, metadata, roleRef: { apiGroup: String(ref.apiGroup ?? ''), kind: ref.kind, name: ref.name }, subjects };
        (kind === 'RoleBinding' ? objects.roleBindings : objects.clusterRoleBindings).push(binding);
      };
      take(doc.contents as Node);
    }
  }
  if (problems.length > 0) throw new PortholeError(problems);
  return { objects, skipped };
}

function isStringMap(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function toRule(v: unknown): PolicyRule | string {
  if (typeof v !== 'object' || v === null) return 'not an object';
  const o = v as Record<string, unknown>;
  if (!isStrings(o.verbs) || o.verbs.length === 0) return 'verbs must be a non-empty list of strings';
  const rule: PolicyRule = { verbs: o.verbs };
  for (const k of ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const) {
    if (o[k] === undefined || o[k] === null) continue;
    if (!isStrings(o[k])) return `${k} must be a list of strings`;
    rule[k] = o[k];
  }
  if ((rule.nonResourceURLs ?? []).length > 0 && ((rule.resources ?? []).length > 0 || (rule.apiGroups ?? []).length > 0))
    return 'a rule has either nonResourceURLs or apiGroups and resources, not both';
  return rule;
}
