// The chat's connection in real Chromium against the real server: the socket adapter's
// built-in wire client (WebSocket only) across the browser going offline and back.
import { expect, test } from '@playwright/test';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocketLayer, createThreadlineServer, seedDemo, type ThreadlineServer } from '../../packages/server/src/index.ts';
import { buildPages, servePages } from '../../packages/server/src/pages.ts';
import { agentApi, agentToken, connectAgent } from '../support/agent.ts';

let server: ThreadlineServer;
let url: string;

test.beforeAll(async () => {
  // Building the pages and the tag, and starting PGlite, take seconds on a busy machine.
  test.setTimeout(90_000);
  const pages = await mkdtemp(join(tmpdir(), 'tl-pages-'));
  await buildPages(pages);
  server = await createThreadlineServer({ clock: () => new Date('2026-11-23T10:00:00Z'), routes: (app) => servePages(app, pages), realtime: (context) => createSocketLayer(context) });
  url = await server.listen();
  await seedDemo(server.db, { origins: [url], adminPassword: 'e2e-pass-1' });
});
test.afterAll(async () => server?.close());

test('a chat message written while offline reaches the agent once the browser is back online, and replies arrive live again', async ({ page, context }) => {
  test.setTimeout(45_000);
  // Monday noon in Kyiv, inside the demo's business hours; and an agent online, so the chat is live.
  await page.clock.setFixedTime(new Date('2026-11-23T10:00:00Z'));
  const token = await agentToken(url, 'e2e-pass-1');
  const agent = await connectAgent(url, token);
  const sockets: string[] = [];
  page.on('websocket', (socket) => sockets.push(socket.url()));
  try {
    await page.goto(`${url}/demo/`);
    await page.getByRole('button', { name: 'Ask in the chat' }).click();
    const chat = page.getByRole('dialog', { name: 'Chat with us' });
    await chat.getByLabel('Your message').fill('Do you rent bikes?');
    await chat.getByRole('button', { name: 'Send' }).click();
    await expect(chat.getByRole('listitem').filter({ hasText: 'Do you rent bikes?' })).toContainText(/Sent|Read/);

    await context.setOffline(true);
    await chat.getByLabel('Your message').fill('And helmets?');
    await chat.getByRole('button', { name: 'Send' }).click();
    const offline = chat.getByRole('listitem').filter({ hasText: 'And helmets?' });
    await expect(offline).not.toContainText(/Sent|Read/);
    await context.setOffline(false);

    await expect(offline).toContainText(/Sent|Read/, { timeout: 15_000 });
    const threads = await agentApi<{ items: { id: string }[] }>(url, token, '/api/v1/threads');
    const [thread] = threads.body.items;
    const detail = await agentApi<{ items: { type: string; text?: string }[] }>(url, token, `/api/v1/threads/${thread!.id}`);
    expect(detail.body.items.filter((item) => item.type === 'message').map((item) => item.text)).toEqual(['Do you rent bikes?', 'And helmets?']);
    expect((await agentApi(url, token, `/api/v1/threads/${thread!.id}/messages`, { text: 'Both, from 10 euros a day.' })).status).toBe(201);
    await expect(chat.getByRole('listitem').filter({ hasText: 'Both, from 10 euros a day.' })).toBeVisible();
    // WebSocket only, and a new socket once the network came back.
    expect(sockets.length).toBeGreaterThanOrEqual(2);
    expect(sockets.every((socket) => socket.includes('/socket.io/?EIO=4&transport=websocket'))).toBe(true);
  } finally {
    agent.close();
  }
});

test('a browser gone offline tries no connection and no send until it is back online, so the page’s console stays quiet', async ({ page, context }) => {
  test.setTimeout(45_000);
  await page.clock.setFixedTime(new Date('2026-11-23T10:00:00Z'));
  const token = await agentToken(url, 'e2e-pass-1');
  const agent = await connectAgent(url, token);
  const networkErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('ERR_INTERNET_DISCONNECTED')) networkErrors.push(message.text());
  });
  const sockets: string[] = [];
  page.on('websocket', (socket) => sockets.push(socket.url()));
  try {
    await page.goto(`${url}/demo/`);
    await page.getByRole('button', { name: 'Ask in the chat' }).click();
    const chat = page.getByRole('dialog', { name: 'Chat with us' });
    await chat.getByLabel('Your message').fill('Is the shop open on Sunday?');
    await chat.getByRole('button', { name: 'Send' }).click();
    await expect(chat.getByRole('listitem').filter({ hasText: 'Is the shop open on Sunday?' })).toContainText(/Sent|Read/);
    const socketsBefore = sockets.length;

    await context.setOffline(true);
    await chat.getByLabel('Your message').fill('And on holidays?');
    await chat.getByRole('button', { name: 'Send' }).click();
    // Long enough for several of the old reconnects and resends (1 s doubling to 5 s).
    await page.waitForTimeout(6_000);
    expect(networkErrors).toEqual([]);
    expect(sockets.length).toBe(socketsBefore);

    await context.setOffline(false);
    await expect(chat.getByRole('listitem').filter({ hasText: 'And on holidays?' })).toContainText(/Sent|Read/, { timeout: 15_000 });
  } finally {
    agent.close();
  }
});
