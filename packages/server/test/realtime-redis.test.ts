// @vitest-environment node
// Two server nodes sharing rooms through a real Redis (the production setup with
// REDIS_URL). Runs only when THREADLINE_TEST_REDIS_URL is set, e.g. by
// `bash scripts/with-services.sh npx vitest run packages/server/test/realtime-redis.test.ts`;
// otherwise it is reported as skipped.
import { randomBytes } from 'node:crypto';
import type { ChatMessage, VisitorClientEvents, VisitorServerEvents } from '@threadline/core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest';
import { createThreadlineServer } from '../src/app';
import type { Database } from '../src/db/database';
import { openDatabase } from '../src/db/open-database';
import { ensureAgent } from '../src/domain/agents';
import { upsertSite } from '../src/domain/sites';
import type { AgentClientEvents, AgentServerEvents } from '../src/realtime/agent-events';
import { createSocketLayer } from '../src/realtime/socket-layer';

const redisUrl = process.env.THREADLINE_TEST_REDIS_URL;
const AGENT = { email: 'redis-agent@threadline.test', name: 'Rita', password: 'correct horse battery staple', role: 'agent' as const };

let db: Database;
beforeAll(async () => {
  if (!redisUrl) return;
  db = await openDatabase({});
  await ensureAgent(db, AGENT);
}, 120_000);
afterAll(async () => {
  await db?.close();
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const randomId = (prefix: string) => `${prefix}-${randomBytes(8).toString('hex')}`;

/** One node: its own app and socket layer, the shared database, the shared Redis. */
async function startNode(): Promise<string> {
  const server = await createThreadlineServer({ database: db, realtime: (context) => createSocketLayer({ ...context, redisUrl: redisUrl! }) });
  cleanups.push(() => server.close());
  return server.listen(0);
}

async function post(url: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const response = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return (await response.json()) as Record<string, unknown>;
}

function connect<S extends Socket>(url: string, auth: Record<string, unknown>, before: (socket: S) => void = () => {}): Promise<S> {
  const socket = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false }) as S;
  cleanups.push(() => void socket.disconnect());
  before(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
    socket.connect();
  });
}

test.skipIf(!redisUrl)('carries messages, replies and presence between a visitor on one node and an agent on another', { timeout: 30_000 }, async () => {
  const [nodeA, nodeB] = await Promise.all([startNode(), startNode()]);
  const site = `site_${randomBytes(6).toString('hex')}`;
  await upsertSite(db, { id: site, name: 'Redis test site', allowedOrigins: ['http://site.test'], secret: randomBytes(32).toString('hex') });
  const visitorId = randomId('visitor');
  const { visitorToken } = await post(nodeA, '/api/v1/sessions', { site, visitorId });
  const { token } = await post(nodeB, '/api/v1/auth/login', { email: AGENT.email, password: AGENT.password });

  const presence: { agentsOnline: number }[] = [];
  const messages: ChatMessage[] = [];
  const visitor = await connect<Socket<VisitorServerEvents, VisitorClientEvents>>(`${nodeA}/visitor`, { site, visitorId, token: visitorToken }, (socket) => {
    socket.on('presence', (event) => presence.push(event));
    socket.on('message:new', (message) => messages.push(message));
  });
  const items: Parameters<AgentServerEvents['item:new']>[0][] = [];
  await connect<Socket<AgentServerEvents, AgentClientEvents>>(`${nodeB}/agent`, { token }, (socket) => socket.on('item:new', (event) => items.push(event)));
  // The agent signed in on B; the visitor on A hears of it (fetchSockets asks every node).
  await vi.waitFor(() => expect(presence.at(-1)).toEqual({ agentsOnline: 1 }), { timeout: 10_000 });

  const ack = await visitor.timeout(10_000).emitWithAck('message:send', { clientId: randomId('msg'), text: 'Hello from node A' });
  if (!ack.ok) throw new Error(ack.error.message);
  await vi.waitFor(() => expect(items.map((event) => event.item.text)).toEqual(['Hello from node A']), { timeout: 10_000 });
  expect(items[0]).toMatchObject({ site, item: { id: ack.id } });

  await post(nodeB, `/api/v1/threads/${ack.threadId}/messages`, { text: 'Hello from node B' }, { authorization: `Bearer ${String(token)}` });
  await vi.waitFor(() => expect(messages.map((message) => message.text)).toEqual(['Hello from node A', 'Hello from node B']), { timeout: 10_000 });
  expect(messages[1]).toMatchObject({ seq: 2, author: { kind: 'agent', name: AGENT.name } });
});
