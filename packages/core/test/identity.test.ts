import { expect, test, vi } from 'vitest';
import { createClient, createClientWithoutConfigCheck, createMemoryAdapter, type ClientPlatform } from '../src/index.ts';
import { clear, createStore } from 'idb-keyval';
import { nextEvent, uniqueSite, visitorCookie } from './helpers.ts';

const HALF_HOUR_MS = 30 * 60 * 1000;

test('keeps the same visitorId across page loads', async () => {
  const site = uniqueSite();
  const first = createClient({ site, adapter: createMemoryAdapter() });
  await first.ready;
  const visitorId = first.visitor.value!.visitorId;
  expect(visitorId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  first.destroy();
  const second = createClient({ site, adapter: createMemoryAdapter() });
  await second.ready;
  expect(second.visitor.value!.visitorId).toBe(visitorId);
  second.destroy();
});

test('starts a new session and counts a new visit after 30 minutes idle, but not before', async () => {
  const site = uniqueSite();
  let now = Date.parse('2026-11-23T10:00:00Z');
  const platform: ClientPlatform = { now: () => now };
  const first = createClient({ site, adapter: createMemoryAdapter(), platform });
  await first.ready;
  const { sessionId, visitCount } = first.visitor.value!;
  expect(visitCount).toBe(1);
  first.destroy();

  now += HALF_HOUR_MS - 1000;
  const soon = createClient({ site, adapter: createMemoryAdapter(), platform });
  await soon.ready;
  expect(soon.visitor.value).toMatchObject({ sessionId, visitCount: 1 });
  soon.destroy();

  now += HALF_HOUR_MS + 1000;
  const later = createClient({ site, adapter: createMemoryAdapter(), platform });
  await later.ready;
  expect(later.visitor.value!.sessionId).not.toBe(sessionId);
  expect(later.visitor.value!.visitCount).toBe(2);
  later.destroy();
});

test('identify attaches the person, survives a reload and is sent to the server with its hash', async () => {
  const site = uniqueSite();
  const backend = createMemoryAdapter();
  const client = createClient({ site, adapter: backend });
  const hash = 'a'.repeat(64);
  expect(await client.identify({ userId: 'u_42', email: 'ann@example.com', name: 'Ann', traits: { plan: 'pro' } }, { hash })).toMatchObject({ ok: true });
  expect(client.person.value).toMatchObject({ userId: 'u_42', email: 'ann@example.com' });
  await vi.waitFor(() => expect(backend.received.identify).toEqual([expect.objectContaining({ visitorId: client.visitor.value!.visitorId, hash, person: expect.objectContaining({ userId: 'u_42' }) })]));
  client.destroy();
  const reloaded = createClient({ site, adapter: backend });
  await reloaded.ready;
  expect(reloaded.person.value).toMatchObject({ userId: 'u_42', name: 'Ann' });
  // The same identify on every page load is not sent again.
  expect(await reloaded.identify({ userId: 'u_42', email: 'ann@example.com', name: 'Ann', traits: { plan: 'pro' } }, { hash })).toEqual({ ok: true, value: { clientId: undefined } });
  expect(backend.received.identify).toHaveLength(1);
  reloaded.destroy();
});

test('identify then reset gives a new anonymous visitor and forgets the person and the local thread', async () => {
  const backend = createMemoryAdapter();
  const client = createClient({ site: uniqueSite(), adapter: backend });
  await client.identify({ userId: 'u_1', email: 'one@example.com' });
  await client.chat.send('hello');
  await vi.waitFor(() => expect(client.chat.messages.value[0]?.status).toBe('sent'));
  const before = client.visitor.value!.visitorId;
  const reset = nextEvent(client, 'reset');
  const result = await client.reset();
  expect(result).toMatchObject({ ok: true });
  expect((await reset).visitorId).not.toBe(before);
  expect(client.visitor.value!.visitorId).not.toBe(before);
  expect(client.person.value).toBeUndefined();
  expect(client.chat.messages.value).toEqual([]);
  client.destroy();
});

test('identifying a different user on the same browser starts a new visitor first', async () => {
  const client = createClient({ site: uniqueSite(), adapter: createMemoryAdapter() });
  await client.identify({ userId: 'alice' });
  const aliceVisitor = client.visitor.value!.visitorId;
  await client.identify({ userId: 'bob' });
  expect(client.visitor.value!.visitorId).not.toBe(aliceVisitor);
  expect(client.person.value).toEqual({ userId: 'bob' });
  client.destroy();
});

test('rejects a bad identify with the field and keeps the previous person', async () => {
  const client = createClient({ site: uniqueSite(), adapter: createMemoryAdapter() });
  await client.identify({ email: 'kept@example.com' });
  expect(await client.identify({ email: 'nope' })).toMatchObject({ ok: false, error: { field: 'email' } });
  expect(await client.identify({})).toMatchObject({ ok: false, error: { field: 'userId' } });
  expect(await client.identify({ userId: 'u' }, { hash: 'not-hex' })).toMatchObject({ ok: false, error: { field: 'hash' } });
  expect(client.person.value).toEqual({ email: 'kept@example.com' });
  client.destroy();
});

test('heals IndexedDB from the localStorage and cookie mirrors when the browser cleared it', async () => {
  const site = uniqueSite();
  const first = createClient({ site, adapter: createMemoryAdapter() });
  await first.ready;
  const visitorId = first.visitor.value!.visitorId;
  first.destroy();
  expect(visitorCookie(site)).toBe(visitorId);
  expect(localStorage.getItem(`threadline:${site}:visitor`)).toContain(visitorId);
  // The browser clears IndexedDB and localStorage (as Safari ITP does after 7 days without interaction); the cookie is left.
  await clear(createStore(`threadline:${site}`, 'kv'));
  localStorage.removeItem(`threadline:${site}:visitor`);
  const second = createClient({ site, adapter: createMemoryAdapter() });
  await second.ready;
  expect(second.visitor.value!.visitorId).toBe(visitorId);
  expect(localStorage.getItem(`threadline:${site}:visitor`)).toContain(visitorId);
  second.destroy();
});

test('works in memory, without throwing, when every store is blocked', async () => {
  const blocked = () => {
    const fail = async () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    return { kind: 'memory' as const, get: fail, set: fail, del: fail, keys: fail, clear: fail };
  };
  const backend = createMemoryAdapter();
  const client = createClient({ site: uniqueSite(), adapter: backend, platform: { storage: { indexedDb: blocked, localStorage: blocked, cookie: blocked } } });
  await client.ready;
  expect(client.visitor.value!.visitorId).toBeTruthy();
  expect(await client.submitLead({ kind: 'callback', phone: '+1 202 555 0143' })).toMatchObject({ ok: true });
  await vi.waitFor(() => expect(backend.received.lead).toHaveLength(1));
  client.destroy();
});

test('reports an invalid config at once, naming the field', () => {
  expect(() => createClient({ site: 'bad site!' })).toThrow(expect.objectContaining({ code: 'invalid_input', field: 'site' }));
  expect(() => createClient({} as never)).toThrow('site is required');
  expect(() => createClient({ site: 'ok', consent: 'maybe' as never })).toThrow(expect.objectContaining({ field: 'consent' }));
  expect(() => createClient({ site: 'ok', endpoint: 'ftp://x' })).toThrow(expect.objectContaining({ field: 'endpoint' }));
  expect(() => createClient({ site: 'ok', adapter: {} as never })).toThrow(expect.objectContaining({ field: 'adapter' }));
});

test('a client made without the config check (the script tag) keeps the visitor of a createClient client and delivers its lead', async () => {
  const site = uniqueSite();
  const first = createClient({ site, adapter: createMemoryAdapter() });
  await first.ready;
  const visitorId = first.visitor.value!.visitorId;
  first.destroy();
  const backend = createMemoryAdapter();
  const client = createClientWithoutConfigCheck({ site, adapter: backend });
  await client.ready;
  expect(client.visitor.value!.visitorId).toBe(visitorId);
  expect(await client.submitLead({ kind: 'callback', phone: '+44 20 7946 0958' })).toMatchObject({ ok: true });
  await vi.waitFor(() => expect(backend.received.lead).toEqual([expect.objectContaining({ visitorId, phone: '+44 20 7946 0958' })]));
  client.destroy();
});

test('a throwing event listener does not break the SDK or other listeners', async () => {
  const client = createClient({ site: uniqueSite(), adapter: createMemoryAdapter() });
  client.on('lead:queued', () => {
    throw new Error('host page bug');
  });
  const queued = nextEvent(client, 'lead:queued');
  expect(await client.submitLead({ kind: 'callback', phone: '+1 202 555 0143' })).toMatchObject({ ok: true });
  await expect(queued).resolves.toMatchObject({ lead: { phone: '+1 202 555 0143' } });
  client.destroy();
});
