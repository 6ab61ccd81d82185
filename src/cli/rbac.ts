// `porthole rbac`: Kubernetes RBAC from audit logs (like audit2rbac), and
// `porthole rbac check`: existing RBAC replayed over the logs. Parses flags,
// calls the library, prints.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${user} and ${version} are audit2rbac's template placeholders, not JavaScript's
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { diagnostic, fail } from '../base/diagnostic.js';
import { jsonLine } from '../base/jsonLine.js';
import type { FileSourceOptions, LogSource } from '../base/source.js';
import { progressReporter, readWarnings, report } from './common.js';
import type { CliIo } from './io.js';
import { VERSION } from './version.js';

interface RbacFlags {
  filename: string[];
  user?: string;
  serviceaccount?: string;
  group?: string;
  allSubjects?: boolean;
  namespace?: string;
  expandMultiNamespace: boolean;
  expandMultiName: boolean;
  generateName?: string;
  generateLabels?: string[];
  generateAnnotations?: string[];
  compat?: string;
  json?: boolean;
  strict?: boolean;
}

const HELP_AFTER = `
Subjects: exactly one of --user, --serviceaccount, --group, --all-subjects. The principal of
an event is its impersonated user when there is one. --group learns from the requests of the
group's members and binds the result to the Group; --all-subjects writes one set of objects
per principal (in order of name).

Input: -f (repeatable): files, .gz, or - for stdin; JSON lines, concatenated JSON, YAML,
List/EventList, or Google Cloud Logging entries.

Output: YAML documents (Roles, ClusterRole, RoleBindings, ClusterRoleBinding) separated by
"---", as kubectl writes them; with --json, one JSON object per line per object.
--compat=audit2rbac reproduces audit2rbac byte for byte (its names, labels, order, and its
progress lines on stderr); the default differs where audit2rbac is wrong (see the README).
Templates (--generate-*) take \${user} and \${version}.

Exit status: 0; 1 when no event matched, when an input cannot be read, or with --strict when
an entry was malformed or a gzip log has trailing garbage; 2 for a usage error.`;

interface CheckFlags {
  filename: string[];
  rbac: string[];
  discovery: boolean;
  json?: boolean;
  strict?: boolean;
}

const CHECK_HELP_AFTER = `
Every request of the logs (every principal) is decided by the Kubernetes RBAC authorizer
with the manifests' Roles, ClusterRoles and bindings (aggregated ClusterRoles included; a
namespaced object without a namespace is in "default"). The report lists the denied requests
(with a count and where the first is), the rules no request used, and the uses of the others:
the first rule that allows a request is credited with it.

Exit status: 0 when no request is denied; 1 when some are, when an input cannot be read, or
with --strict when an entry was malformed or a gzip log has trailing garbage; 2 for a usage error.`;

const list = (v: string, prev: string[]): string[] => [...prev, v];
const csv = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), ...v.split(',')];

function parseBool(flag: string): (v: string | undefined) => boolean {
  return (v) => {
    if (v === undefined) return true;
    if (/^(1|t|true|TRUE|True)$/.test(v)) return true;
    if (/^(0|f|false|FALSE|False)$/.test(v)) return false;
    fail('usage', `${flag}: not a boolean: ${JSON.stringify(v)} (true or false)`);
  };
}

