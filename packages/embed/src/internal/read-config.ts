import { isThreadlineError, parseSiteConfig, type SiteConfig } from '@threadline/core';
import type { ConfigOverrides } from './config-overrides';

const LOCALES = ['en', 'ru', 'uk', 'pl'];

/**
 * The site config with the page's run-time overrides laid over it; or the reason it is
 * unusable. core's parseSiteConfig (no zod in the browser) keeps what is valid and
 * defaults the rest, so an override it dropped is named here, field by field.
 */
export function readConfig(raw: unknown, overrides: ConfigOverrides): { ok: true; value: SiteConfig; ignored: string[] } | { ok: false; message: string } {
  const stored = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, Record<string, unknown> | undefined>;
  const ignored: string[] = [];
  const locale = overrides.locale;
  if (locale !== undefined && !LOCALES.includes(locale)) ignored.push(`locale must be one of ${LOCALES.join(', ')}`);
  let value: SiteConfig;
  try {
    value = parseSiteConfig({
      ...stored,
      ...(locale && LOCALES.includes(locale) ? { defaultLocale: locale } : {}),
      appearance: { ...stored.appearance, ...overrides.appearance },
      widgets: { ...stored.widgets, ...overrides.widgets },
    });
  } catch (error) {
    return { ok: false, message: isThreadlineError(error) ? error.message : String(error) };
  }
  for (const [group, given] of [['appearance', overrides.appearance], ['widgets', overrides.widgets]] as const) {
    for (const [key, wanted] of Object.entries(given ?? {})) {
      if ((value[group] as Record<string, unknown>)[key] !== wanted) ignored.push(`${group}.${key} is not valid`);
    }
  }
  return { ok: true, value, ignored };
}
