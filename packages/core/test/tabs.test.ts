import { expect, test, vi } from 'vitest';
import { createClient, createMemoryAdapter } from '../src/index.ts';
import { uniqueSite } from './helpers.ts';

// Two clients of one site in one process share IndexedDB and a BroadcastChannel
// name, exactly like two tabs of one browser (the Playwright specs repeat this in Chromium).
test('identify in one tab is seen in the other, and reset gives both the new visitor', async () => {
  const site = uniqueSite();
  const tabA = createClient({ site, adapter: createMemoryAdapter() });
  await tabA.ready;
  const tabB = createClient({ site, adapter: createMemoryAdapter() });
  await tabB.ready;
  expect(tabB.visitor.value!.visitorId).toBe(tabA.visitor.value!.visitorId);

  await tabA.identify({ userId: 'u_7', name: 'Taras' });
  await vi.waitFor(() => expect(tabB.person.value).toEqual({ userId: 'u_7', name: 'Taras' }));

  await tabA.reset();
  await vi.waitFor(() => expect(tabB.visitor.value!.visitorId).toBe(tabA.visitor.value!.visitorId));
  expect(tabB.person.value).toBeUndefined();
  tabA.destroy();
  tabB.destroy();
});

test('consent given in one tab lets the other tab store and send', async () => {
  const site = uniqueSite();
  const backendB = createMemoryAdapter();
  const tabA = createClient({ site, adapter: createMemoryAdapter(), consent: 'required' });
  const tabB = createClient({ site, adapter: backendB, consent: 'required' });
  await Promise.all([tabA.ready, tabB.ready]);
  await tabB.submitLead({ kind: 'callback', phone: '+380671234567' });
  await tabA.consent(true);
  await vi.waitFor(() => expect(tabB.storageAllowed.value).toBe(true));
  await vi.waitFor(() => expect(backendB.received.lead).toHaveLength(1));
  tabA.destroy();
  tabB.destroy();
});