export function rbacCommand(io: CliIo, setExit: (code: number) => void): Command {
  const cmd = new Command('rbac')
    .description('generate the smallest Kubernetes Roles and ClusterRoles that allow what a user did, from API server audit logs (like audit2rbac)')
    .enablePositionalOptions()
    .option('-f, --filename <FILE>', 'audit log to read (repeatable; - for stdin)', list, [])
    .option('--user <USER>', 'the user whose requests to allow')
    .option('--serviceaccount <NS:NAME>', 'the service account whose requests to allow')
    .option('--group <GROUP>', "the group whose members' requests to allow (bound to the Group)")
    .option('--all-subjects', 'one set of objects for every principal in the logs')
    .option('-n, --namespace <NS>', 'only requests on objects in this namespace')
    .option('--expand-multi-namespace [BOOL]', 'allow an operation seen in several namespaces in every namespace (default true)', parseBool('--expand-multi-namespace'), true)
    .option('--expand-multi-name [BOOL]', 'allow an operation seen on several names on every name (default true)', parseBool('--expand-multi-name'), true)
    .option('--generate-name <TEMPLATE>', 'name of the generated objects (default porthole:${user})')
    .option('--generate-labels <K=V,...>', 'labels of the generated objects (default porthole.dev/user=${user},porthole.dev/generated=true)', csv)
    .option('--generate-annotations <K=V,...>', 'annotations of the generated objects (default porthole.dev/version=${version})', csv)
    .option('--compat <TOOL>', 'audit2rbac: reproduce audit2rbac exactly')
    .option('--json', 'one JSON object per generated object (JSON lines); diagnostics as JSON')
    .option('--strict', 'exit 1 when the input has malformed entries, or trailing garbage after gzip data')
    .addHelpText('after', HELP_AFTER)
    .action(async (flags: RbacFlags) => setExit(await rbac(flags, io)));
  cmd.addCommand(
    new Command('check')
      .description('replay audit logs against existing RBAC: the requests it would deny, and how often each rule was used')
      .option('-f, --filename <FILE>', 'audit log to read (repeatable; - for stdin)', list, [])
      .option('--rbac <MANIFEST>', 'RBAC manifests, YAML or JSON (repeatable)', list, [])
      .option('--no-discovery', 'leave out the built-in discovery role (get on /api*, /healthz, /version...) that every cluster has')
      .option('--json', 'JSON lines: one per denied request, one per rule, then the summary')
      .option('--strict', 'exit 1 when the input has malformed entries, or trailing garbage after gzip data')
      .addHelpText('after', CHECK_HELP_AFTER)
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      .action(async (flags: CheckFlags) => setExit(await check(flags, io))),
  );
  cmd.addCommand(
    new Command('serve')
      .description('an audit webhook backend for kube-apiserver: takes EventList POSTs, serves the RBAC generated so far (GET /rbac?user=U)')
      .requiredOption('--listen <ADDR>', 'where to listen: PORT, HOST:PORT or [IPv6]:PORT')
      .option('--tls-cert <FILE>', 'PEM certificate: serve HTTPS (with --tls-key)')
      .option('--tls-key <FILE>', 'PEM private key of --tls-cert')
      .option('--token-file <FILE>', 'require Authorization: Bearer with the token in FILE')
      .option('--max-body <BYTES>', 'largest body accepted (default 16777216)')
      .option('--compat <TOOL>', 'audit2rbac: generate as audit2rbac does')
      .option('--rbac <MANIFEST>', 'existing RBAC, YAML or JSON (repeatable): GET /check replays the events against it', list, [])
      .option('--no-discovery', 'with --rbac: leave out the built-in discovery role that every cluster has')
      .addHelpText('after', SERVE_HELP_AFTER)
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      .action(async (flags: ServeFlags) => setExit(await serve(flags, io))),
  );
  return cmd;
}

interface ServeFlags {
  listen: string;
  tlsCert?: string;
  tlsKey?: string;
  tokenFile?: string;
  maxBody?: string;
  compat?: string;
  rbac: string[];
  discovery: boolean;
}

const SERVE_HELP_AFTER = `
Endpoints: POST any path: an EventList (or Event, List) as JSON, as kube-apiserver's audit webhook
sends it; GET /rbac?user=U (or ?serviceaccount=NS:NAME): the objects generated so far, as YAML;
GET /stats: counts as JSON; GET /healthz; with --rbac, GET /check: what \`rbac check\` reports for the
events so far (?format=json: its JSON lines; a request's first place is webhook:N, the Nth batch). With --token-file, every request but /healthz needs
"Authorization: Bearer TOKEN". examples/audit-webhook-kubeconfig.yaml is a kubeconfig for
kube-apiserver's --audit-webhook-config-file. Runs until interrupted.`;

