// A lead typed while the network is down must reach the server once, and only
// once, when it comes back, even if the visitor reloads in between.
import { acceptedCount, expect, leadRequests, test } from '../support/fixtures';

test('keeps a lead submitted offline through a reload and delivers it once when the network returns', async ({ page, context, server, harness }) => {
  await harness.serveShellOffline(context);
  await harness.open(page);
  await context.setOffline(true);

  const clientId = await harness.submitLead(page);
  await expect.poll(() => page.evaluate(() => window.client.status.value)).toBe('offline');
  expect(await harness.pendingCount(page)).toBe(1);

  // The page reloads from the app shell; the API is still out of reach.
  await page.reload();
  await harness.start(page);
  expect(await page.evaluate(() => window.client.pending.value.map((entry) => entry.id))).toEqual([clientId]);
  expect(leadRequests(server, clientId)).toHaveLength(0);

  await context.setOffline(false);
  await harness.waitForEvent(page, 'lead:sent', clientId);
  await expect.poll(() => harness.pendingCount(page)).toBe(0);
  expect(acceptedCount(server, clientId)).toBe(1);
  expect(leadRequests(server, clientId)).toHaveLength(1);
});

test('delivers a lead queued offline as soon as the browser is back online', async ({ page, context, server, harness }) => {
  await harness.serveShellOffline(context);
  await harness.open(page);
  await context.setOffline(true);
  const clientId = await harness.submitLead(page);
  await expect.poll(() => page.evaluate(() => window.client.status.value)).toBe('offline');

  await context.setOffline(false);
  await expect.poll(() => acceptedCount(server, clientId)).toBe(1);
  await expect.poll(() => harness.pendingCount(page)).toBe(0);
  expect(leadRequests(server, clientId)).toHaveLength(1);
  const [sent] = await harness.events(page, 'lead:sent');
  expect(sent?.payload.clientId).toBe(clientId);
  expect(sent?.payload.receipt).toMatchObject({ leadId: expect.any(String), contactId: expect.any(String), threadId: expect.any(String) });
});
