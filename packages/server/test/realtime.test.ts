// @vitest-environment node
import { randomBytes } from 'node:crypto';
import type { ChatMessage, VisitorClientEvents, VisitorServerEvents } from '@threadline/core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest';
import { createThreadlineServer, type ThreadlineServer } from '../src/app';
import type { Database } from '../src/db/database';
import { openDatabase } from '../src/db/open-database';
import { ensureAgent } from '../src/domain/agents';
import { identityHash } from '../src/domain/identity-verification';
import { upsertSite } from '../src/domain/sites';
import type { AgentClientEvents, AgentServerEvents } from '../src/realtime/agent-events';
import { createSocketLayer, type SocketLayer } from '../src/realtime/socket-layer';

type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;
type AgentSocket = Socket<AgentServerEvents, AgentClientEvents>;

const ORIGIN = 'http://site.test';
const AGENT = { email: 'realtime-agent@threadline.test', name: 'Rita', password: 'correct horse battery staple', role: 'agent' as const };

// One PGlite for the file (≈2 s and ≈750 MB each, TOOLCHAIN.md); every test gets its own site and app.
let db: Database;
beforeAll(async () => {
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

interface Harness {
  url: string;
  site: string;
  secret: string;
  layer: SocketLayer;
  server: ThreadlineServer;
  agentToken: string;
}

/** A fresh app with the socket layer on port 0, a site of its own, and a signed-in agent. */
async function startServer(layerOptions: { messagesPerMinute?: number } = {}): Promise<Harness> {
  const site = randomId('site').replace('-', '_');
  const secret = randomBytes(32).toString('hex');
  await upsertSite(db, { id: site, name: 'Realtime test site', allowedOrigins: [ORIGIN], secret, defaultCountry: 'UA' });
  let layer!: SocketLayer;
  const server = await createThreadlineServer({
    database: db,
    realtime: async (context) => (layer = await createSocketLayer({ ...context, ...layerOptions })),
  });
  const url = await server.listen(0);
  cleanups.push(() => server.close());
  const login = await post(url, '/api/v1/auth/login', { email: AGENT.email, password: AGENT.password });
  return { url, site, secret, layer, server, agentToken: (login.body as { token: string }).token };
}

async function post(url: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Resolves once the socket is connected, rejects with the connect_error otherwise. */
function connected<S extends Socket>(socket: S): Promise<S> {
  cleanups.push(() => void socket.disconnect());
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** A visitor's socket; `before` runs before it connects, to catch what the server sends first. */
async function connectVisitor(harness: Harness, visitorId = randomId('visitor'), extraHeaders: Record<string, string> = {}, before?: (socket: VisitorSocket) => void): Promise<VisitorSocket> {
  const session = await post(harness.url, '/api/v1/sessions', { site: harness.site, visitorId });
  const token = session.body.visitorToken as string;
  const socket: VisitorSocket = io(`${harness.url}/visitor`, { auth: { site: harness.site, visitorId, token }, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders, autoConnect: false });
  before?.(socket);
  const ready = connected(socket);
  socket.connect();
  return ready;
}

function connectAgent(harness: Harness): Promise<AgentSocket> {
  return connected(io(`${harness.url}/agent`, { auth: { token: harness.agentToken }, transports: ['websocket'], reconnection: false, forceNew: true }) as AgentSocket);
}

/** Every payload of `event` the socket receives from now on. */
function collect<T>(socket: Socket, event: string): T[] {
  const received: T[] = [];
  socket.on(event, (payload: T) => received.push(payload));
  return received;
}

async function send(socket: VisitorSocket, text: string, clientId = randomId('msg')) {
  const ack = await socket.timeout(5_000).emitWithAck('message:send', { clientId, text });
  if (!ack.ok) throw new Error(`message:send refused: ${ack.error.message}`);
  return ack;
}

async function storedWith(clientId: string): Promise<number> {
  const { rows } = await db.query<{ count: string }>('select count(*)::text as count from timeline_items where client_id = $1', [clientId]);
  return Number(rows[0]!.count);
}

test("delivers a visitor's socket message to connected agents as item:new and stores it once when it is sent twice", async () => {
  const harness = await startServer();
  const agent = await connectAgent(harness);
  const items = collect<{ site: string; contactId: string; item: { id: string; type: string; text: string; visitorId: string; direction: string } }>(agent, 'item:new');
  const visitorId = randomId('visitor');
  const visitor = await connectVisitor(harness, visitorId, { Origin: ORIGIN });

  const message = { clientId: randomId('msg'), text: 'Do you ship to Lviv?' };
  const first = await visitor.timeout(5_000).emitWithAck('message:send', message);
  const again = await visitor.timeout(5_000).emitWithAck('message:send', message);

  expect(first).toMatchObject({ ok: true, seq: 1, id: expect.any(String), threadId: expect.any(String), createdAt: expect.any(String) });
  expect(again).toEqual(first);
  expect(await storedWith(message.clientId)).toBe(1);
  // Fan-out keeps publish order: once a later message reaches the agent, no second copy of the first can follow.
  const later = await send(visitor, 'And to Odesa?');
  await vi.waitFor(() => expect(items.map((event) => event.item.id)).toContain(later.id));
  expect(items.map((event) => event.item.text)).toEqual(['Do you ship to Lviv?', 'And to Odesa?']);
  expect(items[0]).toMatchObject({ site: harness.site, contactId: expect.any(String), item: { id: first.ok ? first.id : '', type: 'message', visitorId, direction: 'in' } });
});

test("delivers an agent's reply to the visitor's socket as message:new", async () => {
  const harness = await startServer();
  const visitor = await connectVisitor(harness);
  const received = collect<ChatMessage>(visitor, 'message:new');
  const question = await send(visitor, 'Is the blue one in stock?');

  const reply = await post(harness.url, `/api/v1/threads/${question.threadId}/messages`, { text: 'Yes, two left.' }, { authorization: `Bearer ${harness.agentToken}` });

  expect(reply.status).toBe(201);
  await vi.waitFor(() => expect(received.map((message) => message.text)).toContain('Yes, two left.'));
  expect(received.find((message) => message.text === 'Yes, two left.')).toMatchObject({ seq: 2, threadId: question.threadId, author: { kind: 'agent', name: AGENT.name }, channel: 'web' });
  // The visitor's own message comes back too, so that its other tabs show it.
  expect(received[0]).toMatchObject({ id: question.id, clientId: expect.any(String), author: { kind: 'visitor' } });
});

test('keeps a reply from a second, unverified visitor of the same merged contact and gives it to a verified device', async () => {
  const harness = await startServer();
  const [writerId, strangerId, ownerDeviceId] = [randomId('writer'), randomId('stranger'), randomId('owner')];
  const writer = await connectVisitor(harness, writerId);
  const stranger = await connectVisitor(harness, strangerId);
  const ownerDevice = await connectVisitor(harness, ownerDeviceId);
  const toWriter = collect<ChatMessage>(writer, 'message:new');
  const toStranger = collect<ChatMessage>(stranger, 'message:new');
  const toOwner = collect<ChatMessage>(ownerDevice, 'message:new');

  // The same phone typed into two forms joins both browsers to one contact, but proves nothing.
  const strangerLead = await post(harness.url, '/api/v1/leads', { site: harness.site, visitorId: strangerId, clientId: randomId('lead'), kind: 'callback', phone: '+380671234567' });
  await post(harness.url, '/api/v1/leads', { site: harness.site, visitorId: writerId, clientId: randomId('lead'), kind: 'form', phone: '+380671234567', email: 'ann@example.com' });
  // The site's HMAC does prove it: this device may read the whole thread.
  const identified = await post(harness.url, '/api/v1/identify', {
    site: harness.site,
    visitorId: ownerDeviceId,
    clientId: randomId('identify'),
    person: { email: 'ann@example.com' },
    hash: identityHash(harness.secret, 'ann@example.com'),
  });
  expect(identified.body).toMatchObject({ access: 'contact', verified: true });
  const question = await send(writer, 'When will you call?');
  expect(question.threadId).toBe(strangerLead.body.threadId);

  await post(harness.url, `/api/v1/threads/${question.threadId}/messages`, { text: 'In five minutes.' }, { authorization: `Bearer ${harness.agentToken}` });
  await vi.waitFor(() => expect(toWriter.map((message) => message.text)).toContain('In five minutes.'));
  await vi.waitFor(() => expect(toOwner.map((message) => message.text)).toContain('In five minutes.'));

  // Fan-out keeps publish order: the stranger's own later message arriving means the reply was never coming.
  const own = await send(stranger, 'Hello?');
  await vi.waitFor(() => expect(toStranger.map((message) => message.id)).toContain(own.id));
  expect(toStranger.map((message) => message.text)).toEqual(['Hello?']);
});

test('refuses a socket without a valid token with a structured connect_error', async () => {
  const harness = await startServer();
  const visitorId = randomId('visitor');
  const otherToken = (await post(harness.url, '/api/v1/sessions', { site: harness.site, visitorId: randomId('other') })).body.visitorToken;
  const attempt = (namespace: string, auth: Record<string, unknown>, extraHeaders: Record<string, string> = {}) =>
    connected(io(`${harness.url}${namespace}`, { auth, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders })).then(
      () => 'connected',
      (error: Error & { data?: unknown }) => error.data,
    );

  expect(await attempt('/visitor', { site: harness.site, visitorId, token: otherToken })).toEqual({ code: 'unauthorized', message: expect.stringContaining('token') });
  expect(await attempt('/visitor', { site: harness.site, visitorId })).toEqual({ code: 'unauthorized', message: expect.any(String) });
  expect(await attempt('/visitor', {})).toEqual({ code: 'unauthorized', message: expect.any(String) });
  expect(await attempt('/visitor', { site: 'no_such_site', visitorId, token: otherToken })).toEqual({ code: 'unknown_site', message: expect.any(String) });
  const token = (await post(harness.url, '/api/v1/sessions', { site: harness.site, visitorId })).body.visitorToken;
  expect(await attempt('/visitor', { site: harness.site, visitorId, token }, { Origin: 'http://evil.test' })).toEqual({ code: 'forbidden_origin', message: expect.stringContaining('evil.test') });
  expect(await attempt('/agent', { token: 'forged.token' })).toEqual({ code: 'unauthorized', message: expect.any(String) });
  expect(await attempt('/agent', { token })).toEqual({ code: 'unauthorized', message: expect.any(String) });
  expect(await attempt('/visitor', { site: harness.site, visitorId, token })).toBe('connected');
});

test('answers a malformed message:send with an ack error and stores nothing', async () => {
  const harness = await startServer();
  const visitor = await connectVisitor(harness);
  const emitRaw = (...args: unknown[]) => (visitor as unknown as Socket).timeout(5_000).emitWithAck('message:send', ...args);

  expect(await emitRaw({ clientId: randomId('msg'), text: '   ' })).toEqual({ ok: false, error: { code: 'invalid_input', field: 'text', message: expect.any(String) } });
  expect(await emitRaw({ clientId: 'short', text: 'hi' })).toEqual({ ok: false, error: { code: 'invalid_input', field: 'clientId', message: expect.any(String) } });
  expect(await emitRaw({ clientId: randomId('msg'), text: 'x'.repeat(4001) })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'text' } });
  expect(await emitRaw('just a string')).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  expect(await emitRaw()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  // Without an ack there is nobody to answer; the server must shrug, not fall over.
  (visitor as unknown as Socket).emit('message:send', { clientId: randomId('msg') });
  (visitor as unknown as Socket).emit('history', 'not an object');
  (visitor as unknown as Socket).emit('typing');

  const history = await visitor.timeout(5_000).emitWithAck('history', { afterSeq: 0 });
  expect(history).toEqual({ ok: true, messages: [], latestSeq: 0 });
  const { rows } = await db.query<{ count: string }>('select count(*)::text as count from timeline_items where site_id = $1', [harness.site]);
  expect(rows[0]!.count).toBe('0');
  expect(visitor.connected).toBe(true);
});

test('answers rate_limited once a socket sends more messages a minute than allowed', async () => {
  const harness = await startServer({ messagesPerMinute: 2 });
  const visitor = await connectVisitor(harness);
  await send(visitor, 'one');
  await send(visitor, 'two');

  const third = await visitor.timeout(5_000).emitWithAck('message:send', { clientId: randomId('msg'), text: 'three' });

  expect(third).toEqual({ ok: false, error: { code: 'rate_limited', message: expect.any(String) } });
  const { rows } = await db.query<{ count: string }>('select count(*)::text as count from timeline_items where site_id = $1', [harness.site]);
  expect(rows[0]!.count).toBe('2');
});

test('answers history with only the messages after the given seq', async () => {
  const harness = await startServer();
  const visitor = await connectVisitor(harness);
  const first = await send(visitor, 'one');
  await send(visitor, 'two');
  await post(harness.url, `/api/v1/threads/${first.threadId}/messages`, { text: 'three' }, { authorization: `Bearer ${harness.agentToken}` });

  const history = await visitor.timeout(5_000).emitWithAck('history', { afterSeq: 1 });

  expect(history).toMatchObject({ ok: true, latestSeq: 3 });
  const { messages } = history as { messages: ChatMessage[] };
  expect(messages.map((message) => [message.seq, message.text, message.author.kind])).toEqual([
    [2, 'two', 'visitor'],
    [3, 'three', 'agent'],
  ]);
  expect(await visitor.timeout(5_000).emitWithAck('history', { afterSeq: -1 })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'afterSeq' } });
});

test('tells visitors how many agents are online and carries typing and read receipts both ways', async () => {
  const harness = await startServer();
  const visitorId = randomId('visitor');
  let presence: { agentsOnline: number }[] = [];
  const visitor = await connectVisitor(harness, visitorId, {}, (socket) => (presence = collect(socket, 'presence')));
  await vi.waitFor(() => expect(presence.at(-1)).toEqual({ agentsOnline: 0 }));
  const question = await send(visitor, 'Anyone there?');

  const agent = await connectAgent(harness);
  const secondTab = await connectAgent(harness);
  await vi.waitFor(() => expect(presence.at(-1)).toEqual({ agentsOnline: 1 }));
  const agentTyping = collect<unknown>(agent, 'typing');
  const agentRead = collect<unknown>(agent, 'read');
  const visitorTyping = collect<unknown>(visitor, 'typing');
  const visitorRead = collect<unknown>(visitor, 'read');

  visitor.emit('typing', { typing: true });
  visitor.emit('read', { upToSeq: 1 });
  expect(await agent.timeout(5_000).emitWithAck('typing', { threadId: question.threadId, typing: true })).toEqual({ ok: true });
  expect(await agent.timeout(5_000).emitWithAck('read', { threadId: question.threadId, upToSeq: 1 })).toEqual({ ok: true });
  expect(await agent.timeout(5_000).emitWithAck('read', { threadId: '00000000-0000-4000-8000-000000000000', upToSeq: 1 })).toMatchObject({ ok: false, error: { code: 'not_found' } });

  await vi.waitFor(() => expect(agentTyping).toEqual([{ site: harness.site, visitorId, contactId: expect.any(String), threadId: question.threadId, typing: true }]));
  await vi.waitFor(() => expect(agentRead).toEqual([{ site: harness.site, visitorId, contactId: expect.any(String), threadId: question.threadId, upToSeq: 1 }]));
  await vi.waitFor(() => expect(visitorTyping).toEqual([{ typing: true, author: { kind: 'agent', name: AGENT.name } }]));
  await vi.waitFor(() => expect(visitorRead).toEqual([{ upToSeq: 1 }]));

  agent.disconnect();
  secondTab.disconnect();
  await vi.waitFor(() => expect(presence.at(-1)).toEqual({ agentsOnline: 0 }));
});

test('recovers a briefly dropped visitor socket with the reply it missed', async () => {
  const harness = await startServer();
  const visitorId = randomId('visitor');
  const { visitorToken } = (await post(harness.url, '/api/v1/sessions', { site: harness.site, visitorId })).body;
  const visitor: VisitorSocket = io(`${harness.url}/visitor`, {
    auth: { site: harness.site, visitorId, token: visitorToken },
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 200,
    randomizationFactor: 0,
  });
  const received = collect<ChatMessage>(visitor, 'message:new');
  await connected(visitor);
  const question = await send(visitor, 'Still there?');
  await vi.waitFor(() => expect(received).toHaveLength(1));

  // The network drops (no disconnect packet): the server keeps the session for two minutes.
  visitor.io.engine.close();
  await vi.waitFor(() => expect(harness.layer.io.of('/visitor').sockets.size).toBe(0));
  await post(harness.url, `/api/v1/threads/${question.threadId}/messages`, { text: 'Yes, here.' }, { authorization: `Bearer ${harness.agentToken}` });

  await vi.waitFor(() => expect(visitor.connected).toBe(true), { timeout: 5_000 });
  expect(visitor.recovered).toBe(true);
  await vi.waitFor(() => expect(received.map((message) => message.text)).toEqual(['Still there?', 'Yes, here.']));
});

test('a visitor sending typing on every keystroke reaches agents as one notice, and the timeline is not held up', async () => {
  const harness = await startServer();
  const visitor = await connectVisitor(harness);
  const question = await send(visitor, 'first');
  const agent = await connectAgent(harness);
  const typing = collect<{ typing: boolean }>(agent, 'typing');
  const items = collect<{ item: { text: string } }>(agent, 'item:new');
  for (let keystroke = 0; keystroke < 2000; keystroke++) visitor.emit('typing', { typing: true });
  for (let repeat = 0; repeat < 500; repeat++) visitor.emit('read', { upToSeq: question.seq });
  await send(visitor, 'second');
  await vi.waitFor(() => expect(items.map((event) => event.item.text)).toEqual(['second']));
  await vi.waitFor(() => expect(typing.map((event) => event.typing)).toEqual([true]));
  visitor.emit('typing', { typing: false });
  await vi.waitFor(() => expect(typing.map((event) => event.typing)).toEqual([true, false]));
});
