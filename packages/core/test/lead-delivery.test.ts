import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest';
import { createClient, createHttpAdapter } from '../src/index.ts';
import { createContractBackend } from '../../../tests/support/contract-handlers.ts';
import { nextEvent, uniqueSite } from './helpers.ts';

const backend = createContractBackend();
const server = setupServer(...backend.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

// random() = 0 makes full-jitter backoff wait 0 ms, so retries happen at once unless a Retry-After says otherwise.
const noJitter = { random: () => 0 };

test('delivers a callback request with its page, attribution and an Idempotency-Key equal to its client id', async () => {
  const client = createClient({ site: uniqueSite(), endpoint: backend.endpoint });
  const sent = nextEvent(client, 'lead:sent');
  const result = await client.submitLead({ kind: 'callback', name: 'Olena', phone: '067 123 45 67' });
  expect(result.ok).toBe(true);
  const { clientId, receipt } = await sent;
  expect(receipt).toEqual({ leadId: expect.any(String), contactId: 'contact_1', threadId: 'thread_1' });
  const request = backend.requests.find((entry) => entry.body.clientId === clientId)!;
  expect(request.idempotencyKey).toBe(clientId);
  expect(request.body).toMatchObject({ kind: 'callback', name: 'Olena', phone: '067 123 45 67', page: { url: expect.any(String) }, attribution: { firstTouch: expect.any(Object) } });
  expect(client.pending.value).toEqual([]);
  client.destroy();
});

test('keeps a lead submitted while the server is unreachable and delivers it exactly once when it comes back', async () => {
  const site = uniqueSite();
  backend.failNext('network', 'network', 'network');
  const client = createClient({ site, endpoint: backend.endpoint, platform: noJitter });
  const result = await client.submitLead({ kind: 'form', email: 'Ann@Example.com', message: 'Need a quote' });
  expect(result.ok).toBe(true);
  const clientId = result.ok ? result.value.clientId : '';
  await vi.waitFor(() => expect(backend.requests.filter((entry) => entry.body.clientId === clientId).length).toBeGreaterThanOrEqual(4));
  await vi.waitFor(() => expect(client.pending.value).toEqual([]));
  expect(backend.leads().filter((lead) => lead.body.clientId === clientId)).toHaveLength(1);
  client.destroy();
});

test('sends nothing while the browser is offline and delivers the lead once it is back online', async () => {
  const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
  try {
    const client = createClient({ site: uniqueSite(), endpoint: backend.endpoint, platform: noJitter });
    const result = await client.submitLead({ kind: 'form', email: 'offline@example.com' });
    expect(result.ok).toBe(true);
    const clientId = result.ok ? result.value.clientId : '';
    const attempts = () => backend.requests.filter((entry) => entry.body.clientId === clientId).length;
    // Without jitter a failing send is retried at once: offline, nothing is tried at all.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(attempts()).toBe(0);
    expect(client.pending.value).toHaveLength(1);

    onLine.mockReturnValue(true);
    const sent = nextEvent(client, 'lead:sent');
    window.dispatchEvent(new Event('online'));
    await sent;
    expect(attempts()).toBe(1);
    client.destroy();
  } finally {
    onLine.mockRestore();
  }
});

test('a server that answers 500 and then 200 ends up with the lead once', async () => {
  backend.failNext({ status: 500 });
  const client = createClient({ site: uniqueSite(), endpoint: backend.endpoint, platform: noJitter });
  const sent = nextEvent(client, 'lead:sent');
  await client.submitLead({ kind: 'callback', phone: '+380 67 123 45 67' });
  const { clientId } = await sent;
  expect(backend.requests.filter((entry) => entry.body.clientId === clientId).map((entry) => entry.path)).toHaveLength(2);
  expect(backend.leads().filter((lead) => lead.body.clientId === clientId)).toHaveLength(1);
  client.destroy();
});

test('waits as long as a 429 Retry-After asks before trying again', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  backend.failNext({ status: 429, retryAfter: '30' });
  const client = createClient({ site: uniqueSite(), endpoint: backend.endpoint, platform: noJitter });
  const result = await client.submitLead({ kind: 'callback', phone: '+48 601 234 567' });
  const clientId = result.ok ? result.value.clientId : '';
  const attempts = () => backend.requests.filter((entry) => entry.body.clientId === clientId).length;
  await vi.waitFor(() => expect(attempts()).toBe(1));
  await vi.waitFor(() => expect(client.pending.value[0]?.attempts).toBe(1));
  await vi.advanceTimersByTimeAsync(29_000);
  expect(attempts()).toBe(1);
  await vi.advanceTimersByTimeAsync(1_500);
  await vi.waitFor(() => expect(attempts()).toBe(2));
  await vi.waitFor(() => expect(client.pending.value).toEqual([]));
  client.destroy();
});

