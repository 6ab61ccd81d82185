// `porthole rbac serve`: an audit webhook backend for kube-apiserver
// (--audit-webhook-config-file). It accepts POSTed EventLists (or Events,
// Lists), keeps each principal's distinct requests (memory bounded by
// distinct requests, not by the number of events), and serves the RBAC
// generated so far: GET /rbac?user=U (or ?serviceaccount=NS:NAME, ?group=G
// when the server learns a group) as YAML, GET /stats as JSON, GET /healthz;
// given existing RBAC objects, GET /check: `rbac check`'s report on the events
// so far (?format=json: its JSON lines; a request's first place is
// `webhook:N`, the Nth batch).
// With a token, every request must carry `Authorization: Bearer TOKEN`
// (401 otherwise). Bodies over the limit get 413; a body that is not JSON,
// or holds something that is not an audit Event, gets 400 and is counted;
// the server carries on.
import { timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { decodeValue, toAuditEvent } from '../audit/event.js';
import { formatRbacCheck, RbacReplay, rbacCheckJson } from '../rbac/check/check.js';
import { type LearnRbacOptions, RequestCollector } from '../rbac/learn.js';
import type { RbacObjects } from '../rbac/rule.js';
import { printRbacYaml } from '../rbac/yaml.js';

export interface RbacServerOptions extends Omit<LearnRbacOptions, 'progress' | 'onMalformed' | 'subject'> {
  /** Whose requests to keep (default: every principal). */
  subject?: LearnRbacOptions['subject'] | undefined;
  /** Required as `Authorization: Bearer TOKEN` when set. */
  token?: string | undefined;
  /** Largest body accepted, in bytes (default 16 MiB). */
  maxBodyBytes?: number | undefined;
  /** PEM certificate and key: serve HTTPS. */
  tls?: { cert: string | Buffer; key: string | Buffer } | undefined;
  /** Existing RBAC to check the events against (GET /check), and whether the built-in discovery role is added (default true). */
  check?: { objects: RbacObjects; discovery?: boolean | undefined } | undefined;
}

export interface RbacServerStats {
  /** POSTs accepted, and their events. */
  batches: number;
  events: number;
  /** Bodies rejected: not JSON or not audit events (400), too large (413), without the token (401). */
  malformedBodies: number;
  malformedEvents: number;
  tooLarge: number;
  unauthorized: number;
}

export interface RbacServer {
  server: Server;
  collector: RequestCollector;
  stats: RbacServerStats;
  /** The replay of the events against `check.objects`, when given. */
  replay: RbacReplay | undefined;
}

/** The webhook server (not yet listening: call `server.listen`). */
export function createRbacServer(opts: RbacServerOptions = {}): RbacServer {
  const collector = new RequestCollector({ ...opts, subject: opts.subject ?? { allSubjects: true } });
  const stats: RbacServerStats = { batches: 0, events: 0, malformedBodies: 0, malformedEvents: 0, tooLarge: 0, unauthorized: 0 };
  const limit = opts.maxBodyBytes ?? 16 * 1024 * 1024;
  const token = opts.token !== undefined ? Buffer.from(`Bearer ${opts.token}`) : undefined;
  const replay = opts.check ? new RbacReplay(opts.check.objects, { discovery: opts.check.discovery }) : undefined;

  const handler = (req: IncomingMessage, res: ServerResponse): undefined => {
    const send = (code: number, body: string, type = 'text/plain; charset=utf-8'): undefined => {
      res.writeHead(code, { 'content-type': type });
      res.end(body);
      return undefined;
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz' && req.method === 'GET') return send(200, 'ok\n');
    if (token) {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== token.length || !timingSafeEqual(given, token)) {
        stats.unauthorized++;
        req.resume();
        return send(401, 'unauthorized\n');
      }
    }
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      let size = 0;
      let over = false;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limit) over = true;
        else chunks.push(c);
      });
      req.on('end', (): undefined => {
        if (over) {
          stats.tooLarge++;
          return send(413, `body over ${limit} bytes\n`);
        }
        let value: unknown;
        try {
          value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          stats.malformedBodies++;
          return send(400, 'not JSON\n');
        }
        const d = decodeValue(value);
        if ('error' in d) {
          stats.malformedBodies++;
          return send(400, `${d.error}\n`);
        }
        const inList = d.events.length !== 1 || d.events[0] !== value;
        let accepted = 0;
        let bad = 0;
        for (const item of d.events) {
          const e = toAuditEvent(item, inList);
          if (typeof e === 'string') bad++;
          else {
            collector.add(e);
            replay?.add(e, { file: 'webhook', line: stats.batches + 1 });
            accepted++;
          }
        }
        stats.malformedEvents += bad;
        stats.events += accepted;
        stats.batches++;
        if (bad > 0 && accepted === 0) {
          stats.malformedBodies++;
          return send(400, 'no audit events in the body\n');
        }
        send(200, JSON.stringify({ accepted, malformed: bad }) + '\n', 'application/json');
      });
      return;
    }
    if (req.method !== 'GET') return send(405, 'method not allowed\n');
    if (url.pathname === '/stats') return send(200, JSON.stringify({ ...stats, principals: collector.principals().length, requests: collector.requests }) + '\n', 'application/json');
    if (url.pathname === '/check') {
      if (!replay) return send(404, 'no RBAC to check against: start the server with --rbac MANIFEST\n');
      const rep = replay.report({ sources: stats.batches, bytes: 0, events: stats.events, malformed: stats.malformedEvents });
      if (url.searchParams.get('format') === 'json')
        return send(
          200,
          rbacCheckJson(rep)
            .map((l) => `${JSON.stringify(l)}\n`)
            .join(''),
          'application/json',
        );
      return send(200, formatRbacCheck(rep));
    }
    if (url.pathname === '/rbac') {
      const sa = url.searchParams.get('serviceaccount');
      const principal = url.searchParams.get('user') ?? url.searchParams.get('group') ?? (sa ? `system:serviceaccount:${sa}` : null);
      if (principal === null) return send(400, 'give ?user=, ?serviceaccount=NS:NAME or ?group=\n');
      const learned = collector.generate(principal);
      if (!learned) return send(404, `no events of ${principal}\n`);
      return send(200, printRbacYaml(learned.objects), 'application/yaml');
    }
    send(404, 'not found\n');
  };
  const server = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : createHttpServer(handler);
  return { server, collector, stats, replay };
}
