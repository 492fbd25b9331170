// @vitest-environment node
// The WhatsApp Cloud API channel on a real server and PGlite; only graph.facebook.com is
// faked, with msw handlers replaying Meta's documented payloads (tests/fixtures/whatsapp/).
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { createThreadlineServer, openDatabase, type Database, type ThreadlineServer } from '../src/index.ts';
import { ensureAgent } from '../src/domain/agents.ts';
import { upsertSite } from '../src/domain/sites.ts';
import { createWhatsAppChannel } from '../src/channels/whatsapp/whatsapp-channel.ts';
import {
  BUSINESS_PHONE_NUMBER_ID,
  buttonReplyWebhook,
  createGraphScript,
  documentWebhook,
  flowReplyWebhook,
  graphErrors,
  imageWebhook,
  metaSignature,
  newWamid,
  statusWebhook,
  templateStatusWebhook,
  textWebhook,
  unsupportedWebhook,
  usernameTextWebhook,
} from '../../../tests/fixtures/whatsapp/payloads.ts';
import { FAKE_GRAPH_API_BASE, whatsAppGraphHandlers } from '../../../tests/fixtures/whatsapp/msw-handlers.ts';

const APP_SECRET = 'meta-app-secret';
const VERIFY_TOKEN = 'verify-me-please';
const ACCESS_TOKEN = 'EAAG-system-user-token';
const ORIGIN = 'https://shop.test';
const CUSTOMER_WA_ID = '380671234567';

const script = createGraphScript();
const graph = setupServer(...whatsAppGraphHandlers(script));

// One PGlite for the file (it costs seconds to start); a fresh server and site per test.
let db: Database;
let server: ThreadlineServer | undefined;
beforeAll(async () => {
  db = await openDatabase({});
  await ensureAgent(db, { email: 'agent@shop.test', name: 'Iryna', password: 'correct horse', role: 'agent' });
  // 'error' for every provider call no handler answers; the test's own calls to the local server pass through.
  graph.listen({
    onUnhandledRequest(request, print) {
      if (new URL(request.url).hostname === '127.0.0.1') return;
      print.error();
      throw new Error(`[MSW] no handler for ${request.method} ${request.url}`);
    },
  });
}, 60_000);
beforeEach(() => script.reset());
afterEach(async () => {
  // Jobs share the file's database: a reply left queued here must not be sent in the next test.
  await server?.jobs.runDue();
  await server?.close();
  server = undefined;
});
afterAll(async () => {
  graph.close();
  await db.close();
});

let counter = 0;

async function start() {
  const site = `wa${++counter}`;
  await upsertSite(db, { id: site, name: 'Shop', allowedOrigins: [ORIGIN], secret: `secret-${site}`, defaultCountry: 'UA' });
  const whatsapp = { phoneNumberId: BUSINESS_PHONE_NUMBER_ID, accessToken: ACCESS_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, apiBase: FAKE_GRAPH_API_BASE };
  await db.query("update sites set settings = jsonb_set(settings, '{whatsapp}', $2::jsonb) where id = $1", [site, JSON.stringify(whatsapp)]);
  server = await createThreadlineServer({ database: db, env: {}, jobs: { autoStart: false, backoff: () => 0 }, channels: () => [createWhatsAppChannel({ env: {} })] });
  const url = await server.listen();
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(url + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), origin: ORIGIN, ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // text/plain answers (the handshake challenge) stay text
    }
    return { status: response.status, headers: response.headers, body: parsed as Json };
  };
  /** Posts a webhook delivery the way Meta does: the raw JSON signed with the app secret. */
  const deliver = (payload: unknown, options: { signature?: string } = {}) => {
    const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
    return call('POST', `/api/v1/channels/whatsapp/${site}`, raw, { 'x-hub-signature-256': options.signature ?? metaSignature(raw, APP_SECRET) });
  };
  const token = (await call('POST', '/api/v1/auth/login', { email: 'agent@shop.test', password: 'correct horse' })).body.token as string;
  const agent = (method: string, path: string, body?: unknown) => call(method, path, body, { authorization: `Bearer ${token}` });
  const threadOf = async (query: string) => {
    const found = await agent('GET', `/api/v1/threads?site=${site}&query=${encodeURIComponent(query)}`);
    expect(found.body.items).toHaveLength(1);
    return (await agent('GET', `/api/v1/threads/${found.body.items[0].id}`)).body;
  };
  return { site, url, call, deliver, agent, threadOf };
}

