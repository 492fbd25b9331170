import type { SiteConfig } from '@threadline/core';
import type { ConfigOverrides } from './config-overrides';

const LOCALES = ['en', 'ru', 'uk', 'pl'];
// `#rgb` or `#rrggbb`.
const isColor = (value: unknown) => typeof value === 'string' && /^#([\da-f]{3}){1,2}$/i.test(value);
const isInt = (max: number) => (value: unknown) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max;
// In code points (an emoji counts once), as zod measures strings.
const isText = (max: number) => (value: unknown) => typeof value === 'string' && [...value].length <= max;
const isOneOf = (...allowed: string[]) => (value: unknown) => allowed.includes(value as string);

// The run-time overrides a page may lay over the site config, with the same limits as
// AppearanceSchema in core (read-config.test.ts holds them to it).
const APPEARANCE: Record<string, (value: unknown) => boolean> = {
  primaryColor: isColor,
  textColor: isColor,
  position: isOneOf('left', 'right'),
  offsetX: isInt(400),
  offsetY: isInt(400),
  zIndex: isInt(2147483647),
  launcherIcon: isOneOf('chat', 'phone', 'mail'),
  launcherText: isText(40),
  greeting: isText(300),
  sound: (value) => typeof value === 'boolean',
};

/**
 * The site config with the page's run-time overrides laid over it. The config comes from
 * the server that served this very script, which parsed it with SiteConfigSchema (defaults
 * filled), and the loader starts the app only once it came back with its widgets: the
 * browser does not parse it again, which keeps ~2 KB of parsing off the chat-open
 * download. Only the page's overrides are checked, field by field, and an invalid one is
 * named to `ignore` and left out.
 */
export function readConfig(raw: unknown, overrides: ConfigOverrides, ignore: (problem: string) => void): SiteConfig {
  const stored = raw as SiteConfig;
  const appearance: Record<string, unknown> = { ...stored.appearance };
  const widgets: Record<string, unknown> = { ...stored.widgets };
  for (const [key, wanted] of Object.entries(overrides.appearance ?? {})) {
    if (APPEARANCE[key]?.(wanted)) appearance[key] = wanted;
    else ignore(`appearance.${key} is not valid`);
  }
  for (const [key, wanted] of Object.entries(overrides.widgets ?? {})) {
    if (key in widgets && typeof wanted === 'boolean') widgets[key] = wanted;
    else ignore(`widgets.${key} is not valid`);
  }
  const locale = overrides.locale;
  const known = LOCALES.includes(locale!);
  if (locale !== undefined && !known) ignore(`locale must be one of ${LOCALES.join(', ')}`);
  return { ...stored, ...(known ? { defaultLocale: locale } : {}), appearance, widgets } as SiteConfig;
}
