// The WhatsApp proof on the real server (PGlite, the job queue running) with a real
// Chromium visitor: a customer writes on WhatsApp, the same person asks for a call back
// on the website, the agent sees one customer and one thread and answers on WhatsApp
// through a fake Graph API (tests/fixtures/whatsapp/, Meta's documented payloads) set as
// the channel's apiBase, and the browser never sees the WhatsApp conversation.
import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { createThreadlineServer, ensureAgent, upsertSite, type ThreadlineServer } from '../../packages/server/src/index.ts';
import { createWhatsAppChannel } from '../../packages/server/src/channels/whatsapp/whatsapp-channel.ts';
import { startFakeGraphServer, type FakeGraphServer } from '../fixtures/whatsapp/fake-graph-server.ts';
import { BUSINESS_PHONE_NUMBER_ID, metaSignature, statusWebhook, textWebhook } from '../fixtures/whatsapp/payloads.ts';
import { CORE_BUILD_DIR } from '../support/build-harness.ts';

// One server (one PGlite, ≈750 MB) for the file: its tests run in one worker, in order.
test.describe.configure({ mode: 'default' });

const AGENT = { email: 'agent@shop.test', password: 'e2e-pass-1' };
const APP_SECRET = 'e2e-meta-app-secret';
const VERIFY_TOKEN = 'e2e-verify-token';

// A shop page with a callback form on the headless client (its browser build, as a host page loads it).
const SHOP_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Shop</title></head>
<body>
<main>
  <h1>Shop</h1>
  <form id="callback">
    <label>Your name <input name="name"></label>
    <label>Phone <input name="phone" type="tel" required></label>
    <button type="submit">Call me back</button>
  </form>
  <p id="status" role="status"></p>
  <h2>Your conversation</h2>
  <ol id="history" aria-label="Conversation"></ol>
  <button id="load" type="button">Show my conversation</button>
</main>
<script type="module">
import { createClient, createHttpAdapter } from '/core/index.js';
const client = createClient({ site: 'shop', adapter: createHttpAdapter({ endpoint: location.origin }) });
const form = document.getElementById('callback');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const result = await client.submitLead({ kind: 'callback', name: data.get('name'), phone: data.get('phone') });
  if (!result.ok) document.getElementById('status').textContent = result.error.message;
});
client.on('lead:sent', () => (document.getElementById('status').textContent = 'Thank you! We will call you back.'));
client.chat.messages.subscribe((items) => {
  document.getElementById('history').replaceChildren(...items.map((item) => Object.assign(document.createElement('li'), { textContent: item.text })));
});
document.getElementById('load').addEventListener('click', () => client.ready.then(() => client.chat.loadHistory()).then(() => (document.getElementById('status').textContent = 'Conversation loaded')));
</script>
</body>
</html>`;

let server: ThreadlineServer;
let url: string;
let graph: FakeGraphServer;

test.beforeAll(async () => {
  // PGlite's first start and migrations take seconds on a busy machine.
  test.setTimeout(120_000);
  graph = await startFakeGraphServer();
  // Configured through the environment, as an operator would (docs/channels.md, "WhatsApp").
  const env = { WHATSAPP_PHONE_NUMBER_ID: BUSINESS_PHONE_NUMBER_ID, WHATSAPP_ACCESS_TOKEN: 'e2e-access-token', WHATSAPP_APP_SECRET: APP_SECRET, WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN, WHATSAPP_API_BASE: graph.url };
  server = await createThreadlineServer({
    env,
    channels: (context) => [createWhatsAppChannel({ env: context.env })],
    routes: async (app) => {
      app.get('/shop/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(SHOP_PAGE));
      app.get('/core/*', async (request, reply) => {
        const path = (request.params as { '*': string })['*'];
        const file = normalize(join(CORE_BUILD_DIR, path));
        if (!file.startsWith(CORE_BUILD_DIR)) return reply.code(404).send();
        return reply.type(extname(file) === '.js' ? 'text/javascript; charset=utf-8' : 'application/json').send(await readFile(file));
      });
    },
  });
  url = await server.listen();
  await upsertSite(server.db, { id: 'shop', name: 'Shop', allowedOrigins: [url], secret: 'shop-secret', defaultCountry: 'UA' });
  await ensureAgent(server.db, { email: AGENT.email, name: 'Iryna', password: AGENT.password, role: 'agent' });
});
test.afterAll(async () => {
  await server?.close();
  await graph?.close();
});

// Signed in once: the login route is rate-limited, and the checks below poll the agent API.
let token: string | undefined;
async function agent<T>(method: string, path: string, body?: unknown): Promise<T> {
  if (!token) {
    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(AGENT) });
    token = ((await login.json()) as { token: string }).token;
  }
  const response = await fetch(url + path, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  expect(response.ok, `${method} ${path} answered ${response.status}`).toBe(true);
  return (await response.json()) as T;
}

/** What Meta does when the customer writes: POST the webhook, signed with the app secret. */
async function metaDelivers(payload: unknown): Promise<void> {
  const raw = JSON.stringify(payload);
  const response = await fetch(`${url}/api/v1/channels/whatsapp/shop`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(raw, APP_SECRET) }, body: raw });
  expect(response.status).toBe(200);
}

async function askForCallback(page: Page, person: { name: string; phone: string }) {
  await page.goto(`${url}/shop/`);
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Phone').fill(person.phone);
  await page.getByRole('button', { name: 'Call me back' }).click();
  await expect(page.getByRole('status')).toHaveText('Thank you! We will call you back.');
}

async function expectBrowserSeesNothingOf(page: Page, texts: string[]) {
  await page.getByRole('button', { name: 'Show my conversation' }).click();
  await expect(page.getByRole('status')).toHaveText('Conversation loaded');
  for (const text of texts) await expect(page.getByRole('list', { name: 'Conversation' })).not.toContainText(text);
}

interface ThreadDetail {
  thread: { id: string };
  contact: { identities: { kind: string; value: string; verified: boolean }[] };
  items: { id: string; type: string; channel: string; text: string | null; payload: { delivery?: { state: string; externalId?: string } } }[];
}

async function theOneThread(phone: string): Promise<ThreadDetail> {
  const found = await agent<{ items: { id: string }[] }>('GET', `/api/v1/threads?site=shop&query=${encodeURIComponent(phone)}`);
  expect(found.items).toHaveLength(1);
  return agent<ThreadDetail>('GET', `/api/v1/threads/${found.items[0]!.id}`);
}

test('Meta’s webhook verification gets the challenge back', async () => {
  const answer = await fetch(`${url}/api/v1/channels/whatsapp/shop?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
  expect(answer.status).toBe(200);
  expect(await answer.text()).toBe('1158201444');
});

