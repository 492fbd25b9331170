// @vitest-environment node
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { createThreadlineServer, identityHash, openDatabase, type Database, type ThreadlineServer } from '../src/index.ts';
import { ensureAgent } from '../src/domain/agents.ts';
import { upsertSite } from '../src/domain/sites.ts';

// One PGlite for the file (it costs seconds to start); a fresh server and site per test.
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
const ORIGIN = 'https://shop.test';
const uuid = () => crypto.randomUUID();

async function start(options: { limits?: { perIp: number; perVisitor: number }; bodyLimit?: number } = {}) {
  const site = `s${++counter}`;
  await upsertSite(db, { id: site, name: 'Shop', allowedOrigins: [ORIGIN], secret: `secret-${site}`, defaultCountry: 'UA' });
  server = await createThreadlineServer({ database: db, ...options });
  const url = await server.listen();
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(url + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), origin: ORIGIN, ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  const login = async () => (await call('POST', '/api/v1/auth/login', { email: 'agent@shop.test', password: 'correct horse' })).body.token as string;
  return { site, url, call, login };
}

const count = async (table: string, site: string) => Number((await db.query<{ n: string }>(`select count(*) as n from ${table} where site_id = $1`, [site])).rows[0]!.n);

test('accepts a lead once: 201 with ids, the same clientId again 200 with the same ids', async () => {
  const { site, call } = await start();
  const lead = { site, visitorId: uuid(), clientId: uuid(), kind: 'callback', phone: '067 123 45 67', name: 'Olena' };
  const first = await call('POST', '/api/v1/leads', lead);
  expect(first.status).toBe(201);
  expect(first.body).toMatchObject({ leadId: expect.any(String), contactId: expect.any(String), threadId: expect.any(String), visitorToken: expect.any(String) });
  expect(first.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  const again = await call('POST', '/api/v1/leads', lead);
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ leadId: first.body.leadId, contactId: first.body.contactId, threadId: first.body.threadId });
  expect(await count('timeline_items', site)).toBe(1);
});

test('accepts a lead sent by sendBeacon as text/plain JSON', async () => {
  const { site, call } = await start();
  const response = await call('POST', '/api/v1/leads', JSON.stringify({ site, visitorId: uuid(), clientId: uuid(), kind: 'form', email: 'A@B.co' }), { 'content-type': 'text/plain;charset=UTF-8' });
  expect(response.status).toBe(201);
});

test.each([
  ['a callback without a phone', { kind: 'callback' }, 400, 'phone'],
  ['a wrong type', { kind: 'callback', phone: 380671234567 }, 400, 'phone'],
  ['an unknown kind', { kind: 'coupon', phone: '+380671234567' }, 400, 'kind'],
  ['a bad e-mail', { kind: 'form', email: 'not-mail' }, 400, 'email'],
  ['a missing client id', { kind: 'callback', phone: '+380671234567', clientId: undefined }, 400, 'clientId'],
  ['an inverted time window', { kind: 'callback', phone: '+380671234567', preferredTime: { from: '2026-11-24T10:00:00Z', to: '2026-11-24T09:00:00Z' } }, 400, 'preferredTime.to'],
])('refuses %s with a precise 4xx and stores nothing', async (_name, patch, status, field) => {
  const { site, call } = await start();
  const response = await call('POST', '/api/v1/leads', { site, visitorId: uuid(), clientId: uuid(), ...patch });
  expect(response.status).toBe(status);
  expect(response.body.error).toMatchObject({ code: 'invalid_input', field, message: expect.any(String) });
  expect(await count('timeline_items', site)).toBe(0);
  expect(await count('contacts', site)).toBe(0);
});

