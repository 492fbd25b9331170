// @vitest-environment node
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Database } from '../src/index.ts';
import { createSmsRuFake, SMS_RU_API_ID } from '../../../tests/fixtures/sms/sms-ru-fake.ts';
import { createWebhookReceiver } from '../../../tests/fixtures/webhooks/webhook-receiver.ts';
import { DATABASE_START_TIMEOUT, openTestDatabase } from './support/pglite.ts';
import { startIntegrationServer, type IntegrationServer } from './support/integration-server.ts';

// The provider's base URL is configurable: these tests send to a non-default one.
const API_BASE = 'https://sms-gateway.test';
const sms = createSmsRuFake(API_BASE);
// A webhook on every lead tells the test that the lead's jobs were queued, so "no SMS" is not "not yet".
const receiver = createWebhookReceiver();
const mocks = setupServer(...sms.handlers, ...receiver.handlers);

let db: Database;
let running: IntegrationServer | undefined;
beforeAll(async () => {
  mocks.listen({ onUnhandledRequest: (request, print) => (new URL(request.url).hostname === '127.0.0.1' ? undefined : print.error()) });
  db = await openTestDatabase();
}, DATABASE_START_TIMEOUT);
afterEach(async () => {
  await running?.close();
  running = undefined;
  sms.calls.length = 0;
});
afterAll(async () => {
  mocks.close();
  await db.close();
});

const MARKER = { id: 'marker', url: receiver.url, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', events: ['lead.created'] };

async function start(smsSettings: Record<string, unknown> | undefined, config: Record<string, unknown>, name = 'Shoes', defaultCountry = 'UA') {
  running = await startIntegrationServer(db, {
    name,
    defaultCountry,
    settings: { webhooks: [MARKER], ...(smsSettings ? { sms: { provider: 'smsru', apiKey: SMS_RU_API_ID, apiBase: API_BASE, ...smsSettings } } : {}) },
    config,
  });
  return running;
}

test('texts "we got your request" in the site\'s language when a lead arrives', async () => {
  const { postLead, queued, runJobs } = await start({ onLead: true, sender: 'Obuv' }, { defaultLocale: 'ru' }, 'Обувь.ру', 'RU');
  await postLead({ kind: 'form', name: 'Ivan', phone: '8 (916) 123-45-67' });
  await queued(2);
  await runJobs();

  expect(sms.sent()).toEqual([
    { apiId: SMS_RU_API_ID, to: '79161234567', from: 'Obuv', msg: 'Обувь.ру: мы получили вашу заявку и скоро свяжемся с вами.', answer: expect.objectContaining({ status: 'OK' }) },
  ]);
});

test('texts the call time in the site\'s time zone when a callback is scheduled', async () => {
  const { postLead, queued, runJobs } = await start({ onLead: true, onSchedule: true }, { defaultLocale: 'uk', businessHours: { timeZone: 'Europe/Kyiv', days: {} } }, 'Взуття');
  // 13:30 UTC on 24 November is 15:30 in Kyiv (UTC+2 in winter).
  await postLead({ kind: 'callback', phone: '067 123 45 67', preferredTime: { from: '2026-11-24T13:30:00.000Z', to: '2026-11-24T14:00:00.000Z' } });
  await queued(2);
  await runJobs();

  expect(sms.sent().map((call) => [call.to, call.msg])).toEqual([['380671234567', 'Взуття: зателефонуємо вам 24 листопада о 15:30.']]);
});

test('writes the scheduled time in English and Polish sites\' own zones', async () => {
  const english = await start({ onSchedule: true }, { defaultLocale: 'en', businessHours: { timeZone: 'Europe/London', days: {} } });
  await english.postLead({ kind: 'callback', phone: '+44 7911 123456', preferredTime: { from: '2026-11-24T13:30:00.000Z', to: '2026-11-24T14:00:00.000Z' } });
  await english.queued(2);
  await english.runJobs();
  await english.close();
  const polish = await start({ onSchedule: true }, { defaultLocale: 'pl', businessHours: { timeZone: 'Europe/Warsaw', days: {} } }, 'Buty');
  running = polish;
  await polish.postLead({ kind: 'callback', phone: '+48 601 234 567', preferredTime: { from: '2026-11-24T13:30:00.000Z', to: '2026-11-24T14:00:00.000Z' } });
  await polish.queued(2);
  await polish.runJobs();

  expect(sms.sent().map((call) => call.msg)).toEqual(["Shoes: we'll call you on 24 November at 13:30.", 'Buty: zadzwonimy 24 listopada o 14:30.']);
});

test('sends nothing when the site has SMS off, the notice disabled, or a phone that does not normalise', async () => {
  const off = await start(undefined, { defaultLocale: 'en' });
  await off.postLead({ kind: 'callback', phone: '067 123 45 67' });
  expect((await off.queued(1)).map((job) => job.kind)).toEqual(['webhook:deliver']);
  await off.close();

  const scheduleOnly = await start({ onLead: false, onSchedule: true }, { defaultLocale: 'en' });
  await scheduleOnly.postLead({ kind: 'callback', phone: '067 123 45 67' });
  expect((await scheduleOnly.queued(1)).map((job) => job.kind)).toEqual(['webhook:deliver']);
  await scheduleOnly.close();

  const invalid = await start({ onLead: true }, { defaultLocale: 'en' });
  running = invalid;
  const lead = await invalid.postLead({ kind: 'callback', phone: '+380 000 000 00 00' });
  expect(lead.status).toBe(201);
  expect((await invalid.queued(1)).map((job) => job.kind)).toEqual(['webhook:deliver']);
  await invalid.runJobs();
  expect(sms.calls).toEqual([]);
});

test('retries SMS.ru\'s temporary refusal and gives up on a wrong api_id', async () => {
  const { postLead, queued, runJobs, advance } = await start({ onLead: true }, { defaultLocale: 'en' });
  sms.refuseNext(220, 'Сервис временно недоступен, попробуйте чуть позже');
  await postLead({ kind: 'callback', phone: '067 123 45 67' });
  await queued(2);
  await runJobs();
  expect((await queued(1, 'sms:notice'))[0]).toMatchObject({ state: 'queued', last_error: expect.stringContaining('220') });
  advance(60_000);
  await runJobs();
  expect(sms.sent()).toHaveLength(1);
  await running!.close();

  const wrongKey = await start({ onLead: true, apiKey: 'not-the-key' }, { defaultLocale: 'en' });
  running = wrongKey;
  await wrongKey.postLead({ kind: 'callback', phone: '067 123 45 67' });
  await wrongKey.queued(2);
  await wrongKey.runJobs();
  expect((await wrongKey.queued(1, 'sms:notice'))[0]).toMatchObject({ state: 'dead', attempts: 1, last_error: expect.stringContaining('Неправильный api_id') });
});