const count = async (table: string, site: string) => Number((await db.query<{ n: string }>(`select count(*) as n from ${table} where site_id = $1`, [site])).rows[0]!.n);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers and payloads are read and spoiled by path, as JSON
type Json = any;
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

test('answers Meta’s verification handshake with the challenge as plain text', async () => {
  const { call, site } = await start();
  const answer = await call('GET', `/api/v1/channels/whatsapp/${site}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(answer.body).toBe(1158201444);
});

test('is one of the built-in channels, set up from the WHATSAPP_* environment', async () => {
  const site = `wa${++counter}`;
  await upsertSite(db, { id: site, name: 'Shop', allowedOrigins: [ORIGIN], secret: `secret-${site}`, defaultCountry: 'UA' });
  const env = { WHATSAPP_PHONE_NUMBER_ID: BUSINESS_PHONE_NUMBER_ID, WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN, WHATSAPP_APP_SECRET: APP_SECRET, WHATSAPP_VERIFY_TOKEN: 'from-the-environment' };
  server = await createThreadlineServer({ database: db, env, jobs: { autoStart: false } });
  const url = await server.listen();
  const answer = await fetch(`${url}/api/v1/channels/whatsapp/${site}?hub.mode=subscribe&hub.verify_token=from-the-environment&hub.challenge=7`);
  expect(answer.status).toBe(200);
  expect(await answer.text()).toBe('7');
});

test('refuses the handshake with a wrong verify token or mode', async () => {
  const { call, site } = await start();
  const wrongToken = await call('GET', `/api/v1/channels/whatsapp/${site}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=42`);
  expect(wrongToken).toMatchObject({ status: 403, body: { error: { code: 'forbidden', field: 'hub.verify_token' } } });
  const wrongMode = await call('GET', `/api/v1/channels/whatsapp/${site}?hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=42`);
  expect(wrongMode.status).toBe(403);
  expect((await call('GET', `/api/v1/channels/whatsapp/nope?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=42`)).status).toBe(404);
});

test('files a customer’s text message in one thread, with the wa_id and the phone as verified identities', async () => {
  const { site, deliver, threadOf } = await start();
  const answer = await deliver(textWebhook({ waId: CUSTOMER_WA_ID, name: 'Olena', body: 'Do you deliver to Lviv?' }));
  expect(answer.status).toBe(200);
  const detail = await threadOf('+380671234567');
  expect(detail.contact.name).toBe('Olena');
  expect(detail.contact.identities).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: 'whatsapp', value: CUSTOMER_WA_ID, verified: true }),
      expect.objectContaining({ kind: 'phone', value: '+380671234567', verified: true }),
    ]),
  );
  expect(detail.items).toEqual([expect.objectContaining({ type: 'message', channel: 'whatsapp', direction: 'in', text: 'Do you deliver to Lviv?' })]);
  expect(await count('timeline_items', site)).toBe(1);
});

test('ignores a second delivery of the same wamid', async () => {
  const { site, deliver } = await start();
  const payload = textWebhook({ waId: CUSTOMER_WA_ID, body: 'Hello', wamid: newWamid() });
  expect((await deliver(payload)).status).toBe(200);
  expect((await deliver(payload)).status).toBe(200);
  expect(await count('timeline_items', site)).toBe(1);
});

test('refuses a delivery without a valid signature with 401 and stores nothing', async () => {
  const { site, deliver } = await start();
  const payload = textWebhook({ waId: CUSTOMER_WA_ID, body: 'Hello' });
  const raw = JSON.stringify(payload);
  expect(await deliver(raw, { signature: metaSignature(raw, 'another-app') })).toMatchObject({ status: 401, body: { error: { code: 'bad_signature' } } });
  expect((await deliver(raw, { signature: '' })).status).toBe(401);
  // Signed, then changed on the way: the signature covers the raw bytes.
  expect((await deliver(raw.replace('Hello', 'Hellp'), { signature: metaSignature(raw, APP_SECRET) })).status).toBe(401);
  // The same object re-serialised with other spacing is not what Meta signed.
  expect((await deliver(JSON.stringify(payload, null, 2), { signature: metaSignature(raw, APP_SECRET) })).status).toBe(401);
  expect(await count('timeline_items', site)).toBe(0);
  expect(await count('contacts', site)).toBe(0);
});

test.each([
  ['a text message without its text', (payload: Json) => delete payload.entry[0].changes[0].value.messages[0].text, 'entry.0.changes.0.value.messages.0.text'],
  ['a timestamp that is not unix seconds', (payload: Json) => (payload.entry[0].changes[0].value.messages[0].timestamp = 'yesterday'), 'entry.0.changes.0.value.messages.0.timestamp'],
  ['a message without an id', (payload: Json) => delete payload.entry[0].changes[0].value.messages[0].id, 'entry.0.changes.0.value.messages.0.id'],
  ['another object', (payload: Json) => (payload.object = 'page'), 'object'],
  [
    'a good message followed by one with no sender',
    (payload: Json) => {
      const value = payload.entry[0].changes[0].value;
      value.messages.push({ ...value.messages[0], id: newWamid(), from: undefined });
      value.contacts.push({ profile: { name: 'Second' }, wa_id: '380501112233' });
    },
    'entry.0.changes.0.value.messages.1.from',
  ],
])('refuses %s with 400 naming the field and stores nothing', async (_name, spoil, field) => {
  const { site, deliver } = await start();
  const payload = textWebhook({ waId: CUSTOMER_WA_ID, body: 'Hello' });
  spoil(payload);
  const answer = await deliver(payload);
  expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid_input', field, message: expect.stringContaining(field) } } });
  expect(await count('timeline_items', site)).toBe(0);
  expect(await count('contacts', site)).toBe(0);
});

test('refuses a signed body that is not JSON with 400', async () => {
  const { site, deliver } = await start();
  expect(await deliver('{"object":')).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
  expect(await count('timeline_items', site)).toBe(0);
});

test('keeps images and documents as attachments with their media ids and captions', async () => {
  const { site, deliver, threadOf } = await start();
  expect((await deliver(imageWebhook({ waId: CUSTOMER_WA_ID, mediaId: '1479537139650973', caption: 'This one, in red' }))).status).toBe(200);
  expect((await deliver(documentWebhook({ waId: CUSTOMER_WA_ID, mediaId: '1003383421387256', filename: 'invoice-42.pdf' }))).status).toBe(200);
  const detail = await threadOf(CUSTOMER_WA_ID);
  expect(detail.items).toEqual([
    expect.objectContaining({ text: 'This one, in red', payload: expect.objectContaining({ attachments: [{ externalRef: '1479537139650973', mimeType: 'image/jpeg' }] }) }),
    expect.objectContaining({ payload: expect.objectContaining({ attachments: [{ externalRef: '1003383421387256', mimeType: 'application/pdf', fileName: 'invoice-42.pdf' }] }) }),
  ]);
  const stored = (await db.query<{ external_ref: string; channel: string }>('select external_ref, channel from attachments where site_id = $1 order by created_at', [site])).rows;
  expect(stored).toEqual([
    { external_ref: '1479537139650973', channel: 'whatsapp' },
    { external_ref: '1003383421387256', channel: 'whatsapp' },
  ]);
});

test('records a button reply as the button’s text and an unsupported message as an event', async () => {
  const { deliver, threadOf } = await start();
  await deliver(buttonReplyWebhook({ waId: CUSTOMER_WA_ID, title: 'Call me tomorrow' }));
  await deliver(unsupportedWebhook({ waId: CUSTOMER_WA_ID }));
  const detail = await threadOf(CUSTOMER_WA_ID);
  expect(detail.items).toEqual([
    expect.objectContaining({ type: 'message', text: 'Call me tomorrow' }),
    expect.objectContaining({ type: 'event', channel: 'whatsapp', payload: expect.objectContaining({ whatsapp: expect.objectContaining({ unsupported: 'unsupported', error: { code: 131051, title: 'Unsupported message type' } }) }) }),
  ]);
});

test('keeps a Flow answer as an event and acknowledges other webhook fields without storing them', async () => {
  const { site, deliver, threadOf } = await start();
  expect((await deliver(templateStatusWebhook())).status).toBe(200);
  expect(await count('timeline_items', site)).toBe(0);
  expect((await deliver(flowReplyWebhook({ waId: CUSTOMER_WA_ID }))).status).toBe(200);
  expect((await threadOf(CUSTOMER_WA_ID)).items).toEqual([expect.objectContaining({ type: 'event', text: 'WhatsApp interactive message' })]);
});

test('claims no phone for a customer known only by a username’s business-scoped id', async () => {
  const { deliver, threadOf } = await start();
  expect((await deliver(usernameTextWebhook({ userId: 'US.13491208655302741918', name: 'Taras', body: 'Hi, no phone here' }))).status).toBe(200);
  const detail = await threadOf('Taras');
  expect(detail.contact.identities).toEqual([expect.objectContaining({ kind: 'whatsapp', value: 'US.13491208655302741918', verified: true })]);
});

test('ignores updates for another business number on the same Meta app', async () => {
  const { site, deliver } = await start();
  expect((await deliver(textWebhook({ waId: CUSTOMER_WA_ID, body: 'For the other shop', phoneNumberId: '999999999999999' }))).status).toBe(200);
  expect(await count('timeline_items', site)).toBe(0);
});

async function customerWroteAndAgentReplied(context: Awaited<ReturnType<typeof start>>, text: string) {
  await context.deliver(textWebhook({ waId: CUSTOMER_WA_ID, name: 'Olena', body: 'Is it in stock?' }));
  const thread = await context.threadOf(CUSTOMER_WA_ID);
  const reply = await context.agent('POST', `/api/v1/threads/${thread.thread.id}/messages`, { text, channel: 'whatsapp' });
  expect(reply.status).toBe(201);
  return { threadId: thread.thread.id as string, itemId: reply.body.item.id as string };
}

test('sends the agent’s reply through the messages endpoint with the documented body', async () => {
  const context = await start();
  const { threadId, itemId } = await customerWroteAndAgentReplied(context, 'Yes — <b>two</b> left');
  await server!.jobs.runDue();
  expect(script.sent).toEqual([
    {
      path: `/v23.0/${BUSINESS_PHONE_NUMBER_ID}/messages`,
      authorization: `Bearer ${ACCESS_TOKEN}`,
      body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: CUSTOMER_WA_ID, type: 'text', text: { body: 'Yes — <b>two</b> left', preview_url: false } },
    },
  ]);
  const item = (await context.agent('GET', `/api/v1/threads/${threadId}`)).body.items.find((candidate: { id: string }) => candidate.id === itemId);
  expect(item.payload.delivery).toMatchObject({ state: 'sent', externalId: expect.stringMatching(/^wamid\./) });
});

test('answers a customer known only by a business-scoped id through `recipient` instead of `to`', async () => {
  const context = await start();
  await context.deliver(usernameTextWebhook({ userId: 'US.13491208655302741918', name: 'Taras', body: 'Hi' }));
  const thread = await context.threadOf('Taras');
  expect((await context.agent('POST', `/api/v1/threads/${thread.thread.id}/messages`, { text: 'Hello Taras' })).status).toBe(201);
  await server!.jobs.runDue();
  expect(script.sent.map((sent) => sent.body)).toEqual([
    { messaging_product: 'whatsapp', recipient_type: 'individual', recipient: 'US.13491208655302741918', type: 'text', text: { body: 'Hello Taras', preview_url: false } },
  ]);
});

test('moves the reply’s delivery state along the status updates, never backwards', async () => {
  const context = await start();
  const { threadId, itemId } = await customerWroteAndAgentReplied(context, 'On its way');
  await server!.jobs.runDue();
  const delivery = async () => (await context.agent('GET', `/api/v1/threads/${threadId}`)).body.items.find((candidate: { id: string }) => candidate.id === itemId).payload.delivery;
  const wamid = (await delivery()).externalId as string;
  expect((await context.deliver(statusWebhook({ wamid, status: 'delivered', recipientId: CUSTOMER_WA_ID }))).status).toBe(200);
  expect(await delivery()).toMatchObject({ state: 'delivered', externalId: wamid });
  await context.deliver(statusWebhook({ wamid, status: 'read', recipientId: CUSTOMER_WA_ID }));
  // A late "sent" (Meta does not promise order) does not undo "read".
  await context.deliver(statusWebhook({ wamid, status: 'sent', recipientId: CUSTOMER_WA_ID }));
  expect(await delivery()).toMatchObject({ state: 'read', externalId: wamid });
  // A status for a message Threadline never sent is acknowledged and changes nothing.
  expect((await context.deliver(statusWebhook({ wamid: newWamid(), status: 'read', recipientId: CUSTOMER_WA_ID }))).status).toBe(200);
});

test('marks a reply failed when WhatsApp reports it undeliverable after accepting it', async () => {
  const context = await start();
  const { threadId, itemId } = await customerWroteAndAgentReplied(context, 'Hello?');
  await server!.jobs.runDue();
  const item = async () => (await context.agent('GET', `/api/v1/threads/${threadId}`)).body.items.find((candidate: { id: string }) => candidate.id === itemId);
  const wamid = (await item()).payload.delivery.externalId as string;
  await context.deliver(statusWebhook({ wamid, status: 'failed', recipientId: CUSTOMER_WA_ID }));
  expect((await item()).payload.delivery).toMatchObject({ state: 'failed', error: expect.stringContaining('131026') });
  expect((await item()).text).toBe('Hello?');
});

test('refuses a reply outside the 24-hour window with 422 template_required and queues nothing', async () => {
  const context = await start();
  await context.deliver(textWebhook({ waId: CUSTOMER_WA_ID, body: 'Old question', at: hoursAgo(25) }));
  const thread = await context.threadOf(CUSTOMER_WA_ID);
  const reply = await context.agent('POST', `/api/v1/threads/${thread.thread.id}/messages`, { text: 'Sorry for the wait', channel: 'whatsapp' });
  expect(reply).toMatchObject({ status: 422, body: { error: { code: 'template_required', field: 'channel', message: expect.stringContaining('template') } } });
  expect(await count('jobs', context.site)).toBe(0);
  expect((await context.threadOf(CUSTOMER_WA_ID)).items).toHaveLength(1);
  await server!.jobs.runDue();
  expect(script.sent).toEqual([]);

  // A new message from the customer opens the window again.
  await context.deliver(textWebhook({ waId: CUSTOMER_WA_ID, body: 'Still there?', at: hoursAgo(23) }));
  expect((await context.agent('POST', `/api/v1/threads/${thread.thread.id}/messages`, { text: 'Yes!', channel: 'whatsapp' })).status).toBe(201);
});

test('retries a reply the Graph API rate-limited and delivers it on the next attempt', async () => {
  const context = await start();
  script.answerNext({ status: 400, body: graphErrors.rateLimit });
  const { threadId, itemId } = await customerWroteAndAgentReplied(context, 'Tomorrow at 10');
  await server!.jobs.runDue();
  expect(script.sent).toHaveLength(2);
  const item = (await context.agent('GET', `/api/v1/threads/${threadId}`)).body.items.find((candidate: { id: string }) => candidate.id === itemId);
  expect(item.payload.delivery).toMatchObject({ state: 'sent' });
  expect((await context.agent('GET', `/api/v1/jobs?state=dead&site=${context.site}`)).body.items).toEqual([]);
});

test('dead-letters an undeliverable reply at once, visible to agents, with the text kept and marked failed', async () => {
  const context = await start();
  script.answerNext({ status: 400, body: graphErrors.undeliverable });
  const { threadId, itemId } = await customerWroteAndAgentReplied(context, 'Your order is ready');
  await server!.jobs.runDue();
  expect(script.sent).toHaveLength(1);
  const dead = (await context.agent('GET', `/api/v1/jobs?state=dead&site=${context.site}`)).body.items;
  expect(dead).toEqual([expect.objectContaining({ kind: 'channel:send', state: 'dead', attempts: 1, lastError: expect.stringContaining('131026'), payload: { itemId } })]);
  const item = (await context.agent('GET', `/api/v1/threads/${threadId}`)).body.items.find((candidate: { id: string }) => candidate.id === itemId);
  expect(item).toMatchObject({ text: 'Your order is ready', payload: { delivery: { state: 'failed', error: expect.stringContaining('131026') } } });
});

test('gives up at once on a re-engagement error: only a template can reach the customer', async () => {
  const context = await start();
  script.answerNext({ status: 400, body: graphErrors.reEngagement });
  await customerWroteAndAgentReplied(context, 'Are you still interested?');
  await server!.jobs.runDue();
  expect(script.sent).toHaveLength(1);
  expect((await context.agent('GET', `/api/v1/jobs?state=dead&site=${context.site}`)).body.items).toEqual([expect.objectContaining({ lastError: expect.stringContaining('131047') })]);
});

async function webCallback(context: Awaited<ReturnType<typeof start>>) {
  const visitorId = crypto.randomUUID();
  const lead = await context.call('POST', '/api/v1/leads', { site: context.site, visitorId, clientId: crypto.randomUUID(), kind: 'callback', name: 'Olena', phone: '067 123 45 67' });
  expect(lead.status).toBe(201);
  return { visitorId, visitorToken: lead.body.visitorToken as string };
}

async function expectOneCustomer(context: Awaited<ReturnType<typeof start>>, order: string[]) {
  expect(await count('threads', context.site)).toBe(1);
  const detail = await context.threadOf('067 123 45 67');
  expect(detail.contact.identities).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: 'whatsapp', value: CUSTOMER_WA_ID, verified: true }),
      expect.objectContaining({ kind: 'phone', value: '+380671234567', verified: true }),
    ]),
  );
  expect(detail.items.map((item: { type: string; channel: string }) => `${item.type}:${item.channel}`)).toEqual(order);
  return detail;
}

async function expectVisitorSeesNoWhatsApp(context: Awaited<ReturnType<typeof start>>, visitor: { visitorId: string; visitorToken: string }) {
  const history = await context.call('GET', `/api/v1/messages?site=${context.site}&visitorId=${visitor.visitorId}`, undefined, { authorization: `Bearer ${visitor.visitorToken}` });
  expect(history.status).toBe(200);
  expect(JSON.stringify(history.body)).not.toContain('Is the blue one available?');
  expect(JSON.stringify(history.body)).not.toContain('It is, shall I reserve it?');
}

test('the proof: a WhatsApp customer and then a web callback with the same phone are one contact with one thread', async () => {
  const context = await start();
  await context.deliver(textWebhook({ waId: CUSTOMER_WA_ID, name: 'Olena', body: 'Is the blue one available?' }));
  const visitor = await webCallback(context);
  const detail = await expectOneCustomer(context, ['message:whatsapp', 'lead:web']);

  // The last inbound item is the web lead: the agent picks WhatsApp to answer there.
  const reply = await context.agent('POST', `/api/v1/threads/${detail.thread.id}/messages`, { text: 'It is, shall I reserve it?', channel: 'whatsapp' });
  expect(reply.status).toBe(201);
  await server!.jobs.runDue();
  expect(script.sent.map((sent) => sent.body)).toEqual([expect.objectContaining({ to: CUSTOMER_WA_ID, text: { body: 'It is, shall I reserve it?', preview_url: false } })]);
  await expectVisitorSeesNoWhatsApp(context, visitor);
});

test('the proof, reversed: a web callback and then the same person on WhatsApp end in the same single thread', async () => {
  const context = await start();
  const visitor = await webCallback(context);
  await context.deliver(textWebhook({ waId: CUSTOMER_WA_ID, name: 'Olena', body: 'Is the blue one available?' }));
  const detail = await expectOneCustomer(context, ['lead:web', 'message:whatsapp']);

  // WhatsApp is where the customer wrote last, so the reply goes there without choosing.
  expect((await context.agent('POST', `/api/v1/threads/${detail.thread.id}/messages`, { text: 'It is, shall I reserve it?' })).status).toBe(201);
  await server!.jobs.runDue();
  expect(script.sent.map((sent) => sent.body.to)).toEqual([CUSTOMER_WA_ID]);
  await expectVisitorSeesNoWhatsApp(context, visitor);
});
