// The proof of issue 5 for Telegram, on the real server (PGlite, socket.io, job queue) with a
// shop page in real Chromium as the web visitor (calling the visitor HTTP API from the page), and a local fake of the Bot API
// (tests/fixtures/telegram) as TELEGRAM_API_BASE: Telegram's webhook calls are made as
// Telegram makes them, the agent works through the agent API.
import { expect, test, type Page } from '@playwright/test';
import { createSocketLayer, createThreadlineServer, seedDemo, type ThreadlineServer } from '../../packages/server/src/index.ts';
import { BOT_TOKEN, callbackQueryUpdate, contactUpdate, OLENA, TARAS, textUpdate, type BotMessagePayload, type TelegramUserPayload } from '../fixtures/telegram/bot-api-payloads.ts';
import { startFakeBotApiServer, type FakeBotApiServer } from '../fixtures/telegram/fake-bot-api-server.ts';

// One server (one PGlite, ≈750 MB) for the file: its tests run in one worker, in order.
// Each test walks the whole proof (pages, webhooks, queue): more than the default 20 s on a loaded machine.
test.describe.configure({ mode: 'default', timeout: 60_000 });

const SECRET = 'e2e-telegram-secret';
let server: ThreadlineServer;
let botApi: FakeBotApiServer;
let url: string;
let agentToken: string;

test.beforeAll(async () => {
  // PGlite takes a while to start on a cold or busy machine.
  test.setTimeout(120_000);
  botApi = await startFakeBotApiServer();
  server = await createThreadlineServer({
    env: { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_BASE: botApi.url },
    // The shop's page the visitor is on (same origin as the API, an allowed origin of site demo).
    routes: async (app) => {
      app.get('/shop/', async (_request, reply) => reply.type('text/html').send('<!doctype html><html lang="en"><title>Blue Bicycle Shop</title><h1>Blue Bicycle Shop</h1></html>'));
    },
    realtime: (context) => createSocketLayer(context),
    jobs: { pollIntervalMs: 100 },
  });
  url = await server.listen();
  await seedDemo(server.db, { origins: [url], adminPassword: 'e2e-pass-1' });
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@threadline.local', password: 'e2e-pass-1' }) });
  agentToken = ((await login.json()) as { token: string }).token;
});
test.afterAll(async () => {
  await server?.close();
  await botApi?.close();
});

/** What Telegram does for each update: POST it to the webhook with the secret header. */
async function telegramDelivers(update: unknown): Promise<void> {
  const response = await fetch(`${url}/api/v1/channels/telegram/demo`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update) });
  expect(response.status).toBe(200);
}