test('WhatsApp first, then a website callback: one customer, one thread, the reply sent on WhatsApp, nothing of it in the browser', async ({ page }) => {
  // (1) The customer writes on WhatsApp; the wa_id is their phone, proven by WhatsApp.
  await metaDelivers(textWebhook({ waId: '380671234567', name: 'Olena', body: 'Is the blue sofa available?' }));
  // (2) The same person asks for a call back on the website, typing the phone the national way.
  await askForCallback(page, { name: 'Olena', phone: '067 123 45 67' });

  // (3) Agents see one customer with both identities and one thread: the WhatsApp message, then the lead.
  const detail = await theOneThread('+380671234567');
  expect(detail.contact.identities).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: 'whatsapp', value: '380671234567', verified: true }),
      expect.objectContaining({ kind: 'phone', value: '+380671234567', verified: true }),
    ]),
  );
  expect(detail.items.map((item) => [item.type, item.channel])).toEqual([
    ['message', 'whatsapp'],
    ['lead', 'web'],
  ]);

  // (4) The agent answers on WhatsApp: the job queue calls the Graph API's messages endpoint.
  await agent('POST', `/api/v1/threads/${detail.thread.id}/messages`, { text: 'It is! Shall I reserve it?', channel: 'whatsapp' });
  await expect.poll(() => graph.script.sent.find((sent) => sent.body.to === '380671234567')?.body).toEqual({
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: '380671234567',
    type: 'text',
    text: { body: 'It is! Shall I reserve it?', preview_url: false },
  });
  // WhatsApp then reports the reply delivered; the agent sees it on the item.
  const ourReply = () => theOneThread('+380671234567').then((thread) => thread.items.find((item) => item.text === 'It is! Shall I reserve it?'));
  await expect.poll(async () => (await ourReply())?.payload.delivery?.state).toBe('sent');
  const wamid = (await ourReply())!.payload.delivery!.externalId!;
  await metaDelivers(statusWebhook({ wamid, status: 'delivered', recipientId: '380671234567' }));
  expect((await ourReply())?.payload.delivery?.state).toBe('delivered');

  // (5) The browser typed the phone, which proves nothing: it does not see the WhatsApp conversation.
  await expectBrowserSeesNothingOf(page, ['blue sofa', 'Shall I reserve it']);
  await page.screenshot({ path: 'test-results/channels-whatsapp.png' });
});

test('a website callback first, then WhatsApp from that phone: the same single thread, answered on WhatsApp by default', async ({ page }) => {
  await askForCallback(page, { name: 'Taras', phone: '050 765 43 21' });
  await metaDelivers(textWebhook({ waId: '380507654321', name: 'Taras', body: 'I am free after 18:00.' }));

  const detail = await theOneThread('050 765 43 21');
  expect(detail.items.map((item) => [item.type, item.channel])).toEqual([
    ['lead', 'web'],
    ['message', 'whatsapp'],
  ]);
  // The customer wrote last on WhatsApp, so a reply without a channel goes there.
  await agent('POST', `/api/v1/threads/${detail.thread.id}/messages`, { text: 'We call you at 18:30.' });
  await expect.poll(() => graph.script.sent.some((sent) => sent.body.to === '380507654321' && (sent.body.text as { body: string }).body === 'We call you at 18:30.')).toBe(true);
  await expectBrowserSeesNothingOf(page, ['free after 18:00', 'We call you at 18:30']);
});
