import { randomUUID } from 'node:crypto';
import { createThreadlineServer, type Database, type ThreadlineServer } from '../../src/index.ts';
import { ensureAgent } from '../../src/domain/agents.ts';
import { upsertSite } from '../../src/domain/sites.ts';
import { createSocketLayer } from '../../src/realtime/socket-layer.ts';

/** A parsed JSON answer: tests read into it freely. */
type JsonBody = ReturnType<typeof JSON.parse>;

const ORIGIN = 'https://shop.test';
const AGENT = { email: 'agent@shop.test', name: 'Iryna', password: 'correct horse', role: 'agent' as const };

export interface IntegrationServer {
  server: ThreadlineServer;
  site: string;
  /** The server's base URL (the socket layer's too, when started with `sockets`). */
  url: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: JsonBody }>;
  /** An agent's Authorization header. */
  agent(): Promise<Record<string, string>>;
  /** Posts a website lead as a browser would; answers the receipt. */
  postLead(lead: Record<string, unknown>): Promise<{ status: number; body: JsonBody }>;
  /** The site's jobs, failing unless there are at least `count`: a write queues its integrations in its own transaction, so they are there when it answers. */
  queued(count: number, kind?: string): Promise<{ id: string; kind: string; state: string; attempts: number; last_error: string | null; payload: Record<string, unknown> }[]>;
  /** Runs every job due now. */
  runJobs(): Promise<number>;
  /** Moves the queue's clock (retries wait for their backoff: one minute per attempt here). */
  advance(ms: number): void;
  /** Stops the server; its site's unfinished jobs are parked so the next test's server does not run them. */
  close(): Promise<void>;
}

let sites = 0;

/**
 * A real server on the file's PGlite with a site carrying `settings` (and config), its job
 * queue stepped by the test on an injected clock.
 */
export async function startIntegrationServer(
  db: Database,
  options: { settings: Record<string, unknown>; config?: Record<string, unknown>; defaultCountry?: string; name?: string; site?: string; sockets?: boolean },
): Promise<IntegrationServer> {
  await ensureAgent(db, AGENT);
  const site = options.site ?? `int${++sites}_${randomUUID().slice(0, 8)}`;
  await upsertSite(db, { id: site, name: options.name ?? 'Shop', allowedOrigins: [ORIGIN], secret: `secret-${site}`, defaultCountry: options.defaultCountry ?? 'UA', config: options.config ?? {} });
  await db.query('update sites set settings = $2 where id = $1', [site, JSON.stringify(options.settings)]);
  let now = Date.now();
  const server = await createThreadlineServer({
    database: db,
    env: {},
    jobs: { autoStart: false, now: () => now, backoff: (attempt) => attempt * 60_000 },
    ...(options.sockets ? { realtime: (context) => createSocketLayer(context) } : {}),
  });
  const url = await server.listen();
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(url + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), origin: ORIGIN, ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const jobsOf = async (kind?: string) =>
    (
      await db.query<{ id: string; kind: string; state: string; attempts: number; last_error: string | null; payload: Record<string, unknown> }>(
        'select id, kind, state, attempts, last_error, payload from jobs where site_id = $1 and ($2::text is null or kind = $2) order by created_at, id',
        [site, kind ?? null],
      )
    ).rows;
  return {
    server,
    site,
    url,
    call,
    async agent() {
      const login = await call('POST', '/api/v1/auth/login', { email: AGENT.email, password: AGENT.password });
      return { authorization: `Bearer ${login.body.token}` };
    },
    postLead: (lead) => call('POST', '/api/v1/leads', { site, visitorId: randomUUID(), clientId: randomUUID(), ...lead }),
    async queued(count, kind) {
      const rows = await jobsOf(kind);
      if (rows.length < count) throw new Error(`expected ${count} ${kind ?? ''} jobs for ${site}, found ${rows.length}`);
      return rows;
    },
    runJobs: () => server.jobs.runDue(),
    advance(ms) {
      now += ms;
    },
    async close() {
      await server.close();
      await db.query("update jobs set state = 'dead', last_error = 'test ended' where site_id = $1 and state in ('queued', 'running')", [site]);
    },
  };
}
