import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { createClient, createHttpAdapter, createMemoryAdapter } from '../src/index.ts';
import { createContractBackend } from '../../../tests/support/contract-handlers.ts';
import { uniqueSite } from './helpers.ts';

const backend = createContractBackend();
const server = setupServer(...backend.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

test('sends leads a previous page had to keep in localStorage while IndexedDB was failing', async () => {
  const site = uniqueSite();
  const failingIndexedDb = () => {
    const fail = async () => {
      throw new DOMException('IndexedDB broke', 'UnknownError');
    };
    return { kind: 'indexeddb' as const, get: fail, set: fail, del: fail, keys: fail, clear: fail };
  };
  const { createLocalStorageStore, createCookieStore } = await import('./storage-factories.ts');
  const offline = createMemoryAdapter({ offline: true });
  const first = createClient({ site, adapter: offline, platform: { storage: { indexedDb: failingIndexedDb, localStorage: createLocalStorageStore, cookie: createCookieStore } } });
  const result = await first.submitLead({ kind: 'callback', phone: '+380671234567' });
  const clientId = result.ok ? result.value.clientId : '';
  expect(localStorage.getItem(`threadline:${site}:outbox:${clientId}`)).not.toBeNull();
  first.destroy();

  // The next page has a working IndexedDB.
  const online = createMemoryAdapter();
  const second = createClient({ site, adapter: online });
  await vi.waitFor(() => expect(online.received.lead.map((lead) => lead.clientId)).toEqual([clientId]));
  await vi.waitFor(() => expect(localStorage.getItem(`threadline:${site}:outbox:${clientId}`)).toBeNull());
  second.destroy();
});

test('a message still sending at a reload shows again as sending, then sent', async () => {
  const site = uniqueSite();
  const offline = createMemoryAdapter({ offline: true });
  const first = createClient({ site, adapter: offline });
  await first.chat.send('typed in a tunnel');
  first.destroy();
  const online = createMemoryAdapter({ offline: true });
  const second = createClient({ site, adapter: online });
  await vi.waitFor(() => expect(second.chat.messages.value).toEqual([expect.objectContaining({ text: 'typed in a tunnel', status: 'sending' })]));
  online.setOffline(false);
  await second.outbox.flush();
  await vi.waitFor(() => expect(second.chat.messages.value[0]!.status).toBe('sent'));
  second.destroy();
});

test('retrying a message that was discarded says it failed instead of sending forever', async () => {
  const backend = createMemoryAdapter({ offline: true });
  const client = createClient({ site: uniqueSite(), adapter: backend });
  const result = await client.chat.send('never mind');
  const clientId = result.ok ? result.value.clientId : '';
  await client.outbox.discard(clientId);
  expect(await client.chat.retry(clientId)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  expect(client.chat.messages.value[0]).toMatchObject({ status: 'failed', error: { code: 'not_found' } });
  client.destroy();
});

test('a new visitor after reset reads history with its own token, not the previous visitor’s', async () => {
  const client = createClient({ site: uniqueSite(), adapter: createHttpAdapter({ endpoint: backend.endpoint }) });
  const sent = new Promise((resolve) => client.on('lead:sent', resolve));
  await client.submitLead({ kind: 'callback', phone: '+380671234567' });
  await sent;
  await client.reset();
  expect(await client.chat.loadHistory()).toEqual({ ok: true, value: { added: 0 } });
  client.destroy();
});

test('delivers leads where Web Locks refuses every request (an opaque-origin iframe)', async () => {
  const backend = createMemoryAdapter();
  const refusing = { request: () => Promise.reject(new DOMException('The request is not allowed', 'SecurityError')) };
  const client = createClient({ site: uniqueSite(), adapter: backend, platform: { locks: refusing } });
  await client.submitLead({ kind: 'callback', phone: '+380671234567' });
  await vi.waitFor(() => expect(backend.received.lead).toHaveLength(1));
  await vi.waitFor(() => expect(client.pending.value).toEqual([]));
  client.destroy();
});

test('an open chat that restarts while offline reports the failure as an event, never as an unhandled rejection', async () => {
  const backend = createMemoryAdapter({ offline: true });
  const client = createClient({ site: uniqueSite(), adapter: backend });
  client.open('chat');
  const errors: string[] = [];
  client.on('error', ({ error }) => errors.push(error.code));
  await client.identify({ userId: 'u_offline' });
  await vi.waitFor(() => expect(errors).toContain('network'));
  client.destroy();
});

test('after reset, a write queued by the previous visitor does not leave the new one reading with the wrong token', async () => {
  backend.failNext('network');
  const client = createClient({ site: uniqueSite(), adapter: createHttpAdapter({ endpoint: backend.endpoint }), platform: { random: () => 0 } });
  const result = await client.submitLead({ kind: 'callback', phone: '+380671234567' });
  const clientId = result.ok ? result.value.clientId : '';
  await client.reset();
  // The previous visitor's lead goes out now and its answer carries that visitor's token.
  await vi.waitFor(() => expect(backend.leads().map((lead) => lead.body.clientId)).toContain(clientId));
  expect(await client.chat.loadHistory()).toEqual({ ok: true, value: { added: 0 } });
  client.destroy();
});

test('does not beacon leads to a plain webhook, which could not tell the beacon from the next page’s resend', async () => {
  const sendBeacon = vi.fn(() => true);
  Object.defineProperty(navigator, 'sendBeacon', { value: sendBeacon, configurable: true });
  const adapter = createHttpAdapter({ leadsUrl: 'https://hooks.example.test/lead', fetch: async () => Promise.reject(new TypeError('offline')) });
  const lead = { kind: 'lead' as const, clientId: 'lead-00000001', payload: { site: 'demo', visitorId: 'visitor-1', clientId: 'lead-00000001', kind: 'callback' as const, phone: '+380671234567' } };
  await adapter.send(lead).catch(() => {});
  expect(adapter.beacon!(lead)).toBe(false);
  expect(sendBeacon).not.toHaveBeenCalled();
  const server = createHttpAdapter({ endpoint: 'https://api.example.test', fetch: async () => Promise.reject(new TypeError('offline')) });
  await server.send(lead).catch(() => {});
  expect(server.beacon!(lead)).toBe(true);
});
