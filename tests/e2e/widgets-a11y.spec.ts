// axe-core over every state of the widgets (inside their open shadow root), on a
// desktop and on a phone-sized screen: WCAG 2.2 A/AA rules, zero violations.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { STATES_SITE_CONFIG, walkWidgetStates } from '../support/widget-states.ts';
import { startWidgetsSite, type WidgetsSite } from '../support/widgets-site.ts';

// One server (one PGlite, ≈750 MB) for the file: its tests run in one worker, in order.
test.describe.configure({ mode: 'default' });

let site: WidgetsSite;
test.beforeAll(async () => {
  test.setTimeout(90_000);
  site = await startWidgetsSite({ 'a11y-all': STATES_SITE_CONFIG });
});
test.afterAll(async () => site?.close());

async function audit(page: Page) {
  const results = await new AxeBuilder({ page }).include('threadline-widget').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return {
    violations: results.violations.map((violation) => ({ rule: violation.id, targets: violation.nodes.map((node) => node.target.join(' ')) })),
    // Proof that axe looked inside the shadow root: the form controls it found labelled.
    labelledControls: results.passes.find((rule) => rule.id === 'label')?.nodes.length ?? 0,
  };
}

for (const screen of [
  { name: 'a desktop', options: { viewport: { width: 1280, height: 800 } } },
  { name: 'a phone', options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
]) {
  test(`every widget state has zero axe violations on ${screen.name}`, async ({ browser }) => {
    test.setTimeout(60_000);
    const context = await browser.newContext(screen.options);
    const page = await context.newPage();
    await site.visit(page, 'a11y-all');
    const found: Record<string, unknown> = {};
    const labelled: Record<string, number> = {};
    await walkWidgetStates(page, context, 'en', site, async (state) => {
      const { violations, labelledControls } = await audit(page);
      if (violations.length > 0) found[state] = violations;
      labelled[state] = labelledControls;
    });
    expect(found).toEqual({});
    expect(labelled['callback']).toBeGreaterThanOrEqual(3);
    expect(labelled['form-errors']).toBeGreaterThanOrEqual(3);
    await context.close();
  });
}
