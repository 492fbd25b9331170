import { expect, test, vi } from 'vitest';
import { createClient, createMemoryAdapter } from '../src/index.ts';
import { uniqueSite, visitorCookie } from './helpers.ts';

async function databaseExists(name: string): Promise<boolean> {
  return (await indexedDB.databases()).some((database) => database.name === name);
}

function storedKeys(site: string): string[] {
  const keys: string[] = [];
  for (let index = 0; index < localStorage.length; index++) {
    const key = localStorage.key(index)!;
    if (key.startsWith(`threadline:${site}:`)) keys.push(key);
  }
  return keys;
}

test("in 'required' mode nothing is stored or sent before consent, then everything is", async () => {
  const site = uniqueSite();
  const backend = createMemoryAdapter();
  const client = createClient({ site, adapter: backend, consent: 'required' });
  await client.ready;
  expect(client.storageAllowed.value).toBe(false);
  expect(await client.submitLead({ kind: 'callback', phone: '+380 67 123 45 67' })).toMatchObject({ ok: true });
  await client.track('pricing:viewed');
  // Give the outbox every chance to misbehave.
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(backend.requestCount).toBe(0);
  expect(await databaseExists(`threadline:${site}`)).toBe(false);
  expect(storedKeys(site)).toEqual([]);
  expect(visitorCookie(site)).toBeUndefined();
  expect(client.pending.value).toHaveLength(2);

  await client.consent(true);
  await vi.waitFor(() => expect(backend.received.lead).toHaveLength(1));
  expect(backend.received.lead[0]).toMatchObject({ phone: '+380 67 123 45 67', visitorId: client.visitor.value!.visitorId });
  expect(await databaseExists(`threadline:${site}`)).toBe(true);
  expect(visitorCookie(site)).toBe(client.visitor.value!.visitorId);
  client.destroy();
});

test('consent(false) wipes what was stored, remembers the refusal and stops sending', async () => {
  const site = uniqueSite();
  const backend = createMemoryAdapter();
  const client = createClient({ site, adapter: backend });
  await client.submitLead({ kind: 'callback', phone: '+380 67 123 45 67' });
  await vi.waitFor(() => expect(backend.received.lead).toHaveLength(1));
  expect(visitorCookie(site)).toBe(client.visitor.value!.visitorId);

  await client.consent(false);
  expect(client.storageAllowed.value).toBe(false);
  expect(visitorCookie(site)).toBeUndefined();
  expect(storedKeys(site)).toEqual([`threadline:${site}:consent`]);
  await client.submitLead({ kind: 'callback', phone: '+380 67 123 45 68' });
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(backend.received.lead).toHaveLength(1);
  client.destroy();

  // The next page remembers the refusal even in 'implied' mode.
  const next = createClient({ site, adapter: backend });
  await next.ready;
  expect(next.consentState.value).toBe('denied');
  expect(next.storageAllowed.value).toBe(false);
  expect(visitorCookie(site)).toBeUndefined();
  next.destroy();
});

test('a granted consent is remembered by the next page in required mode', async () => {
  const site = uniqueSite();
  const first = createClient({ site, adapter: createMemoryAdapter(), consent: 'required' });
  await first.consent(true);
  const visitorId = first.visitor.value!.visitorId;
  first.destroy();
  const second = createClient({ site, adapter: createMemoryAdapter(), consent: 'required' });
  await second.ready;
  expect(second.storageAllowed.value).toBe(true);
  expect(second.visitor.value!.visitorId).toBe(visitorId);
  second.destroy();
});

test('consent with a non-boolean is refused with the field', async () => {
  const client = createClient({ site: uniqueSite(), adapter: createMemoryAdapter() });
  expect(await client.consent('yes' as never)).toMatchObject({ ok: false, error: { field: 'granted' } });
  client.destroy();
});

test('giving, withdrawing and giving consent again does not send anything twice', async () => {
  const backend = createMemoryAdapter();
  const client = createClient({ site: uniqueSite(), adapter: backend, consent: 'required' });
  const sent: string[] = [];
  client.on('lead:sent', ({ clientId }) => sent.push(clientId));
  await client.submitLead({ kind: 'callback', phone: '+380671234567' });
  await client.consent(true);
  await vi.waitFor(() => expect(sent).toHaveLength(1));
  await client.consent(false);
  await client.consent(true);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(sent).toHaveLength(1);
  expect(backend.requestCount).toBe(1);
  expect(client.pending.value).toEqual([]);
  client.destroy();
});

test('reading the thread waits for consent in required mode', async () => {
  const backend = createMemoryAdapter();
  const client = createClient({ site: uniqueSite(), adapter: backend, consent: 'required' });
  expect(await client.chat.loadHistory()).toMatchObject({ ok: false, error: { code: 'consent_required' } });
  await client.consent(true);
  expect(await client.chat.loadHistory()).toEqual({ ok: true, value: { added: 0 } });
  client.destroy();
});

test('refusing consent before it was ever given creates no database', async () => {
  const site = uniqueSite();
  const client = createClient({ site, adapter: createMemoryAdapter(), consent: 'required' });
  await client.consent(false);
  expect(await databaseExists(`threadline:${site}`)).toBe(false);
  client.destroy();
});

test("with storage: 'memory' not even the consent choice touches localStorage", async () => {
  const site = uniqueSite();
  const client = createClient({ site, adapter: createMemoryAdapter(), consent: 'required', platform: { storage: 'memory' } });
  await client.consent(true);
  expect(storedKeys(site)).toEqual([]);
  client.destroy();
});
