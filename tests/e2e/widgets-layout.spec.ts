// Where the widgets sit in the window: the launcher keeps its corner and the open panel
// stays whole on short windows, narrow phones and right-to-left pages.
import { expect, test, type Page } from '@playwright/test';
import { htmlPage, scriptTag } from '../support/host-page.ts';
import { startWidgetsSite, type WidgetsSite } from '../support/widgets-site.ts';

// One server (one PGlite, ≈750 MB) for the file: its tests run in one worker, in order.
test.describe.configure({ mode: 'default' });

let site: WidgetsSite;
test.beforeAll(async () => {
  test.setTimeout(90_000);
  site = await startWidgetsSite({
    'layout-high': { widgets: { callback: false, form: false }, appearance: { offsetY: 100 } },
    'layout-form': {
      widgets: { chat: false, callback: false },
      form: {
        fields: [
          { name: 'name', type: 'name', required: true },
          { name: 'company', type: 'text', label: { en: 'Company' } },
          { name: 'city', type: 'text', label: { en: 'City' } },
          { name: 'email', type: 'email' },
          { name: 'phone', type: 'phone' },
          { name: 'message', type: 'message' },
        ],
      },
    },
    'layout-long': { widgets: { callback: false, form: false }, appearance: { launcherText: 'Questions on delivery? Write to us now' } },
  });
});
test.afterAll(async () => site?.close());

/** Opens a host page whose `<html>` has `attributes`, pasting the tag for `siteId`. */
async function visit(page: Page, siteId: string, attributes = 'lang="en"') {
  const html = htmlPage(`<main><h1>Bike shop</h1></main>${scriptTag(site.url, siteId)}`, '<meta name="viewport" content="width=device-width, initial-scale=1">').replace('lang="en"', attributes);
  await page.goto(site.host.page(`/${siteId}-${attributes.replace(/\W+/g, '-')}`, { html }));
}

const launcher = (page: Page, name: string | RegExp = 'Contact us') => page.getByRole('button', { name, exact: typeof name === 'string' });

test('keeps the whole panel on screen in a short window with a high launcher', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 560 });
  await visit(page, 'layout-high');
  await launcher(page).click();
  const dialog = page.getByRole('dialog', { name: 'Chat with us' });
  await expect(dialog).toBeVisible();
  const box = (await dialog.boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  await expect(page.getByRole('button', { name: 'Close' })).toBeInViewport({ ratio: 1 });
});

test('keeps the launcher in its corner, and the English panel left-to-right, on a right-to-left page', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await visit(page, 'layout-high', 'lang="en" dir="rtl"');
  await launcher(page).click();
  const dialog = page.getByRole('dialog', { name: 'Chat with us' });
  await expect(dialog).toBeVisible();
  const button = (await launcher(page).boundingBox())!;
  const panel = (await dialog.boundingBox())!;
  // 20 px from the right edge (the default offsetX), below the panel's right edge.
  expect(Math.round(1024 - (button.x + button.width))).toBe(20);
  expect(Math.round(panel.x + panel.width)).toBe(Math.round(button.x + button.width));
  await expect(page.locator('threadline-widget').locator('[part~="root"]')).toHaveAttribute('dir', 'ltr');
});

test('shows the whole first field to fix, label included, after a failed submit', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 560 });
  await visit(page, 'layout-form');
  await launcher(page).click();
  await page.getByRole('textbox', { name: 'E-mail' }).fill('anna@example.com');
  // The visitor scrolled the form just past the name's label, typed a company and pressed Enter.
  const name = page.getByRole('textbox', { name: 'Your name (required)' });
  await name.evaluate((input) => {
    const body = input.closest('[part~="body"]')!;
    body.scrollTop += input.getBoundingClientRect().top - body.getBoundingClientRect().top;
  });
  const company = page.getByRole('textbox', { name: 'Company' });
  await company.fill('Velo');
  await company.press('Enter');
  await expect(name).toBeFocused();
  await expect(page.locator('threadline-widget label[for="tl-form-name"]')).toBeInViewport({ ratio: 1 });
});

test('fits a long launcher text on one line inside a narrow phone screen', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await visit(page, 'layout-long');
  const button = launcher(page, 'Questions on delivery? Write to us now');
  await expect(button).toBeVisible();
  // Wait for the widgets' launcher (the loader's is replaced by it).
  await expect(page.locator('threadline-widget').locator('button[part~="launcher"]:not([data-threadline-loader])')).toHaveCount(1);
  const box = (await button.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(20);
  expect(box.x + box.width).toBeLessThanOrEqual(340);
  expect(box.height).toBe(56);
  await context.close();
});
