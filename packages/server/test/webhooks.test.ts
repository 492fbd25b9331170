// @vitest-environment node
import { createHmac, timingSafeEqual } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Database } from '../src/index.ts';
import type { Queryable } from '../src/db/database.ts';
import { recordLead } from '../src/domain/leads.ts';
import { findSite } from '../src/domain/sites.ts';
import { ITEM_COLUMNS, toItem } from '../src/domain/timeline.ts';
import { createIntegrationOutbox } from '../src/integrations/integration-outbox.ts';
import { signWebhook } from '../src/integrations/webhooks/standard-webhooks.ts';
import { createWebhookReceiver } from '../../../tests/fixtures/webhooks/webhook-receiver.ts';
import { AMO_BASE_URL, AMO_TOKEN, createAmoCrmFake } from '../../../tests/fixtures/amocrm/amocrm-api-fake.ts';
import { BITRIX_WEBHOOK_URL, createBitrix24Fake } from '../../../tests/fixtures/bitrix24/bitrix24-rest-fake.ts';
import { createSmsRuFake, SMS_RU_API_ID, SMS_RU_BASE } from '../../../tests/fixtures/sms/sms-ru-fake.ts';
import { DATABASE_START_TIMEOUT, openTestDatabase } from './support/pglite.ts';
import { startIntegrationServer, type IntegrationServer } from './support/integration-server.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER_SECRET = 'whsec_c2Vjb25kIGVuZHBvaW50IHNlY3JldCBrZXk=';
const receiver = createWebhookReceiver();
const second = createWebhookReceiver('https://crm-bridge.shop.test/hooks');
const restarted = createWebhookReceiver('https://hooks.shop.test/after-restart');
const amo = createAmoCrmFake();
const bitrix = createBitrix24Fake();
const sms = createSmsRuFake();
const mocks = setupServer(...receiver.handlers, ...second.handlers, ...restarted.handlers, ...amo.handlers, ...bitrix.handlers, ...sms.handlers);

let db: Database;
let running: IntegrationServer | undefined;
beforeAll(async () => {
  // Requests to the server under test are real; every third-party call must have a handler.
  mocks.listen({ onUnhandledRequest: (request, print) => (new URL(request.url).hostname === '127.0.0.1' ? undefined : print.error()) });
  db = await openTestDatabase();
}, DATABASE_START_TIMEOUT);
afterEach(async () => {
  await running?.close();
  running = undefined;
  mocks.resetHandlers();
  receiver.received.length = 0;
  second.received.length = 0;
  amo.calls.length = 0;
  sms.calls.length = 0;
});
afterAll(async () => {
  mocks.close();
  await db.close();
});

const endpoint = (id: string, url: string, secret: string, events: string[]) => ({ id, url, secret, events });
const ALL_EVENTS = ['lead.created', 'message.created', 'contact.merged', 'thread.closed'];

async function start(webhooks: unknown[], extra: Record<string, unknown> = {}) {
  running = await startIntegrationServer(db, { settings: { webhooks, ...extra } });
  return running;
}

