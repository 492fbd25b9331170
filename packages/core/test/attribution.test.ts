import { expect, test, vi } from 'vitest';
import { createClient, createMemoryAdapter, type Page } from '../src/index.ts';
import { uniqueSite } from './helpers.ts';

function visit(site: string, page: Page, backend = createMemoryAdapter()) {
  return createClient({ site, adapter: backend, platform: { page: () => page } });
}

test('keeps the first touch, moves the last touch only for a new campaign, and attaches both to leads', async () => {
  const site = uniqueSite();
  const landing = visit(site, { url: 'https://shop.test/?utm_source=google&utm_medium=cpc&utm_campaign=winter&gclid=abc123', referrer: 'https://www.google.com/' });
  await vi.waitFor(() => expect(landing.attribution.value).toBeDefined());
  expect(landing.attribution.value!.firstTouch).toMatchObject({ utmSource: 'google', utmMedium: 'cpc', utmCampaign: 'winter', gclid: 'abc123', referrer: 'https://www.google.com/', landingPage: 'https://shop.test/?utm_source=google&utm_medium=cpc&utm_campaign=winter&gclid=abc123' });
  landing.destroy();

  // Browsing inside the site is not a new touch.
  const internal = visit(site, { url: 'https://shop.test/pricing', referrer: 'https://shop.test/' });
  await vi.waitFor(() => expect(internal.attribution.value).toBeDefined());
  expect(internal.attribution.value!.lastTouch).toMatchObject({ utmSource: 'google' });
  internal.destroy();

  const backend = createMemoryAdapter();
  const returning = visit(site, { url: 'https://shop.test/?utm_source=newsletter&utm_campaign=dec&yclid=42', referrer: '' }, backend);
  await returning.submitLead({ kind: 'callback', phone: '+380671234567' });
  await vi.waitFor(() => expect(backend.received.lead).toHaveLength(1));
  expect(backend.received.lead[0]!.attribution).toMatchObject({
    firstTouch: { utmSource: 'google', gclid: 'abc123' },
    lastTouch: { utmSource: 'newsletter', utmCampaign: 'dec', yclid: '42' },
  });
  expect(backend.received.lead[0]!.page).toEqual({ url: 'https://shop.test/?utm_source=newsletter&utm_campaign=dec&yclid=42', referrer: '' });
  returning.destroy();
});

test('a visitor from another site is a new last touch even without UTM tags', async () => {
  const site = uniqueSite();
  const first = visit(site, { url: 'https://shop.test/' });
  await vi.waitFor(() => expect(first.attribution.value).toBeDefined());
  first.destroy();
  const referred = visit(site, { url: 'https://shop.test/blog', referrer: 'https://news.example/article' });
  await vi.waitFor(() => expect(referred.attribution.value).toBeDefined());
  expect(referred.attribution.value).toMatchObject({ firstTouch: { landingPage: 'https://shop.test/' }, lastTouch: { landingPage: 'https://shop.test/blog', referrer: 'https://news.example/article' } });
  referred.destroy();
});
