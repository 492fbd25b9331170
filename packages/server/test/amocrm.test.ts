// @vitest-environment node
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Database } from '../src/index.ts';
import { AMO_BASE_URL, AMO_TOKEN, createAmoCrmFake } from '../../../tests/fixtures/amocrm/amocrm-api-fake.ts';
import { DATABASE_START_TIMEOUT, openTestDatabase } from './support/pglite.ts';
import { startIntegrationServer, type IntegrationServer } from './support/integration-server.ts';

const amo = createAmoCrmFake();
const mocks = setupServer(...amo.handlers);

let db: Database;
let running: IntegrationServer | undefined;
beforeAll(async () => {
  mocks.listen({ onUnhandledRequest: (request, print) => (new URL(request.url).hostname === '127.0.0.1' ? undefined : print.error()) });
  db = await openTestDatabase();
}, DATABASE_START_TIMEOUT);
afterEach(async () => {
  await running?.close();
  running = undefined;
  amo.calls.length = 0;
  amo.contacts.length = 0;
});
afterAll(async () => {
  mocks.close();
  await db.close();
});

async function start(amocrm: Record<string, unknown>, config: Record<string, unknown> = {}) {
  running = await startIntegrationServer(db, { name: 'Обувь.ua', settings: { amocrm: { baseUrl: AMO_BASE_URL, accessToken: AMO_TOKEN, ...amocrm } }, config });
  return running;
}

const LEAD = {
  kind: 'callback',
  name: 'Олена',
  phone: '067 123 45 67',
  email: 'olena@example.com',
  page: { url: 'https://shop.test/pricing', referrer: 'https://www.google.com/' },
  attribution: {
    firstTouch: { at: '2026-11-20T09:00:00.000Z', landingPage: 'https://shop.test/', utmSource: 'google' },
    lastTouch: { at: '2026-11-23T09:00:00.000Z', landingPage: 'https://shop.test/pricing', utmSource: 'newsletter', utmMedium: 'email', utmCampaign: 'black-friday', utmContent: 'hero', utmTerm: 'boots' },
  },
};

const UTM_FIELDS = [
  { field_code: 'UTM_SOURCE', values: [{ value: 'newsletter' }] },
  { field_code: 'UTM_MEDIUM', values: [{ value: 'email' }] },
  { field_code: 'UTM_CAMPAIGN', values: [{ value: 'black-friday' }] },
  { field_code: 'UTM_TERM', values: [{ value: 'boots' }] },
  { field_code: 'UTM_CONTENT', values: [{ value: 'hero' }] },
  { field_code: 'REFERRER', values: [{ value: 'https://www.google.com/' }] },
];

test('puts a website lead into amoCRM incoming leads with form metadata, contact fields and UTM', async () => {
  const { postLead, queued, runJobs } = await start({ mode: 'unsorted', pipelineId: 7_654_321 }, { defaultLocale: 'ru' });
  const lead = await postLead(LEAD);
  await queued(1);
  await runJobs();

  expect(amo.calls.map((call) => [call.method, call.path, call.status])).toEqual([['POST', '/api/v4/leads/unsorted/forms', 200]]);
  const [entry] = amo.calls[0]!.body as Record<string, unknown>[];
  expect(entry).toEqual({
    source_uid: lead.body.leadId,
    source_name: 'Обувь.ua',
    pipeline_id: 7_654_321,
    created_at: expect.any(Number),
    metadata: {
      form_id: 'callback',
      form_name: 'Заказ обратного звонка: Олена',
      form_page: 'https://shop.test/pricing',
      ip: '127.0.0.1',
      form_sent_at: expect.any(Number),
      referer: 'https://www.google.com/',
      visitor_uid: expect.any(String),
    },
    _embedded: {
      leads: [{ name: 'Заказ обратного звонка: Олена', custom_fields_values: UTM_FIELDS }],
      contacts: [
        {
          name: 'Олена',
          custom_fields_values: [
            { field_code: 'PHONE', values: [{ value: '+380671234567', enum_code: 'WORK' }] },
            { field_code: 'EMAIL', values: [{ value: 'olena@example.com', enum_code: 'WORK' }] },
          ],
        },
      ],
    },
  });
});

