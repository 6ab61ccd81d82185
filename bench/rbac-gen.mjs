// Writes a synthetic Kubernetes audit log (audit.k8s.io/v1 Events, Metadata
// level, one JSON object per line of about 1 KB) to stdout: SUBJECTS users and
// service accounts, each with its own few dozen habitual requests (mixed
// verbs, namespaces, names, subresources, non-resource URLs, query strings),
// from a fixed seed (the same bytes every run).
//   node bench/rbac-gen.mjs EVENTS [SUBJECTS] [SEED] [PERIOD] > audit.log
// Also imported by the tests (makeAuditLines).

/** A small seeded PRNG (mulberry32). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RESOURCES = [
  ['', 'v1', 'pods', ['', 'log', 'exec', 'status']],
  ['', 'v1', 'configmaps', ['']],
  ['', 'v1', 'secrets', ['']],
  ['', 'v1', 'services', ['']],
  ['', 'v1', 'serviceaccounts', ['', 'token']],
  ['apps', 'v1', 'deployments', ['', 'scale', 'status']],
  ['apps', 'v1', 'statefulsets', ['']],
  ['batch', 'v1', 'jobs', ['']],
  ['coordination.k8s.io', 'v1', 'leases', ['']],
  ['', 'v1', 'nodes', ['', 'status']],
];
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const PATHS = ['/api', '/apis', '/healthz', '/version', '/metrics', '/readyz', '/livez?verbose=1', '/openapi/v2'];

/** One subject's habits: the requests it makes (a few dozen), as templates. */
function profile(rnd, ns) {
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const out = [];
  const n = 20 + Math.floor(rnd() * 40);
  for (let k = 0; k < n; k++) {
    if (rnd() < 0.08) {
      out.push({ path: pick(PATHS) });
      continue;
    }
    const [group, version, resource, subs] = pick(RESOURCES);
    const verb = pick(VERBS);
    const sub = verb === 'list' || verb === 'watch' ? '' : pick(subs);
    const cluster = resource === 'nodes' || rnd() < 0.05;
    const namespace = cluster ? undefined : rnd() < 0.8 ? ns : `ns${Math.floor(rnd() * 40)}`;
    const name = verb === 'list' || verb === 'watch' || (verb === 'create' && sub === '') ? undefined : `${resource.slice(0, 3)}-${Math.floor(rnd() * 12)}`;
    out.push({ group, version, resource, verb, sub, namespace, name });
  }
  return out;
}

/**
 * `count` audit event lines (without newlines) for `subjects` principals.
 * With a `period`, the choices start over every `period` events (only the
 * times and IDs go on): a longer log then holds exactly the same distinct
 * requests as its first `period` events.
 */
export function* makeAuditLines(count, subjects = 5000, seed = 1, period = 0) {
  let rnd = prng(seed);
  const padding = 'x'.repeat(300);
  const profiles = new Map();
  for (let i = 0; i < count; i++) {
    if (period > 0 && i % period === 0) rnd = prng(seed);
    const s = Math.floor(rnd() ** 2 * subjects);
    const sa = s % 3 === 0;
    const ns = `ns${s % 40}`;
    const username = sa ? `system:serviceaccount:${ns}:sa${s}` : `user${s}@example.com`;
    const groups = sa ? ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] : ['system:authenticated', `team${s % 7}`];
    let habits = profiles.get(s);
    if (!habits) profiles.set(s, (habits = profile(prng(seed * 7919 + s), ns)));
    const h = habits[Math.floor(rnd() * habits.length)];
    const ts = new Date(Date.UTC(2026, 0, 1) + i * 7).toISOString();
    const ev = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      auditID: `a${i.toString(16).padStart(8, '0')}-7f3c-4a51-9d0e-${(i * 7919).toString(16).padStart(12, '0')}`,
      stage: 'ResponseComplete',
    };
    if (h.path) {
      Object.assign(ev, { requestURI: h.path, verb: 'get' });
    } else {
      const { group, version, resource, verb, sub, namespace, name } = h;
      const base = `${group === '' ? '/api' : `/apis/${group}`}/${version}${namespace ? `/namespaces/${namespace}` : ''}/${resource}${name ? `/${name}` : ''}${sub ? `/${sub}` : ''}`;
      const objectRef = { resource, apiGroup: group, apiVersion: version };
      if (namespace) objectRef.namespace = namespace;
      if (name || (verb === 'create' && i % 2 === 0)) objectRef.name = name ?? `new-${i % 50}`;
      if (sub) objectRef.subresource = sub;
      Object.assign(ev, { requestURI: verb === 'watch' ? `${base}?watch=true&resourceVersion=${i}` : base, verb, objectRef });
    }
    ev.user = rnd() < 0.1 ? { username: 'system:admin', groups: ['system:masters', 'system:authenticated'] } : { username, groups };
    if (ev.user.username === 'system:admin') ev.impersonatedUser = { username, groups };
    Object.assign(ev, {
      sourceIPs: [`10.${s % 256}.${i % 256}.${(i >> 8) % 256}`],
      userAgent: `kubectl/v1.29.1 (linux/amd64) kubernetes/${padding.slice(0, 40)}`,
      responseStatus: { metadata: {}, code: rnd() < 0.03 ? 403 : 200 },
      requestReceivedTimestamp: ts,
      stageTimestamp: ts,
      annotations: {
        'authorization.k8s.io/decision': 'allow',
        'authorization.k8s.io/reason': `RBAC: allowed by ClusterRoleBinding "binding-${s % 97}" of ClusterRole "role-${s % 31}" to User "${username}"`,
        'pod-security.kubernetes.io/note': padding.slice(0, 120 + (i % 80)),
      },
    });
    yield JSON.stringify(ev);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2] ?? 1000);
  const subjects = Number(process.argv[3] ?? 5000);
  const seed = Number(process.argv[4] ?? 1);
  const period = Number(process.argv[5] ?? 0);
  let buf = '';
  for (const line of makeAuditLines(count, subjects, seed, period)) {
    buf += line + '\n';
    if (buf.length > 1 << 20) {
      if (!process.stdout.write(buf)) await new Promise((r) => process.stdout.once('drain', r));
      buf = '';
    }
  }
  process.stdout.write(buf);
}
