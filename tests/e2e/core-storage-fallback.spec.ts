// Private windows, sandboxed iframes and strict privacy settings take storage
// away one piece at a time; the visitor id falls back to what is left, and with
// nothing left the SDK still works for the life of the page.
import { acceptedCount, expect, storageSnapshot, test } from '../support/fixtures';

// Each runs in the page before any of its scripts, on every load of that page.
const BLOCK_INDEXED_DB = () => {
  IDBFactory.prototype.open = () => {
    throw new DOMException('IndexedDB is blocked in this test', 'SecurityError');
  };
};
const BLOCK_LOCAL_STORAGE = () => {
  Object.defineProperty(window, 'localStorage', {
    configurable: true,
    get() {
      throw new DOMException('localStorage is blocked in this test', 'SecurityError');
    },
  });
};
const BLOCK_COOKIES = () => {
  Object.defineProperty(Document.prototype, 'cookie', {
    configurable: true,
    get() {
      throw new DOMException('cookies are blocked in this test', 'SecurityError');
    },
    set() {
      throw new DOMException('cookies are blocked in this test', 'SecurityError');
    },
  });
};

test('keeps the visitorId in localStorage and a cookie when IndexedDB is blocked', async ({ page, harness }) => {
  await page.addInitScript(BLOCK_INDEXED_DB);
  const visitorId = await harness.open(page);

  const stored = await storageSnapshot(page);
  expect(stored.databases).not.toContain('threadline:demo');
  expect(stored.localStorageKeys).toContain('threadline:demo:visitor');
  expect(stored.cookies).toContain('tl_demo_vid');

  await page.reload();
  expect(await harness.start(page)).toBe(visitorId);
});

test('keeps the visitorId in the cookie alone when IndexedDB and localStorage are blocked', async ({ page, harness }) => {
  await page.addInitScript(BLOCK_INDEXED_DB);
  await page.addInitScript(BLOCK_LOCAL_STORAGE);
  const visitorId = await harness.open(page);
  expect(await page.evaluate(() => document.cookie)).toContain(`tl_demo_vid=${encodeURIComponent(JSON.stringify(visitorId))}`);

  await page.reload();
  expect(await harness.start(page)).toBe(visitorId);
});

test('works in memory and still delivers a lead when IndexedDB, localStorage and cookies are all blocked', async ({ page, server, harness }) => {
  await page.addInitScript(BLOCK_INDEXED_DB);
  await page.addInitScript(BLOCK_LOCAL_STORAGE);
  await page.addInitScript(BLOCK_COOKIES);
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));

  const visitorId = await harness.open(page);
  expect(visitorId).not.toBe('');
  const clientId = await harness.submitLead(page);
  await harness.waitForEvent(page, 'lead:sent', clientId);
  expect(acceptedCount(server, clientId)).toBe(1);
  expect(server.received().find((lead) => lead.clientId === clientId)?.visitorId).toBe(visitorId);
  expect(pageErrors).toEqual([]);

  // Nothing could be kept, so the next page is a new visitor.
  await page.reload();
  expect(await harness.start(page)).not.toBe(visitorId);
});
