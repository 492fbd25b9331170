// @vitest-environment node
import { requestVisitorToken, type VisitorSocketAuth } from '@threadline/core';
import type { Database } from '@threadline/server';
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest';
import { WebSocket } from 'ws';
import { connectWireSocket, type WireSocketOptions } from '../src/internal/wire/wire-socket.ts';
import type { VisitorSocket } from '../src/index.ts';
import { agentToken, createSite, openReferenceDatabase, reply, startReferenceServer, type ReferenceServer } from './support/reference-server.ts';

// The adapter's default connector against the real socket.io 4.8 server. Node 20 has no
// WebSocket: the `ws` package (socket.io's own) stands in for the browser's.
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

async function start(port = 0): Promise<ReferenceServer> {
  const server = await startReferenceServer(db, { port });
  cleanups.push(() => server.close());
  return server;
}

async function visitor(server: ReferenceServer): Promise<VisitorSocketAuth> {
  const site = await createSite(db);
  const visitorId = `visitor-${Math.random().toString(36).slice(2, 14)}`;
  return { site, visitorId, token: await requestVisitorToken({ endpoint: server.url }, { site, visitorId }) };
}

/** Every WebSocket the client opened; `cut` makes the next ones fail as if the network were down. */
function network() {
  const sockets: WebSocket[] = [];
  const state = { down: false };
  class NetworkWebSocket extends WebSocket {
    constructor(url: string) {
      // Closed for good at the end of the test, even half-dead ones (a clean close would wait for them).
      cleanups.push(() => this.terminate());
      // Port 1 refuses the connection at once, like a browser without a network.
      super(state.down ? 'ws://127.0.0.1:1/socket.io/' : url);
      sockets.push(this);
    }
  }
  return { state, sockets, WebSocket: NetworkWebSocket as unknown as typeof globalThis.WebSocket };
}

function connect(server: ReferenceServer, auth: VisitorSocketAuth, options: Partial<WireSocketOptions> = {}): VisitorSocket {
  const socket = connectWireSocket(`${server.url}/visitor`, {
    auth,
    transports: ['websocket'],
    forceNew: true,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    reconnection: { min: 20, max: 100, jitter: 0 },
    ...options,
  });
  cleanups.push(() => {
    socket.disconnect();
  });
  return socket;
}

const once = <T = void>(socket: VisitorSocket, event: 'connect' | 'disconnect' | 'connect_error') => new Promise<T>((resolve) => socket.on(event as 'connect', resolve as () => void));

const send = (socket: VisitorSocket, text: string, timeout = 5_000) => socket.timeout(timeout).emitWithAck('message:send', { clientId: `client-${Math.random().toString(36).slice(2, 14)}`, text });

test('connects to /visitor with its auth and gets a request answered through its ack', async () => {
  const server = await start();
  const auth = await visitor(server);
  const socket = connect(server, auth);
  await once(socket, 'connect');

  const ack = await send(socket, 'Do you deliver on Saturdays?');

  expect(ack).toMatchObject({ ok: true, seq: 1, id: expect.any(String), threadId: expect.any(String) });
  const [remote] = await server.layer!.io.of('/visitor').fetchSockets();
  expect(remote?.data).toMatchObject({ site: auth.site, visitorId: auth.visitorId });
});

test("hands the server's refusal to connect_error with its data and does not retry", async () => {
  const server = await start();
  const auth = await visitor(server);
  const socket = connect(server, { ...auth, token: 'not-a-token' });

  const error = await once<Error & { data?: unknown }>(socket, 'connect_error');

  expect(error.data).toEqual({ code: 'unauthorized', message: expect.stringContaining('token') });
  expect(socket.active).toBe(false);
});

test('receives what the server sends, with the payload alone', async () => {
  const server = await start();
  const auth = await visitor(server);
  const socket = connect(server, auth);
  const received = vi.fn();
  socket.on('message:new', received);
  const sent = await send(socket, 'Is the blue one in stock?');

  await reply(server.url, await agentToken(server.url), (sent as { threadId: string }).threadId, 'Yes, two left.');

  await vi.waitFor(() => expect(received.mock.calls.map((args: unknown[]) => args.length)).toEqual([1, 1]));
  expect(received.mock.calls.map(([message]: { text: string }[]) => message!.text)).toEqual(['Is the blue one in stock?', 'Yes, two left.']);
});

test('stays connected over many ping intervals by answering every ping', async () => {
  const server = await start();
  const engine = server.layer!.io.engine;
  engine.opts.pingInterval = 50;
  engine.opts.pingTimeout = 250;
  let pongs = 0;
  engine.on('connection', (connection: { on(event: 'heartbeat', listener: () => void): void }) => connection.on('heartbeat', () => (pongs += 1)));
  const socket = connect(server, await visitor(server));
  const disconnects = vi.fn();
  socket.on('disconnect', disconnects);
  await once(socket, 'connect');

  await vi.waitFor(() => expect(pongs).toBeGreaterThanOrEqual(6), { timeout: 5_000 });

  expect(disconnects).not.toHaveBeenCalled();
  expect(await send(socket, 'Still there?')).toMatchObject({ ok: true });
});

