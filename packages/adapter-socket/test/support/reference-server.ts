// The real reference server (through its public entry) for the adapter's tests.
import { randomBytes } from 'node:crypto';
import { createSocketLayer, createThreadlineServer, ensureAgent, openDatabase, upsertSite, type Database, type SocketLayer, type ThreadlineServer } from '@threadline/server';

export const AGENT = { email: 'adapter-agent@threadline.test', name: 'Rita', password: 'correct horse battery staple', role: 'agent' as const };
export const ORIGIN = 'http://site.test';

/** An in-memory PGlite with the schema and the test agent: one per test file (≈2 s, ≈750 MB each). */
export async function openReferenceDatabase(): Promise<Database> {
  const db = await openDatabase({});
  await ensureAgent(db, AGENT);
  return db;
}

/** A site of its own, so that tests sharing a database never see each other's rows. */
export async function createSite(db: Database): Promise<string> {
  const site = `site_${randomBytes(6).toString('hex')}`;
  await upsertSite(db, { id: site, name: 'Adapter test site', allowedOrigins: [ORIGIN], secret: randomBytes(32).toString('hex'), defaultCountry: 'UA' });
  return site;
}

export interface ReferenceServer {
  url: string;
  port: number;
  server: ThreadlineServer;
  /** Absent when started with `realtime: false` (an HTTP-only node). */
  layer: SocketLayer | undefined;
  close(): Promise<void>;
}

/** The server with its socket layer on `port` (0 picks a free one). */
export async function startReferenceServer(db: Database, options: { port?: number; realtime?: boolean } = {}): Promise<ReferenceServer> {
  let layer: SocketLayer | undefined;
  const server = await createThreadlineServer({
    database: db,
    ...(options.realtime === false ? {} : { realtime: async (context) => (layer = await createSocketLayer(context)) }),
  });
  const url = await server.listen(options.port ?? 0);
  let closed: Promise<void> | undefined;
  return { url, port: Number(new URL(url).port), server, layer, close: () => (closed ??= server.close()) };
}

/** Signs the test agent in and returns its bearer token. */
export async function agentToken(url: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: AGENT.email, password: AGENT.password }) });
  return ((await response.json()) as { token: string }).token;
}

/** Posts an agent reply into a thread, as the inbox does. */
export async function reply(url: string, token: string, threadId: string, text: string): Promise<void> {
  const response = await fetch(`${url}/api/v1/threads/${threadId}/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ text }) });
  if (response.status !== 201) throw new Error(`reply failed with ${response.status}: ${await response.text()}`);
}