async function serve(f: ServeFlags, io: CliIo): Promise<number> {
  const { createRbacServer, readRbacManifests } = await import('../index.js');
  if ((f.tlsCert === undefined) !== (f.tlsKey === undefined)) fail('usage', '--tls-cert and --tls-key go together');
  if (f.compat !== undefined && f.compat !== 'audit2rbac') fail('usage', `--compat: unknown tool ${JSON.stringify(f.compat)} (audit2rbac)`);
  const m = /^(?:\[([^\]]+)\]:|([^:]*):)?([0-9]+)$/.exec(f.listen);
  if (!m) fail('usage', `--listen: not PORT, HOST:PORT or [IPv6]:PORT: ${JSON.stringify(f.listen)}`);
  const host = m[1] ?? (m[2] || undefined);
  const port = Number(m[3]);
  const maxBody = f.maxBody === undefined ? undefined : Number(f.maxBody);
  if (maxBody !== undefined && !(Number.isInteger(maxBody) && maxBody > 0)) fail('usage', `--max-body: not a number of bytes: ${JSON.stringify(f.maxBody)}`);
  const read = (p: string): string => readFileSync(resolve(io.cwd, p), 'utf8');
  const token = f.tokenFile !== undefined ? read(f.tokenFile).trim() : undefined;
  const tls = f.tlsCert !== undefined && f.tlsKey !== undefined ? { cert: read(f.tlsCert), key: read(f.tlsKey) } : undefined;
  const check = f.rbac.length > 0 ? { objects: readRbacManifests(f.rbac.map((p) => ({ name: p, path: resolve(io.cwd, p) }))).objects, discovery: f.discovery } : undefined;
  const { server } = createRbacServer({ token, tls, maxBodyBytes: maxBody, mode: f.compat === 'audit2rbac' ? 'audit2rbac' : 'porthole', version: VERSION, check });
  await new Promise<void>((done, failed) => {
    server.once('error', failed);
    server.listen(port, host, () => done());
  });
  const addr = server.address();
  io.stderr(`porthole rbac serve: listening on ${typeof addr === 'object' && addr ? `${addr.address}:${addr.port}` : f.listen}${tls ? ' (HTTPS)' : ''}\n`);
  await new Promise<void>((done) => {
    const stop = (): void => {
      server.close(() => done());
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

/** The logs to read; their warnings (trailing garbage after gzip data) on stderr as they happen, errors with --strict. */
function sources(files: readonly string[], io: CliIo, fileSource: (p: string, o: FileSourceOptions) => LogSource, json: boolean, strict: boolean): { srcs: LogSource[]; readFailed: () => boolean } {
  const { onWarning, failed } = readWarnings(io, json, strict);
  return { srcs: files.map((p) => fileSource(p === '-' ? p : resolve(io.cwd, p), { name: p, stdin: io.stdin, onWarning })), readFailed: failed };
}

async function rbac(f: RbacFlags, io: CliIo): Promise<number> {
  const { learnRbac, printRbacYaml, malformedEventDiagnostic, fileSource, rbacObjectsJson } = await import('../index.js');
  const json = Boolean(f.json);
  if (f.compat !== undefined && f.compat !== 'audit2rbac') fail('usage', `--compat: unknown tool ${JSON.stringify(f.compat)} (audit2rbac)`);
  const compat = f.compat === 'audit2rbac';
  const chosen = [f.user !== undefined, f.serviceaccount !== undefined, f.group !== undefined, Boolean(f.allSubjects)].filter(Boolean).length;
  if (chosen === 0) fail('usage', 'give one of --user, --serviceaccount, --group or --all-subjects');
  if (chosen > 1) fail('usage', '--user, --serviceaccount, --group and --all-subjects exclude each other: give one');
  if (f.filename.length === 0) fail('usage', '--filename (-f) is required');
  let subject: Parameters<typeof learnRbac>[1]['subject'];
  if (f.serviceaccount !== undefined) {
    const parts = f.serviceaccount.split(':');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') fail('usage', 'service account must be in the format <namespace>:<name>');
    subject = { serviceAccount: { namespace: parts[0]!, name: parts[1]! } };
  } else if (f.user !== undefined) subject = { user: f.user };
  else if (f.group !== undefined) subject = { group: f.group };
  else subject = { allSubjects: true };

  const { srcs, readFailed } = sources(f.filename, io, fileSource, json, Boolean(f.strict));
  if (compat) io.stderr(srcs.length === 1 ? 'Opening audit source...\n' : 'Opening audit sources...\n');
  if (compat) io.stderr('Loading events...');
  const progress = compat ? undefined : progressReporter(io);
  const res = await learnRbac(srcs, {
    subject,
    namespace: f.namespace,
    expandMultiNamespace: f.expandMultiNamespace,
    expandMultiName: f.expandMultiName,
    name: f.generateName,
    labels: f.generateLabels,
    annotations: f.generateAnnotations,
    mode: compat ? 'audit2rbac' : 'porthole',
    version: VERSION,
    progress,
  });
  if (compat) io.stderr(`${'.'.repeat(Math.floor(res.matched / 100))}\n`);
  const malformed = malformedEventDiagnostic(res.stats, f.strict);
  if (malformed) report(io, malformed, json);
  if (res.matched === 0) {
    const who = f.serviceaccount !== undefined ? `service account ${f.serviceaccount}` : f.group !== undefined ? `group ${f.group}` : f.user !== undefined ? `user ${f.user}` : 'any user';
    report(
      io,
      diagnostic('error', 'no-events', `No audit events matched ${who}${f.namespace ? ` in namespace ${f.namespace}` : ''}`, {
        notes: [`${res.stats.events} audit events read from ${res.stats.sources} source${res.stats.sources === 1 ? '' : 's'}`],
        data: { events: res.stats.events },
      }),
      json,
    );
    return 1;
  }
  if (compat) io.stderr('Evaluating API calls...\nGenerating roles...\n');
  if (json) {
    for (const s of res.subjects) for (const o of rbacObjectsJson(s.objects)) io.stdout(jsonLine(o));
  } else {
    io.stdout(
      res.subjects
        .map((s) => printRbacYaml(s.objects))
        .filter((t) => t !== '')
        .join('---\n'),
    );
  }
  if (compat) io.stderr('Complete!\n');
  return (malformed && f.strict) || readFailed() ? 1 : 0;
}

async function check(f: CheckFlags, io: CliIo): Promise<number> {
  const { checkRbac, formatRbacCheck, rbacCheckJson, readRbacManifests, malformedEventDiagnostic, fileSource } = await import('../index.js');
  const json = Boolean(f.json);
  if (f.filename.length === 0) fail('usage', '--filename (-f) is required');
  if (f.rbac.length === 0) fail('usage', '--rbac is required: the manifests to check');
  const { objects } = readRbacManifests(f.rbac.map((p) => ({ name: p, path: resolve(io.cwd, p) })));
  const progress = progressReporter(io);
  const { srcs, readFailed } = sources(f.filename, io, fileSource, json, Boolean(f.strict));
  const rep = await checkRbac(srcs, objects, { discovery: f.discovery, ...(progress ? { progress } : {}) });
  const malformed = malformedEventDiagnostic(rep.stats, f.strict);
  if (malformed) report(io, malformed, json);
  if (json) for (const line of rbacCheckJson(rep)) io.stdout(jsonLine(line));
  else io.stdout(formatRbacCheck(rep));
  return rep.denied > 0 || (malformed && f.strict) || readFailed() ? 1 : 0;
}
