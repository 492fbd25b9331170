// @vitest-environment node
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { createThreadlineServer, openDatabase, type Database, type ThreadlineServer } from '../src/index.ts';
import type { Channel, OutboundMessage } from '../src/channels/channel.ts';
import { recordInboundMessage } from '../src/channels/inbound-message.ts';
import { ensureAgent } from '../src/domain/agents.ts';
import { findSite, upsertSite } from '../src/domain/sites.ts';
import { JobFailure } from '../src/jobs/job-failure.ts';

// The routing of agent replies through the job queue, with a messenger written for the test
// (the Channel interface is ours; the real providers have their own test files).
let db: Database;
let server: ThreadlineServer | undefined;
beforeAll(async () => {
  db = await openDatabase({});
  await ensureAgent(db, { email: 'agent@shop.test', name: 'Iryna', password: 'correct horse', role: 'agent' });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => db.close());

let counter = 0;

function recordingMessenger(outcomes: (Error | undefined)[]) {
  const sent: OutboundMessage[] = [];
  const channel: Channel = {
    name: 'telegram',
    identityKind: 'telegram',
    isConfigured: () => true,
    register: async () => {},
    async send(message) {
      const outcome = outcomes.shift();
      if (outcome) throw outcome;
      sent.push(message);
      return { externalId: `out-${sent.length}` };
    },
  };
  return { channel, sent };
}

async function start(outcomes: (Error | undefined)[] = []) {
  const site = `c${++counter}`;
  await upsertSite(db, { id: site, name: 'Shop', allowedOrigins: [], secret: `secret-${site}`, defaultCountry: 'UA' });
  const messenger = recordingMessenger(outcomes);
  server = await createThreadlineServer({ database: db, channels: () => [messenger.channel], jobs: { autoStart: false, backoff: () => 0 } });
  const url = await server.listen();
  const token = (await (await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'agent@shop.test', password: 'correct horse' }) })).json()).token as string;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(url + path, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: response.status, body: await response.json() };
  };
  const inbound = async (text: string, externalId = `telegram:42:${crypto.randomUUID()}`) =>
    recordInboundMessage(server!.channelContext, { site: (await findSite(db, site))!, channel: 'telegram', externalId, claims: [{ kind: 'telegram', value: '42', verified: true, via: 'telegram' }], name: 'Olena', text });
  return { site, url, call, inbound, messenger, jobs: server.jobs };
}

test('answers in the channel the customer wrote from, delivered by the queue with the delivery state on the item', async () => {
  const { call, inbound, messenger, jobs } = await start();
  const received = await inbound('Do you deliver to Lviv?');
  const reply = await call('POST', `/api/v1/threads/${received.threadId}/messages`, { text: 'Yes, in two days.' });
  expect(reply.status).toBe(201);
  expect(reply.body.item).toMatchObject({ channel: 'telegram', direction: 'out', text: 'Yes, in two days.', payload: { recipient: '42', delivery: { state: 'queued' } } });
  expect(messenger.sent).toHaveLength(0);

  await jobs.runDue();
  expect(messenger.sent).toMatchObject([{ recipient: '42', text: 'Yes, in two days.', threadId: received.threadId }]);
  const detail = await call('GET', `/api/v1/threads/${received.threadId}`);
  const out = detail.body.items.find((item: { direction: string }) => item.direction === 'out');
  expect(out.payload.delivery).toMatchObject({ state: 'sent', externalId: 'out-1' });
});

test('records a duplicate delivery of the same provider message once', async () => {
  const { inbound, call } = await start();
  const first = await inbound('Hello', 'telegram:42:1001');
  const again = await inbound('Hello', 'telegram:42:1001');
  expect(again.created).toBe(false);
  expect(again.item.id).toBe(first.item.id);
  const detail = await call('GET', `/api/v1/threads/${first.threadId}`);
  expect(detail.body.items).toHaveLength(1);
});

test('keeps a reply the provider refused as failed in the thread, lists it as a dead letter, and delivers it on retry', async () => {
  const { call, inbound, messenger, jobs } = await start([new JobFailure('provider answered 503', { retryable: true }), new JobFailure('bot was blocked by the user', { retryable: false })]);
  const received = await inbound('Call me');
  const reply = await call('POST', `/api/v1/threads/${received.threadId}/messages`, { text: 'We tried to call you' });
  await jobs.runDue(); // 503: retried
  await jobs.runDue(); // blocked: final
  const detail = await call('GET', `/api/v1/threads/${received.threadId}`);
  const out = detail.body.items.find((item: { id: string }) => item.id === reply.body.item.id);
  expect(out.text).toBe('We tried to call you');
  expect(out.payload.delivery).toMatchObject({ state: 'failed', error: 'bot was blocked by the user' });

  const dead = await call('GET', '/api/v1/jobs?state=dead&kind=channel:send');
  const job = dead.body.items.find((item: { payload: { itemId: string } }) => item.payload.itemId === reply.body.item.id);
  expect(job).toMatchObject({ state: 'dead', attempts: 2, lastError: 'bot was blocked by the user' });

  const retried = await call('POST', `/api/v1/jobs/${job.id}/retry`);
  expect(retried.body.state).toBe('queued');
  await jobs.runDue();
  expect(messenger.sent.map((message) => message.text)).toEqual(['We tried to call you']);
  const after = await call('GET', `/api/v1/threads/${received.threadId}`);
  expect(after.body.items.find((item: { id: string }) => item.id === reply.body.item.id).payload.delivery.state).toBe('sent');
});

test('refuses a reply to a messenger the customer has no identity in, and stores nothing', async () => {
  const { site, url, call } = await start();
  const lead = await fetch(`${url}/api/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ site, visitorId: crypto.randomUUID(), clientId: crypto.randomUUID(), kind: 'callback', phone: '067 123 45 67' }),
  });
  const { threadId } = (await lead.json()) as { threadId: string };
  const reply = await call('POST', `/api/v1/threads/${threadId}/messages`, { text: 'Hi', channel: 'telegram' });
  expect(reply.status).toBe(422);
  expect(reply.body.error).toMatchObject({ code: 'no_recipient', field: 'channel' });
  const detail = await call('GET', `/api/v1/threads/${threadId}`);
  expect(detail.body.items).toHaveLength(1);
  expect(Number((await db.query<{ n: string }>("select count(*) as n from jobs where kind = 'channel:send' and site_id = $1", [site])).rows[0]!.n)).toBe(0);
});
