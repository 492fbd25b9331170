// A visitor who leaves while a lead waits for a retry should not lose it:
// pagehide hands pending leads to sendBeacon (text/plain, no preflight), and the
// copy kept in the outbox is replayed on the next visit as the same lead.
import { acceptedCount, expect, leadRequests, test } from '../support/fixtures';
import type { RecordedRequest } from '../support/contract-server';

const isBeacon = (request: RecordedRequest) => request.contentType?.startsWith('text/plain') === true;

test('keeps a beaconed lead until the server acknowledges it and replays it as the same lead on the next visit', async ({ page, server, harness }) => {
  await harness.open(page);
  server.failNext(1, { status: 503, retryAfter: 2, path: '/api/v1/leads' });
  const clientId = await harness.submitLead(page);
  await expect.poll(() => leadRequests(server, clientId).map((request) => request.status)).toEqual([503]);

  // The event the browser fires when the page is left, without leaving it.
  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false })));
  await expect.poll(() => leadRequests(server, clientId).filter(isBeacon).map((request) => request.status)).toEqual([201]);
  const beacon = leadRequests(server, clientId).find(isBeacon)!;
  expect(beacon.idempotencyKey).toBeUndefined();
  expect(beacon.body).toMatchObject({ clientId, kind: 'callback' });
  // A beacon's answer never reaches the page, so the lead stays queued.
  expect(await harness.pendingCount(page)).toBe(1);

  await page.goto(server.pageUrl('/other.html'));
  await harness.start(page);
  await expect.poll(() => harness.pendingCount(page), { timeout: 10_000 }).toBe(0);
  const replay = leadRequests(server, clientId).at(-1)!;
  expect(replay.contentType).toMatch(/^application\/json/);
  expect(replay.status).toBe(200);
  expect(replay.response).toEqual(beacon.response);
  expect(acceptedCount(server, clientId)).toBe(1);
  expect(server.received()).toHaveLength(1);
});

test('delivers a pending lead by sendBeacon when the visitor navigates away', async ({ page, server, harness }) => {
  // A page being left gets no answer from IndexedDB: the pagehide listener must
  // call sendBeacon synchronously, from the outbox's in-memory list.
  await harness.open(page);
  server.failNext(1, { status: 503, retryAfter: 3, path: '/api/v1/leads' });
  const clientId = await harness.submitLead(page);
  await expect.poll(() => leadRequests(server, clientId).map((request) => request.status)).toEqual([503]);

  await page.goto(server.pageUrl('/other.html'));
  await expect.poll(() => leadRequests(server, clientId).filter(isBeacon).map((request) => request.status), { timeout: 3000 }).toEqual([201]);

  // The next visit replays the stored copy; the server answers it as the same lead.
  await harness.start(page);
  await expect.poll(() => harness.pendingCount(page), { timeout: 10_000 }).toBe(0);
  expect(leadRequests(server, clientId).at(-1)?.status).toBe(200);
  expect(acceptedCount(server, clientId)).toBe(1);
});
