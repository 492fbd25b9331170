import { SiteConfigSchema, type SiteConfig } from '@threadline/core';
import type { ConfigOverrides } from './config-overrides';

// TODO(core): switch to core's parseSiteConfig once it is exported: SiteConfigSchema
// pulls zod into the download the chat path pays for.

/** The site config with the page's run-time overrides laid over it, checked as one; or the reason it is unusable. */
export function readConfig(raw: unknown, overrides: ConfigOverrides): { ok: true; value: SiteConfig } | { ok: false; message: string } {
  const stored = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, Record<string, unknown> | undefined>;
  const merged = {
    ...stored,
    ...(overrides.locale ? { defaultLocale: overrides.locale } : {}),
    appearance: { ...stored.appearance, ...overrides.appearance },
    widgets: { ...stored.widgets, ...overrides.widgets },
  };
  const result = SiteConfigSchema.safeParse(merged);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false, message: `${issue?.path.join('.') || 'config'}: ${issue?.message ?? 'invalid'}` };
}
