import type { Appearance, Locale } from '@threadline/core';

/** What `threadline('config', {...})` may change at run time, on top of the site config. */
export interface ConfigOverrides {
  locale?: Locale;
  appearance?: Partial<Appearance>;
  widgets?: Partial<Record<'chat' | 'callback' | 'form', boolean>>;
  /** Logs `[threadline]` diagnostics of the client and the triggers. */
  debug?: boolean;
}

/** Later calls win field by field; appearance and widgets merge rather than replace. */
export function mergeOverrides(current: ConfigOverrides, next: ConfigOverrides): ConfigOverrides {
  return {
    ...current,
    ...next,
    appearance: { ...current.appearance, ...next.appearance },
    widgets: { ...current.widgets, ...next.widgets },
  };
}
