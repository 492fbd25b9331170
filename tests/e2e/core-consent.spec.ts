// With `consent: 'required'` the SDK may neither store nor send anything until
// the visitor agrees, and withdrawing consent takes back what it stored.
import { acceptedCount, expect, storageSnapshot, test, type StorageSnapshot } from '../support/fixtures';

const NOTHING_STORED: StorageSnapshot = { databases: [], localStorageKeys: [], cookies: [] };

test('stores and sends nothing before consent, then delivers the waiting lead once consent is given', async ({ page, server, harness }) => {
  await harness.open(page, { consent: 'required' });
  const clientId = await harness.submitLead(page);
  expect(await harness.pendingCount(page)).toBe(1);

  // Give a misbehaving client every chance to write or send before looking.
  await page.evaluate(() => window.client.outbox.flush());
  await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 1000 })));
  expect(await storageSnapshot(page)).toEqual(NOTHING_STORED);
  expect(server.requests()).toEqual([]);

  expect((await page.evaluate(() => window.client.consent(true))).ok).toBe(true);
  await expect.poll(() => acceptedCount(server, clientId)).toBe(1);
  await expect.poll(() => harness.pendingCount(page)).toBe(0);
  const stored = await storageSnapshot(page);
  expect(stored.databases).toContain('threadline:demo');
  expect(stored.localStorageKeys).toEqual(expect.arrayContaining(['threadline:demo:consent', 'threadline:demo:visitor']));
  expect(stored.cookies).toContain('tl_demo_vid');
});

test('wipes what it stored, except the consent flag, when consent is withdrawn', async ({ page, harness }) => {
  const visitorId = await harness.open(page, { consent: 'required' });
  await page.evaluate(() => window.client.consent(true));
  expect((await storageSnapshot(page)).cookies).toContain('tl_demo_vid');

  expect((await page.evaluate(() => window.client.consent(false))).ok).toBe(true);
  const stored = await storageSnapshot(page);
  expect(stored.cookies).toEqual([]);
  expect(stored.localStorageKeys).toEqual(['threadline:demo:consent']);
  expect(await page.evaluate(() => localStorage.getItem('threadline:demo:consent'))).toBe('"denied"');
  // The database may stay, but empty.
  const keysLeft = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const request = indexedDB.open('threadline:demo');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const database = request.result;
          const names = Array.from(database.objectStoreNames);
          if (names.length === 0) {
            database.close();
            resolve(0);
            return;
          }
          const counting = database.transaction(names, 'readonly');
          let total = 0;
          for (const name of names) counting.objectStore(name).count().onsuccess = (event) => (total += (event.target as IDBRequest<number>).result);
          counting.oncomplete = () => {
            database.close();
            resolve(total);
          };
        };
      }),
  );
  expect(keysLeft).toBe(0);

  // The refusal is remembered: the next page starts a visitor that is kept nowhere.
  await page.reload();
  expect(await harness.start(page, { consent: 'required' })).not.toBe(visitorId);
  expect(await page.evaluate(() => window.client.consentState.value)).toBe('denied');
  expect((await storageSnapshot(page)).cookies).toEqual([]);
});