test('refuses unknown sites, foreign origins, broken JSON and huge bodies, storing nothing', async () => {
  const { site, call } = await start({ bodyLimit: 4096 });
  const lead = { site, visitorId: uuid(), clientId: uuid(), kind: 'callback', phone: '+380671234567' };
  expect(await call('POST', '/api/v1/leads', { ...lead, site: 'nope' })).toMatchObject({ status: 404, body: { error: { code: 'unknown_site', field: 'site' } } });
  const foreign = await call('POST', '/api/v1/leads', lead, { origin: 'https://evil.test' });
  expect(foreign).toMatchObject({ status: 403, body: { error: { code: 'forbidden_origin' } } });
  expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  expect(await call('POST', '/api/v1/leads', '{"site":')).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
  expect(await call('POST', '/api/v1/leads', [lead])).toMatchObject({ status: 400, body: { error: { code: 'invalid_input' } } });
  expect(await call('POST', '/api/v1/leads', { ...lead, message: 'x'.repeat(5000) })).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
  expect(await count('timeline_items', site)).toBe(0);
});

test('answers the CORS preflight so that browsers may send JSON with an Idempotency-Key', async () => {
  const { url } = await start();
  const response = await fetch(`${url}/api/v1/leads`, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,idempotency-key' } });
  expect(response.status).toBe(204);
  expect(response.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
});

test('limits requests per visitor with 429 and Retry-After', async () => {
  const { site, call } = await start({ limits: { perIp: 100, perVisitor: 3 } });
  const visitorId = uuid();
  const statuses: number[] = [];
  let last: Awaited<ReturnType<typeof call>> | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    last = await call('POST', '/api/v1/messages', { site, visitorId, clientId: uuid(), text: `message ${attempt}` });
    statuses.push(last.status);
  }
  expect(statuses).toEqual([201, 201, 201, 429, 429]);
  expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(last!.body.error).toMatchObject({ code: 'rate_limited' });
  // Another visitor is not affected.
  expect((await call('POST', '/api/v1/messages', { site, visitorId: uuid(), clientId: uuid(), text: 'hello' })).status).toBe(201);
});

test('drops a lead whose honeypot is filled while answering like a success', async () => {
  const { site, call } = await start();
  const response = await call('POST', '/api/v1/leads', { site, visitorId: uuid(), clientId: uuid(), kind: 'callback', phone: '+380671234567', honeypot: 'http://spam.example' });
  expect(response.status).toBe(201);
  expect(await count('timeline_items', site)).toBe(0);
});

test('a message left through the offline form reads as the visitor\'s first message in their history, without the lead\'s details', async () => {
  const { site, call, login } = await start();
  const visitorId = uuid();
  const lead = await call('POST', '/api/v1/leads', { site, visitorId, clientId: uuid(), kind: 'offline-message', email: 'ask@example.com', message: 'Do you ship to Lviv?' });
  expect(lead.status).toBe(201);
  const token = await login();
  await call('POST', `/api/v1/threads/${lead.body.threadId}/messages`, { text: 'Yes, in two days' }, { authorization: `Bearer ${token}` });
  // A callback request is not a message: it stays out of the chat.
  await call('POST', '/api/v1/leads', { site, visitorId, clientId: uuid(), kind: 'callback', phone: '+380671234567' });

  const history = await call('GET', `/api/v1/messages?site=${site}&visitorId=${visitorId}&after=0`, undefined, { authorization: `Bearer ${lead.body.visitorToken}` });
  expect(history.status).toBe(200);
  expect(history.body.messages.map((message: { author: { kind: string }; text: string }) => [message.author.kind, message.text])).toEqual([
    ['visitor', 'Do you ship to Lviv?'],
    ['agent', 'Yes, in two days'],
  ]);
  expect(Object.keys(history.body.messages[0]).sort()).toEqual(['author', 'channel', 'clientId', 'createdAt', 'id', 'seq', 'text', 'threadId']);
});

test('a browser reads only its own messages and the replies to it, unless verified by the site', async () => {
  const { site, call, login } = await start();
  const [first, second] = [uuid(), uuid()];
  // Two browsers give the same phone: agents see one customer.
  await call('POST', '/api/v1/leads', { site, visitorId: first, clientId: uuid(), kind: 'callback', phone: '+380 67 123 45 67' });
  const lead = await call('POST', '/api/v1/leads', { site, visitorId: second, clientId: uuid(), kind: 'callback', phone: '067 123 45 67' });
  const firstMessage = await call('POST', '/api/v1/messages', { site, visitorId: first, clientId: uuid(), text: 'my private question' });
  await call('POST', '/api/v1/messages', { site, visitorId: second, clientId: uuid(), text: 'hello from the second browser' });
  const token = await login();
  const reply = await call('POST', `/api/v1/threads/${lead.body.threadId}/messages`, { text: 'Hi, second browser' }, { authorization: `Bearer ${token}` });
  expect(reply.status).toBe(201);

  const history = await call('GET', `/api/v1/messages?site=${site}&visitorId=${second}&after=0`, undefined, { authorization: `Bearer ${lead.body.visitorToken}` });
  expect(history.status).toBe(200);
  expect(history.body.messages.map((message: { text: string }) => message.text)).toEqual(['hello from the second browser', 'Hi, second browser']);
  expect(await call('GET', `/api/v1/messages?site=${site}&visitorId=${first}&after=0`, undefined, { authorization: `Bearer ${lead.body.visitorToken}` })).toMatchObject({ status: 401 });

  // The site vouches for the first browser's person: it may now read the whole thread.
  const userId = 'customer-42';
  const identify = await call('POST', '/api/v1/identify', { site, visitorId: first, clientId: uuid(), person: { userId, phone: '+380671234567' }, hash: identityHash(`secret-${site}`, userId) });
  expect(identify).toMatchObject({ status: 200, body: { access: 'contact', verified: true } });
  const full = await call('GET', `/api/v1/messages?site=${site}&visitorId=${first}&after=0`, undefined, { authorization: `Bearer ${firstMessage.body.visitorToken}` });
  expect(full.body.messages.map((message: { text: string }) => message.text)).toEqual(['my private question', 'hello from the second browser', 'Hi, second browser']);
});

test('refuses identify with a hash that does not match, and a bad e-mail', async () => {
  const { site, call } = await start();
  const visitorId = uuid();
  expect(await call('POST', '/api/v1/identify', { site, visitorId, clientId: uuid(), person: { userId: 'u1' }, hash: 'a'.repeat(64) })).toMatchObject({ status: 401, body: { error: { field: 'hash' } } });
  expect(await call('POST', '/api/v1/identify', { site, visitorId, clientId: uuid(), person: { email: 'nope' } })).toMatchObject({ status: 400, body: { error: { field: 'person.email' } } });
  expect(await count('identities', site)).toBe(0);
});

test('agents search threads by phone in any format, e-mail in any case and name', async () => {
  const { site, call, login } = await start();
  await call('POST', '/api/v1/leads', { site, visitorId: uuid(), clientId: uuid(), kind: 'form', name: 'Taras Shevchenko', phone: '+380 50 111 22 33', email: 'Taras@Example.com' });
  const auth = { authorization: `Bearer ${await login()}` };
  for (const query of ['050 111 22 33', '+380501112233', 'taras@example.COM', 'shevch']) {
    const found = await call('GET', `/api/v1/threads?site=${site}&query=${encodeURIComponent(query)}`, undefined, auth);
    expect(found.body.items.map((item: { contact: { name: string } }) => item.contact.name), query).toEqual(['Taras Shevchenko']);
  }
  expect((await call('GET', `/api/v1/threads?site=${site}&query=nobody`, undefined, auth)).body.items).toEqual([]);
});

test('the agent API needs a valid token and names bad input', async () => {
  const { site, call, login } = await start();
  expect(await call('GET', '/api/v1/threads')).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
  expect(await call('GET', '/api/v1/threads', undefined, { authorization: 'Bearer forged.token' })).toMatchObject({ status: 401 });
  expect(await call('POST', '/api/v1/auth/login', { email: 'agent@shop.test', password: 'wrong' })).toMatchObject({ status: 401, body: { error: { code: 'invalid_credentials' } } });
  const auth = { authorization: `Bearer ${await login()}` };
  expect(await call('GET', '/api/v1/threads/not-a-uuid', undefined, auth)).toMatchObject({ status: 400, body: { error: { field: 'id' } } });
  expect(await call('GET', `/api/v1/threads/${uuid()}`, undefined, auth)).toMatchObject({ status: 404 });
  const lead = await call('POST', '/api/v1/leads', { site, visitorId: uuid(), clientId: uuid(), kind: 'callback', phone: '+380671234567' });
  expect(await call('POST', `/api/v1/threads/${lead.body.threadId}/messages`, { text: '' }, auth)).toMatchObject({ status: 400, body: { error: { field: 'text' } } });
  expect(await call('POST', `/api/v1/threads/${lead.body.threadId}/messages`, { text: 'hi', channel: 'telegram' }, auth)).toMatchObject({ status: 422, body: { error: { code: 'channel_unavailable' } } });
  expect(await call('POST', `/api/v1/threads/${lead.body.threadId}/assign`, { agentId: uuid() }, auth)).toMatchObject({ status: 400, body: { error: { field: 'agentId' } } });
});

test('agents see the timeline with the contact, assign, close and reopen', async () => {
  const { site, call, login } = await start();
  const visitorId = uuid();
  const lead = await call('POST', '/api/v1/leads', {
    site,
    visitorId,
    clientId: uuid(),
    kind: 'callback',
    phone: '067 123 45 67',
    name: 'Olena',
    attribution: { firstTouch: { at: '2026-11-20T10:00:00Z', landingPage: 'https://shop.test/?utm_source=google', utmSource: 'google' }, lastTouch: { at: '2026-11-20T10:00:00Z', landingPage: 'https://shop.test/' } },
  });
  const auth = { authorization: `Bearer ${await login()}` };
  const me = await call('GET', '/api/v1/me', undefined, auth);
  const detail = await call('GET', `/api/v1/threads/${lead.body.threadId}`, undefined, auth);
  expect(detail.body.contact).toMatchObject({ name: 'Olena', identities: [{ kind: 'phone', value: '+380671234567', verified: false }], visitors: [{ id: visitorId, access: 'own', firstTouch: { utmSource: 'google' } }] });
  expect(detail.body.items).toEqual([expect.objectContaining({ seq: 1, type: 'lead', channel: 'web', direction: 'in' })]);
  expect((await call('POST', `/api/v1/threads/${lead.body.threadId}/assign`, { agentId: me.body.id }, auth)).body).toMatchObject({ assigneeId: me.body.id });
  expect((await call('POST', `/api/v1/threads/${lead.body.threadId}/close`, {}, auth)).body).toMatchObject({ status: 'closed' });
  // Whatever the customer sends next reopens their one thread.
  await call('POST', '/api/v1/messages', { site, visitorId, clientId: uuid(), text: 'one more thing' });
  const reopened = await call('GET', `/api/v1/threads/${lead.body.threadId}`, undefined, auth);
  expect(reopened.body.thread.status).toBe('open');
  expect(reopened.body.items.map((item: { seq: number }) => item.seq)).toEqual([1, 2]);
});

test('serves the site config with defaults filled in', async () => {
  const { site, call } = await start();
  const config = await call('GET', `/api/v1/sites/${site}/config`);
  expect(config).toMatchObject({ status: 200, body: { site, defaultLocale: 'en', widgets: { chat: true, callback: true, form: true }, consent: { mode: 'implied' } } });
  expect(await call('GET', '/api/v1/sites/missing/config')).toMatchObject({ status: 404 });
});

test("gives the phone fields the site's country when the config names none, and the config's own when it does", async () => {
  const { site, call } = await start();
  expect((await call('GET', `/api/v1/sites/${site}/config`)).body.callback).toEqual({ defaultCountry: 'UA', answerWithinSeconds: 30 });
  await db.query('update sites set config = $2 where id = $1', [site, JSON.stringify({ callback: { defaultCountry: 'PL' } })]);
  expect((await call('GET', `/api/v1/sites/${site}/config`)).body.callback).toEqual({ defaultCountry: 'PL', answerWithinSeconds: 30 });
});

test('tells the widgets whether the business is open now and when that changes, whatever the stored config says', async () => {
  const { site, call } = await start();
  const always = { from: '00:00', to: '24:00' };
  const week = (day: { from: string; to: string }[]) => ({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day });
  const setHours = (days: ReturnType<typeof week>) =>
    db.query('update sites set config = $2 where id = $1', [site, JSON.stringify({ businessHours: { timeZone: 'Europe/Kyiv', days }, openNow: { open: true } })]);

  await setHours(week([]));
  const closed = await call('GET', `/api/v1/sites/${site}/config`);
  expect(closed.body.openNow).toEqual({ open: false, slots: [] }); // never opens: no change to announce, no slot to offer

  await setHours(week([always]));
  const open = await call('GET', `/api/v1/sites/${site}/config`);
  expect(open.body.openNow).toEqual({ open: true });

  // Open today only: closes at the next midnight in Kyiv.
  const kyivDay = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Kyiv', weekday: 'short' }).format(new Date()).slice(0, 3).toLowerCase();
  await db.query('update sites set config = $2 where id = $1', [site, JSON.stringify({ businessHours: { timeZone: 'Europe/Kyiv', days: { ...week([]), [kyivDay]: [always] } } })]);
  const today = await call('GET', `/api/v1/sites/${site}/config`);
  expect(today.body.openNow.open).toBe(true);
  const closesAt = new Date(today.body.openNow.changesAt);
  expect(closesAt.getTime()).toBeGreaterThan(Date.now());
  expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Kyiv', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(closesAt)).toBe('00:00');

  // Closed today only: it opens at the next midnight in Kyiv and offers hour slots from then.
  await db.query('update sites set config = $2 where id = $1', [site, JSON.stringify({ businessHours: { timeZone: 'Europe/Kyiv', days: week([always]), closedDates: [kyivDate(new Date())] } })]);
  const closedToday = await call('GET', `/api/v1/sites/${site}/config`);
  expect(closedToday.body.openNow).toMatchObject({ open: false, changesAt: closesAt.getTime() });
  expect(closedToday.body.openNow.slots).toHaveLength(8);
  expect(closedToday.body.openNow.slots[0]).toEqual({ from: closesAt.getTime(), to: closesAt.getTime() + 3_600_000 });
});

const kyivDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Kyiv', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

test('lets the page read errors and Retry-After, and refuses a replay from another browser or a mismatched Idempotency-Key', async () => {
  const { site, call } = await start({ limits: { perIp: 100, perVisitor: 1 } });
  const broken = await call('POST', '/api/v1/leads', '{"site":');
  expect(broken.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  const visitorId = uuid();
  await call('POST', '/api/v1/messages', { site, visitorId, clientId: uuid(), text: 'one' });
  const limited = await call('POST', '/api/v1/messages', { site, visitorId, clientId: uuid(), text: 'two' });
  expect(limited.status).toBe(429);
  expect(limited.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  expect(limited.headers.get('access-control-expose-headers')).toContain('Retry-After');

  const lead = { site, visitorId: uuid(), clientId: uuid(), kind: 'callback', phone: '+380671234567' };
  await call('POST', '/api/v1/leads', lead);
  expect(await call('POST', '/api/v1/leads', { ...lead, visitorId: uuid() })).toMatchObject({ status: 409, body: { error: { code: 'conflict', field: 'clientId' } } });
  expect(await call('POST', '/api/v1/leads', { ...lead, visitorId: uuid(), clientId: uuid() }, { 'idempotency-key': uuid() })).toMatchObject({ status: 400, body: { error: { field: 'clientId' } } });
});

test('answers a reply on a shared device only to a browser of that customer', async () => {
  const { site, call, login } = await start();
  const device = uuid();
  // One browser, two people: Anna's lead, then Boris's lead with nothing in common.
  const anna = await call('POST', '/api/v1/leads', { site, visitorId: device, clientId: uuid(), kind: 'callback', phone: '+380671112233', email: 'anna@example.com' });
  const boris = await call('POST', '/api/v1/leads', { site, visitorId: device, clientId: uuid(), kind: 'callback', phone: '+380504445566', email: 'boris@example.com' });
  expect(boris.body.threadId).not.toBe(anna.body.threadId);
  const auth = { authorization: `Bearer ${await login()}` };
  expect(await call('POST', `/api/v1/threads/${boris.body.threadId}/messages`, { text: 'Boris, we will call you' }, auth)).toMatchObject({ status: 422, body: { error: { code: 'no_web_visitor' } } });
  expect(await call('POST', `/api/v1/threads/${anna.body.threadId}/messages`, { text: 'Anna, we will call you' }, auth)).toMatchObject({ status: 201 });
  expect((await call('GET', `/api/v1/threads?site=${site}&assignee=me`, undefined, auth)).body.items.map((item: { id: string }) => item.id)).toEqual([anna.body.threadId]);
  expect((await call('GET', `/api/v1/threads?site=${site}&assignee=none`, undefined, auth)).body.items.map((item: { id: string }) => item.id)).toEqual([boris.body.threadId]);
  expect(await call('GET', `/api/v1/threads?assignee=somebody`, undefined, auth)).toMatchObject({ status: 400, body: { error: { field: 'assignee' } } });
});

test('a new password ends the sessions opened with the old one', async () => {
  const { call } = await start();
  await ensureAgent(db, { email: 'rotating@shop.test', name: 'Rota', password: 'first password', role: 'agent' });
  const old = (await call('POST', '/api/v1/auth/login', { email: 'rotating@shop.test', password: 'first password' })).body.token;
  expect((await call('GET', '/api/v1/me', undefined, { authorization: `Bearer ${old}` })).status).toBe(200);
  await ensureAgent(db, { email: 'rotating@shop.test', name: 'Rota', password: 'second password', role: 'agent', resetPassword: true });
  expect(await call('GET', '/api/v1/me', undefined, { authorization: `Bearer ${old}` })).toMatchObject({ status: 401 });
  const fresh = (await call('POST', '/api/v1/auth/login', { email: 'rotating@shop.test', password: 'second password' })).body.token;
  expect((await call('GET', '/api/v1/me', undefined, { authorization: `Bearer ${fresh}` })).status).toBe(200);
});

test('a page event lands on the timeline without reopening a closed thread or moving it up the list', async () => {
  const { site, call, login } = await start();
  const visitorId = uuid();
  const lead = await call('POST', '/api/v1/leads', { site, visitorId, clientId: uuid(), kind: 'callback', phone: '+380671234567' });
  const auth = { authorization: `Bearer ${await login()}` };
  const closed = await call('POST', `/api/v1/threads/${lead.body.threadId}/close`, {}, auth);
  const event = await call('POST', '/api/v1/events', { site, visitorId, clientId: uuid(), name: 'pricing:viewed', at: new Date().toISOString(), properties: { plan: 'pro' } });
  expect(event.status).toBe(201);
  const detail = await call('GET', `/api/v1/threads/${lead.body.threadId}`, undefined, auth);
  expect(detail.body.thread).toMatchObject({ status: 'closed', lastItemAt: closed.body.lastItemAt });
  expect(detail.body.items.map((item: { type: string; text: string }) => [item.type, item.text])).toEqual([
    ['lead', null],
    ['event', 'pricing:viewed'],
  ]);
});

test('repeated evidence between the same two customers leaves one open merge suggestion', async () => {
  const { site, call } = await start();
  const userId = 'member-7';
  const member = uuid();
  // A verified member whose phone was only typed, and a stranger's browser typing it with its own e-mail, twice.
  await call('POST', '/api/v1/identify', { site, visitorId: member, clientId: uuid(), person: { userId, phone: '+380671234567' }, hash: identityHash(`secret-${site}`, userId) });
  const stranger = uuid();
  await call('POST', '/api/v1/leads', { site, visitorId: stranger, clientId: uuid(), kind: 'form', email: 'stranger@example.com' });
  await call('POST', '/api/v1/leads', { site, visitorId: stranger, clientId: uuid(), kind: 'callback', phone: '+380671234567' });
  await call('POST', '/api/v1/leads', { site, visitorId: stranger, clientId: uuid(), kind: 'callback', phone: '067 123 45 67' });
  const suggestions = await db.query<{ n: string }>("select count(*) as n from merge_suggestions where site_id = $1 and state = 'open'", [site]);
  expect(Number(suggestions.rows[0]!.n)).toBe(1);
});
