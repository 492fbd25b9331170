// @vitest-environment node
// The e-mail channel end to end inside one process: mail arrives through the
// channel's own SMTP listener (a real smtp-server on a free port, fed by
// nodemailer), agent replies leave through a real SMTP connection to a second
// smtp-server playing the customer's mail server.
import { createTransport, type SendMailOptions } from 'nodemailer';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { startCustomerMailServer, type CustomerMailServer } from '../../../tests/fixtures/email/customer-mail-server.ts';
import { postmarkInbound } from '../../../tests/fixtures/postmark/inbound-webhook.ts';
import { createThreadlineServer, openDatabase, type Database, type ThreadlineServer } from '../src/index.ts';
import { createEmailChannel, type EmailChannel } from '../src/channels/email/email-channel.ts';
import { ensureAgent } from '../src/domain/agents.ts';
import { upsertSite } from '../src/domain/sites.ts';

let db: Database;
let customer: CustomerMailServer;
let server: ThreadlineServer | undefined;
beforeAll(async () => {
  db = await openDatabase({});
  await ensureAgent(db, { email: 'agent@shop.test', name: 'Iryna', password: 'correct horse', role: 'agent' });
  customer = await startCustomerMailServer();
}, 120_000);
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(async () => {
  await customer?.close();
  await db?.close();
});

let counter = 0;
const ORIGIN = 'https://shop.test';
const uuid = () => crypto.randomUUID();
const POSTMARK = { username: 'postmark', password: 'inbound-secret-1' };
const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

async function start() {
  const site = `mail${++counter}`;
  const support = `support@${site}.shop.test`;
  await upsertSite(db, { id: site, name: 'Shop', allowedOrigins: [ORIGIN], secret: `secret-${site}`, defaultCountry: 'UA' });
  await db.query("update sites set settings = jsonb_set(settings, '{email}', $2::jsonb) where id = $1", [site, JSON.stringify({ address: support, displayName: 'Shop support', postmark: POSTMARK })]);
  const channel: EmailChannel = createEmailChannel({ THREADLINE_SMTP_OUTBOUND_URL: customer.url }, { smtpPort: 0, maxMessageBytes: 64 * 1024 });
  server = await createThreadlineServer({ database: db, channels: () => [channel], jobs: { autoStart: false, backoff: () => 0 } });
  const url = await server.listen();
  const running = server;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(url + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), origin: ORIGIN, ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const token = (await call('POST', '/api/v1/auth/login', { email: 'agent@shop.test', password: 'correct horse' })).body.token as string;
  const agent = (method: string, path: string, body?: unknown) => call(method, path, body, { authorization: `Bearer ${token}` });
  const transport = createTransport({ host: '127.0.0.1', port: channel.smtpPort()!, secure: false, ignoreTLS: true });
  const mailIn = (message: SendMailOptions) => transport.sendMail({ to: support, ...message });
  const threadOf = async (email: string) => {
    const found = await agent('GET', `/api/v1/threads?site=${site}&query=${encodeURIComponent(email)}`);
    return found.body.items as { id: string; contactId: string }[];
  };
  return { site, support, call, agent, mailIn, threadOf, runJobs: () => running.jobs.runDue() };
}

const count = async (table: string, site: string) => Number((await db.query<{ n: string }>(`select count(*) as n from ${table} where site_id = $1`, [site])).rows[0]!.n);

test('files an e-mail to the support address in the sender’s thread, without the quoted history, with its attachment', async () => {
  const { site, mailIn, threadOf, agent } = await start();
  const accepted = await mailIn({
    from: 'Olena Kovalenko <Customer@Example.com>',
    subject: 'Delivery to Lviv',
    text: 'How long does delivery to Lviv take?\n\nOn Mon, 23 Nov 2026 at 10:00, Shop support <support@shop.test> wrote:\n> Thank you for your order.',
    attachments: [{ filename: 'order.pdf', content: Buffer.from('%PDF-1.4 order 1042'), contentType: 'application/pdf' }],
  });
  expect(accepted.response).toMatch(/^250/);

  const threads = await threadOf('customer@example.com');
  expect(threads).toHaveLength(1);
  const detail = (await agent('GET', `/api/v1/threads/${threads[0]!.id}`)).body;
  expect(detail.contact.identities).toEqual([expect.objectContaining({ kind: 'email', value: 'customer@example.com', verified: false })]);
  expect(detail.items).toHaveLength(1);
  expect(detail.items[0]).toMatchObject({ type: 'message', channel: 'email', direction: 'in', text: 'How long does delivery to Lviv take?' });
  expect(detail.items[0].payload).toMatchObject({ subject: 'Delivery to Lviv', from: 'customer@example.com', senderVerified: false, fullText: expect.stringContaining('Thank you for your order.') });
  const files = await db.query<{ file_name: string; mime_type: string; content: Uint8Array }>('select file_name, mime_type, content from attachments where site_id = $1', [site]);
  expect(files.rows).toHaveLength(1);
  expect(files.rows[0]).toMatchObject({ file_name: 'order.pdf', mime_type: 'application/pdf' });
  expect(Buffer.from(files.rows[0]!.content).toString()).toBe('%PDF-1.4 order 1042');
});

