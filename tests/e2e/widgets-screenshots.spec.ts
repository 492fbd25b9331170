// Pictures of every widget state, desktop and phone, English and Russian, saved to
// docs/img/widgets/ for docs/widgets.md. Each state is reached as a visitor would.
import { expect, test } from '@playwright/test';
import { STATES_SITE_CONFIG, walkWidgetStates } from '../support/widget-states.ts';
import { ROUND_THE_CLOCK, closedTodayAndTomorrow, startWidgetsSite, type WidgetsSite } from '../support/widgets-site.ts';

// One server (one PGlite, ≈750 MB) for the file: its tests run in one worker, in order.
test.describe.configure({ mode: 'default' });

let site: WidgetsSite;
test.beforeAll(async () => {
  test.setTimeout(90_000);
  site = await startWidgetsSite({
    'shots-all': STATES_SITE_CONFIG,
    // Closed today and tomorrow: the callback offers slots.
    'shots-closed': { ...STATES_SITE_CONFIG, businessHours: { ...ROUND_THE_CLOCK, closedDates: closedTodayAndTomorrow() }, widgets: { chat: false, form: false } },
  });
});
test.afterAll(async () => site?.close());

const SCREENS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  mobile: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
};

for (const [screen, options] of Object.entries(SCREENS)) {
  for (const lang of ['en', 'ru'] as const) {
    test(`pictures every widget state in ${lang} on ${screen}`, async ({ browser }) => {
      test.setTimeout(60_000);
      const context = await browser.newContext({ ...options, locale: lang === 'ru' ? 'ru-RU' : 'en-US', timezoneId: 'Europe/Kyiv' });
      const page = await context.newPage();
      await site.visit(page, 'shots-all', { lang });
      // Desktop: the corner the widgets live in; phone: the whole screen (the panel fills it).
      const picture = async (state: string) => {
        await page.screenshot({
          path: `docs/img/widgets/${state}-${screen}-${lang}.png`,
          ...(screen === 'desktop' ? { clip: { x: 1280 - 440, y: 800 - 720, width: 440, height: 720 } } : {}),
          animations: 'disabled',
          caret: 'hide',
        });
      };
      await walkWidgetStates(page, context, lang, site, picture);

      await site.visit(page, 'shots-closed', { lang, path: `/closed-${screen}-${lang}` });
      await page.getByRole('button', { name: lang === 'ru' ? 'Связаться с нами' : 'Contact us' }).click();
      await expect(page.getByRole('dialog').getByRole('combobox')).toBeVisible();
      await picture('callback-scheduled');
      await context.close();
    });
  }
}