test('a lead queued before a reload is sent by the next page, once', async () => {
  const site = uniqueSite();
  backend.failNext('network');
  const first = createClient({ site, endpoint: backend.endpoint, platform: { random: () => 0.99 } });
  const result = await first.submitLead({ kind: 'callback', phone: '+44 20 7946 0958' });
  const clientId = result.ok ? result.value.clientId : '';
  await vi.waitFor(() => expect(first.pending.value[0]?.attempts).toBe(1));
  // The page goes away with the lead still waiting for its backoff.
  first.destroy();
  const second = createClient({ site, endpoint: backend.endpoint, platform: noJitter });
  await vi.waitFor(() => expect(backend.leads().filter((lead) => lead.body.clientId === clientId)).toHaveLength(1));
  await vi.waitFor(() => expect(second.pending.value).toEqual([]));
  second.destroy();
});

test('a lead the server refuses stays in the outbox as failed, with the reason, until retried or discarded', async () => {
  const site = uniqueSite();
  const refusing = createHttpAdapter({ endpoint: backend.endpoint, fetch: async () => Response.json({ error: { code: 'invalid_input', field: 'phone', message: 'phone is not a number in UA' } }, { status: 422 }) });
  const client = createClient({ site, adapter: refusing });
  const failed = nextEvent(client, 'lead:failed');
  await client.submitLead({ kind: 'callback', phone: '000000' });
  const { clientId, error } = await failed;
  expect(error).toMatchObject({ code: 'invalid_input', field: 'phone', retryable: false, status: 422 });
  await vi.waitFor(() => expect(client.pending.value).toEqual([expect.objectContaining({ id: clientId, status: 'failed', error: expect.objectContaining({ field: 'phone' }) })]));
  await client.outbox.discard(clientId);
  expect(client.pending.value).toEqual([]);
  client.destroy();
});

test('answers an invalid lead with the field and the reason, and stores nothing', async () => {
  const client = createClient({ site: uniqueSite(), endpoint: backend.endpoint });
  const before = backend.requests.length;
  expect(await client.submitLead({ kind: 'callback', name: 'No phone' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'phone', message: 'phone is required' } });
  expect(await client.submitLead({ kind: 'form', phone: 'call me maybe' })).toMatchObject({ ok: false, error: { field: 'phone' } });
  expect(await client.submitLead({ kind: 'form', email: 'not-an-email' })).toMatchObject({ ok: false, error: { field: 'email', message: 'email must be a valid e-mail address' } });
  expect(await client.submitLead({ kind: 'party' } as never)).toMatchObject({ ok: false, error: { field: 'kind' } });
  expect(client.pending.value).toEqual([]);
  expect(backend.requests.length).toBe(before);
  client.destroy();
});

test('posts leads to a plain webhook and treats any 2xx as delivered', async () => {
  const received: unknown[] = [];
  const webhook = createHttpAdapter({
    leadsUrl: 'https://hooks.example.test/lead',
    fetch: async (_url, init) => {
      received.push(JSON.parse(String(init?.body)));
      return new Response('OK', { status: 200 });
    },
  });
  const client = createClient({ site: uniqueSite(), adapter: webhook });
  const sent = nextEvent(client, 'lead:sent');
  await client.submitLead({ kind: 'form', email: 'lead@example.com' });
  await sent;
  expect(received).toEqual([expect.objectContaining({ kind: 'form', email: 'lead@example.com' })]);
  expect(await client.chat.send('hello')).toMatchObject({ ok: true });
  await vi.waitFor(() => expect(client.chat.messages.value[0]?.status).toBe('failed'));
  client.destroy();
});

test('coming back online with a 429 still waits for its Retry-After', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  // Offline first (status goes offline), then the first answer after reconnecting is a 429:
  // that answer flips the status to online, which wakes the outbox; the wake must keep the pause.
  backend.failNext('network', { status: 429, retryAfter: '30' });
  const client = createClient({ site: uniqueSite(), endpoint: backend.endpoint, platform: noJitter });
  const result = await client.submitLead({ kind: 'callback', phone: '+48 601 234 567' });
  const clientId = result.ok ? result.value.clientId : '';
  const attempts = () => backend.requests.filter((entry) => entry.body.clientId === clientId).length;
  await vi.waitFor(() => expect(client.status.value).toBe('offline'));
  await vi.advanceTimersByTimeAsync(1_000);
  await vi.waitFor(() => expect(attempts()).toBe(2));
  await vi.waitFor(() => expect(client.status.value).toBe('online'));
  await vi.advanceTimersByTimeAsync(28_000);
  expect(attempts()).toBe(2);
  await vi.advanceTimersByTimeAsync(3_000);
  await vi.waitFor(() => expect(attempts()).toBe(3));
  await vi.waitFor(() => expect(client.pending.value).toEqual([]));
  client.destroy();
});