/** The Standard Webhooks check written from the spec, independently of the server's code. */
function verifies(headers: Record<string, string>, body: string, secret: string): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`).digest();
  return (headers['webhook-signature'] ?? '').split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    const given = Buffer.from(signature ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

// The Standard Webhooks specification's published test vector (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md).
test('signs exactly as the Standard Webhooks test vector, which the test\'s own verifier accepts', () => {
  const vector = { id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, body: '{"test": 2432232314}', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' };
  const expected = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
  expect(signWebhook(vector)).toBe(expected);
  const headers = { 'webhook-id': vector.id, 'webhook-timestamp': String(vector.timestamp), 'webhook-signature': `v1,bm90IGl0 ${expected}` };
  expect(verifies(headers, vector.body, vector.secret)).toBe(true);
  expect(verifies({ ...headers, 'webhook-timestamp': '1614265331' }, vector.body, vector.secret)).toBe(false);
});

const LEAD = {
  kind: 'callback',
  name: 'Olena',
  phone: '067 123 45 67',
  email: 'Olena@Example.com',
  message: 'Please call about delivery',
  page: { url: 'https://shop.test/pricing', referrer: 'https://www.google.com/', title: 'Pricing' },
  attribution: {
    firstTouch: { at: '2026-11-20T09:00:00.000Z', landingPage: 'https://shop.test/?utm_source=google', utmSource: 'google', utmMedium: 'cpc', utmCampaign: 'winter' },
    lastTouch: { at: '2026-11-23T09:00:00.000Z', landingPage: 'https://shop.test/pricing?utm_source=newsletter', utmSource: 'newsletter', utmMedium: 'email', utmCampaign: 'black-friday', utmContent: 'hero', utmTerm: 'boots' },
  },
  consent: { given: true, text: 'I agree to the processing of my personal data', version: 'v3' },
};

test('signs a lead.created delivery per Standard Webhooks so that an independent verifier accepts it', async () => {
  const { postLead, queued, runJobs } = await start([endpoint('main', receiver.url, SECRET, ['lead.created'])]);
  const lead = await postLead(LEAD);
  expect(lead.status).toBe(201);
  await queued(1);
  await runJobs();

  expect(receiver.received).toHaveLength(1);
  const [delivery] = receiver.received;
  expect(delivery!.headers['webhook-id']).toMatch(/^msg_[A-Za-z0-9_-]+$/);
  expect(delivery!.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
  expect(verifies(delivery!.headers, delivery!.body, SECRET)).toBe(true);
  expect(verifies(delivery!.headers, delivery!.body, OTHER_SECRET)).toBe(false);
  expect(verifies(delivery!.headers, delivery!.body.replace('Olena', 'Oleg'), SECRET)).toBe(false);

  const body = JSON.parse(delivery!.body);
  expect(body).toMatchObject({
    type: 'lead.created',
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    data: {
      lead: {
        id: lead.body.leadId,
        threadId: lead.body.threadId,
        contactId: lead.body.contactId,
        kind: 'callback',
        name: 'Olena',
        phone: '+380671234567',
        phoneTyped: '067 123 45 67',
        email: 'olena@example.com',
        message: 'Please call about delivery',
        page: LEAD.page,
        attribution: LEAD.attribution,
        consent: LEAD.consent,
      },
    },
  });
  // Nothing that would let the receiver act as the visitor, nor the visitor's address.
  expect(delivery!.body).not.toContain(lead.body.visitorToken);
  expect(body.data.lead).not.toHaveProperty('ip');
});

test('delivers one event once to each subscribed endpoint even when it is recorded twice', async () => {
  const { server, site, postLead, queued, runJobs } = await start([
    endpoint('main', receiver.url, SECRET, ['lead.created']),
    endpoint('bridge', second.url, OTHER_SECRET, ['lead.created']),
    endpoint('closings', 'https://hooks.shop.test/closings', SECRET, ['thread.closed']),
  ]);
  const lead = await postLead(LEAD);
  await queued(2);
  // The same lead's event again, as a write retried after its commit would record it.
  const item = (await db.query<Parameters<typeof toItem>[0]>(`select ${ITEM_COLUMNS} from timeline_items where id = $1`, [lead.body.leadId])).rows[0]!;
  const again = await db.transaction((tx) => server.events.forSite(site)(tx, { type: 'lead.created', site, contactId: lead.body.contactId, item: toItem(item) }));
  expect(again).toBe(0);
  await runJobs();
  await runJobs();

  expect(receiver.received).toHaveLength(1);
  expect(second.received).toHaveLength(1);
  expect(verifies(second.received[0]!.headers, second.received[0]!.body, OTHER_SECRET)).toBe(true);
  // Each endpoint has its own message id for the same event.
  expect(second.received[0]!.headers['webhook-id']).not.toBe(receiver.received[0]!.headers['webhook-id']);
});

test('retries a 500 with the same webhook-id, delivers once, and logs both attempts for agents', async () => {
  const { site, call, agent, postLead, queued, runJobs, advance } = await start([endpoint('main', receiver.url, SECRET, ['lead.created'])]);
  receiver.answerNext(500);
  await postLead(LEAD);
  await queued(1);
  await runJobs();
  expect(receiver.received.map((delivery) => delivery.status)).toEqual([500]);
  advance(60_000);
  await runJobs();
  advance(10 * 60_000);
  await runJobs();

  expect(receiver.received.map((delivery) => delivery.status)).toEqual([500, 200]);
  const [first, retry] = receiver.received;
  expect(retry!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
  expect(retry!.body).toBe(first!.body);
  expect(verifies(retry!.headers, retry!.body, SECRET)).toBe(true);

  expect(await call('GET', `/api/v1/webhooks/deliveries?site=${site}`)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
  const log = await call('GET', `/api/v1/webhooks/deliveries?site=${site}`, undefined, await agent());
  expect(log.status).toBe(200);
  expect(log.body.items).toMatchObject([
    { endpointId: 'main', messageId: first!.headers['webhook-id'], eventType: 'lead.created', attempt: 2, statusCode: 200, delivered: true, error: null },
    { endpointId: 'main', messageId: first!.headers['webhook-id'], eventType: 'lead.created', attempt: 1, statusCode: 500, delivered: false, responseExcerpt: '{"received":false}' },
  ]);
  expect(log.body.items[1].error).toContain('500');
  expect(log.body.items[0].durationMs).toEqual(expect.any(Number));
});

test('disables an endpoint that answers 410 Gone until an agent redelivers to it', async () => {
  const { site, call, agent, postLead, queued, runJobs, advance } = await start([
    endpoint('main', receiver.url, SECRET, ['lead.created']),
    endpoint('bridge', second.url, OTHER_SECRET, ['lead.created']),
  ]);
  receiver.answerNext(410);
  await postLead(LEAD);
  await queued(2);
  await runJobs();
  const auth = await agent();
  const dead = await call('GET', `/api/v1/jobs?state=dead&site=${site}`, undefined, auth);
  expect(dead.body.items).toHaveLength(1);
  expect(dead.body.items[0].lastError).toContain('410');
  const endpoints = await call('GET', `/api/v1/webhooks/endpoints?site=${site}`, undefined, auth);
  expect(endpoints.body.items).toEqual([
    { id: 'main', url: receiver.url, events: ['lead.created'], disabled: true, disabledReason: '410 Gone', disabledAt: expect.any(String) },
    { id: 'bridge', url: second.url, events: ['lead.created'], disabled: false },
  ]);
  expect(JSON.stringify(endpoints.body)).not.toContain(SECRET);

  // The next lead goes to the other endpoint only.
  await postLead({ ...LEAD, phone: '+48 601 234 567' });
  await queued(3);
  await runJobs();
  expect(receiver.received).toHaveLength(1);
  expect(second.received).toHaveLength(2);

  // The owner fixed the endpoint: the agent redelivers the missed message, with its original id.
  const messageId = receiver.received[0]!.headers['webhook-id']!;
  const redelivery = await call('POST', `/api/v1/webhooks/messages/${messageId}/redeliver`, undefined, auth);
  expect(redelivery).toMatchObject({ status: 202, body: { messageId, state: 'queued' } });
  // The queue's clock stands still in tests; the redelivery is due at the database's now.
  advance(60_000);
  await runJobs();
  expect(receiver.received.map((delivery) => [delivery.headers['webhook-id'], delivery.status])).toEqual([
    [messageId, 410],
    [messageId, 200],
  ]);
  expect((await call('GET', `/api/v1/webhooks/endpoints?site=${site}`, undefined, auth)).body.items[0].disabled).toBe(false);
  expect(await call('POST', '/api/v1/webhooks/messages/msg_unknown/redeliver', undefined, auth)).toMatchObject({ status: 404, body: { error: { code: 'not_found', field: 'messageId' } } });
});

test('sends messages, merges and closed threads to the endpoints subscribed to them, without private fields', async () => {
  const { call, agent, postLead, queued, runJobs, site } = await start([endpoint('all', receiver.url, SECRET, ALL_EVENTS)]);
  const visitorId = crypto.randomUUID();
  await call('POST', '/api/v1/messages', { site, visitorId, clientId: crypto.randomUUID(), text: 'Is the blue one in stock?' });
  await postLead({ kind: 'callback', phone: '067 123 45 67' });
  // The browser that wrote first now gives the same phone: its contact is folded into the lead's.
  await call('POST', '/api/v1/leads', { site, visitorId, clientId: crypto.randomUUID(), kind: 'callback', phone: '+380671234567' });
  const thread = (await call('GET', `/api/v1/threads?site=${site}`, undefined, await agent())).body;
  const threadId = (thread.items ?? thread.threads)[0].id;
  expect((await call('POST', `/api/v1/threads/${threadId}/close`, undefined, await agent())).status).toBe(200);
  await queued(5);
  await runJobs();

  const bodies = receiver.received.map((delivery) => JSON.parse(delivery.body));
  expect(receiver.received.every((delivery) => verifies(delivery.headers, delivery.body, SECRET))).toBe(true);
  expect(bodies.map((body) => body.type).sort()).toEqual(['contact.merged', 'lead.created', 'lead.created', 'message.created', 'thread.closed']);
  const message = bodies.find((body) => body.type === 'message.created');
  expect(message.data.message).toEqual({
    id: expect.any(String),
    threadId: expect.any(String),
    contactId: expect.any(String),
    channel: 'web',
    direction: 'in',
    author: { kind: 'contact', name: null },
    text: 'Is the blue one in stock?',
    createdAt: expect.any(String),
  });
  expect(bodies.find((body) => body.type === 'contact.merged').data).toEqual({ winnerId: expect.any(String), loserId: expect.any(String) });
  expect(bodies.find((body) => body.type === 'thread.closed').data).toEqual({ threadId, contactId: expect.any(String), closedAt: expect.any(String) });
});

test('records a lead when every integration is down, and delivers everything once they are back', async () => {
  const down = () => HttpResponse.error();
  const { call, postLead, queued, runJobs, advance, agent } = await start([endpoint('main', receiver.url, SECRET, ['lead.created'])], {
    amocrm: { baseUrl: AMO_BASE_URL, accessToken: AMO_TOKEN, mode: 'unsorted' },
    bitrix24: { webhookUrl: BITRIX_WEBHOOK_URL },
    sms: { provider: 'smsru', apiKey: SMS_RU_API_ID, onLead: true, onSchedule: true, apiBase: SMS_RU_BASE },
  });
  mocks.use(http.all(/^https:\/\/(hooks\.shop\.test|shop\.amocrm\.ru|shop\.bitrix24\.ru|sms\.ru)\//, down));
  const lead = await postLead(LEAD);
  expect(lead.status).toBe(201);
  const jobs = await queued(4);
  expect(jobs.map((job) => job.kind).sort()).toEqual(['amocrm:lead', 'bitrix24:lead', 'sms:notice', 'webhook:deliver']);
  await runJobs();
  const thread = await call('GET', `/api/v1/threads/${lead.body.threadId}`, undefined, await agent());
  expect(JSON.stringify(thread.body)).toContain('Please call about delivery');
  const waiting = await queued(4);
  expect(waiting.map((job) => [job.state, job.attempts])).toEqual([
    ['queued', 1],
    ['queued', 1],
    ['queued', 1],
    ['queued', 1],
  ]);

  mocks.resetHandlers();
  advance(60_000);
  await runJobs();
  expect((await queued(4)).map((job) => job.state)).toEqual(['done', 'done', 'done', 'done']);
  expect(receiver.received).toHaveLength(1);
  expect(amo.calls.filter((entry) => entry.path === '/api/v4/leads/unsorted/forms' && entry.status === 200)).toHaveLength(1);
  expect(bitrix.calls.filter((entry) => entry.method === 'crm.lead.add' && entry.status === 200)).toHaveLength(1);
  expect(sms.sent()).toHaveLength(1);
});

test('delivers the webhook, CRM push and SMS of a lead whose process stopped right after the commit, once', async () => {
  const settings = {
    webhooks: [endpoint('main', restarted.url, SECRET, ['lead.created'])],
    amocrm: { baseUrl: AMO_BASE_URL, accessToken: AMO_TOKEN, mode: 'unsorted' },
    sms: { provider: 'smsru', apiKey: SMS_RU_API_ID, onLead: true, apiBase: SMS_RU_BASE },
  };
  const first = await startIntegrationServer(db, { settings });
  const site = (await findSite(db, first.site))!;
  // The lead commits through the server's own write path, then the process dies: nothing that
  // follows a commit (a kick of the queue, a realtime notice, a listener) ever runs.
  const recorded = await recordLead(db, site, { site: site.id, visitorId: crypto.randomUUID(), clientId: crypto.randomUUID(), kind: 'callback', phone: '067 123 45 67' }, {}, first.server.events.forSite(site));
  await first.server.close();

  running = await startIntegrationServer(db, { site: site.id, settings });
  expect((await running.queued(3)).map((job) => [job.kind, job.state])).toEqual([
    ['webhook:deliver', 'queued'],
    ['amocrm:lead', 'queued'],
    ['sms:notice', 'queued'],
  ]);
  await running.runJobs();
  expect(restarted.received.map((delivery) => JSON.parse(delivery.body).data.lead.id)).toEqual([recorded.receipt.leadId]);
  expect(amo.calls.filter((entry) => entry.path === '/api/v4/leads/unsorted/forms' && entry.status === 200)).toHaveLength(1);
  expect(sms.sent().filter((call) => call.to === '380671234567')).toHaveLength(1);

  // Yet another start runs nothing again.
  await running.server.close();
  running = await startIntegrationServer(db, { site: site.id, settings });
  running.advance(60_000);
  await running.runJobs();
  expect(restarted.received).toHaveLength(1);
  expect(amo.calls.filter((entry) => entry.path === '/api/v4/leads/unsorted/forms' && entry.status === 200)).toHaveLength(1);
  expect(sms.sent().filter((call) => call.to === '380671234567')).toHaveLength(1);
});

test('keeps neither the lead nor any of its integrations when the lead\'s transaction fails', async () => {
  const { server, site, queued, runJobs } = await start([endpoint('main', receiver.url, SECRET, ['lead.created'])], {
    amocrm: { baseUrl: AMO_BASE_URL, accessToken: AMO_TOKEN, mode: 'unsorted' },
  });
  const loaded = (await findSite(db, site))!;
  const record = server.events.forSite(loaded);
  const clientId = crypto.randomUUID();
  const failing = recordLead(db, loaded, { site, visitorId: crypto.randomUUID(), clientId, kind: 'callback', phone: '067 123 45 67' }, {}, async (tx, event) => {
    const count = await record(tx, event);
    // The jobs are in; the same transaction then fails (a lost connection, a constraint).
    expect(count).toBe(2);
    throw new Error('connection lost before commit');
  });
  await expect(failing).rejects.toThrow('connection lost before commit');

  await expect(queued(1)).rejects.toThrow('found 0');
  expect((await db.query('select 1 from timeline_items where client_id = $1', [clientId])).rows).toEqual([]);
  await runJobs();
  expect(receiver.received).toEqual([]);
  expect(amo.calls).toEqual([]);
});

test('queues nothing, and reads nothing, for a message on a site without integrations', async () => {
  running = await startIntegrationServer(db, { settings: {} });
  const { server, site, call, queued } = running;
  const statements: string[] = [];
  const spy: Queryable = {
    query: async (sql) => {
      statements.push(sql);
      return { rows: [] };
    },
    exec: async (sql) => void statements.push(sql),
  };
  const bare = (await findSite(db, site))!;
  expect(await server.events.forSite(bare)(spy, { type: 'thread.closed', site, threadId: crypto.randomUUID(), contactId: crypto.randomUUID() })).toBe(0);
  expect(statements).toEqual([]);

  const message = await call('POST', '/api/v1/messages', { site, visitorId: crypto.randomUUID(), clientId: crypto.randomUUID(), text: 'Hello' });
  expect(message.status).toBe(201);
  await expect(queued(1)).rejects.toThrow('found 0');
});

test('queues the webhook of a chat message sent over the socket together with the message, once', async () => {
  running = await startIntegrationServer(db, { settings: { webhooks: [endpoint('main', receiver.url, SECRET, ['message.created'])] }, sockets: true });
  const { url, site, call, queued, runJobs } = running;
  const visitorId = crypto.randomUUID();
  const session = await call('POST', '/api/v1/sessions', { site, visitorId });
  const socket = io(`${url}/visitor`, { auth: { site, visitorId, token: session.body.visitorToken }, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { origin: 'https://shop.test' } });
  try {
    await new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(undefined));
      socket.once('connect_error', reject);
    });
    const message = { clientId: crypto.randomUUID(), text: 'Do you ship to Lviv?' };
    expect(await socket.timeout(5_000).emitWithAck('message:send', message)).toMatchObject({ ok: true });
    // The widget resends a message whose ack it missed: still one message, one webhook.
    expect(await socket.timeout(5_000).emitWithAck('message:send', message)).toMatchObject({ ok: true });
    expect((await queued(1)).map((job) => job.kind)).toEqual(['webhook:deliver']);
    await runJobs();
    expect(receiver.received.map((delivery) => JSON.parse(delivery.body).data.message.text)).toEqual(['Do you ship to Lviv?']);
  } finally {
    socket.disconnect();
  }
});

test('reads the settings of a site named by id at most once per 5 seconds, and then sees their change', async () => {
  running = await startIntegrationServer(db, { settings: {} });
  const { server, site } = running;
  let now = Date.now();
  const outbox = createIntegrationOutbox({ jobs: server.jobs, now: () => now });
  const statements: string[] = [];
  const spy: Queryable = {
    query: async (sql, params) => {
      statements.push(sql);
      return db.query(sql, params);
    },
    exec: async (sql) => db.exec(sql),
  };
  const closed = () => ({ type: 'thread.closed' as const, site, threadId: crypto.randomUUID(), contactId: crypto.randomUUID() });
  expect(await outbox.forSite(site)(spy, closed())).toBe(0);
  expect(await outbox.forSite(site)(spy, closed())).toBe(0);
  expect(statements.filter((sql) => sql.includes('from sites'))).toHaveLength(1);

  await db.query('update sites set settings = $2 where id = $1', [site, JSON.stringify({ webhooks: [endpoint('closings', receiver.url, SECRET, ['thread.closed'])] })]);
  now += 5_000;
  expect(await db.transaction((tx) => outbox.forSite(site)(tx, closed()))).toBe(1);
});
