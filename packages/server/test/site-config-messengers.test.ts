// @vitest-environment node
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test, vi } from 'vitest';
import { createThreadlineServer, type Database, type ThreadlineServer } from '../src/index.ts';
import { createTelegramChannel } from '../src/channels/telegram/telegram-channel.ts';
import { saveTelegramSettings } from '../src/channels/telegram/telegram-settings.ts';
import { upsertSite } from '../src/domain/sites.ts';
import { DATABASE_START_TIMEOUT, openTestDatabase, uniqueSiteId } from './support/pglite.ts';
import { createBotApiFake, type BotApiFake } from '../../../tests/fixtures/telegram/bot-api-fake.ts';
import { BOT, BOT_TOKEN } from '../../../tests/fixtures/telegram/bot-api-payloads.ts';
import { telegramHandlers } from '../../../tests/fixtures/telegram/telegram-handlers.ts';

// The public site config (what every page's widget reads) tells the widget that a
// messenger is connected, so that the chat can offer "Continue in Telegram": public
// facts only. The Bot API is msw with the documented getMe answer.
let fake: BotApiFake;
const botApi = setupServer(...telegramHandlers({ handle: (...args) => fake.handle(...args) } as BotApiFake));

let db: Database;
let server: ThreadlineServer | undefined;
beforeAll(async () => {
  botApi.listen({ onUnhandledRequest: (request, print) => (new URL(request.url).hostname === '127.0.0.1' ? undefined : print.error()) });
  db = await openTestDatabase();
}, DATABASE_START_TIMEOUT);
beforeEach(() => {
  fake = createBotApiFake();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(async () => {
  botApi.close();
  await db.close();
});

const ORIGIN = 'https://shop.test';
const SECRET = 'webhook-secret_123';

async function start(telegram?: { botUsername?: string }) {
  const site = uniqueSiteId('cfg');
  await upsertSite(db, { id: site, name: 'Shop', allowedOrigins: [ORIGIN], secret: `secret-${site}`, defaultCountry: 'UA' });
  if (telegram) await saveTelegramSettings(db, site, { botToken: BOT_TOKEN, webhookSecret: SECRET, ...telegram });
  const env = {};
  server = await createThreadlineServer({ database: db, env, channels: () => [createTelegramChannel(env)], jobs: { autoStart: false } });
  const url = await server.listen();
  const config = async () => {
    const response = await fetch(`${url}/api/v1/sites/${site}/config`, { headers: { origin: ORIGIN } });
    return { status: response.status, text: await response.text() };
  };
  return { config };
}

test('names the site’s Telegram bot in the public config, and never its token or webhook secret', async () => {
  const { config } = await start({ botUsername: 'shop_support_bot' });
  const answer = await config();
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.text).messengers).toEqual({ telegram: { username: 'shop_support_bot' } });
  expect(answer.text).not.toContain(BOT_TOKEN);
  expect(answer.text).not.toContain(BOT_TOKEN.split(':')[1]);
  expect(answer.text).not.toContain(SECRET);
  expect(answer.text).not.toContain('api.telegram.org');
});

test('says Telegram is connected at once and names the bot once getMe has answered', async () => {
  const { config } = await start({});
  // The first page does not wait for Telegram: the bot is connected, its name not known yet.
  expect(JSON.parse((await config()).text).messengers).toEqual({ telegram: {} });
  await vi.waitFor(() => expect(fake.delivered('getMe')).toHaveLength(1));
  const later = await config();
  expect(JSON.parse(later.text).messengers).toEqual({ telegram: { username: BOT.username } });
  expect(later.text).not.toContain(BOT_TOKEN);
  expect(fake.calls.filter((call) => call.method === 'getMe')).toHaveLength(1);
});

test('mentions no messenger for a site without Telegram', async () => {
  const { config } = await start();
  const answer = await config();
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.text)).not.toHaveProperty('messengers');
  expect(fake.calls).toEqual([]);
});