test('stores a message delivered twice with the same Message-ID once', async () => {
  const { site, mailIn } = await start();
  const message = { from: 'customer@example.com', subject: 'Twice', text: 'Only once, please', messageId: `<${uuid()}@mail.example.com>` };
  await mailIn(message);
  const again = await mailIn(message);
  expect(again.response).toMatch(/^250/);
  expect(await count('timeline_items', site)).toBe(1);
});

test('refuses mail for an unknown mailbox with 550 and stores nothing', async () => {
  const { site, mailIn } = await start();
  await expect(mailIn({ to: `nobody@${site}.shop.test`, from: 'customer@example.com', subject: 'Hi', text: 'Anyone?' })).rejects.toMatchObject({ responseCode: 550 });
  expect(await count('timeline_items', site)).toBe(0);
  expect(await count('contacts', site)).toBe(0);
});

test('refuses a message without a From address, garbage and an oversized message with a 5xx, stores nothing, and keeps accepting mail', async () => {
  const { site, support, mailIn } = await start();
  const envelope = { from: 'bounce@example.com', to: support };
  await expect(mailIn({ envelope, raw: 'Subject: no sender\r\n\r\nWho am I?\r\n' })).rejects.toMatchObject({ responseCode: 550, response: expect.stringContaining('no valid From address') });
  await expect(mailIn({ envelope, raw: '\u0000\u0001 garbage ::: <<<>>>\r\n\r\n\u00ff\u00fe' })).rejects.toMatchObject({ responseCode: 550 });
  await expect(mailIn({ envelope, raw: `From: customer@example.com\r\nSubject: big\r\n\r\n${'x'.repeat(70 * 1024)}\r\n` })).rejects.toMatchObject({ responseCode: 552 });
  expect(await count('timeline_items', site)).toBe(0);
  expect(await count('contacts', site)).toBe(0);

  const accepted = await mailIn({ from: 'customer@example.com', subject: 'Still there?', text: 'Hello' });
  expect(accepted.response).toMatch(/^250/);
  expect(await count('timeline_items', site)).toBe(1);
});

test('threads the agent’s reply under the customer’s mail, and files the customer’s answer in the same thread', async () => {
  const { mailIn, threadOf, agent, runJobs, support } = await start();
  const customerMessageId = `${uuid()}@mail.example.com`;
  await mailIn({ from: 'Olena <threading@example.com>', subject: 'Invoice', text: 'Please send the invoice again.', messageId: `<${customerMessageId}>` });
  const [thread] = await threadOf('threading@example.com');

  const reply = await agent('POST', `/api/v1/threads/${thread!.id}/messages`, { text: 'Here it is.' });
  expect(reply.status).toBe(201);
  expect(reply.body.item ?? reply.body).toMatchObject({ channel: 'email' });
  expect(await runJobs()).toBe(1);
  const delivered = customer.received.find((mail) => mail.text?.includes('Here it is.'))!;
  expect(delivered).toBeDefined();
  expect(delivered.from?.value[0]).toMatchObject({ address: support, name: 'Shop support' });
  expect(delivered.to).toMatchObject({ value: [expect.objectContaining({ address: 'threading@example.com' })] });
  expect(delivered.subject).toBe('Re: Invoice');
  expect(delivered.inReplyTo).toBe(`<${customerMessageId}>`);
  expect(delivered.references).toBe(`<${customerMessageId}>`);
  expect(delivered.messageId).toMatch(/@mail\d+\.shop\.test>$/);

  // The customer answers from a client that writes the address in capitals.
  await mailIn({ from: 'THREADING@example.com', subject: 'Re: Re: Invoice', text: 'Thanks!\n\n> Here it is.', inReplyTo: delivered.messageId!, references: [`<${customerMessageId}>`, delivered.messageId!] });
  const detail = (await agent('GET', `/api/v1/threads/${thread!.id}`)).body;
  expect(detail.items.map((item: { direction: string; text: string }) => [item.direction, item.text])).toEqual([
    ['in', 'Please send the invoice again.'],
    ['out', 'Here it is.'],
    ['in', 'Thanks!'],
  ]);
  expect(detail.items[1].payload.delivery).toMatchObject({ state: 'sent' });
  expect(await threadOf('threading@example.com')).toHaveLength(1);
});

