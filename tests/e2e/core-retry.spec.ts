// How the outbox answers a struggling server: retry 5xx, wait out a 429's
// Retry-After, give up on a 4xx, and never turn a retry into a second lead.
import { acceptedCount, expect, leadRequests, test } from '../support/fixtures';

test('delivers a lead once when the server answers 500 and then 201', async ({ page, server, harness }) => {
  await harness.open(page, { noJitter: true });
  server.failNext(1, { status: 500, path: '/api/v1/leads' });

  const clientId = await harness.submitLead(page);
  await harness.waitForEvent(page, 'lead:sent', clientId);

  const attempts = leadRequests(server, clientId);
  expect(attempts.length).toBeGreaterThanOrEqual(2);
  expect(attempts[0]?.status).toBe(500);
  expect(attempts.at(-1)?.status).toBe(201);
  // Every attempt names the same write, so the server can tell a retry from a new lead.
  expect(attempts.map((attempt) => attempt.idempotencyKey)).toEqual(attempts.map(() => clientId));
  expect(acceptedCount(server, clientId)).toBe(1);
  await expect.poll(() => harness.pendingCount(page)).toBe(0);
});

test('waits at least the Retry-After of a 429 before sending the lead again', async ({ page, server, harness }) => {
  await harness.open(page);
  server.failNext(1, { status: 429, retryAfter: 2, path: '/api/v1/leads' });

  const clientId = await harness.submitLead(page);
  await expect.poll(() => leadRequests(server, clientId).length, { timeout: 10_000 }).toBe(2);

  const [limited, retry] = leadRequests(server, clientId);
  expect(limited?.status).toBe(429);
  expect(retry?.status).toBe(201);
  // A lower bound only: how much later than 2 s the retry comes is the client's business.
  expect(retry!.at - limited!.at).toBeGreaterThanOrEqual(2000);
  expect(acceptedCount(server, clientId)).toBe(1);
});

test('marks a lead the server refuses with 400 as failed and does not send it again', async ({ page, server, harness }) => {
  await harness.open(page);
  server.failNext(1, { status: 400, path: '/api/v1/leads' });

  const clientId = await harness.submitLead(page);
  await harness.waitForEvent(page, 'lead:failed', clientId);
  const [failed] = await harness.events(page, 'lead:failed');
  expect(failed?.payload.error).toMatchObject({ name: 'ThreadlineError', code: 'invalid_input', status: 400, retryable: false });
  expect(await page.evaluate(() => window.client.pending.value.map((entry) => entry.status))).toEqual(['failed']);

  // "Send everything waiting now" leaves a refused write alone.
  await page.evaluate(() => window.client.outbox.flush());
  expect(leadRequests(server, clientId)).toHaveLength(1);
  expect(acceptedCount(server, clientId)).toBe(0);
});