async function agent<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(url + path, { method, headers: { authorization: `Bearer ${agentToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return (await response.json()) as T;
}

interface ThreadDetail {
  contact: { identities: { kind: string; value: string; verified: boolean }[]; visitors: { id: string; access: string }[] };
  items: { type: string; channel: string; text: string | null }[];
}

/** (2) The web visitor, in Chromium on the shop's page, asks for a callback through the HTTP API. */
async function askForCallback(page: Page, name: string, phone: string): Promise<{ visitorId: string; visitorToken: string }> {
  await page.goto(`${url}/shop/`);
  const visitorId = crypto.randomUUID();
  const receipt = await page.evaluate(
    async (lead) => {
      const response = await fetch('/api/v1/leads', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: 'demo', clientId: crypto.randomUUID(), kind: 'callback', ...lead }) });
      return { status: response.status, body: (await response.json()) as { visitorToken: string } };
    },
    { visitorId, name, phone },
  );
  expect(receipt.status).toBe(201);
  return { visitorId, visitorToken: receipt.body.visitorToken };
}

/** What the visitor's browser may read of its thread (GET /api/v1/messages with its own token), after it wrote one chat line. */
async function visitorReads(page: Page, visitor: { visitorId: string; visitorToken: string }): Promise<string[]> {
  return page.evaluate(async ({ visitorId, visitorToken }) => {
    const sent = await fetch('/api/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: 'demo', visitorId, clientId: crypto.randomUUID(), text: 'Is delivery free?' }) });
    if (sent.status !== 201) throw new Error(`the chat line was refused: ${sent.status}`);
    const response = await fetch(`/api/v1/messages?site=demo&visitorId=${encodeURIComponent(visitorId)}`, { headers: { authorization: `Bearer ${visitorToken}` } });
    return ((await response.json()) as { messages: { text: string }[] }).messages.map((message) => message.text);
  }, visitor);
}

/** (3)–(5): one contact and thread for the agent, the reply out through sendMessage, nothing of Telegram in the browser. */
async function proveOneThread(page: Page, visitor: { visitorId: string; visitorToken: string }, customer: TelegramUserPayload, phoneE164: string, typedPhone: string, telegramText: string, expectedOrder: string[]): Promise<void> {
  const found = await agent<{ items: { id: string }[] }>('GET', `/api/v1/threads?site=demo&query=${encodeURIComponent(typedPhone)}`);
  expect(found.items).toHaveLength(1);
  const byTelegram = (await agent<{ items: { id: string; contact: { identities: { kind: string; value: string }[] } }[] }>('GET', '/api/v1/threads?site=demo')).items.filter((thread) =>
    thread.contact.identities.some((identity) => identity.kind === 'telegram' && identity.value === String(customer.id)),
  );
  expect(byTelegram.map((thread) => thread.id)).toEqual([found.items[0]!.id]);
  const threadId = found.items[0]!.id;
  const detail = await agent<ThreadDetail>('GET', `/api/v1/threads/${threadId}`);
  expect(detail.contact.identities).toEqual(expect.arrayContaining([{ kind: 'telegram', value: String(customer.id), verified: true }, { kind: 'phone', value: phoneE164, verified: true }]));
  expect(detail.items.map((item) => `${item.type}:${item.channel}`)).toEqual(expectedOrder);
  expect(detail.items.find((item) => item.channel === 'telegram' && item.type === 'message')?.text).toBe(telegramText);

  // (4) The agent answers in Telegram.
  const answer = `We will call you at 15:30, ${customer.first_name}`;
  await agent('POST', `/api/v1/threads/${threadId}/messages`, { text: answer, channel: 'telegram' });
  await expect.poll(() => botApi.fake.delivered('sendMessage').filter((call) => call.body.text === answer).map((call) => call.body)).toEqual([{ chat_id: String(customer.id), text: answer }]);
  await expect.poll(async () => (await agent<{ items: { text: string | null; payload?: { delivery?: { state: string } } }[] }>('GET', `/api/v1/threads/${threadId}`)).items.find((item) => item.text === answer)?.payload?.delivery?.state).toBe('sent');

  // (5) The web visitor typed the phone, proving nothing: its browser reads only what it wrote.
  expect(await visitorReads(page, visitor)).toEqual(['Is delivery free?']);
}

test('Telegram first: the chat with a shared phone and the later website callback are one customer, one thread', async ({ page }) => {
  // (1) The customer writes to the bot and shares their own contact.
  await telegramDelivers(textUpdate(OLENA, 'Скільки коштує доставка?'));
  await telegramDelivers(contactUpdate(OLENA, { phone_number: '380671234567', first_name: 'Olena', user_id: OLENA.id }));
  // (2) A web visitor asks for a callback with the national format (site country UA).
  const visitor = await askForCallback(page, 'Olena', '067 123 45 67');
  await proveOneThread(page, visitor, OLENA, '+380671234567', '067 123 45 67', 'Скільки коштує доставка?', ['message:telegram', 'event:telegram', 'lead:web']);
});

test('website first: the callback and the later Telegram chat with a shared phone end in the same single thread', async ({ page }) => {
  const visitor = await askForCallback(page, 'Taras', '050 111 22 33');
  await telegramDelivers(textUpdate(TARAS, 'Я залишав заявку на сайті'));
  await telegramDelivers(contactUpdate(TARAS, { phone_number: '+380501112233', first_name: 'Taras', user_id: TARAS.id }));
  await proveOneThread(page, visitor, TARAS, '+380501112233', '050 111 22 33', 'Я залишав заявку на сайті', ['lead:web', 'message:telegram', 'event:telegram']);
});

test('“Continue in Telegram”: the one-time link the page gets, opened in Telegram and confirmed with Yes, joins the two and lets that browser read the Telegram side', async ({ page }) => {
  const customer: TelegramUserPayload = { id: 555000111, is_bot: false, first_name: 'Iryna', language_code: 'en' };
  await page.goto(`${url}/shop/`);
  const visitorId = crypto.randomUUID();
  const { link, visitorToken } = await page.evaluate(async (visitor) => {
    const post = (path: string, body: unknown, token?: string) =>
      fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) }).then((response) => response.json());
    const session = (await post('/api/v1/sessions', { site: 'demo', visitorId: visitor })) as { visitorToken: string };
    await post('/api/v1/messages', { site: 'demo', visitorId: visitor, clientId: crypto.randomUUID(), text: 'Can we move to Telegram?' });
    const answer = (await post('/api/v1/channels/telegram/demo/link', { visitorId: visitor }, session.visitorToken)) as { url: string };
    return { link: answer.url, visitorToken: session.visitorToken };
  }, visitorId);
  // The bot's name comes from getMe (not configured): the fake answers as the documented bot.
  expect(link).toMatch(/^https:\/\/t\.me\/threadline_shop_bot\?start=[A-Za-z0-9_-]{22}$/);

  await telegramDelivers(textUpdate(customer, `/start ${new URL(link).searchParams.get('start')}`));
  // The bot asks first (the link may have come from somebody else); the customer presses Yes.
  const promptSent = () => botApi.fake.delivered('sendMessage').find((call) => call.body.chat_id === String(customer.id) && JSON.stringify(call.body.reply_markup ?? {}).includes('inline_keyboard'));
  await expect.poll(promptSent).toBeTruthy();
  const prompt = promptSent()!;
  expect(prompt.body.text).toContain('Link this Telegram chat to your conversation on');
  const [[yes]] = (prompt.body.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard as [[{ text: string; callback_data: string }]];
  expect(yes.text).toBe('Yes, link');
  await telegramDelivers(callbackQueryUpdate(customer, (prompt.answer as { result: BotMessagePayload }).result, yes.callback_data));
  await expect.poll(() => botApi.fake.delivered('editMessageText').map((call) => call.body.text)).toEqual([expect.stringContaining('Done: this chat is now connected')]);
  await telegramDelivers(textUpdate(customer, 'Continuing here'));

  const threads = (await agent<{ items: { id: string; contact: { identities: { kind: string; value: string }[] } }[] }>('GET', '/api/v1/threads?site=demo')).items.filter((thread) =>
    thread.contact.identities.some((identity) => identity.kind === 'telegram' && identity.value === String(customer.id)),
  );
  expect(threads).toHaveLength(1);
  const detail = await agent<ThreadDetail>('GET', `/api/v1/threads/${threads[0]!.id}`);
  expect(detail.contact.visitors).toMatchObject([{ id: visitorId, access: 'contact' }]);
  expect(detail.items.map((item) => `${item.type}:${item.channel}`)).toEqual(['message:web', 'event:telegram', 'event:telegram', 'message:telegram']);
  const history = await page.evaluate(async ({ visitor, token }) => {
    const response = await fetch(`/api/v1/messages?site=demo&visitorId=${encodeURIComponent(visitor)}`, { headers: { authorization: `Bearer ${token}` } });
    return ((await response.json()) as { messages: { text: string }[] }).messages.map((message) => message.text);
  }, { visitor: visitorId, token: visitorToken });
  expect(history).toEqual(['Can we move to Telegram?', 'Continuing here']);
});