test('gives up a connection that hears no ping and connects again', async () => {
  const server = await start();
  server.layer!.io.engine.opts.pingInterval = 50;
  server.layer!.io.engine.opts.pingTimeout = 250;
  const net = network();
  const socket = connect(server, await visitor(server), { WebSocket: net.WebSocket });
  await once(socket, 'connect');
  const disconnected = once<string>(socket, 'disconnect');

  // A half-dead link (a NAT entry dropped): nothing arrives any more, and nothing says so.
  (net.sockets[0] as unknown as { _socket: { pause(): void } })._socket.pause();

  expect(await disconnected).toBe('ping timeout');
  await once(socket, 'connect');
  expect(net.sockets).toHaveLength(2);
  expect(await send(socket, 'Back again')).toMatchObject({ ok: true });
});

test('delivers a request made while the server restarts once it is back', { timeout: 30_000 }, async () => {
  const first = await start();
  const socket = connect(first, await visitor(first));
  await once(socket, 'connect');
  const disconnected = once(socket, 'disconnect');

  await first.close();
  await disconnected;
  const answered = send(socket, 'Sent while the server was down', 20_000);
  await start(first.port);

  expect(await answered).toMatchObject({ ok: true, seq: 1 });
  expect(socket.active).toBe(true);
});

test('does not reconnect after the server ends the session', async () => {
  const server = await start();
  let connections = 0;
  server.layer!.io.of('/visitor').on('connection', () => (connections += 1));
  const socket = connect(server, await visitor(server));
  await once(socket, 'connect');
  const disconnected = once<string>(socket, 'disconnect');

  server.layer!.io.of('/visitor').disconnectSockets();

  expect(await disconnected).toBe('io server disconnect');
  expect(socket.active).toBe(false);
  // Several reconnection delays (20 ms to 100 ms) later, nobody came back.
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(connections).toBe(1);
  expect(server.layer!.io.of('/visitor').sockets.size).toBe(0);
});

test('resumes its session after a short network cut and receives what was sent meanwhile', async () => {
  const server = await start();
  const net = network();
  const socket = connect(server, await visitor(server), { WebSocket: net.WebSocket });
  const received = vi.fn();
  socket.on('message:new', received);
  await once(socket, 'connect');
  const { threadId } = (await send(socket, 'Hello')) as { threadId: string };
  await vi.waitFor(() => expect(received).toHaveBeenCalledTimes(1));
  const disconnected = once(socket, 'disconnect');

  net.state.down = true;
  net.sockets[0]!.terminate();
  await disconnected;
  await reply(server.url, await agentToken(server.url), threadId, 'Answered during the cut');
  const reconnected = once(socket, 'connect');
  net.state.down = false;
  await reconnected;

  expect(socket.recovered).toBe(true);
  await vi.waitFor(() => expect(received.mock.calls.map(([message]: { text: string }[]) => message!.text)).toEqual(['Hello', 'Answered during the cut']));
});

test('waits for the browser to be back online instead of retrying while it is offline', async () => {
  const server = await start();
  const net = network();
  // The browser's side of it: navigator.onLine and the window's online/offline events.
  const browser = new EventTarget();
  const navigatorState = { onLine: true };
  vi.stubGlobal('navigator', navigatorState);
  vi.stubGlobal('addEventListener', browser.addEventListener.bind(browser));
  vi.stubGlobal('removeEventListener', browser.removeEventListener.bind(browser));
  cleanups.push(() => void vi.unstubAllGlobals());
  const socket = connect(server, await visitor(server), { WebSocket: net.WebSocket });
  await once(socket, 'connect');
  const disconnected = once(socket, 'disconnect');

  navigatorState.onLine = false;
  net.state.down = true;
  browser.dispatchEvent(new Event('offline'));
  await disconnected;
  // Ten times the longest reconnection delay (100 ms here): not one attempt while offline.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(net.sockets).toHaveLength(1);

  const reconnected = once(socket, 'connect');
  navigatorState.onLine = true;
  net.state.down = false;
  browser.dispatchEvent(new Event('online'));
  await reconnected;
  expect(net.sockets).toHaveLength(2);
});

test('rejects a request the server never answers once its timeout has passed', async () => {
  const server = await start();
  const socket = connect(server, await visitor(server));
  await once(socket, 'connect');

  // The server answers `typing` with nothing: it is fire-and-forget.
  const unanswered = socket.timeout(100).emitWithAck('typing' as 'history', { typing: true } as never);

  await expect(unanswered).rejects.toThrow('operation has timed out');
  expect(socket.active).toBe(true);
});
