// "Continue in Telegram" from the pasted script tag, on a shop page of another origin, against
// the real server (PGlite, socket.io, job queue) with the local fake Bot API
// (tests/fixtures/telegram) as TELEGRAM_API_BASE: the visitor chats, presses the widget's
// link, Telegram sends `/start <token>` to the webhook, the customer presses Yes under the
// bot's question, and the agent sees one customer.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEmbed } from '../../packages/embed/src/build.ts';
import { createSocketLayer, createThreadlineServer, seedDemo, type ThreadlineServer } from '../../packages/server/src/index.ts';
import { servePages } from '../../packages/server/src/pages.ts';
import { agentApi, agentToken, connectAgent } from '../support/agent.ts';
import { htmlPage, scriptTag, startHostSite, type HostSite } from '../support/host-page.ts';
import { BOT, BOT_TOKEN, callbackQueryUpdate, textUpdate, type BotMessagePayload, type TelegramUserPayload } from '../fixtures/telegram/bot-api-payloads.ts';
import { startFakeBotApiServer, type FakeBotApiServer } from '../fixtures/telegram/fake-bot-api-server.ts';

// One server (one PGlite, ≈750 MB) for the file.
test.describe.configure({ mode: 'default', timeout: 60_000 });

const SECRET = 'e2e-widget-telegram-secret';
let server: ThreadlineServer;
let botApi: FakeBotApiServer;
let host: HostSite;
let url: string;

test.beforeAll(async () => {
  // Building the tag and starting PGlite take seconds on a busy machine.
  test.setTimeout(120_000);
  const dir = await mkdtemp(join(tmpdir(), 'tl-embed-tg-'));
  await buildEmbed(dir);
  botApi = await startFakeBotApiServer();
  server = await createThreadlineServer({
    clock: () => OPEN_HOURS,
    env: { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_BASE: botApi.url },
    routes: (app) => servePages(app, dir),
    realtime: (context) => createSocketLayer(context),
    jobs: { pollIntervalMs: 100 },
  });
  url = await server.listen();
  host = await startHostSite();
  await seedDemo(server.db, { origins: [url, host.origin], adminPassword: 'e2e-pass-1' });
});
test.afterAll(async () => {
  await host?.close();
  await server?.close();
  await botApi?.close();
});

// Monday noon in Kyiv: inside the demo site's business hours, so the chat is live.
const OPEN_HOURS = new Date('2026-11-23T10:00:00Z');

interface ThreadSummary {
  id: string;
  contact: { identities: { kind: string; value: string; verified: boolean }[] };
}

test('the widget’s Continue in Telegram link, opened in Telegram, makes the visitor and the Telegram user one customer with one thread', async ({ page, context }) => {
  const customer: TelegramUserPayload = { id: 555000222, is_bot: false, first_name: 'Oksana', language_code: 'en' };
  const token = await agentToken(url, 'e2e-pass-1');
  const agent = await connectAgent(url, token);
  // t.me cannot be reached from here: the new tab gets a stand-in page, so the click's effect is visible.
  await context.route('https://t.me/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Telegram</title>' }));
  try {
    await page.clock.setFixedTime(OPEN_HOURS);
    await page.goto(host.page('/bikes', { html: htmlPage(`<h1>Blue Bicycle Shop</h1>${scriptTag(url)}`) }));
    await page.getByRole('button', { name: 'Contact us' }).click();
    await page.getByRole('menuitem', { name: 'Chat with us' }).press('Enter');
    const chat = page.getByRole('dialog', { name: 'Chat with us' });
    await chat.getByRole('textbox', { name: 'Your message' }).fill('Do you have the city bike in red?');
    await chat.getByRole('button', { name: 'Send' }).click();
    await expect(chat.getByRole('listitem').filter({ hasText: 'Do you have the city bike in red?' })).toContainText(/Sent|Read/);

    const link = chat.getByRole('link', { name: 'Continue in Telegram' });
    // The bot's name comes from getMe (not configured): the fake answers as the documented bot.
    await expect(link).toHaveAttribute('href', new RegExp(`^https://t\\.me/${BOT.username}\\?start=[A-Za-z0-9_-]{22}$`));
    // The picture in docs/channels.md and docs/widgets.md.
    await page.screenshot({ path: 'docs/img/chat-continue-in-telegram.png' });
    // The panel with the link keeps WCAG 2.2 AA, as every other widget state does (widgets-a11y.spec.ts).
    const audit = await new AxeBuilder({ page }).include('threadline-widget').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    expect(audit.violations.map((violation) => violation.id)).toEqual([]);
    const href = (await link.getAttribute('href'))!;
    // A real link with the URL already in it: the click opens the tab, no popup blocker involved.
    const [telegramTab] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await expect.poll(() => telegramTab.url()).toBe(href);

    // Telegram's app sends what the link carries once the customer presses Start.
    const started = await fetch(`${url}/api/v1/channels/telegram/demo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(textUpdate(customer, `/start ${new URL(href).searchParams.get('start')}`)),
    });
    expect(started.status).toBe(200);
    // The bot asks before joining (docs/channels.md); the customer presses Yes.
    const promptSent = () => botApi.fake.delivered('sendMessage').find((call) => call.body.chat_id === String(customer.id) && JSON.stringify(call.body.reply_markup ?? {}).includes('inline_keyboard'));
    await expect.poll(promptSent).toBeTruthy();
    const prompt = promptSent()!;
    const [[yes]] = (prompt.body.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard as [[{ callback_data: string }]];
    const confirmed = await fetch(`${url}/api/v1/channels/telegram/demo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(callbackQueryUpdate(customer, (prompt.answer as { result: BotMessagePayload }).result, yes.callback_data)),
    });
    expect(confirmed.status).toBe(200);

    const threads = (await agentApi<{ items: ThreadSummary[] }>(url, token, '/api/v1/threads?site=demo')).body.items.filter((thread) =>
      thread.contact.identities.some((identity) => identity.kind === 'telegram' && identity.value === String(customer.id)),
    );
    expect(threads).toHaveLength(1);
    expect(threads[0]!.contact.identities).toContainEqual(expect.objectContaining({ kind: 'telegram', value: String(customer.id), verified: true }));
    const detail = await agentApi<{ items: { type: string; channel: string; text: string | null }[] }>(url, token, `/api/v1/threads/${threads[0]!.id}`);
    expect(detail.body.items.filter((item) => item.type === 'message').map((item) => `${item.channel}:${item.text}`)).toEqual(['web:Do you have the city bike in red?']);
    // The bot's question becomes the confirmation of the join.
    await expect.poll(() => botApi.fake.delivered('editMessageText').some((call) => call.body.chat_id === String(customer.id) && /connected/i.test(String(call.body.text)))).toBe(true);
  } finally {
    agent.close();
  }
});
