// @vitest-environment node
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { createThreadlineServer, openDatabase, type Database, type ThreadlineServer } from '../src/index.ts';
import { createTelegramChannel } from '../src/channels/telegram/telegram-channel.ts';
import { saveTelegramSettings, type TelegramSiteSettings } from '../src/channels/telegram/telegram-settings.ts';
import { registerTelegramWebhook } from '../src/cli/telegram-webhook.ts';
import { ensureAgent } from '../src/domain/agents.ts';
import { upsertSite } from '../src/domain/sites.ts';
import { DATABASE_START_TIMEOUT } from './support/pglite.ts';
import { createBotApiFake, type BotApiFake } from '../../../tests/fixtures/telegram/bot-api-fake.ts';
import {
  BLOCKED_BY_USER,
  BOT,
  BOT_TOKEN,
  callbackQueryUpdate,
  contactUpdate,
  documentUpdate,
  editedUpdate,
  errorAnswer,
  groupUpdate,
  myChatMemberUpdate,
  OLENA,
  photoUpdate,
  TARAS,
  textUpdate,
  TOO_MANY_REQUESTS,
  type BotMessagePayload,
  type TelegramUserPayload,
} from '../../../tests/fixtures/telegram/bot-api-payloads.ts';
import { telegramHandlers } from '../../../tests/fixtures/telegram/telegram-handlers.ts';

// The Telegram channel through its HTTP surface: Telegram's webhook calls in, the Bot API
// (msw, documented payloads) out, the agent API in between. One PGlite for the file.
let fake: BotApiFake;
const botApi = setupServer(...telegramHandlers({ handle: (...args) => fake.handle(...args) } as BotApiFake));

