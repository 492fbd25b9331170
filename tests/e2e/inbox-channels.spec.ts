// The agent's side of issue 5 in the reference inbox (/inbox/), in real Chromium on the real
// server (PGlite, job queue) with the local fake of the Bot API (tests/fixtures/telegram) as
// TELEGRAM_API_BASE: a Telegram customer's thread, a reply through Telegram, a delivery that
// Telegram refuses, and the agent's retry.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createThreadlineServer, seedDemo, type ThreadlineServer } from '../../packages/server/src/index.ts';
import { buildPages, servePages } from '../../packages/server/src/pages.ts';
import { BLOCKED_BY_USER, BOT_TOKEN, documentUpdate, type TelegramUserPayload } from '../fixtures/telegram/bot-api-payloads.ts';
import { startFakeBotApiServer, type FakeBotApiServer } from '../fixtures/telegram/fake-bot-api-server.ts';

// One server (one PGlite, ≈750 MB) for the file: its tests run in one worker, in order.
test.describe.configure({ mode: 'default', timeout: 60_000 });

const SECRET = 'e2e-inbox-telegram-secret';
const PASSWORD = 'e2e-pass-1';
// The inbox polls every 3 s and the queue every 100 ms: allow a few rounds on a loaded machine.
const REFRESH = { timeout: 15_000 };
let server: ThreadlineServer;
let botApi: FakeBotApiServer;
let url: string;

test.beforeAll(async () => {
  // Building the pages and starting PGlite take seconds on a busy machine.
  test.setTimeout(120_000);
  botApi = await startFakeBotApiServer();
  const pages = await mkdtemp(join(tmpdir(), 'tl-inbox-pages-'));
  await buildPages(pages);
  server = await createThreadlineServer({
    env: { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_BASE: botApi.url },
    routes: (app) => servePages(app, pages),
    jobs: { pollIntervalMs: 100 },
  });
  url = await server.listen();
  await seedDemo(server.db, { origins: [url], adminPassword: PASSWORD });
});
test.afterAll(async () => {
  await server?.close();
  await botApi?.close();
});

/** What Telegram does for each update: POST it to the webhook with the secret header. */
async function telegramDelivers(update: unknown): Promise<void> {
  const response = await fetch(`${url}/api/v1/channels/telegram/demo`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update) });
  expect(response.status).toBe(200);
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${url}/inbox/`);
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('E-mail').fill('admin@threadline.local');
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
}

test('an agent answers a Telegram customer in Telegram, sees a refused delivery fail with its reason, and retries it to sent; the page passes axe', async ({ page }) => {
  const customer: TelegramUserPayload = { id: 424242001, is_bot: false, first_name: 'Oksana', language_code: 'uk' };
  await telegramDelivers(documentUpdate(customer, 'My order <b>1042</b>, is it shipped?'));
  await signIn(page);

  const threads = page.getByRole('navigation', { name: 'Threads' });
  const thread = threads.getByRole('button', { name: /Oksana/ });
  await expect(thread).toContainText('Telegram');
  await thread.click();
  await expect(page.getByRole('heading', { name: 'Oksana' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Identities' })).toContainText(`Telegram ${customer.id} (verified)`);
  const timeline = page.getByRole('list', { name: 'Timeline' });
  const question = timeline.getByRole('listitem').filter({ hasText: 'is it shipped?' });
  await expect(question).toContainText('Telegram');
  // The customer's markup is shown as typed, not rendered.
  await expect(question).toContainText('My order <b>1042</b>, is it shipped?');
  await expect(question).toContainText('Attachment: invoice-1042.pdf (application/pdf, 51 KB)');

  // The reply goes where the customer wrote: Telegram is preselected.
  const reply = page.getByRole('form', { name: 'Reply' });
  await expect(reply.getByLabel('Channel')).toHaveValue('telegram');
  await reply.getByLabel('Reply').fill('Yes, it left today.');
  await reply.getByRole('button', { name: 'Send' }).click();
  const first = timeline.getByRole('listitem').filter({ hasText: 'Yes, it left today.' });
  await expect(first).toContainText('Delivery: sent', REFRESH);
  expect(botApi.fake.delivered('sendMessage').map((call) => call.body)).toContainEqual({ chat_id: String(customer.id), text: 'Yes, it left today.' });

  // The customer blocks the bot: Telegram answers 403 and the reply is dead-lettered at once.
  botApi.fake.failNext('sendMessage', BLOCKED_BY_USER);
  await reply.getByLabel('Reply').fill('Tracking number: 59000123456789');
  await reply.getByRole('button', { name: 'Send' }).click();
  const second = timeline.getByRole('listitem').filter({ hasText: 'Tracking number' });
  await expect(second).toContainText(/Delivery: failed — .*bot was blocked by the user/, REFRESH);

  await page.getByRole('button', { name: 'Failed deliveries' }).click();
  const failed = page.getByRole('region', { name: 'Failed deliveries' });
  const deadJob = failed.getByRole('listitem').filter({ hasText: 'channel:send' });
  await expect(deadJob).toContainText('site demo');
  await expect(deadJob).toContainText(/Last error: .*bot was blocked by the user/);
  await page.screenshot({ path: 'docs/img/inbox-channels.png', fullPage: true });
  // Labels, names and contrast of everything on screen, failed states included.
  expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze()).violations).toEqual([]);

  // The customer unblocks the bot; the next sendMessage succeeds (failNext was one answer only).
  await deadJob.getByRole('button', { name: 'Retry' }).click();
  await expect(second).toContainText('Delivery: sent', REFRESH);
  await expect(failed.getByRole('listitem')).toHaveText(['No failed deliveries.'], REFRESH);
  expect(botApi.fake.delivered('sendMessage').map((call) => call.body.text)).toContain('Tracking number: 59000123456789');
});

test('a reply the server refuses explains why next to the box and keeps the typed text; the unverified browser is marked; the page passes axe', async ({ page }) => {
  // A website lead with a typed e-mail: an unverified identity, and e-mail is not connected here.
  const submitted = await fetch(`${url}/api/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ site: 'demo', visitorId: crypto.randomUUID(), clientId: crypto.randomUUID(), kind: 'form', name: 'Bohdan', email: 'bohdan@example.com', message: 'Do you sell spare tyres?' }),
  });
  expect(submitted.status).toBe(201);
  await signIn(page);
  await page.getByRole('navigation', { name: 'Threads' }).getByRole('button', { name: /Bohdan/ }).click();

  const identities = page.getByRole('list', { name: 'Identities' });
  await expect(identities).toContainText('E-mail bohdan@example.com (unverified)');
  await expect(identities).toContainText('unverified: sees only its own messages');
  const lead = page.getByRole('list', { name: 'Timeline' }).getByRole('listitem').filter({ hasText: 'Lead form from Bohdan' });
  await expect(lead).toContainText('Web');
  await expect(lead).toContainText('Message: Do you sell spare tyres?');

  const reply = page.getByRole('form', { name: 'Reply' });
  await reply.getByLabel('Channel').selectOption({ label: 'E-mail' });
  await reply.getByLabel('Reply').fill('We do: 26 and 28 inch.');
  await reply.getByRole('button', { name: 'Send' }).click();
  await expect(reply.getByRole('alert')).toHaveText('Not sent: channel "email" is not connected for this site. Pick another channel.');
  await expect(reply.getByLabel('Reply')).toHaveValue('We do: 26 and 28 inch.');
  expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze()).violations).toEqual([]);
});
