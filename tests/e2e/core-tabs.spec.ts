// Two tabs of one site are one visitor: they tell each other about identify and
// reset over BroadcastChannel, and share one outbox guarded by navigator.locks.
import { acceptedCount, expect, leadRequests, test } from '../support/fixtures';

test('shows a person identified in one tab in the other tab', async ({ context, page, harness }) => {
  const other = await context.newPage();
  const visitorId = await harness.open(page);
  expect(await harness.open(other, { path: '/other.html' })).toBe(visitorId);

  const identified = await page.evaluate(() => window.client.identify({ userId: 'u_42', email: 'ann@example.com', name: 'Ann Example' }));
  expect(identified.ok).toBe(true);

  await expect.poll(() => other.evaluate(() => window.client.person.value)).toEqual({ userId: 'u_42', email: 'ann@example.com', name: 'Ann Example' });
  expect((await harness.events(other, 'identify')).map((event) => event.payload.person.userId)).toEqual(['u_42']);
  expect(await harness.visitorId(other)).toBe(visitorId);
});

test('gives the other tab the new visitorId after reset in one tab', async ({ context, page, harness }) => {
  const other = await context.newPage();
  const visitorId = await harness.open(page);
  await harness.open(other, { path: '/other.html' });

  const reset = await page.evaluate(() => window.client.reset());
  if (!reset.ok) throw new Error(reset.error.message);
  const fresh = reset.value.visitorId;
  expect(fresh).not.toBe(visitorId);

  await expect.poll(() => harness.visitorId(other)).toBe(fresh);
  expect((await harness.events(other, 'reset')).map((event) => event.payload.visitorId)).toEqual([fresh]);
});

test('sends each pending lead once when two offline tabs come back online together', async ({ context, page, server, harness }) => {
  await harness.serveShellOffline(context);
  const other = await context.newPage();
  await harness.open(page);
  await harness.open(other, { path: '/other.html' });

  await context.setOffline(true);
  const fromFirst = await harness.submitLead(page);
  const fromSecond = await harness.submitLead(other, { kind: 'form', name: 'Ann Example', email: 'ann@example.com', message: 'A quote for 40 m², please' });
  await expect.poll(() => page.evaluate(() => window.client.status.value)).toBe('offline');
  await expect.poll(() => other.evaluate(() => window.client.status.value)).toBe('offline');

  // Both tabs see the network return at the same moment and both drain the shared outbox.
  await context.setOffline(false);
  await expect.poll(() => acceptedCount(server, fromFirst) + acceptedCount(server, fromSecond)).toBe(2);
  await expect.poll(() => harness.pendingCount(page)).toBe(0);
  await expect.poll(() => harness.pendingCount(other)).toBe(0);

  expect(leadRequests(server, fromFirst)).toHaveLength(1);
  expect(leadRequests(server, fromSecond)).toHaveLength(1);
});