let db: Database;
let server: ThreadlineServer | undefined;
let clock = Date.now();
beforeAll(async () => {
  botApi.listen({ onUnhandledRequest: (request, print) => (new URL(request.url).hostname === '127.0.0.1' ? undefined : print.error()) });
  db = await openDatabase({});
  await ensureAgent(db, { email: 'agent@shop.test', name: 'Iryna', password: 'correct horse', role: 'agent' });
}, DATABASE_START_TIMEOUT);
beforeEach(() => {
  fake = createBotApiFake();
  clock = Date.now();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(async () => {
  botApi.close();
  await db.close();
});

const SECRET = 'webhook-secret_123';
const ORIGIN = 'https://shop.test';
let counter = 0;

async function start(options: { telegram?: Partial<TelegramSiteSettings> } = {}) {
  const site = `tg${++counter}`;
  await upsertSite(db, { id: site, name: 'Shop', allowedOrigins: [ORIGIN], secret: `secret-${site}`, defaultCountry: 'UA' });
  await saveTelegramSettings(db, site, { botToken: BOT_TOKEN, webhookSecret: SECRET, askForPhone: false, ...options.telegram });
  const env = {};
  server = await createThreadlineServer({ database: db, env, channels: () => [createTelegramChannel(env)], jobs: { autoStart: false, backoff: () => 0, now: () => clock } });
  const url = await server.listen();
  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(url + path, { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const token = (await request('POST', '/api/v1/auth/login', { email: 'agent@shop.test', password: 'correct horse' })).body.token as string;
  const agent = (method: string, path: string, body?: unknown) => request(method, path, body, { authorization: `Bearer ${token}` });
  const webhook = (update: unknown, secret: string | null = SECRET) => request('POST', `/api/v1/channels/telegram/${site}`, update, secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret });
  const threadOf = async (query: string) => {
    const found = await agent('GET', `/api/v1/threads?site=${site}&query=${encodeURIComponent(query)}`);
    return found.body.items as { id: string; contact: { identities: { kind: string; value: string; verified: boolean }[] } }[];
  };
  const threads = async () => (await agent('GET', `/api/v1/threads?site=${site}`)).body.items as { id: string; contact: { identities: { kind: string; value: string }[] } }[];
  const detail = async (threadId: string) => (await agent('GET', `/api/v1/threads/${threadId}`)).body;
  const lead = (visitorId: string, phone: string) => request('POST', '/api/v1/leads', { site, visitorId, clientId: crypto.randomUUID(), kind: 'callback', name: 'Olena', phone }, { origin: ORIGIN });
  const footprint = async () => {
    const counts: Record<string, number> = {};
    for (const table of ['contacts', 'identities', 'timeline_items', 'channel_receipts', 'jobs']) counts[table] = Number((await db.query<{ n: string }>(`select count(*) as n from ${table} where site_id = $1`, [site])).rows[0]!.n);
    return counts;
  };
  return { site, url, request, agent, webhook, threadOf, threads, detail, lead, footprint, jobs: server.jobs };
}

const sendMessages = () => fake.delivered('sendMessage').map((call) => call.body);

test('files a private text message in the customer’s thread under a verified telegram identity', async () => {
  const { webhook, threads, detail } = await start();
  const answer = await webhook(textUpdate(OLENA, 'Скільки коштує доставка?'));
  expect(answer.status).toBe(200);
  const [thread] = await threads();
  const view = await detail(thread!.id);
  expect(view.contact.name).toBe('Olena Koval');
  expect(view.contact.identities).toEqual([{ kind: 'telegram', value: String(OLENA.id), verified: true }]);
  expect(view.items).toMatchObject([{ type: 'message', channel: 'telegram', direction: 'in', text: 'Скільки коштує доставка?' }]);
});

test('records an update delivered twice (same update_id) once', async () => {
  const { webhook, threads, detail, footprint } = await start();
  const update = textUpdate(OLENA, 'Hello');
  expect((await webhook(update)).status).toBe(200);
  const before = await footprint();
  const again = await webhook(update);
  expect(again).toMatchObject({ status: 200, body: { ok: true, duplicate: true } });
  expect(await footprint()).toEqual(before);
  expect((await detail((await threads())[0]!.id)).items).toHaveLength(1);
});

test.each([
  ['a wrong secret', 'not-the-secret'],
  ['a secret of another length', 'x'],
  ['no secret header', null],
])('refuses an update with %s with 401 and stores nothing', async (_name, secret) => {
  const { webhook, footprint } = await start();
  const before = await footprint();
  const answer = await webhook(textUpdate(OLENA, 'Hello'), secret);
  expect(answer.status).toBe(401);
  expect(answer.body.error.code).toBe('unauthorized');
  expect(await footprint()).toEqual(before);
});

test.each([
  ['no update_id', { message: textUpdate(OLENA, 'x').message }, 'update_id'],
  ['a text update_id', { ...textUpdate(OLENA, 'x'), update_id: 'seven' }, 'update_id'],
  ['a message without a chat', { update_id: 1, message: { message_id: 1, from: OLENA, date: 1760000000, text: 'x' } }, 'message.chat'],
  ['a photo without file ids', { update_id: 2, message: { ...photoUpdate(OLENA).message, photo: [{ width: 1, height: 1 }] } }, 'message.photo.0.file_id'],
  ['a callback_query without from', { update_id: 3, callback_query: { id: '4382000000000000999', chat_instance: '-1', data: 'link:yes:abc' } }, 'callback_query.from'],
  ['a callback_query with a numeric id', { update_id: 4, callback_query: { ...callbackQueryUpdate(OLENA, { message_id: 1, chat: { id: OLENA.id, type: 'private' }, date: 1760000000 }, 'link:yes:abc').callback_query, id: 42 } }, 'callback_query.id'],
])('refuses a malformed update (%s) with 400 naming the field and stores nothing', async (_name, update, field) => {
  const { webhook, footprint } = await start();
  const before = await footprint();
  const answer = await webhook(update);
  expect(answer.status).toBe(400);
  expect(answer.body.error).toMatchObject({ code: 'invalid_input', field, message: expect.stringContaining(field) });
  expect(await footprint()).toEqual(before);
});

test('acknowledges group messages and update kinds it does not handle with 200, storing no message', async () => {
  const { webhook, footprint } = await start();
  const before = await footprint();
  expect(await webhook(groupUpdate(OLENA, 'hi all'))).toMatchObject({ status: 200, body: { ignored: 'not-private' } });
  expect(await webhook(myChatMemberUpdate(OLENA))).toMatchObject({ status: 200, body: { ignored: 'unsupported-kind' } });
  expect(await footprint()).toEqual(before);
});

test('asks once for the phone with a request_contact keyboard in the user’s language, through the queue', async () => {
  const { webhook, jobs } = await start({ telegram: { askForPhone: true } });
  await webhook(textUpdate(OLENA, '/start'));
  await webhook(textUpdate(OLENA, 'Hello?'));
  await jobs.runDue();
  expect(sendMessages()).toEqual([
    {
      chat_id: String(OLENA.id),
      text: 'Дякуємо, що написали! Поділіться номером телефону, щоб менеджер бачив і ваші заявки з сайту.',
      reply_markup: { keyboard: [[{ text: '📱 Поділитися номером', request_contact: true }]], resize_keyboard: true, one_time_keyboard: true },
    },
  ]);
});

test('uses the site’s own prompt text, and does not ask a customer who already shared the phone', async () => {
  const { webhook, jobs } = await start({ telegram: { askForPhone: { text: 'Your number, please?', button: 'Send number' } } });
  await webhook(contactUpdate(TARAS, { phone_number: '380501112233', first_name: 'Taras', user_id: TARAS.id }));
  await webhook(textUpdate(OLENA, 'Hi'));
  await jobs.runDue();
  expect(sendMessages()).toEqual([{ chat_id: String(OLENA.id), text: 'Your number, please?', reply_markup: expect.objectContaining({ keyboard: [[{ text: 'Send number', request_contact: true }]] }) }]);
});

test('takes a contact shared by its owner as a verified phone that joins the website lead with that phone', async () => {
  const { webhook, lead, threadOf, threads, detail } = await start();
  await webhook(textUpdate(OLENA, 'Hello'));
  await webhook(contactUpdate(OLENA, { phone_number: '380671234567', first_name: 'Olena', user_id: OLENA.id }));
  expect((await lead(crypto.randomUUID(), '067 123 45 67')).status).toBe(201);
  const [thread] = await threadOf('+380671234567');
  expect(await threads()).toHaveLength(1);
  expect(thread!.contact.identities).toEqual(expect.arrayContaining([{ kind: 'telegram', value: String(OLENA.id), verified: true }, { kind: 'phone', value: '+380671234567', verified: true }]));
  const view = await detail(thread!.id);
  expect(view.items.map((item: { type: string; channel: string }) => `${item.type}:${item.channel}`)).toEqual(['message:telegram', 'event:telegram', 'lead:web']);
  expect(view.items[1].payload).toMatchObject({ event: 'telegram.phone_shared', contact: { phone: '+380671234567', own: true } });
});

test('keeps a forwarded contact of someone else as a fact, without claiming the phone', async () => {
  const { webhook, lead, threads, detail } = await start();
  await webhook(contactUpdate(OLENA, { phone_number: '+380501112233', first_name: 'Taras', user_id: TARAS.id }));
  const [thread] = await threads();
  const view = await detail(thread!.id);
  expect(view.contact.identities).toEqual([{ kind: 'telegram', value: String(OLENA.id), verified: true }]);
  expect(view.items[0]).toMatchObject({ type: 'event', payload: { event: 'telegram.contact_shared', contact: { phone: '+380501112233', userId: String(TARAS.id), own: false } } });
  // Taras's callback from the website stays Taras's own thread.
  await lead(crypto.randomUUID(), '050 111 22 33');
  expect(await threads()).toHaveLength(2);
});

test('stores a photo (its largest size) and a document as attachments with their file_id, the caption as text', async () => {
  const { webhook, threads, detail, site } = await start();
  await webhook(photoUpdate(OLENA, 'This one'));
  await webhook(documentUpdate(OLENA));
  const view = await detail((await threads())[0]!.id);
  expect(view.items).toMatchObject([
    { type: 'message', text: 'This one', payload: { attachments: [{ externalRef: 'AgACAgIAAxkBAAIBZWZ0large', mimeType: 'image/jpeg', sizeBytes: 84210 }] } },
    { type: 'message', text: null, payload: { attachments: [{ externalRef: 'BQACAgIAAxkBAAIBZmZ0invoice', fileName: 'invoice-1042.pdf', mimeType: 'application/pdf', sizeBytes: 52344 }] } },
  ]);
  const stored = await db.query<{ external_ref: string; item_id: string }>("select external_ref, item_id from attachments where site_id = $1 and channel = 'telegram' order by created_at", [site]);
  expect(stored.rows.map((row) => row.external_ref)).toEqual(['AgACAgIAAxkBAAIBZWZ0large', 'BQACAgIAAxkBAAIBZmZ0invoice']);
  expect(stored.rows.map((row) => row.item_id)).toEqual([view.items[0].id, view.items[1].id]);
});

test('records an edited message as an event that points at the original, which keeps its first text', async () => {
  const { webhook, threads, detail } = await start();
  const original = textUpdate(OLENA, 'Deliver on Monday', { messageId: 77 });
  await webhook(original);
  await webhook(editedUpdate(OLENA, 77, 'Deliver on Tuesday'));
  const view = await detail((await threads())[0]!.id);
  expect(view.items).toMatchObject([
    { type: 'message', text: 'Deliver on Monday' },
    { type: 'event', text: 'Deliver on Tuesday', payload: { event: 'telegram.edited', editOf: `telegram:${OLENA.id}:77` } },
  ]);
});

test('sends an agent’s reply with sendMessage to the customer’s chat and marks it sent', async () => {
  const { webhook, threads, agent, detail, jobs } = await start();
  await webhook(textUpdate(OLENA, 'Do you deliver to Lviv?'));
  const threadId = (await threads())[0]!.id;
  const reply = await agent('POST', `/api/v1/threads/${threadId}/messages`, { text: 'Yes, in two days.' });
  expect(reply.status).toBe(201);
  expect(reply.body.item).toMatchObject({ channel: 'telegram', payload: { delivery: { state: 'queued' } } });
  await jobs.runDue();
  expect(sendMessages()).toEqual([{ chat_id: String(OLENA.id), text: 'Yes, in two days.' }]);
  const out = (await detail(threadId)).items.find((item: { direction: string }) => item.direction === 'out');
  expect(out.payload.delivery).toMatchObject({ state: 'sent', externalId: `telegram:${OLENA.id}:5000` });
});

test('waits out a 429 retry_after and then delivers the reply exactly once', async () => {
  const { webhook, threads, agent, detail, jobs } = await start();
  await webhook(textUpdate(OLENA, 'Hello'));
  const threadId = (await threads())[0]!.id;
  fake.failNext('sendMessage', TOO_MANY_REQUESTS(30));
  await agent('POST', `/api/v1/threads/${threadId}/messages`, { text: 'Hi Olena!' });
  await jobs.runDue();
  expect(fake.calls.filter((call) => call.method === 'sendMessage').map((call) => call.status)).toEqual([429]);
  clock += 29_000;
  expect(await jobs.runDue()).toBe(0);
  clock += 2_000;
  await jobs.runDue();
  await jobs.runDue();
  expect(sendMessages()).toEqual([{ chat_id: String(OLENA.id), text: 'Hi Olena!' }]);
  const out = (await detail(threadId)).items.find((item: { direction: string }) => item.direction === 'out');
  expect(out.payload.delivery.state).toBe('sent');
});

test('gives up on a user who blocked the bot: a dead letter for agents and the reply marked failed', async () => {
  const { webhook, threads, agent, detail, jobs, site } = await start();
  await webhook(textUpdate(OLENA, 'Hello'));
  const threadId = (await threads())[0]!.id;
  fake.failNext('sendMessage', BLOCKED_BY_USER);
  await agent('POST', `/api/v1/threads/${threadId}/messages`, { text: 'Are you still there?' });
  await jobs.runDue();
  expect(fake.calls.filter((call) => call.method === 'sendMessage')).toHaveLength(1);
  const dead = await agent('GET', `/api/v1/jobs?state=dead&site=${site}`);
  expect(dead.body.items).toMatchObject([{ kind: 'channel:send', state: 'dead', lastError: expect.stringContaining('bot was blocked by the user') }]);
  const out = (await detail(threadId)).items.find((item: { direction: string }) => item.direction === 'out');
  expect(out).toMatchObject({ text: 'Are you still there?', payload: { delivery: { state: 'failed', error: expect.stringContaining('403') } } });
});

/** A web visitor who chatted on the site and asked for a "Continue in Telegram" link. */
async function visitorWithLink(app: Awaited<ReturnType<typeof start>>) {
  const { site, request } = app;
  const visitorId = crypto.randomUUID();
  const visitorToken = (await request('POST', '/api/v1/sessions', { site, visitorId }, { origin: ORIGIN })).body.visitorToken as string;
  await request('POST', '/api/v1/messages', { site, visitorId, clientId: crypto.randomUUID(), text: 'Can I continue in Telegram?' }, { origin: ORIGIN });
  const link = await request('POST', `/api/v1/channels/telegram/${site}/link`, { visitorId }, { origin: ORIGIN, authorization: `Bearer ${visitorToken}` });
  expect(link.status).toBe(201);
  const reads = async () =>
    ((await request('GET', `/api/v1/messages?site=${site}&visitorId=${visitorId}`, undefined, { origin: ORIGIN, authorization: `Bearer ${visitorToken}` })).body.messages as { text: string }[]).map((message) => message.text);
  return { visitorId, visitorToken, url: link.body.url as string, startToken: new URL(link.body.url).searchParams.get('start')!, reads };
}

/** The confirmation the bot sent to a user (sendMessage with an inline keyboard), as Telegram stored it. */
function promptSentTo(user: TelegramUserPayload) {
  const call = fake.delivered('sendMessage').find((entry) => entry.body.chat_id === String(user.id) && typeof entry.body.reply_markup === 'object' && 'inline_keyboard' in (entry.body.reply_markup as object));
  if (!call) throw new Error(`no confirmation was sent to ${user.first_name}`);
  const message = (call.answer as { result: BotMessagePayload }).result;
  const [[yes, no]] = (call.body.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard as [[{ text: string; callback_data: string }, { text: string; callback_data: string }]];
  return { body: call.body, message, yes: yes.callback_data, no: no.callback_data };
}

const answeredCallbacks = () => fake.delivered('answerCallbackQuery').map((call) => call.body);
const editedTexts = () => fake.delivered('editMessageText').map((call) => call.body);

const UK_LINKED = 'Готово: цей чат підключено до вашої розмови на Shop. Пишіть сюди — відповімо тут.';
const UK_EXPIRED = 'Посилання застаріло або вже використане. Відкрийте «Продовжити в Telegram» на Shop ще раз.';

test('asks the Telegram user to confirm after /start <token>, in their language, and links nothing yet', async () => {
  const app = await start();
  const { webhook, threads, detail, jobs } = app;
  expect((await app.request('POST', `/api/v1/channels/telegram/${app.site}/link`, { visitorId: crypto.randomUUID() }, { origin: ORIGIN })).status).toBe(401);
  const visitor = await visitorWithLink(app);
  expect(visitor.url).toMatch(new RegExp(`^https://t\\.me/${BOT.username}\\?start=[A-Za-z0-9_-]{22}$`));
  await webhook(textUpdate(OLENA, 'I was here before'));
  expect((await webhook(textUpdate(OLENA, `/start ${visitor.startToken}`))).status).toBe(200);

  // The web visitor's thread and Olena's stay apart, and the browser reads only its own.
  const all = await threads();
  expect(all).toHaveLength(2);
  const olena = all.find((thread) => thread.contact.identities.some((identity) => identity.kind === 'telegram'))!;
  const view = await detail(olena.id);
  expect(view.contact.visitors).toEqual([]);
  expect(view.items.at(-1)).toMatchObject({ type: 'event', payload: { event: 'telegram.start', deepLink: 'offered', visitorId: visitor.visitorId } });
  expect(JSON.stringify(view.items)).not.toContain(visitor.startToken);
  expect(await visitor.reads()).toEqual(['Can I continue in Telegram?']);

  await jobs.runDue();
  const prompt = promptSentTo(OLENA);
  expect(prompt.body).toEqual({
    chat_id: String(OLENA.id),
    text: 'Підключити цей чат Telegram до вашої розмови на Shop? Повідомлення з сайту й Telegram будуть в одній розмові, а браузер, у якому відкрили це посилання, бачитиме і цей чат. Якщо ви не просили це посилання на Shop, натисніть «Ні».',
    reply_markup: { inline_keyboard: [[{ text: 'Так, підключити', callback_data: prompt.yes }, { text: 'Ні', callback_data: prompt.no }]] },
  });
  // callback_data is 1–64 bytes and carries no part of the link's token.
  for (const data of [prompt.yes, prompt.no]) {
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(data).not.toContain(visitor.startToken);
  }
  expect(sendMessages()).toHaveLength(1);
});

test('links the web visitor and the Telegram user when that user presses Yes; that browser then reads the Telegram side', async () => {
  const app = await start();
  const { webhook, threads, detail, jobs, footprint } = app;
  const visitor = await visitorWithLink(app);
  await webhook(textUpdate(OLENA, 'I was here before'));
  await webhook(textUpdate(OLENA, `/start ${visitor.startToken}`));
  await jobs.runDue();
  const prompt = promptSentTo(OLENA);

  const yes = callbackQueryUpdate(OLENA, prompt.message, prompt.yes);
  expect((await webhook(yes)).status).toBe(200);
  const all = await threads();
  expect(all).toHaveLength(1);
  const view = await detail(all[0]!.id);
  expect(view.contact.identities).toEqual([{ kind: 'telegram', value: String(OLENA.id), verified: true }]);
  expect(view.contact.visitors).toMatchObject([{ id: visitor.visitorId, access: 'contact' }]);
  expect(view.items.at(-1)).toMatchObject({ type: 'event', channel: 'telegram', payload: { event: 'telegram.link', deepLink: 'linked', visitorId: visitor.visitorId } });
  expect(await visitor.reads()).toEqual(expect.arrayContaining(['Can I continue in Telegram?', 'I was here before']));

  // The same press delivered again (same update_id) changes nothing.
  const before = await footprint();
  expect(await webhook(yes)).toMatchObject({ status: 200, body: { duplicate: true } });
  expect(await footprint()).toEqual(before);

  // The button stops spinning, and the question becomes the answer, without buttons.
  await jobs.runDue();
  expect(answeredCallbacks()).toEqual([{ callback_query_id: yes.callback_query.id, text: UK_LINKED }]);
  expect(editedTexts()).toEqual([{ chat_id: String(OLENA.id), message_id: prompt.message.message_id, text: UK_LINKED }]);

  // The link is spent: another Telegram account opening it is told so and offered nothing.
  await webhook(textUpdate(TARAS, `/start ${visitor.startToken}`));
  await jobs.runDue();
  expect(sendMessages().filter((body) => body.chat_id === String(TARAS.id))).toEqual([{ chat_id: String(TARAS.id), text: UK_EXPIRED }]);
  expect((await detail(all[0]!.id)).contact.visitors).toHaveLength(1);
});

test('links nothing when the Telegram user presses No, and says so in place of the question', async () => {
  const app = await start();
  const { webhook, threads, detail, jobs } = app;
  const visitor = await visitorWithLink(app);
  await webhook(textUpdate(OLENA, `/start ${visitor.startToken}`));
  await jobs.runDue();
  const prompt = promptSentTo(OLENA);

  const no = callbackQueryUpdate(OLENA, prompt.message, prompt.no);
  await webhook(no);
  await jobs.runDue();
  const declined = 'Не підключено: цей чат залишається окремо від розмови на Shop.';
  expect(answeredCallbacks()).toEqual([{ callback_query_id: no.callback_query.id, text: declined }]);
  expect(editedTexts()).toEqual([{ chat_id: String(OLENA.id), message_id: prompt.message.message_id, text: declined }]);

  // A Yes arriving afterwards (an old client still showing the buttons) does not undo the No.
  const lateYes = callbackQueryUpdate(OLENA, prompt.message, prompt.yes);
  await webhook(lateYes);
  await jobs.runDue();
  expect(answeredCallbacks().at(-1)).toEqual({ callback_query_id: lateYes.callback_query.id, text: declined });
  const all = await threads();
  expect(all).toHaveLength(2);
  for (const thread of all) expect((await detail(thread.id)).contact.visitors.filter((entry: { access: string }) => entry.access === 'contact')).toEqual([]);
  expect(await visitor.reads()).toEqual(['Can I continue in Telegram?']);
});

test('ignores a Yes from a Telegram user other than the one who pressed Start', async () => {
  const app = await start();
  const { webhook, threads, detail, jobs, footprint } = app;
  const visitor = await visitorWithLink(app);
  await webhook(textUpdate(OLENA, `/start ${visitor.startToken}`));
  await jobs.runDue();
  const prompt = promptSentTo(OLENA);

  // Taras's client sends Olena's callback_data (the Bot API warns that clients can send any).
  const before = await footprint();
  const forged = callbackQueryUpdate(TARAS, { ...prompt.message, chat: { id: TARAS.id, type: 'private' } }, prompt.yes);
  expect((await webhook(forged)).status).toBe(200);
  expect({ ...(await footprint()), jobs: 0, channel_receipts: 0 }).toEqual({ ...before, jobs: 0, channel_receipts: 0 });
  await jobs.runDue();
  expect(answeredCallbacks()).toEqual([{ callback_query_id: forged.callback_query.id, text: UK_EXPIRED }]);
  expect(editedTexts()).toEqual([]);
  expect(await threads()).toHaveLength(2);
  expect(await visitor.reads()).toEqual(['Can I continue in Telegram?']);

  // Olena's own answer still counts.
  await webhook(callbackQueryUpdate(OLENA, prompt.message, prompt.yes));
  const all = await threads();
  expect(all).toHaveLength(1);
  expect((await detail(all[0]!.id)).contact.identities).toEqual([{ kind: 'telegram', value: String(OLENA.id), verified: true }]);
  await jobs.runDue();
  expect(editedTexts()).toEqual([{ chat_id: String(OLENA.id), message_id: prompt.message.message_id, text: UK_LINKED }]);
});

test('links nothing when Yes comes after the link’s 15 minutes, and says the link expired', async () => {
  const app = await start();
  const { site, webhook, threads, detail, jobs } = app;
  const visitor = await visitorWithLink(app);
  await webhook(textUpdate(OLENA, `/start ${visitor.startToken}`));
  await jobs.runDue();
  const prompt = promptSentTo(OLENA);
  await db.query("update telegram_link_tokens set expires_at = now() - interval '1 minute' where site_id = $1", [site]);

  const yes = callbackQueryUpdate(OLENA, prompt.message, prompt.yes);
  await webhook(yes);
  await jobs.runDue();
  expect(await threads()).toHaveLength(2);
  expect(await visitor.reads()).toEqual(['Can I continue in Telegram?']);
  expect(answeredCallbacks()).toEqual([{ callback_query_id: yes.callback_query.id, text: UK_EXPIRED }]);
  expect(editedTexts()).toEqual([{ chat_id: String(OLENA.id), message_id: prompt.message.message_id, text: UK_EXPIRED }]);
  const olena = (await threads()).find((thread) => thread.contact.identities.some((identity) => identity.kind === 'telegram'))!;
  expect((await detail(olena.id)).items.at(-1)).toMatchObject({ payload: { event: 'telegram.link', deepLink: 'expired' } });
});

test('tells a CRM’s webhook about the join a Yes makes; a No tells it nothing', async () => {
  const webhooks = [{ id: 'crm', url: 'https://crm.shop.test/threadline', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', events: ['contact.merged'] }];
  const app = await start();
  const { site, webhook, jobs } = app;
  await db.query("update sites set settings = settings || jsonb_build_object('webhooks', $2::jsonb) where id = $1", [site, JSON.stringify(webhooks)]);
  const mergeDeliveries = async () =>
    (await db.query<{ type: string }>("select payload->>'type' as type from jobs where site_id = $1 and kind = 'webhook:deliver'", [site])).rows.map((row) => row.type);

  const declined = await visitorWithLink(app);
  await webhook(textUpdate(OLENA, 'I was here before'));
  await webhook(textUpdate(OLENA, `/start ${declined.startToken}`));
  await jobs.runDue();
  await webhook(callbackQueryUpdate(OLENA, promptSentTo(OLENA).message, promptSentTo(OLENA).no));
  expect(await mergeDeliveries()).toEqual([]);

  const accepted = await visitorWithLink(app);
  await webhook(textUpdate(OLENA, `/start ${accepted.startToken}`));
  await jobs.runDue();
  const prompts = fake.delivered('sendMessage').filter((call) => call.body.chat_id === String(OLENA.id) && typeof call.body.reply_markup === 'object');
  const latest = prompts.at(-1)!;
  const yes = (latest.body.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0]![0]!.callback_data;
  // Queued in the join's transaction: there by the time Telegram gets its 200.
  await webhook(callbackQueryUpdate(OLENA, (latest.answer as { result: BotMessagePayload }).result, yes));
  expect(await mergeDeliveries()).toEqual(['contact.merged']);
  // Not delivered here (the CRM is not what this file tests): settled, so its dedupe key stays taken.
  await db.query("update jobs set state = 'done' where site_id = $1 and kind = 'webhook:deliver'", [site]);
  await jobs.runDue();
});

test('still replaces the question with the outcome when Telegram says the button press is too old to answer', async () => {
  const app = await start();
  const { site, agent, webhook, jobs } = app;
  const visitor = await visitorWithLink(app);
  await webhook(textUpdate(OLENA, `/start ${visitor.startToken}`));
  await jobs.runDue();
  const prompt = promptSentTo(OLENA);
  fake.failNext('answerCallbackQuery', errorAnswer(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid'));
  await webhook(callbackQueryUpdate(OLENA, prompt.message, prompt.yes));
  await jobs.runDue();
  expect(editedTexts()).toEqual([{ chat_id: String(OLENA.id), message_id: prompt.message.message_id, text: UK_LINKED }]);
  expect((await agent('GET', `/api/v1/jobs?state=dead&site=${site}`)).body.items).toEqual([]);
});

test('leaves no dead letter when Telegram says the question already shows the outcome (an edit repeated after its answer was lost)', async () => {
  const app = await start();
  const { site, agent, webhook, jobs, threads } = app;
  const visitor = await visitorWithLink(app);
  await webhook(textUpdate(OLENA, `/start ${visitor.startToken}`));
  await jobs.runDue();
  const prompt = promptSentTo(OLENA);
  fake.failNext('editMessageText', errorAnswer(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message'));
  await webhook(callbackQueryUpdate(OLENA, prompt.message, prompt.yes));
  await jobs.runDue();
  expect(fake.calls.filter((call) => call.method === 'editMessageText').map((call) => call.status)).toEqual([400]);
  expect((await agent('GET', `/api/v1/jobs?state=dead&site=${site}`)).body.items).toEqual([]);
  expect(await threads()).toHaveLength(1);
});

test('refuses a /start link once its 15 minutes are over, and says so in the chat without asking', async () => {
  const app = await start();
  const { site, webhook, threads, detail, jobs } = app;
  const visitor = await visitorWithLink(app);
  await db.query("update telegram_link_tokens set expires_at = now() - interval '1 minute' where site_id = $1", [site]);
  await webhook(textUpdate(OLENA, `/start ${visitor.startToken}`));
  const olena = (await threads()).find((thread) => thread.contact.identities.some((identity) => identity.kind === 'telegram'))!;
  const view = await detail(olena.id);
  expect(view.items).toMatchObject([{ payload: { deepLink: 'expired' } }]);
  expect(view.contact.visitors).toEqual([]);
  await jobs.runDue();
  expect(sendMessages()).toEqual([{ chat_id: String(OLENA.id), text: UK_EXPIRED }]);
});

test('the proof, Telegram first: one contact with both identities, one thread in order, the reply via sendMessage, the web visitor reads only its own', async () => {
  const { site, request, webhook, lead, threadOf, threads, detail, agent, jobs } = await start();
  await webhook(textUpdate(OLENA, 'Скільки коштує доставка?'));
  await webhook(contactUpdate(OLENA, { phone_number: '380671234567', first_name: 'Olena', user_id: OLENA.id }));
  const visitorId = crypto.randomUUID();
  const receipt = await lead(visitorId, '067 123 45 67');
  const all = await threads();
  expect(all).toHaveLength(1);
  const [found] = await threadOf('067 123 45 67');
  expect(found!.id).toBe(all[0]!.id);
  const view = await detail(found!.id);
  expect(view.contact.identities).toEqual(expect.arrayContaining([{ kind: 'telegram', value: String(OLENA.id), verified: true }, { kind: 'phone', value: '+380671234567', verified: true }]));
  expect(view.items.map((item: { type: string; channel: string }) => `${item.type}:${item.channel}`)).toEqual(['message:telegram', 'event:telegram', 'lead:web']);

  await agent('POST', `/api/v1/threads/${found!.id}/messages`, { text: 'Доставка безкоштовна!', channel: 'telegram' });
  await jobs.runDue();
  expect(sendMessages()).toEqual([{ chat_id: String(OLENA.id), text: 'Доставка безкоштовна!' }]);

  const history = await request('GET', `/api/v1/messages?site=${site}&visitorId=${visitorId}`, undefined, { origin: ORIGIN, authorization: `Bearer ${receipt.body.visitorToken}` });
  expect(history.status).toBe(200);
  expect(history.body.messages).toEqual([]);
});

test('the proof, website first: the callback and the later Telegram chat end in the same single thread', async () => {
  const { site, request, webhook, lead, threads, detail, agent, jobs } = await start();
  const visitorId = crypto.randomUUID();
  const receipt = await lead(visitorId, '067 123 45 67');
  await webhook(textUpdate(OLENA, 'Я залишала заявку на сайті'));
  expect(await threads()).toHaveLength(2);
  await webhook(contactUpdate(OLENA, { phone_number: '+380 67 123 45 67', first_name: 'Olena', user_id: OLENA.id }));
  const all = await threads();
  expect(all).toHaveLength(1);
  expect(all[0]!.id).toBe(receipt.body.threadId);
  const view = await detail(all[0]!.id);
  expect(view.contact.identities).toEqual(expect.arrayContaining([{ kind: 'telegram', value: String(OLENA.id), verified: true }, { kind: 'phone', value: '+380671234567', verified: true }]));
  expect(view.items.map((item: { type: string; channel: string }) => `${item.type}:${item.channel}`)).toEqual(['lead:web', 'message:telegram', 'event:telegram']);

  await agent('POST', `/api/v1/threads/${all[0]!.id}/messages`, { text: 'Передзвонимо о 15:30', channel: 'telegram' });
  await jobs.runDue();
  expect(sendMessages()).toEqual([{ chat_id: String(OLENA.id), text: 'Передзвонимо о 15:30' }]);
  const history = await request('GET', `/api/v1/messages?site=${site}&visitorId=${visitorId}`, undefined, { origin: ORIGIN, authorization: `Bearer ${receipt.body.visitorToken}` });
  expect(history.body.messages).toEqual([]);
});

test('the webhook command registers the site’s URL with secret_token and allowed_updates', async () => {
  const site = `tg${++counter}`;
  await upsertSite(db, { id: site, name: 'Shop', allowedOrigins: [], secret: `secret-${site}` });
  const result = await registerTelegramWebhook(db, {}, { site, publicUrl: 'https://chat.shop.test', botToken: BOT_TOKEN, webhookSecret: SECRET, dropPendingUpdates: true });
  expect(result.url).toBe(`https://chat.shop.test/api/v1/channels/telegram/${site}`);
  expect(fake.delivered('setWebhook').map((call) => call.body)).toEqual([
    { url: `https://chat.shop.test/api/v1/channels/telegram/${site}`, secret_token: SECRET, allowed_updates: ['message', 'edited_message', 'callback_query'], drop_pending_updates: true },
  ]);
  const stored = (await db.query<{ settings: { telegram: unknown } }>('select settings from sites where id = $1', [site])).rows[0]!.settings.telegram;
  expect(stored).toEqual({ botToken: BOT_TOKEN, webhookSecret: SECRET });
});

test('with only TELEGRAM_BOT_TOKEN set, the server and the webhook command agree on the webhook secret', async () => {
  const site = `tg${++counter}`;
  await upsertSite(db, { id: site, name: 'Shop', allowedOrigins: [], secret: `secret-${site}`, defaultCountry: 'UA' });
  const env = { TELEGRAM_BOT_TOKEN: BOT_TOKEN };
  await registerTelegramWebhook(undefined, env, { site, publicUrl: 'https://chat.shop.test' });
  const secret = String(fake.delivered('setWebhook')[0]!.body.secret_token);
  expect(secret).toMatch(/^[A-Za-z0-9_-]{1,256}$/);

  server = await createThreadlineServer({ database: db, env, channels: () => [createTelegramChannel(env)], jobs: { autoStart: false } });
  const url = await server.listen();
  const deliver = (token: string) =>
    fetch(`${url}/api/v1/channels/telegram/${site}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': token }, body: JSON.stringify(textUpdate(OLENA, 'Hello')) });
  expect((await deliver(BOT_TOKEN)).status).toBe(401);
  expect((await deliver(secret)).status).toBe(200);
});
