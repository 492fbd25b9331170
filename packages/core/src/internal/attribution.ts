import type { Attribution, Touch } from '../schemas/common';

// Query parameters copied onto a touch; utm_source becomes utmSource.
const CAMPAIGN_PARAMS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'gclid', 'yclid', 'fbclid'] as const;

export const ATTRIBUTION_KEY = 'attribution';

/** The page the visitor is on, as attribution needs it. */
export interface PageContext {
  url: string;
  referrer: string;
}

/**
 * The touch this page view represents, or undefined when it carries no campaign
 * and came from inside the site (or nowhere): such a view must not overwrite
 * the last touch, or every lead would look "direct".
 */
export function touchFromPage(page: PageContext, at: string): { touch: Touch; fromCampaign: boolean } {
  const touch: Touch = { at, landingPage: page.url.slice(0, 2048) };
  let fromCampaign = false;
  let search: URLSearchParams;
  try {
    search = new URL(page.url).searchParams;
  } catch {
    search = new URLSearchParams();
  }
  for (const param of CAMPAIGN_PARAMS) {
    const value = search.get(param);
    if (value) {
      const field = param.replace(/_(\w)/, (_match, letter: string) => letter.toUpperCase()) as Exclude<keyof Touch, 'at' | 'landingPage' | 'referrer'>;
      touch[field] = value.slice(0, param === 'fbclid' ? 512 : 256);
      fromCampaign = true;
    }
  }
  if (page.referrer && isExternal(page.referrer, page.url)) {
    touch.referrer = page.referrer.slice(0, 2048);
    fromCampaign = true;
  }
  return { touch, fromCampaign };
}

function isExternal(referrer: string, url: string): boolean {
  try {
    return new URL(referrer).host !== new URL(url).host;
  } catch {
    return false;
  }
}

/** First touch is kept forever; last touch moves only when a new campaign or outside referrer arrives. */
export function updateAttribution(stored: Attribution | undefined, page: PageContext, at: string): Attribution {
  const { touch, fromCampaign } = touchFromPage(page, at);
  if (!stored) return { firstTouch: touch, lastTouch: touch };
  return fromCampaign ? { firstTouch: stored.firstTouch, lastTouch: touch } : stored;
}
