// The demo site served by the real reference server (PGlite, socket.io): a page with
// only the script tag pasted in, driven as a visitor would, with an agent answering
// through the agent API.
import { expect, test } from '@playwright/test';
import { io } from 'socket.io-client';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocketLayer, createThreadlineServer, seedDemo, type ThreadlineServer } from '../../packages/server/src/index.ts';
import { buildPages, servePages } from '../../packages/server/src/pages.ts';

// One server (one PGlite, ≈750 MB) for the file: its tests run in one worker, in order.
test.describe.configure({ mode: 'default' });

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

async function agentToken(): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@threadline.local', password: 'e2e-pass-1' }) });
  return ((await response.json()) as { token: string }).token;
}

test('a visitor asks for a call back and chats through the pasted tag; the agent’s reply appears live, and the agent sees one thread', async ({ page }) => {
  // Monday noon in Kyiv, inside the demo's business hours; and an agent online, so the chat is live (not "leave a message").
  await page.clock.setFixedTime(new Date('2026-11-23T10:00:00Z'));
  const agent = io(`${url}/agent`, { auth: { token: await agentToken() }, transports: ['websocket'] });
  await new Promise<void>((resolve, reject) => {
    agent.once('connect', resolve);
    agent.once('connect_error', reject);
  });
  await page.goto(`${url}/demo/`);
  // The launcher offers all three widgets.
  await page.getByRole('button', { name: 'Contact us' }).click();
  await expect(page.getByRole('menuitem')).toHaveText(['Chat with us', 'Request a call back', 'Send us a message']);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Have us call you' }).click();
  const callback = page.getByRole('dialog', { name: 'Request a call back' });
  await callback.getByLabel('Your name').fill('Mykola');
  await callback.getByLabel('Phone number').fill('050 111 22 33');
  await callback.getByRole('button', { name: 'Call me back' }).click();
  await expect(callback.getByText('Thank you!')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Your request reached the shop' })).toBeVisible();

  await page.getByRole('button', { name: 'Ask in the chat' }).click();
  const chat = page.getByRole('dialog', { name: 'Chat with us' });
  await chat.getByLabel('Your message').fill('Is the <b>red</b> one available?');
  await chat.getByRole('button', { name: 'Send' }).click();
  const question = chat.getByRole('listitem').filter({ hasText: 'Is the <b>red</b> one available?' });
  await expect(question).toContainText(/Sent|Read/);
  // Typed markup stays text: no bold element was created from what the visitor typed.
  await expect(chat.locator('b')).toHaveCount(0);

  const token = await agentToken();
  const found = (await (await fetch(`${url}/api/v1/threads?query=%2B380501112233`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { id: string }[] };
  expect(found.items).toHaveLength(1);
  const detail = (await (await fetch(`${url}/api/v1/threads/${found.items[0]!.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { type: string }[] };
  expect(detail.items.map((item) => item.type)).toEqual(['lead', 'message']);

  const reply = await fetch(`${url}/api/v1/threads/${found.items[0]!.id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ text: 'Yes, the red one is in stock!' }) });
  expect(reply.status).toBe(201);
  await expect(chat.getByRole('listitem').filter({ hasText: 'Yes, the red one is in stock!' })).toBeVisible();
  await page.screenshot({ path: 'test-results/demo-chat.png' });

  // After a reload the conversation is still there.
  await page.reload();
  await page.getByRole('button', { name: 'Ask in the chat' }).click();
  await expect(page.getByRole('dialog', { name: 'Chat with us' }).getByRole('listitem').filter({ hasText: 'Yes, the red one is in stock!' })).toBeVisible();
  agent.close();
});

test('the inbox signs an agent in and shows the thread with the lead and the chat', async ({ page, request }) => {
  const visitorId = crypto.randomUUID();
  await request.post(`${url}/api/v1/leads`, { data: { site: 'demo', visitorId, clientId: crypto.randomUUID(), kind: 'callback', name: 'Oksana', phone: '+380 67 765 43 21' } });
  await page.goto(`${url}/inbox/`);
  await page.getByRole('textbox', { name: 'E-mail' }).fill('admin@threadline.local');
  await page.getByLabel('Password').fill('e2e-pass-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('searchbox', { name: /Search/ }).fill('067 765 43 21');
  await page.getByRole('button', { name: /Oksana/ }).click();
  await expect(page.getByRole('heading', { name: 'Oksana' })).toBeVisible();
  await expect(page.getByText('Callback request from Oksana')).toBeVisible();
  await expect(page.getByText('Phone: +380677654321')).toBeVisible();
});
