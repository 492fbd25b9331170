import type { Site } from '../domain/sites';

/** The languages integration texts (SMS notices, CRM lead titles) are written in. */
export type NoticeLocale = 'en' | 'ru' | 'uk' | 'pl';

/** The site's default locale (site config `defaultLocale`), English when unknown. */
export function siteLocale(site: Site): NoticeLocale {
  const locale = site.config['defaultLocale'];
  return locale === 'ru' || locale === 'uk' || locale === 'pl' ? locale : 'en';
}

/** The site's IANA time zone (site config `businessHours.timeZone`), UTC when unset or unknown to this runtime. */
export function siteTimeZone(site: Site): string {
  const hours = site.config['businessHours'] as { timeZone?: unknown } | undefined;
  const zone = typeof hours?.timeZone === 'string' ? hours.timeZone : 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}