test('an answer to our mail from another address stays with its sender and is suggested for merging', async () => {
  const { site, mailIn, threadOf, agent, runJobs } = await start();
  await mailIn({ from: 'boss@example.com', subject: 'Order 77', text: 'Where is order 77?' });
  const [thread] = await threadOf('boss@example.com');
  await agent('POST', `/api/v1/threads/${thread!.id}/messages`, { text: 'It leaves today.' });
  await runJobs();
  const ours = customer.received.find((mail) => mail.text?.includes('It leaves today.'))!;

  await mailIn({ from: 'assistant@example.com', subject: 'Re: Order 77', text: 'Thanks, I will tell him.', inReplyTo: ours.messageId! });
  const [other] = await threadOf('assistant@example.com');
  expect(other!.id).not.toBe(thread!.id);
  const detail = (await agent('GET', `/api/v1/threads/${other!.id}`)).body;
  expect(detail.items[0].payload.answersThread).toBe(thread!.id);
  expect(await count('merge_suggestions', site)).toBe(1);
});

test('retries a reply the relay defers with 451 and delivers it once on the next attempt', async () => {
  const { mailIn, threadOf, agent, runJobs } = await start();
  await mailIn({ from: 'greylisted@example.com', subject: 'Hello', text: 'Are you open on Sunday?' });
  const [thread] = await threadOf('greylisted@example.com');
  customer.refuse('greylisted@example.com', 451);
  await agent('POST', `/api/v1/threads/${thread!.id}/messages`, { text: 'Yes, from 10 to 16.' });

  // Backoff is 0 here: the deferred attempt and the retry run in one pass of the queue.
  expect(await runJobs()).toBe(2);
  expect(customer.received.filter((mail) => mail.text?.includes('Yes, from 10 to 16.'))).toHaveLength(1);
  const reply = (await agent('GET', `/api/v1/threads/${thread!.id}`)).body.items[1];
  expect(reply.payload.delivery).toMatchObject({ state: 'sent' });
  const job = (await db.query<{ attempts: number }>('select attempts from jobs where id = $1', [reply.payload.jobId])).rows[0];
  expect(job).toMatchObject({ attempts: 2 });
});

test('dead-letters a reply the relay refuses with 550, keeps its text and lists it at /api/v1/jobs?state=dead', async () => {
  const { site, mailIn, threadOf, agent, runJobs } = await start();
  await mailIn({ from: 'gone@example.com', subject: 'Hello', text: 'Call me' });
  const [thread] = await threadOf('gone@example.com');
  customer.refuse('gone@example.com', 550);
  await agent('POST', `/api/v1/threads/${thread!.id}/messages`, { text: 'We tried to call you.' });
  await runJobs();

  const reply = (await agent('GET', `/api/v1/threads/${thread!.id}`)).body.items[1];
  expect(reply).toMatchObject({ text: 'We tried to call you.', payload: { delivery: { state: 'failed', error: expect.stringContaining('550') } } });
  const dead = await agent('GET', `/api/v1/jobs?state=dead&site=${site}`);
  // A permanent refusal is not retried: one attempt.
  expect(dead.body.items).toEqual([expect.objectContaining({ kind: 'channel:send', state: 'dead', attempts: 1 })]);
});