test('links a lead to the contact amoCRM already has with that phone, in lead mode, with the message as a note', async () => {
  amo.contacts.push({ id: 4_242, name: 'Olena K.', phone: '+380671234567' });
  const { postLead, queued, runJobs } = await start({ mode: 'lead' });
  await postLead({ ...LEAD, message: 'Please call about delivery' });
  await queued(1);
  await runJobs();

  expect(amo.calls.map((call) => [call.method, call.path, call.status])).toEqual([
    ['GET', '/api/v4/contacts', 200],
    ['POST', '/api/v4/leads', 200],
    ['POST', expect.stringMatching(/^\/api\/v4\/leads\/\d+\/notes$/), 200],
  ]);
  expect(amo.calls[0]!.query).toMatchObject({ query: '+380671234567' });
  expect(amo.calls[1]!.body).toEqual([{ name: 'Callback request: Олена', custom_fields_values: UTM_FIELDS, _embedded: { contacts: [{ id: 4_242, is_main: true }] } }]);
  expect(amo.calls[2]!.body).toEqual([{ note_type: 'common', params: { text: 'Please call about delivery' } }]);
});

test('adds the note on retry without creating the lead again when the note failed', async () => {
  const { postLead, queued, runJobs, advance } = await start({ mode: 'unsorted' });
  amo.failNext('/api/v4/leads/{id}/notes', 500);
  await postLead({ ...LEAD, message: 'Размер 38' });
  await queued(1);
  await runJobs();
  advance(60_000);
  await runJobs();

  const unsorted = amo.calls[0]!;
  const notesPath = expect.stringMatching(/^\/api\/v4\/leads\/\d+\/notes$/);
  expect(amo.calls.map((call) => [call.path, call.status])).toEqual([
    ['/api/v4/leads/unsorted/forms', 200],
    [notesPath, 500],
    [notesPath, 200],
  ]);
  expect(amo.calls[1]!.path).toBe(amo.calls[2]!.path);
  expect(unsorted.body).toHaveLength(1);
  expect((await queued(1))[0]!.state).toBe('done');
});

test('creates lead and contact together with leads/complex when amoCRM does not know the customer', async () => {
  const { postLead, queued, runJobs } = await start({ mode: 'lead', pipelineId: 55 });
  await postLead({ kind: 'form', name: 'Jan', email: 'jan@example.pl' });
  await queued(1);
  await runJobs();

  expect(amo.calls.map((call) => [call.method, call.path, call.status])).toEqual([
    ['GET', '/api/v4/contacts', 204],
    ['POST', '/api/v4/leads/complex', 200],
  ]);
  expect(amo.calls[0]!.query).toMatchObject({ query: 'jan@example.pl' });
  expect(amo.calls[1]!.body).toEqual([
    { name: 'Website form: Jan', pipeline_id: 55, _embedded: { contacts: [{ name: 'Jan', custom_fields_values: [{ field_code: 'EMAIL', values: [{ value: 'jan@example.pl', enum_code: 'WORK' }] }] }] } },
  ]);
});

test('dead-letters the push at once when amoCRM refuses the token, visible to agents', async () => {
  const { postLead, queued, runJobs, call, agent, site } = await start({ mode: 'unsorted', accessToken: 'revoked-token-0000000000' });
  await postLead(LEAD);
  await queued(1);
  await runJobs();

  expect(amo.calls.map((entry) => entry.status)).toEqual([401]);
  const dead = await call('GET', `/api/v1/jobs?state=dead&site=${site}`, undefined, await agent());
  expect(dead.body.items).toMatchObject([{ kind: 'amocrm:lead', attempts: 1, lastError: expect.stringContaining('amoCRM answered 401') }]);
});

test('retries after 429 Too Many Requests and creates the incoming lead once', async () => {
  const { postLead, queued, runJobs, advance } = await start({ mode: 'unsorted' });
  amo.failNext('/api/v4/leads/unsorted/forms', 429);
  await postLead(LEAD);
  await queued(1);
  await runJobs();
  expect((await queued(1))[0]).toMatchObject({ state: 'queued', attempts: 1, last_error: expect.stringContaining('429') });
  advance(60_000);
  await runJobs();
  advance(60 * 60_000);
  await runJobs();

  expect(amo.calls.map((entry) => entry.status)).toEqual([429, 200]);
  expect((await queued(1))[0]!.state).toBe('done');
});
