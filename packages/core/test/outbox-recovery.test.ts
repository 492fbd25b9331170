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