test('keeps retrying a reply while the relay is unreachable, and dead-letters it only after the last attempt', async () => {
  const { site, mailIn, threadOf, agent, runJobs } = await start();
  await mailIn({ from: 'patient@example.com', subject: 'Hello', text: 'Any news?' });
  const [thread] = await threadOf('patient@example.com');
  // Nothing listens on port 1 of this machine: every attempt fails to connect.
  await db.query("update sites set settings = jsonb_set(settings, '{email,outbound}', $2::jsonb) where id = $1", [site, JSON.stringify({ url: 'smtp://127.0.0.1:1' })]);
  await agent('POST', `/api/v1/threads/${thread!.id}/messages`, { text: 'Not yet, sorry.' });
  await runJobs();

  const dead = await agent('GET', `/api/v1/jobs?state=dead&site=${site}`);
  expect(dead.body.items).toEqual([expect.objectContaining({ kind: 'channel:send', attempts: 8, lastError: expect.stringContaining('ECONNREFUSED') })]);
  const reply = (await agent('GET', `/api/v1/threads/${thread!.id}`)).body.items[1];
  expect(reply).toMatchObject({ text: 'Not yet, sorry.', payload: { delivery: { state: 'failed' } } });
});

test('e-mail first, then a website callback with that address: one contact, one thread, a threaded reply, and no e-mail for the browser', async () => {
  const { site, call, mailIn, threadOf, agent, runJobs } = await start();
  const customerMessageId = `${uuid()}@mail.example.com`;
  // (1) The customer writes to support.
  await mailIn({ from: 'Olena <customer@example.com>', subject: 'Sofa delivery', text: 'My private order details: sofa, 3rd floor.', messageId: `<${customerMessageId}>` });
  // (2) A browser asks for a call back with the same address and a phone.
  const visitorId = uuid();
  const lead = await call('POST', '/api/v1/leads', { site, visitorId, clientId: uuid(), kind: 'callback', name: 'Olena', phone: '067 123 45 67', email: 'Customer@Example.com' });
  expect(lead.status).toBe(201);

  // (3) Agents see one customer with both identities and one thread, in order.
  const threads = await threadOf('customer@example.com');
  expect(threads).toHaveLength(1);
  expect(await threadOf('+380671234567')).toEqual(threads);
  const detail = (await agent('GET', `/api/v1/threads/${threads[0]!.id}`)).body;
  expect(detail.contact.identities).toEqual(
    expect.arrayContaining([expect.objectContaining({ kind: 'email', value: 'customer@example.com' }), expect.objectContaining({ kind: 'phone', value: '+380671234567' })]),
  );
  expect(detail.items.map((item: { type: string; channel: string }) => [item.type, item.channel])).toEqual([
    ['message', 'email'],
    ['lead', 'web'],
  ]);

  // (4) The reply goes out by e-mail, threaded under the customer's message.
  await agent('POST', `/api/v1/threads/${threads[0]!.id}/messages`, { text: 'We will call you at 15:30.', channel: 'email' });
  await runJobs();
  const delivered = customer.received.find((mail) => mail.text?.includes('We will call you at 15:30.'))!;
  expect(delivered).toMatchObject({ inReplyTo: `<${customerMessageId}>`, subject: 'Re: Sofa delivery' });

  // (5) The browser typed the address but proved nothing: it reads only its own items.
  const history = await call('GET', `/api/v1/messages?site=${site}&visitorId=${visitorId}&after=0`, undefined, { authorization: `Bearer ${lead.body.visitorToken}` });
  expect(history.status).toBe(200);
  expect(JSON.stringify(history.body)).not.toContain('private order details');
  expect(JSON.stringify(history.body)).not.toContain('We will call you at 15:30.');
});

test('a website callback first, then an e-mail from that address, ends in the same single thread', async () => {
  const { site, call, mailIn, threadOf, agent } = await start();
  const lead = await call('POST', '/api/v1/leads', { site, visitorId: uuid(), clientId: uuid(), kind: 'callback', phone: '067 123 45 67', email: 'reverse@example.com' });
  await mailIn({ from: 'reverse@example.com', subject: 'About my callback', text: 'I am free after 18:00.' });
  const threads = await threadOf('reverse@example.com');
  expect(threads).toEqual([expect.objectContaining({ id: lead.body.threadId })]);
  const detail = (await agent('GET', `/api/v1/threads/${lead.body.threadId}`)).body;
  expect(detail.items.map((item: { type: string; channel: string }) => [item.type, item.channel])).toEqual([
    ['lead', 'web'],
    ['message', 'email'],
  ]);
});

