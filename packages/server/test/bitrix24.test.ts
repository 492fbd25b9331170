// @vitest-environment node
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Database } from '../src/index.ts';
import { BITRIX_WEBHOOK_URL, createBitrix24Fake } from '../../../tests/fixtures/bitrix24/bitrix24-rest-fake.ts';
import { DATABASE_START_TIMEOUT, openTestDatabase } from './support/pglite.ts';
import { startIntegrationServer, type IntegrationServer } from './support/integration-server.ts';

const bitrix = createBitrix24Fake();
const mocks = setupServer(...bitrix.handlers);

let db: Database;
let running: IntegrationServer | undefined;
beforeAll(async () => {
  mocks.listen({ onUnhandledRequest: (request, print) => (new URL(request.url).hostname === '127.0.0.1' ? undefined : print.error()) });
  db = await openTestDatabase();
}, DATABASE_START_TIMEOUT);
afterEach(async () => {
  await running?.close();
  running = undefined;
  bitrix.calls.length = 0;
  bitrix.contacts.length = 0;
});
afterAll(async () => {
  mocks.close();
  await db.close();
});

async function start(webhookUrl = BITRIX_WEBHOOK_URL) {
  running = await startIntegrationServer(db, {
    name: 'Взуття',
    settings: { bitrix24: { webhookUrl } },
    config: { defaultLocale: 'uk', businessHours: { timeZone: 'Europe/Kyiv', days: {} } },
  });
  return running;
}

const LEAD = {
  kind: 'callback',
  name: 'Олена',
  phone: '067 123 45 67',
  email: 'olena@example.com',
  message: 'Чи є розмір 38?',
  fields: { size: '38' },
  preferredTime: { from: '2026-11-24T13:30:00.000Z', to: '2026-11-24T14:00:00.000Z' },
  page: { url: 'https://shop.test/boots' },
  attribution: {
    firstTouch: { at: '2026-11-20T09:00:00.000Z', landingPage: 'https://shop.test/' },
    lastTouch: { at: '2026-11-23T09:00:00.000Z', landingPage: 'https://shop.test/boots', utmSource: 'instagram', utmMedium: 'social', utmCampaign: 'winter', utmContent: 'story', utmTerm: 'boots' },
  },
};

test('adds a new customer\'s website lead with phone, e-mail and UTM fields after finding no duplicate', async () => {
  const { postLead, queued, runJobs } = await start();
  await postLead(LEAD);
  await queued(1);
  await runJobs();

  expect(bitrix.calls.map((call) => [call.method, call.status])).toEqual([
    ['crm.duplicate.findbycomm', 200],
    ['crm.duplicate.findbycomm', 200],
    ['crm.lead.add', 200],
  ]);
  expect(bitrix.calls[0]!.body).toEqual({ entity_type: 'CONTACT', type: 'PHONE', values: ['+380671234567'] });
  expect(bitrix.calls[1]!.body).toEqual({ entity_type: 'CONTACT', type: 'EMAIL', values: ['olena@example.com'] });
  expect(bitrix.calls[2]!.body).toEqual({
    fields: {
      TITLE: 'Замовлення зворотного дзвінка: Олена',
      NAME: 'Олена',
      PHONE: [{ VALUE: '+380671234567', VALUE_TYPE: 'WORK' }],
      EMAIL: [{ VALUE: 'olena@example.com', VALUE_TYPE: 'WORK' }],
      UTM_SOURCE: 'instagram',
      UTM_MEDIUM: 'social',
      UTM_CAMPAIGN: 'winter',
      UTM_CONTENT: 'story',
      UTM_TERM: 'boots',
      SOURCE_ID: 'WEB',
      SOURCE_DESCRIPTION: 'https://shop.test/boots',
      // 13:30 UTC is 15:30 in Kyiv in November.
      COMMENTS: 'Чи є розмір 38?\nЗателефонувати: 24/11/2026, 15:30 – 16:00 (Europe/Kyiv)\nsize: 38',
    },
    params: { REGISTER_SONET_EVENT: 'Y' },
  });
});

test('links a repeat lead to the contact the portal already has with that phone', async () => {
  bitrix.contacts.push({ id: 17, phones: ['+380671234567'], emails: [] }, { id: 9, phones: ['+380671234567'], emails: [] });
  const { postLead, queued, runJobs } = await start();
  await postLead(LEAD);
  await queued(1);
  await runJobs();

  expect(bitrix.calls.map((call) => call.method)).toEqual(['crm.duplicate.findbycomm', 'crm.lead.add']);
  // findbycomm lists the oldest first; the lowest id is the oldest contact.
  expect(bitrix.calls[1]!.body).toMatchObject({ fields: { CONTACT_ID: 9, PHONE: [{ VALUE: '+380671234567', VALUE_TYPE: 'WORK' }] } });
});

test('waits out QUERY_LIMIT_EXCEEDED and adds the lead once', async () => {
  const { postLead, queued, runJobs, advance } = await start();
  bitrix.failNext('crm.lead.add', 503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests');
  await postLead(LEAD);
  await queued(1);
  await runJobs();
  expect((await queued(1))[0]).toMatchObject({ state: 'queued', attempts: 1, last_error: expect.stringContaining('QUERY_LIMIT_EXCEEDED') });
  advance(60_000);
  await runJobs();
  advance(60 * 60_000);
  await runJobs();

  expect(bitrix.calls.filter((call) => call.method === 'crm.lead.add').map((call) => call.status)).toEqual([503, 200]);
  expect((await queued(1))[0]!.state).toBe('done');
});

test('dead-letters the push at once when the webhook code is wrong', async () => {
  const { postLead, queued, runJobs, call, agent, site } = await start('https://shop.bitrix24.ru/rest/1/wrongcode/');
  await postLead(LEAD);
  await queued(1);
  await runJobs();

  expect(bitrix.calls.map((entry) => entry.status)).toEqual([401]);
  const dead = await call('GET', `/api/v1/jobs?state=dead&site=${site}`, undefined, await agent());
  expect(dead.body.items).toMatchObject([{ kind: 'bitrix24:lead', attempts: 1, lastError: expect.stringContaining('INVALID_CREDENTIALS') }]);
});
