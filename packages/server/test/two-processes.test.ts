// @vitest-environment node
// Two real server processes (what `npm start` runs) on one PostgreSQL and one
// Redis: a visitor connected to node A and an agent connected to node B talk.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createScratchPostgres, TEST_DATABASE_URL, type ScratchPostgres } from './support/postgres.ts';

const REDIS_URL = process.env.THREADLINE_TEST_REDIS_URL || undefined;
const skip = !TEST_DATABASE_URL || !REDIS_URL;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function startNode(databaseUrl: string): Promise<{ url: string; process: ChildProcess; output: string[] }> {
  const port = await freePort();
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl, REDIS_URL, THREADLINE_DATA: await mkdtemp(join(tmpdir(), 'tl-node-')), THREADLINE_ADMIN_PASSWORD: 'two-nodes-1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 240; attempt++) {
    if (child.exitCode !== null) throw new Error(`node exited: ${output.join('')}`);
    const healthy = await fetch(`${url}/api/v1/health`).then((response) => response.ok, () => false);
    if (healthy) return { url, process: child, output };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill();
  throw new Error(`node did not start: ${output.join('')}`);
}

function nextEvent<T>(socket: Socket, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event, resolve));
}

let database: ScratchPostgres | undefined;
const nodes: ChildProcess[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  if (skip) return;
  database = await createScratchPostgres(TEST_DATABASE_URL!, 2);
  // Migrations are applied by the nodes themselves (under an advisory lock, both starting at once).
  await database.database.query('select 1');
}, 60_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  for (const node of nodes) node.kill('SIGTERM');
  await database?.drop();
});

test.skipIf(skip)('a visitor on node A and an agent on node B exchange messages through Redis', async () => {
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${database!.name}`;
  const [nodeA, nodeB] = await Promise.all([startNode(url.toString()), startNode(url.toString())]);
  nodes.push(nodeA.process, nodeB.process);

  const visitorId = crypto.randomUUID();
  const session = await fetch(`${nodeA.url}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: 'demo', visitorId }) }).then((response) => response.json());
  const login = await fetch(`${nodeB.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@threadline.local', password: 'two-nodes-1' }) }).then((response) => response.json());

  const agent = io(`${nodeB.url}/agent`, { auth: { token: login.token }, transports: ['websocket'] });
  sockets.push(agent);
  await nextEvent(agent, 'connect');
  const visitor = io(`${nodeA.url}/visitor`, { auth: { site: 'demo', visitorId, token: session.visitorToken }, transports: ['websocket'] });
  sockets.push(visitor);
  await nextEvent(visitor, 'connect');

  const seenByAgent = nextEvent<{ item: { text: string; threadId: string } }>(agent, 'item:new');
  const ack = await visitor.timeout(10_000).emitWithAck('message:send', { clientId: crypto.randomUUID(), text: 'Hello from node A' });
  expect(ack).toMatchObject({ ok: true, seq: 1 });
  const { item } = await seenByAgent;
  expect(item.text).toBe('Hello from node A');

  // The visitor's own message comes back as message:new too (its other tabs need it); wait for the reply.
  const seenByVisitor = new Promise<{ text: string; author: { kind: string } }>((resolve) =>
    visitor.on('message:new', (message: { text: string; author: { kind: string } }) => {
      if (message.author.kind === 'agent') resolve(message);
    }),
  );
  const reply = await fetch(`${nodeB.url}/api/v1/threads/${item.threadId}/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` }, body: JSON.stringify({ text: 'Hello from node B' }) });
  expect(reply.status).toBe(201);
  expect(await seenByVisitor).toMatchObject({ text: 'Hello from node B', author: { kind: 'agent' } });
}, 120_000);
