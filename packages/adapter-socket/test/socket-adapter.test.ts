// @vitest-environment node
import { createClient, isRetryable, type ThreadlineClient } from '@threadline/core';
import type { Database } from '@threadline/server';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest';
import { WebSocket } from 'ws';
import { createSocketAdapter, type SocketConnector } from '../src/index.ts';
import { agentToken, createSite, openReferenceDatabase, reply, startReferenceServer, type ReferenceServer } from './support/reference-server.ts';

// Node 20 has no WebSocket, a browser has: the adapter's default connector (the wire client) takes the global one.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;

// One PGlite for the file; every test gets its own site, server and client.
let db: Database;
beforeAll(async () => {
  db = await openReferenceDatabase();
}, 120_000);
afterAll(async () => {
  await db?.close();
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: { port?: number; realtime?: boolean } = {}): Promise<ReferenceServer> {
  const server = await startReferenceServer(db, options);
  cleanups.push(() => server.close());
  return server;
}

/** A headless client on the socket adapter, as a page would create it, with nothing kept beyond the test. */
function visit(site: string, endpoint: string, connect?: SocketConnector): ThreadlineClient {
  const client = createClient({
    site,
    adapter: createSocketAdapter({ endpoint, ...(connect ? { connect } : {}) }),
    platform: { storage: 'memory', page: () => ({ url: 'http://site.test/pricing' }) },
  });
  cleanups.push(() => client.destroy());
  return client;
}

async function threadOf(messageId: string): Promise<string> {
  const { rows } = await db.query<{ thread_id: string }>('select thread_id from timeline_items where id = $1', [messageId]);
  return rows[0]!.thread_id;
}

async function storedTimes(site: string, text: string): Promise<number> {
  const { rows } = await db.query<{ count: string }>('select count(*)::text as count from timeline_items where site_id = $1 and body = $2', [site, text]);
  return Number(rows[0]!.count);
}

test('sends a chat message over the socket and marks it sent with its seq', async () => {
  const server = await start();
  const site = await createSite(db);
  const client = visit(site, server.url);

  const result = await client.chat.send('Do you deliver on Saturdays?');

  expect(result.ok).toBe(true);
  await vi.waitFor(() => expect(client.chat.messages.value).toEqual([expect.objectContaining({ text: 'Do you deliver on Saturdays?', status: 'sent', seq: 1, id: expect.any(String) })]));
  expect(client.status.value).toBe('online');
  expect(server.layer!.io.of('/visitor').sockets.size).toBe(1);
  expect(await storedTimes(site, 'Do you deliver on Saturdays?')).toBe(1);
});

test("shows an agent's reply in the chat as it arrives", async () => {
  const server = await start();
  const site = await createSite(db);
  const client = visit(site, server.url);
  await client.chat.send('Is the blue one in stock?');
  await vi.waitFor(() => expect(client.chat.messages.value[0]?.status).toBe('sent'));

  await reply(server.url, await agentToken(server.url), await threadOf(client.chat.messages.value[0]!.id!), 'Yes, two left.');

  await vi.waitFor(() => expect(client.chat.messages.value.map((item) => [item.text, item.author.kind, item.seq])).toEqual([
    ['Is the blue one in stock?', 'visitor', 1],
    ['Yes, two left.', 'agent', 2],
  ]));
  expect(client.chat.messages.value[1]!.author.name).toBe('Rita');
});

test('refuses a message the server finds invalid for good, naming the field', async () => {
  const server = await start();
  const site = await createSite(db);
  const adapter = createSocketAdapter({ endpoint: server.url });
  cleanups.push(() => adapter.stop());
  const visitorId = 'visitor-0123456789';
  await adapter.start({ site, visitorId, sessionId: 'session-0123456789' });

  const error: unknown = await adapter.send({ kind: 'message', clientId: 'short', payload: { site, visitorId, clientId: 'short', text: 'Hello' } }).catch((caught: unknown) => caught);

  expect(error).toMatchObject({ name: 'ThreadlineError', code: 'invalid_input', field: 'clientId' });
  expect(isRetryable(error)).toBe(false);
});

test('delivers a lead over HTTP without opening a socket', async () => {
  const server = await start();
  const site = await createSite(db);
  let connects = 0;
  const client = visit(site, server.url, (url, options) => {
    connects += 1;
    return io(url, options);
  });
  const sent = new Promise((resolve) => client.on('lead:sent', resolve));

  await client.submitLead({ kind: 'callback', name: 'Olena', phone: '067 123 45 67' });

  expect(await sent).toMatchObject({ receipt: { leadId: expect.any(String), threadId: expect.any(String), contactId: expect.any(String) } });
  expect(connects).toBe(0);
  expect(await server.layer!.io.of('/visitor').fetchSockets()).toHaveLength(0);
});

test('delivers a message sent during a server restart exactly once and catches up on a reply it missed', { timeout: 60_000 }, async () => {
  const first = await start();
  const site = await createSite(db);
  const token = await agentToken(first.url);
  const client = visit(site, first.url);
  await client.chat.send('Hello before the restart');
  await vi.waitFor(() => expect(client.chat.messages.value[0]?.status).toBe('sent'));
  const threadId = await threadOf(client.chat.messages.value[0]!.id!);

  await first.close();
  await vi.waitFor(() => expect(client.status.value).not.toBe('online'));
  await client.chat.send('Sent while the server was down');
  // An HTTP-only node on the same port and database: the agent answers while the browser cannot hear it.
  const httpOnly = await start({ port: first.port, realtime: false });
  await reply(httpOnly.url, token, threadId, 'Answered while you were away');
  await httpOnly.close();
  await start({ port: first.port });

  await vi.waitFor(
    () =>
      expect(client.chat.messages.value.map((item) => [item.text, item.status])).toEqual([
        ['Hello before the restart', 'sent'],
        ['Answered while you were away', 'sent'],
        ['Sent while the server was down', 'sent'],
      ]),
    { timeout: 40_000, interval: 100 },
  );
  expect(client.status.value).toBe('online');
  expect(await storedTimes(site, 'Sent while the server was down')).toBe(1);
  expect(client.chat.messages.value.map((item) => item.seq)).toEqual([1, 2, 3]);
});
