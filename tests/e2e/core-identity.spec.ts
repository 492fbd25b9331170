// One browser is one visitor: the id lives in IndexedDB and outlives reloads and
// tabs; logging out (reset) is the only thing that starts a new one.
import { expect, test } from '../support/fixtures';

test('keeps the visitorId across a reload', async ({ page, harness }) => {
  const visitorId = await harness.open(page);
  expect(visitorId).not.toBe('');

  await page.reload();
  expect(await harness.start(page)).toBe(visitorId);
  expect(await page.evaluate(() => window.client.visitor.value?.visitCount)).toBe(1);
});

test('keeps the visitorId in a new page of the same browser context, and not in another context', async ({ browser, context, page, harness }) => {
  const visitorId = await harness.open(page);
  await page.close();

  const later = await context.newPage();
  expect(await harness.open(later, { path: '/other.html' })).toBe(visitorId);

  const otherBrowser = await browser.newContext();
  try {
    expect(await harness.open(await otherBrowser.newPage())).not.toBe(visitorId);
  } finally {
    await otherBrowser.close();
  }
});

test('starts a new visitor after identify and then reset, and keeps it after a reload', async ({ page, server, harness }) => {
  const first = await harness.open(page);
  const identified = await page.evaluate(() => window.client.identify({ userId: 'u_42', email: 'ann@example.com', name: 'Ann Example' }));
  expect(identified.ok).toBe(true);
  await expect.poll(() => server.requests().filter((request) => request.path === '/api/v1/identify' && request.status === 200).length).toBe(1);
  expect(server.requests().find((request) => request.path === '/api/v1/identify' && request.method === 'POST')?.body).toMatchObject({ visitorId: first, person: { userId: 'u_42' } });

  const reset = await page.evaluate(() => window.client.reset());
  expect(reset.ok).toBe(true);
  const second = await harness.visitorId(page);
  expect(second).toBeDefined();
  expect(second).not.toBe(first);
  expect(await page.evaluate(() => window.client.person.value)).toBeUndefined();
  expect((await harness.events(page, 'reset')).map((event) => event.payload.visitorId)).toEqual([second]);

  await page.reload();
  expect(await harness.start(page)).toBe(second);
  expect(await page.evaluate(() => window.client.person.value)).toBeUndefined();
});
