import type { Locale, SiteConfig } from '@threadline/core';
import type { Translate } from './panel-props';

/** The string modules each locale ships (`chat` with its offline form); the shell loads only the active locale's. */
export type StringsPart = 'common' | 'chat' | 'callback' | 'form';

type Strings = Record<string, string>;
type StringsModule = Promise<{ default: Strings }>;

const LOCALES: readonly Locale[] = ['en', 'ru', 'uk', 'pl'];

// Spelled out one by one so that the bundler makes one small chunk per file and a
// visitor downloads only the modules of their locale.
const MODULES: Record<Locale, Record<StringsPart, () => StringsModule>> = {
  en: {
    common: () => import('./locales/en/common'),
    chat: () => import('./locales/en/chat'),
    callback: () => import('./locales/en/callback'),
    form: () => import('./locales/en/form'),
  },
  ru: {
    common: () => import('./locales/ru/common'),
    chat: () => import('./locales/ru/chat'),
    callback: () => import('./locales/ru/callback'),
    form: () => import('./locales/ru/form'),
  },
  uk: {
    common: () => import('./locales/uk/common'),
    chat: () => import('./locales/uk/chat'),
    callback: () => import('./locales/uk/callback'),
    form: () => import('./locales/uk/form'),
  },
  pl: {
    common: () => import('./locales/pl/common'),
    chat: () => import('./locales/pl/chat'),
    callback: () => import('./locales/pl/callback'),
    form: () => import('./locales/pl/form'),
  },
};

const supported = (tag: string | null | undefined): Locale | undefined => LOCALES.find((locale) => tag?.toLowerCase().split(/[-_]/)[0] === locale);

/**
 * The page's declared language (`<html lang>`), else the browser's, when the widgets
 * speak it; otherwise the site's default.
 */
export function pickLocale(config: SiteConfig): Locale {
  return supported(document.documentElement.lang) ?? supported(navigator.language) ?? config.defaultLocale;
}

/** The translator of one locale plus the loader that adds a part's strings to it. */
export interface Texts {
  t: Translate;
  load(part: StringsPart): Promise<void>;
}

/**
 * Creates the translator for `locale`: bundled strings, overridden per key by the
 * site config's `texts[locale]`; `{count}` picks the Intl.PluralRules form
 * (`key.one`, `key.few`, …, falling back to `key.other`).
 */
export function createTexts(locale: Locale, config: SiteConfig): Texts {
  const strings: Strings = {};
  const overrides: Strings = config.texts[locale] ?? {};
  const loaded = new Map<StringsPart, Promise<void>>();
  const plural = new Intl.PluralRules(locale);
  const lookup = (key: string): string | undefined => overrides[key] ?? strings[key];

  const t: Translate = (key, params) => {
    const count = params?.count;
    const text = (typeof count === 'number' ? (lookup(`${key}.${plural.select(count)}`) ?? lookup(`${key}.other`)) : undefined) ?? lookup(key) ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (placeholder, name: string) => (name in params ? String(params[name]) : placeholder)) : text;
  };

  const load = (part: StringsPart): Promise<void> => {
    let loading = loaded.get(part);
    if (!loading) {
      loading = MODULES[locale][part]().then((module) => void Object.assign(strings, module.default));
      // A failed chunk request may succeed later (the visitor came back online).
      loading.catch(() => loaded.delete(part));
      loaded.set(part, loading);
    }
    return loading;
  };

  return { t, load };
}
