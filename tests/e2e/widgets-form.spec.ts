// The lead form from the pasted script tag, against the real server: the fields the
// site configured, bad input explained, good input in the inbox with its custom
// fields and the consent text and version the visitor agreed to.
import { expect, test } from '@playwright/test';
import { startWidgetsSite, type WidgetsSite } from '../support/widgets-site.ts';

// One server (one PGlite, ≈750 MB) for the file: its tests run in one worker, in order.
test.describe.configure({ mode: 'default' });

const CONSENT = 'I agree that Velo Shop stores my details to answer this request.';
let site: WidgetsSite;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  site = await startWidgetsSite({
    'form-quote': {
      widgets: { chat: false, callback: false },
      consent: { mode: 'required', text: CONSENT, version: '2026-11' },
      form: {
        fields: [
          { name: 'name', type: 'name', required: true },
          { name: 'email', type: 'email', required: true },
          { name: 'bike', type: 'select', required: true, label: { en: 'Bike type', ru: 'Тип велосипеда', uk: 'Тип велосипеда', pl: 'Rodzaj roweru' }, options: ['Road', 'Gravel', 'City'] },
          { name: 'testRide', type: 'checkbox', label: { en: 'I would like a test ride', ru: 'Хочу тест-драйв', uk: 'Хочу тест-драйв', pl: 'Chcę jazdę próbną' } },
          { name: 'message', type: 'message' },
        ],
      },
    },
  });
});
test.afterAll(async () => site?.close());

test('explains bad input field by field, then delivers the corrected form with its fields and consent', async ({ page }) => {
  await site.visit(page, 'form-quote');
  await page.getByRole('button', { name: 'Contact us' }).click();
  const dialog = page.getByRole('dialog', { name: 'Send us a message' });
  const email = dialog.getByRole('textbox', { name: 'E-mail (required)' });
  await email.fill('olga@example');
  await email.blur();
  await expect(email).toHaveAccessibleDescription('Enter an e-mail address like name@example.com.');

  await dialog.getByRole('button', { name: 'Send' }).click();
  const name = dialog.getByRole('textbox', { name: 'Your name (required)' });
  await expect(name).toBeFocused();
  await expect(name).toHaveAccessibleDescription('Fill in this field.');
  await expect(dialog.getByRole('combobox', { name: 'Bike type (required)' })).toHaveAccessibleDescription('Choose one of the options.');
  await expect(dialog.getByRole('checkbox', { name: CONSENT })).toHaveAccessibleDescription('Tick this box so that we may answer you.');

  await name.fill('Olga Shevchenko');
  await email.fill('olga@example.com');
  await dialog.getByRole('combobox', { name: 'Bike type (required)' }).selectOption('Gravel');
  await dialog.getByRole('checkbox', { name: 'I would like a test ride' }).check();
  await dialog.getByRole('textbox', { name: 'Message' }).fill('Do you have a 54 cm frame?');
  await dialog.getByRole('checkbox', { name: CONSENT }).check();
  await dialog.getByRole('button', { name: 'Send' }).click();
  await expect(dialog.getByRole('status')).toContainText('We have your request and will get back to you soon.');
  await expect(dialog.getByRole('heading', { name: 'Thank you!' })).toBeFocused();

  await expect.poll(() => site.leadsFor('olga@example.com')).toHaveLength(1);
  const [lead] = await site.leadsFor('olga@example.com');
  expect(lead!.payload).toMatchObject({
    kind: 'form',
    name: 'Olga Shevchenko',
    email: 'olga@example.com',
    message: 'Do you have a 54 cm frame?',
    fields: { bike: 'Gravel', testRide: true },
    consent: { given: true, text: CONSENT, version: '2026-11' },
  });
});

test('keeps a form sent offline and delivers it once the connection is back', async ({ page, context }) => {
  await site.visit(page, 'form-quote');
  await page.getByRole('button', { name: 'Contact us' }).click();
  const dialog = page.getByRole('dialog', { name: 'Send us a message' });
  await dialog.getByRole('textbox', { name: 'Your name (required)' }).fill('Petro');
  await dialog.getByRole('textbox', { name: 'E-mail (required)' }).fill('petro@example.com');
  await dialog.getByRole('combobox', { name: 'Bike type (required)' }).selectOption('City');
  await dialog.getByRole('checkbox', { name: CONSENT }).check();
  await context.setOffline(true);
  await dialog.getByRole('button', { name: 'Send' }).click();
  await expect(dialog.getByRole('status')).toContainText('will be sent as soon as you are back online');

  await context.setOffline(false);
  await expect(dialog.getByRole('status')).not.toContainText('will be sent', { timeout: 15_000 });
  await expect.poll(() => site.leadsFor('petro@example.com')).toHaveLength(1);
});

test('a bot that fills the hidden honeypot sees the usual thanks, and nothing reaches the inbox', async ({ page }) => {
  await site.visit(page, 'form-quote');
  await page.getByRole('button', { name: 'Contact us' }).click();
  const dialog = page.getByRole('dialog', { name: 'Send us a message' });
  await dialog.getByRole('textbox', { name: 'Your name (required)' }).fill('Cheap Watches');
  await dialog.getByRole('textbox', { name: 'E-mail (required)' }).fill('bot@spam.example');
  await dialog.getByRole('combobox', { name: 'Bike type (required)' }).selectOption('Road');
  await dialog.getByRole('checkbox', { name: CONSENT }).check();
  // A bot fills every input it finds in the markup, including the one people never see.
  await page.locator('threadline-widget input[name=website]').fill('http://spam.example', { force: true });
  const accepted = page.waitForResponse((response) => response.url().endsWith('/api/v1/leads') && response.request().method() === 'POST');
  await dialog.getByRole('button', { name: 'Send' }).click();
  await expect(dialog.getByRole('status')).toContainText('We have your request');
  // The server answers as for any lead (the bot learns nothing) and keeps none of it.
  expect((await accepted).ok()).toBe(true);
  expect(await site.leadsFor('bot@spam.example')).toEqual([]);
});
