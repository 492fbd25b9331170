import { expect, test, vi } from 'vitest';
import { TriggerConditionSchema } from '../schemas/site-config';
import { createUrlMatcher } from './url-match';

function matcher(condition: { match?: 'glob' | 'regex'; include?: string[]; exclude?: string[] }, onInvalid?: (pattern: string, error: unknown) => void) {
  const parsed = TriggerConditionSchema.parse({ type: 'url', ...condition });
  if (parsed.type !== 'url') throw new Error('not a url condition');
  return createUrlMatcher(parsed, onInvalid);
}

const SHOP = 'https://shop.example.com';

test('matches a glob that starts with / against the path, with * stopping at /', () => {
  const pricing = matcher({ include: ['/pricing/*'] });
  expect(pricing(`${SHOP}/pricing/pro`)).toBe(true);
  expect(pricing(`${SHOP}/pricing/`)).toBe(true);
  expect(pricing(`${SHOP}/pricing`)).toBe(false);
  expect(pricing(`${SHOP}/pricing/pro/annual`)).toBe(false);
  expect(pricing(`${SHOP}/en/pricing/pro`)).toBe(false);
});

test('lets ** cross folders, and /**/ stand for no folder at all', () => {
  expect(matcher({ include: ['/blog/**'] })(`${SHOP}/blog/2026/06/hello`)).toBe(true);
  const comments = matcher({ include: ['/blog/**/comments'] });
  expect(comments(`${SHOP}/blog/comments`)).toBe(true);
  expect(comments(`${SHOP}/blog/2026/hello/comments`)).toBe(true);
  expect(comments(`${SHOP}/blogcomments`)).toBe(false);
});

test('ignores the query string, the fragment and a trailing slash unless the pattern writes them', () => {
  const pricing = matcher({ include: ['/pricing'] });
  expect(pricing(`${SHOP}/pricing?utm_source=ads#plans`)).toBe(true);
  expect(pricing(`${SHOP}/pricing/`)).toBe(true);
  const search = matcher({ include: ['/search?q=*'] });
  expect(search(`${SHOP}/search?q=shoes`)).toBe(true);
  expect(search(`${SHOP}/search`)).toBe(false);
  expect(matcher({ include: ['/app#/settings/**'] })(`${SHOP}/app?x=1#/settings/profile`)).toBe(true);
});

test('matches other globs against the whole URL, literally apart from the stars', () => {
  const subdomains = matcher({ include: ['https://*.example.com/**'] });
  expect(subdomains(`${SHOP}/cart`)).toBe(true);
  expect(subdomains('https://example.org/cart')).toBe(false);
  expect(matcher({ include: ['/a.b'] })(`${SHOP}/axb`)).toBe(false);
  expect(matcher({ include: ['*'] })(`${SHOP}/any/page?at=all`)).toBe(true);
});

test('holds when some include matches and no exclude does; an empty include means every page', () => {
  const docs = matcher({ include: ['/docs/**'], exclude: ['/docs/internal/**'] });
  expect(docs(`${SHOP}/docs/start`)).toBe(true);
  expect(docs(`${SHOP}/docs/internal/keys`)).toBe(false);
  const notCheckout = matcher({ exclude: ['/checkout/**'] });
  expect(notCheckout(`${SHOP}/`)).toBe(true);
  expect(notCheckout(`${SHOP}/checkout/pay`)).toBe(false);
});

test('searches a regular expression in the full URL, query string included', () => {
  const campaign = matcher({ match: 'regex', include: ['[?&]utm_campaign=spring'] });
  expect(campaign(`${SHOP}/?utm_source=x&utm_campaign=spring`)).toBe(true);
  expect(campaign(`${SHOP}/spring`)).toBe(false);
  expect(matcher({ match: 'regex', include: ['^https://shop\\.example\\.com/(en|uk)/'] })(`${SHOP}/uk/pricing`)).toBe(true);
});

test('turns a malformed regular expression into a condition that never holds, without throwing', () => {
  const onInvalid = vi.fn();
  const broken = matcher({ match: 'regex', include: ['/pricing/(pro'] }, onInvalid);
  expect(broken(`${SHOP}/pricing/(pro`)).toBe(false);
  expect(onInvalid).toHaveBeenCalledWith('/pricing/(pro', expect.any(SyntaxError));
  expect(matcher({ match: 'regex', include: ['pricing'], exclude: ['[unclosed'] })(`${SHOP}/pricing`)).toBe(false);
});