test('files a message from Postmark’s inbound webhook once per Postmark message, threaded and with its attachment', async () => {
  const { site, support, call, mailIn, threadOf, agent, runJobs } = await start();
  const customerMessageId = `${uuid()}@mail.example.com`;
  await mailIn({ from: 'postmark-customer@example.com', subject: 'Warranty', text: 'Is the kettle under warranty?', messageId: `<${customerMessageId}>` });
  const [thread] = await threadOf('postmark-customer@example.com');
  await agent('POST', `/api/v1/threads/${thread!.id}/messages`, { text: 'Yes, for two years.' });
  await runJobs();
  const ours = customer.received.find((mail) => mail.text?.includes('Yes, for two years.'))!;

  const body = postmarkInbound({
    from: { email: 'Postmark-Customer@example.com', name: 'Olena' },
    to: support,
    subject: 'Re: Warranty',
    text: 'Great, the receipt is attached.',
    messageId: `<${uuid()}@mail.example.com>`,
    inReplyTo: ours.messageId!,
    postmarkId: uuid(),
    attachments: [{ name: 'receipt.png', contentType: 'image/png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47]) }],
  });
  const path = `/api/v1/channels/email/${site}/postmark`;
  const first = await call('POST', path, body, { authorization: basic(POSTMARK.username, POSTMARK.password) });
  expect(first).toMatchObject({ status: 200, body: { ok: true, created: true } });
  const retried = await call('POST', path, body, { authorization: basic(POSTMARK.username, POSTMARK.password) });
  expect(retried).toMatchObject({ status: 200, body: { ok: true, created: false } });

  const detail = (await agent('GET', `/api/v1/threads/${thread!.id}`)).body;
  expect(detail.items.map((item: { direction: string; text: string }) => [item.direction, item.text])).toEqual([
    ['in', 'Is the kettle under warranty?'],
    ['out', 'Yes, for two years.'],
    ['in', 'Great, the receipt is attached.'],
  ]);
  const files = await db.query<{ file_name: string; size_bytes: string }>('select file_name, size_bytes from attachments where site_id = $1', [site]);
  expect(files.rows.map((row) => [row.file_name, Number(row.size_bytes)])).toEqual([['receipt.png', 4]]);
});

test('refuses Postmark posts without the site’s credentials (401), with a malformed body (400) or no sender (422), storing nothing', async () => {
  const { site, support, call } = await start();
  const path = `/api/v1/channels/email/${site}/postmark`;
  const body = postmarkInbound({ from: { email: 'someone@example.com' }, to: support, subject: 'Hi', text: 'Hello' });
  expect(await call('POST', path, body)).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
  expect(await call('POST', path, body, { authorization: basic(POSTMARK.username, 'wrong-password') })).toMatchObject({ status: 401 });
  const auth = { authorization: basic(POSTMARK.username, POSTMARK.password) };
  expect(await call('POST', path, { ...body, FromFull: undefined }, auth)).toMatchObject({ status: 400, body: { error: { code: 'invalid_input', field: 'FromFull' } } });
  expect(await call('POST', path, { ...body, FromFull: { Email: 'not an address' } }, auth)).toMatchObject({ status: 422, body: { error: { field: 'FromFull.Email' } } });
  expect(await call('POST', '/api/v1/channels/email/no-such-site/postmark', body, auth)).toMatchObject({ status: 404 });
  expect(await count('timeline_items', site)).toBe(0);
  expect(await count('contacts', site)).toBe(0);
});

test('receives at <site>@THREADLINE_MAIL_DOMAIN for a site without its own address, and refuses sites that do not exist', async () => {
  const site = `dom${++counter}`;
  await upsertSite(db, { id: site, name: 'Shop', allowedOrigins: [ORIGIN], secret: `secret-${site}`, defaultCountry: 'UA' });
  const channel = createEmailChannel({ THREADLINE_MAIL_DOMAIN: 'Inbox.Shop.Test' }, { smtpPort: 0 });
  server = await createThreadlineServer({ database: db, channels: () => [channel], jobs: { autoStart: false } });
  const transport = createTransport({ host: '127.0.0.1', port: channel.smtpPort()!, secure: false, ignoreTLS: true });

  const accepted = await transport.sendMail({ from: 'domain-customer@example.com', to: `${site}@inbox.shop.test`, subject: 'Hi', text: 'Found you by the domain' });
  expect(accepted.response).toMatch(/^250/);
  await expect(transport.sendMail({ from: 'domain-customer@example.com', to: 'no-such-site@inbox.shop.test', subject: 'Hi', text: 'Nobody' })).rejects.toMatchObject({ responseCode: 550 });
  const items = await db.query<{ body: string }>('select body from timeline_items where site_id = $1', [site]);
  expect(items.rows.map((row) => row.body)).toEqual(['Found you by the domain']);
});
