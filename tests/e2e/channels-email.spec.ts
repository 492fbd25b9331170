// The e-mail proof on the real server (PGlite, its own SMTP listener on a free
// port) with a real Chromium visitor: a customer e-mails support, the same person
// asks for a call back on the website, the agent sees one customer and one
// thread, answers by e-mail (caught by a real SMTP server standing in for the
// customer's mail server), and the browser never sees the e-mail conversation.
import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { createTransport } from 'nodemailer';
import { createThreadlineServer, ensureAgent, upsertSite, type ThreadlineServer } from '../../packages/server/src/index.ts';
import { createEmailChannel, type EmailChannel } from '../../packages/server/src/channels/email/email-channel.ts';
import { startCustomerMailServer, type CustomerMailServer } from '../fixtures/email/customer-mail-server.ts';
import { CORE_BUILD_DIR } from '../support/build-harness.ts';

// One server (one PGlite, ≈750 MB) for the file: its tests run in one worker, in order.
test.describe.configure({ mode: 'default' });

const SUPPORT = 'support@shop.test';
const AGENT = { email: 'agent@shop.test', password: 'e2e-pass-1' };

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
    <label>E-mail <input name="email" type="email"></label>
    <button type="submit">Call me back</button>
  </form>
  <p id="status" role="status"></p>
  <h2>Your conversation</h2>
  <ol id="history" aria-label="Conversation"></ol>
  <form id="chat"><label>Message <input name="text"></label><button type="submit">Send</button></form>
  <button id="load" type="button">Show my conversation</button>
