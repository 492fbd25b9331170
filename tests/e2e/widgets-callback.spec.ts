// The callback widget from the pasted script tag, against the real server: a visitor
// asks for a call now (business open) or picks a slot (closed), and the agent API
// shows the lead with what was asked for.
import { expect, test } from '@playwright/test';
import { ROUND_THE_CLOCK, closedTodayAndTomorrow, startWidgetsSite, type WidgetsSite } from '../support/widgets-site.ts';

// One server (one PGlite, ≈750 MB) for the file: its tests run in one worker, in order.
test.describe.configure({ mode: 'default' });

let site: WidgetsSite;
// A visitor in New York, a site in UTC: slot labels are in the visitor's time.
test.use({ timezoneId: 'America/New_York' });

test.beforeAll(async () => {
  test.setTimeout(90_000);
  site = await startWidgetsSite({
    'cb-open': { callback: { defaultCountry: 'UA', answerWithinSeconds: 45 }, widgets: { chat: false, form: false } },
    'cb-closed': { businessHours: { ...ROUND_THE_CLOCK, closedDates: closedTodayAndTomorrow() }, widgets: { chat: false, form: false } },
  });
});
test.afterAll(async () => site?.close());

test('asks for a call now: a bad number is explained, a good one reaches the inbox and the countdown starts', async ({ page }) => {
  await site.visit(page, 'cb-open');
  // With one widget enabled the launcher opens it directly.
  await page.getByRole('button', { name: 'Contact us' }).click();
  const dialog = page.getByRole('dialog', { name: 'Request a call back' });
  await expect(dialog.getByText('We are open: we will call you within 45 s.')).toBeVisible();

  const phone = dialog.getByRole('textbox', { name: 'Phone number' });
  await expect(phone).toHaveAttribute('placeholder', '067 123 45 67');
  await phone.fill('067 12');
  await dialog.getByRole('button', { name: 'Call me back' }).click();
  await expect(phone).toHaveAttribute('aria-invalid', 'true');
  await expect(phone).toHaveAccessibleDescription(/Enter a phone number with 7 to 15 digits, for example 067 123 45 67\./);
  await expect(phone).toBeFocused();

  await dialog.getByRole('textbox', { name: 'Your name (optional)' }).fill('Taras');
  await phone.fill('067 555 12 34');
  await dialog.getByRole('button', { name: 'Call me back' }).click();
  await expect(dialog.getByRole('status')).toContainText('We will call 067 555 12 34 within 45 seconds.');
  // The countdown starts once the server has the request, which takes a while on a busy machine.
  await expect(dialog.getByRole('timer')).toHaveText(/^0:[1-4]\d$/, { timeout: 15_000 });

  await expect.poll(() => site.leadsFor('+380675551234')).toHaveLength(1);
  const [lead] = await site.leadsFor('+380675551234');
  expect(lead!.payload).toMatchObject({ kind: 'callback', phone: '067 555 12 34', name: 'Taras' });
  expect(lead!.payload.preferredTime).toBeUndefined();
});

test('asks for a call while the business is closed: the chosen slot reaches the inbox as the preferred time', async ({ page }) => {
  await site.visit(page, 'cb-closed');
  await page.getByRole('button', { name: 'Contact us' }).click();
  const dialog = page.getByRole('dialog', { name: 'Request a call back' });
  const picker = dialog.getByRole('combobox', { name: 'We are closed now. When should we call you?' });
  await expect(picker.getByRole('option')).toHaveCount(8);
  // 03:00–04:00 UTC is 22:00–23:00 the evening before in New York (EST in winter, EDT in summer: 23:00–00:00).
  await expect(picker.getByRole('option').nth(3)).toHaveText(/10:00.*11:00\sPM|11:00\sPM.*12:00\sAM/);
  await picker.selectOption({ index: 3 });
  await dialog.getByRole('textbox', { name: 'Phone number' }).fill('+380 50 765 43 21');
  await dialog.getByRole('button', { name: 'Call me back' }).click();
  await expect(dialog.getByRole('status')).toContainText('We will call +380 50 765 43 21 at');
  await expect(dialog.getByRole('timer')).toHaveCount(0);

  await expect.poll(() => site.leadsFor('+380507654321')).toHaveLength(1);
  const [lead] = await site.leadsFor('+380507654321');
  // Closed today and tomorrow (UTC), open around the clock after: hourly slots from midnight.
  const opening = Date.parse(`${closedTodayAndTomorrow()[1]}T00:00:00Z`) + 86_400_000;
  expect(lead!.payload.preferredTime).toEqual({ from: new Date(opening + 3 * 3_600_000).toISOString(), to: new Date(opening + 4 * 3_600_000).toISOString() });
});
