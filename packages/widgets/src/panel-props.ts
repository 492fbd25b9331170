import type { Locale, SiteConfig, ThreadlineClient } from '@threadline/core';

/** Message keys look like `callback.title`; `params` fill `{name}` placeholders. */
export type Translate = (key: string, params?: Record<string, string | number>) => string;

/**
 * What the panel shell hands every lazily loaded panel (callback, lead form).
 * Site config `texts[locale][key]` already overrides the bundled strings inside `t`.
 */
export interface PanelProps {
  client: ThreadlineClient;
  config: SiteConfig;
  locale: Locale;
  t: Translate;
  now: () => number;
  close(): void;
}