</main>
<script type="module">
import { createClient, createHttpAdapter } from '/core/index.js';
const client = createClient({ site: 'shop', adapter: createHttpAdapter({ endpoint: location.origin }) });
const form = document.getElementById('callback');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const result = await client.submitLead({ kind: 'callback', name: data.get('name'), phone: data.get('phone'), email: data.get('email') });
  if (!result.ok) document.getElementById('status').textContent = result.error.message;
});
client.on('lead:sent', () => (document.getElementById('status').textContent = 'Thank you! We will call you back.'));
client.chat.messages.subscribe((items) => {
  document.getElementById('history').replaceChildren(...items.map((item) => Object.assign(document.createElement('li'), { textContent: item.text })));
});
const chat = document.getElementById('chat');
chat.addEventListener('submit', async (event) => {
  event.preventDefault();
  const result = await client.chat.send(new FormData(chat).get('text'));
  document.getElementById('status').textContent = result.ok ? 'Message sent' : result.error.message;
});
document.getElementById('load').addEventListener('click', () => client.ready.then(() => client.chat.loadHistory()).then(() => (document.getElementById('status').textContent = 'Conversation loaded')));
</script>
</body>
</html>`;

let server: ThreadlineServer;
let url: string;
let channel: EmailChannel;
let customer: CustomerMailServer;

test.beforeAll(async () => {
  // PGlite's first start and migrations take seconds on a busy machine.
  test.setTimeout(120_000);
  customer = await startCustomerMailServer();
  // Configured through the environment, as an operator would (docs/channels.md, "E-mail").
  channel = createEmailChannel({ THREADLINE_SMTP_PORT: '0', THREADLINE_MAIL_ADDRESS: SUPPORT, THREADLINE_MAIL_SITE: 'shop', THREADLINE_SMTP_OUTBOUND_URL: customer.url });
  server = await createThreadlineServer({
    channels: () => [channel],
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
  await customer?.close();
});

async function agent<T>(method: string, path: string, body?: unknown): Promise<T> {
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(AGENT) });
  const { token } = (await login.json()) as { token: string };
  const response = await fetch(url + path, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return (await response.json()) as T;
}

const mailIn = (message: { from: string; subject: string; text: string; messageId?: string }) =>
  createTransport({ host: '127.0.0.1', port: channel.smtpPort()!, secure: false, ignoreTLS: true }).sendMail({ to: SUPPORT, ...message });

async function askForCallback(page: Page, person: { name: string; phone: string; email: string }) {
  await page.goto(`${url}/shop/`);
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Phone').fill(person.phone);
  await page.getByLabel('E-mail').fill(person.email);
  await page.getByRole('button', { name: 'Call me back' }).click();
  await expect(page.getByRole('status')).toHaveText('Thank you! We will call you back.');
}

interface ThreadDetail {
  contact: { identities: { kind: string; value: string; verified: boolean }[] };
  items: { type: string; channel: string; text: string | null }[];
}

test('e-mail first, then a website callback: one customer, one thread, an e-mail reply threaded under the customer’s mail, nothing of it in the browser', async ({ page }) => {
  // (1) The customer writes to support.
  const customerMessageId = `${crypto.randomUUID()}@mail.example.com`;
  await mailIn({ from: 'Olena <customer@example.com>', subject: 'Sofa delivery', text: 'My order 1042: the sofa goes to the 3rd floor.', messageId: `<${customerMessageId}>` });
  // (2) The same person asks for a call back on the website, with the e-mail and a phone.
  await askForCallback(page, { name: 'Olena', phone: '067 123 45 67', email: 'Customer@Example.com' });

  // (3) Agents see one customer with both identities and one thread: the e-mail, then the lead.
  const found = await agent<{ items: { id: string }[] }>('GET', '/api/v1/threads?site=shop&query=customer%40example.com');
  expect(found.items).toHaveLength(1);
  expect((await agent<{ items: { id: string }[] }>('GET', '/api/v1/threads?site=shop&query=%2B380671234567')).items).toEqual(found.items);
  const detail = await agent<ThreadDetail>('GET', `/api/v1/threads/${found.items[0]!.id}`);
  expect(detail.contact.identities).toEqual(
    expect.arrayContaining([expect.objectContaining({ kind: 'email', value: 'customer@example.com', verified: false }), expect.objectContaining({ kind: 'phone', value: '+380671234567' })]),
  );
  expect(detail.items.map((item) => [item.type, item.channel])).toEqual([
    ['message', 'email'],
    ['lead', 'web'],
  ]);

  // (4) The agent answers by e-mail; it reaches the customer's mail server threaded under their message.
  await agent('POST', `/api/v1/threads/${found.items[0]!.id}/messages`, { text: 'We will call you at 15:30 about the sofa.', channel: 'email' });
  await expect.poll(() => customer.received.find((mail) => mail.text?.includes('We will call you at 15:30'))?.inReplyTo).toBe(`<${customerMessageId}>`);
  const reply = customer.received.find((mail) => mail.text?.includes('We will call you at 15:30'))!;
  expect(reply.subject).toBe('Re: Sofa delivery');
  expect(reply.from?.value[0]?.address).toBe(SUPPORT);

  // (5) The browser typed the address, which proves nothing: after a reload its history from the
  // server holds its own chat message, and nothing of the e-mail conversation.
  await page.getByLabel('Message').fill('Hello from the website');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect.poll(async () => (await agent<ThreadDetail>('GET', `/api/v1/threads/${found.items[0]!.id}`)).items.length).toBe(4);
  await page.reload();
  await page.getByRole('button', { name: 'Show my conversation' }).click();
  await expect(page.getByRole('status')).toHaveText('Conversation loaded');
  const history = page.getByRole('list', { name: 'Conversation' });
  await expect(history).toContainText('Hello from the website');
  await expect(history).not.toContainText('sofa');
  await page.screenshot({ path: 'test-results/channels-email.png' });
});

test('a website callback first, then an e-mail from that address: the same single thread', async ({ page }) => {
  await askForCallback(page, { name: 'Taras', phone: '050 765 43 21', email: 'taras@example.com' });
  await mailIn({ from: 'Taras <taras@example.com>', subject: 'My callback', text: 'I am free after 18:00.' });

  const found = await agent<{ items: { id: string }[] }>('GET', '/api/v1/threads?site=shop&query=taras%40example.com');
  expect(found.items).toHaveLength(1);
  const detail = await agent<ThreadDetail>('GET', `/api/v1/threads/${found.items[0]!.id}`);
  expect(detail.items.map((item) => [item.type, item.channel])).toEqual([
    ['lead', 'web'],
    ['message', 'email'],
  ]);
  expect(detail.items[1]!.text).toBe('I am free after 18:00.');
});
