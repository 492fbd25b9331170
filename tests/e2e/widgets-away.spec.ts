// The chat while nobody can answer, from the pasted script tag against the real server
// (PGlite, socket.io): the team's replies sent through the agent API reach a visitor when no
// agent is online, and the last agent leaving mid-chat leaves the conversation, what the
// visitor is typing and the focus where they were (issue 4).
import { expect, test } from '@playwright/test';
import { agentApi } from '../support/agent.ts';
import { startWidgetsSite, type WidgetsSite } from '../support/widgets-site.ts';

// One server (one PGlite, ≈750 MB) for the file: its tests run in one worker, in order.
// Agents' presence is the server's, so the test without an agent runs first.
test.describe.configure({ mode: 'default', timeout: 45_000 });

let site: WidgetsSite;
let token: string;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  // No business hours: only whether an agent is online decides who can answer.
  site = await startWidgetsSite({ 'away-chat': { widgets: { callback: false, form: false } } });
  const response = await fetch(`${site.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@threadline.local', password: 'e2e-pass-1' }) });
  token = ((await response.json()) as { token: string }).token;
});
test.afterAll(async () => site?.close());

/** The agent's reply through the HTTP API (no agent socket), in the one thread the inbox finds for `query`. */
async function replyOverHttp(query: string, text: string): Promise<void> {
  const found = await agentApi<{ items: { id: string }[] }>(site.url, token, `/api/v1/threads?query=${encodeURIComponent(query)}`);
  expect(found.body.items).toHaveLength(1);
  const sent = await agentApi(site.url, token, `/api/v1/threads/${found.body.items[0]!.id}/messages`, { text });
  expect(sent.status).toBe(201);
}

test('a reply the team sends over the API while no agent is online shows in the chat, and raises the badge and the title while it is closed', async ({ page }) => {
  await site.visit(page, 'away-chat');
  await page.getByRole('button', { name: 'Contact us' }).click();
  const dialog = page.getByRole('dialog', { name: 'Chat with us' });
  // A first-time visitor and nobody online: "leave a message".
  await dialog.getByRole('textbox', { name: 'Phone or e-mail' }).fill('marta.away@example.com');
  await dialog.getByRole('textbox', { name: 'Message' }).fill('Do you repair e-bike motors?');
  await dialog.getByRole('button', { name: 'Send message' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Thank you! We will get back to you soon.');
  await expect.poll(async () => (await site.leadsFor('marta.away@example.com')).length).toBe(1);

  await replyOverHttp('marta.away@example.com', 'Yes, Bosch and Shimano motors.');
  await expect(dialog.getByRole('listitem').filter({ hasText: 'Yes, Bosch and Shimano motors.' })).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'Your message' })).toBeVisible();
  await expect(dialog.getByText('Nobody can answer right now. Leave a message and we will get back to you.', { exact: true })).toBeVisible();

  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await replyOverHttp('marta.away@example.com', 'Bring it any weekday.');
  const launcher = page.getByRole('button', { name: 'Contact us, 1 unread message' });
  await expect(launcher).toHaveText('1');
  await expect(page).toHaveTitle('(1) New message');

  await launcher.click();
  await expect(dialog.getByRole('listitem').filter({ hasText: 'Bring it any weekday.' })).toBeVisible();
  await expect(dialog.getByRole('listitem').filter({ hasText: 'Yes, Bosch and Shimano motors.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Contact us' })).toBeVisible();
});

test('the last agent leaving mid-chat keeps the history, the typed text and the focus; what the visitor sends then, and their e-mail, reach the team', async ({ page }) => {
  const agent = await site.agentOnline();
  await site.visit(page, 'away-chat');
  await page.getByRole('button', { name: 'Contact us' }).click();
  const dialog = page.getByRole('dialog', { name: 'Chat with us' });
  const composer = dialog.getByRole('textbox', { name: 'Your message' });
  await composer.fill('Is the Trek FX 3 in stock?');
  await composer.press('Enter');
  await expect(dialog.getByText('Sent', { exact: true })).toBeVisible();
  await agent.reply('Is the Trek FX 3 in stock?', 'One left in size L.');
  await expect(dialog.getByRole('listitem').filter({ hasText: 'One left in size L.' })).toBeVisible();

  await composer.pressSequentially('Can you hold it until Sat');
  agent.offline();
  await expect(dialog.getByText('Nobody can answer right now. Leave a message and we will get back to you.', { exact: true })).toBeVisible();
  await expect(dialog.getByRole('listitem')).toHaveCount(3);
  await expect(dialog.getByRole('listitem').filter({ hasText: 'Is the Trek FX 3 in stock?' })).toBeVisible();
  await expect(dialog.getByRole('listitem').filter({ hasText: 'One left in size L.' })).toBeVisible();
  await expect(composer).toBeFocused();
  await expect(composer).toHaveValue('Can you hold it until Sat');

  // The visitor finishes typing where they were and sends: stored in the thread for the team.
  await page.keyboard.type('urday?');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('listitem').filter({ hasText: 'Can you hold it until Saturday?' })).toBeVisible();
  await expect(dialog.getByText('Sent', { exact: true })).toBeVisible();

  // Nobody knows where to answer this visitor yet: the chat asks, without hiding anything.
  const contact = dialog.getByRole('textbox', { name: 'Phone or e-mail for our answer' });
  await contact.fill('petro.away@example.com');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Thank you! We will get back to you soon.' })).toBeVisible();
  await expect(contact).toHaveCount(0);
  await expect(dialog.getByRole('listitem').filter({ hasText: 'One left in size L.' })).toBeVisible();

  await expect
    .poll(async () => (await agentApi<{ items: unknown[] }>(site.url, token, `/api/v1/threads?query=${encodeURIComponent('petro.away@example.com')}`)).body.items.length)
    .toBe(1);
  const found = await agentApi<{ items: { id: string }[] }>(site.url, token, `/api/v1/threads?query=${encodeURIComponent('petro.away@example.com')}`);
  const thread = await agentApi<{ items: { type: string; text: string | null }[]; contact: { identities: { kind: string; value: string }[] } }>(site.url, token, `/api/v1/threads/${found.body.items[0]!.id}`);
  expect(thread.body.items.filter((item) => item.type === 'message').map((item) => item.text)).toEqual(['Is the Trek FX 3 in stock?', 'One left in size L.', 'Can you hold it until Saturday?']);
  expect(thread.body.contact.identities).toContainEqual(expect.objectContaining({ kind: 'email', value: 'petro.away@example.com' }));
});
