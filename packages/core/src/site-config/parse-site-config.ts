import { ThreadlineError } from '../errors';
import type { Appearance, FormField, Locale, Messengers, OpenNow, SiteConfig } from '../schemas/site-config';
import { parseBusinessHours } from './parse-business-hours';
import { parseTrigger } from './parse-trigger';
import { allItems, bool, copyOptional, entriesOf, isObject, numberIn, oneOf, textOf, validItems, withDefault, type Reader } from './read';

type Shape = Record<string, unknown>;

const LOCALES: Locale[] = ['en', 'ru', 'uk', 'pl'];
const locale = oneOf(...LOCALES);
const color = textOf(7, 0, /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/);
const offset = numberIn(0, 400, true);
const objectOrEmpty = (value: unknown): Shape => (isObject(value) ? value : {});

function appearance(source: Shape): Appearance {
  const parsed: Shape = {
    primaryColor: withDefault(source, 'primaryColor', color, '#2563eb'),
    textColor: withDefault(source, 'textColor', color, '#ffffff'),
    position: withDefault(source, 'position', oneOf('left', 'right'), 'right'),
    offsetX: withDefault(source, 'offsetX', offset, 20),
    offsetY: withDefault(source, 'offsetY', offset, 20),
    zIndex: withDefault(source, 'zIndex', numberIn(0, 2147483647, true), 2147483000),
    launcherIcon: withDefault(source, 'launcherIcon', oneOf('chat', 'phone', 'mail'), 'chat'),
  };
  copyOptional(parsed, source, 'launcherText', textOf(40));
  copyOptional(parsed, source, 'greeting', textOf(300));
  return parsed as Appearance;
}

/** Texts per locale; an unknown locale or an invalid text is left out. */
function texts(value: unknown): SiteConfig['texts'] {
  const parsed: Record<string, Record<string, string>> = {};
  for (const [key, overrides] of entriesOf(objectOrEmpty(value))) {
    if (!locale(key) || !isObject(overrides)) continue;
    parsed[key] = Object.fromEntries(entriesOf(overrides).filter(([, text]) => textOf(1000)(text) !== undefined)) as Record<string, string>;
  }
  return parsed;
}

const DEFAULT_FORM: SiteConfig['form'] = {
  fields: [
    { name: 'name', type: 'name', required: false },
    { name: 'phone', type: 'phone', required: true },
  ],
};

const formField: Reader<FormField> = (value) => {
  if (!isObject(value)) return undefined;
  const name = textOf(64, 1, /^[A-Za-z][A-Za-z0-9_]{0,63}$/)(value.name);
  const type = oneOf('name', 'phone', 'email', 'message', 'text', 'select', 'checkbox')(value.type);
  if (!name || !type) return undefined;
  const parsed: Shape = { name, type };
  // Labels: the valid ones, rather than none when one locale's label is invalid.
  copyOptional(parsed, value, 'label', (labels) => (isObject(labels) ? Object.fromEntries(LOCALES.filter((key) => textOf(200)(labels[key]) !== undefined).map((key) => [key, labels[key]])) : undefined));
  parsed.required = withDefault(value, 'required', bool, false);
  // A select without its options cannot be shown: drop the field instead.
  return copyOptional(parsed, value, 'options', (options) => (Array.isArray(options) && options.length <= 50 && options.every((option) => textOf(200)(option) !== undefined) ? [...(options as string[])] : undefined))
    ? (parsed as FormField)
    : undefined;
};

/** Connected messengers: an invalid one, or an invalid bot name, is left out. */
const messengers: Reader<Messengers> = (value) => {
  if (!isObject(value)) return undefined;
  const parsed: Shape = {};
  copyOptional(parsed, value, 'telegram', (telegram) => {
    if (!isObject(telegram)) return undefined;
    const bot: Shape = {};
    copyOptional(bot, telegram, 'username', textOf(64, 0, /^[A-Za-z0-9_]{3,64}$/));
    return bot;
  });
  return parsed as Messengers;
};

/** The server's open-now answer; dropped whole when any part is invalid. */
const openNow: Reader<OpenNow> = (value) => {
  if (!isObject(value) || typeof value.open !== 'boolean') return undefined;
  const parsed: Shape = { open: value.open };
  const epochMs = numberIn(0, Number.MAX_SAFE_INTEGER, true);
  const slot: Reader<{ from: number; to: number }> = (item) => {
    if (!isObject(item)) return undefined;
    const from = epochMs(item.from);
    const to = epochMs(item.to);
    return from === undefined || to === undefined ? undefined : { from, to };
  };
  return copyOptional(parsed, value, 'changesAt', epochMs) && copyOptional(parsed, value, 'slots', (slots) => allItems(slots, slot, 100)) ? (parsed as OpenNow) : undefined;
};

/**
 * Reads the site config the server sent (`GET /api/v1/sites/:site/config`) for the
 * widgets: every default filled in exactly as `SiteConfigSchema.parse` fills it, and
 * on any config the schema accepts, the very same result. Unlike the schema it
 * forgives, so that this SDK keeps working with a newer or misconfigured server:
 * - a trigger with an unknown condition or action type, or any invalid part, is dropped (that trigger only);
 * - an invalid colour, position, number, locale or flag falls back to its default; an invalid optional text is left out;
 * - an unknown consent mode is read as `required` (asking is the safe side of a mode it cannot interpret);
 * - an invalid messenger entry, or an invalid bot name in it, is left out;
 * - invalid form fields, closed dates and opening intervals are dropped; unknown locales in `texts` are ignored;
 * - an opening interval that ends at or before it starts (22:00–02:00) runs past midnight (see parse-business-hours.ts).
 * Only a missing or malformed `site` key throws (`invalid_input`, field `site`).
 * @example
 * const config = parseSiteConfig(await (await fetch(`/api/v1/sites/${site}/config`)).json());
 * if (config.widgets.chat) showLauncher(config.appearance);
 */
export function parseSiteConfig(raw: unknown): SiteConfig {
  const source = objectOrEmpty(raw);
  const site = textOf(64, 1, /^[A-Za-z0-9_-]+$/)(source.site);
  if (site === undefined) throw new ThreadlineError('invalid_input', 'site must be 1–64 letters, digits, "-" or "_"', { field: 'site' });
  const widgets = objectOrEmpty(source.widgets);
  const consent = objectOrEmpty(source.consent);
  const callback = objectOrEmpty(source.callback);
  const form = source.form;
  const parsed: Shape = {
    site,
    defaultLocale: withDefault(source, 'defaultLocale', locale, 'en'),
    appearance: appearance(objectOrEmpty(source.appearance)),
    widgets: { chat: withDefault(widgets, 'chat', bool, true), callback: withDefault(widgets, 'callback', bool, true), form: withDefault(widgets, 'form', bool, true) },
    texts: texts(source.texts),
    triggers: validItems(source.triggers, parseTrigger, 50) ?? [],
  };
  if ('businessHours' in source) {
    const hours = parseBusinessHours(source.businessHours);
    if (hours || source.businessHours === undefined) parsed.businessHours = hours;
  }
  copyOptional(parsed, source, 'messengers', messengers);
  copyOptional(parsed, source, 'openNow', openNow);
  const parsedConsent: Shape = { mode: consent.mode === undefined ? 'implied' : (oneOf('implied', 'required')(consent.mode) ?? 'required') };
  copyOptional(parsedConsent, consent, 'text', textOf(4000));
  copyOptional(parsedConsent, consent, 'version', textOf(64));
  parsed.consent = parsedConsent;
  const fields = isObject(form) ? validItems(form.fields, formField, 30) : undefined;
  parsed.form = fields ? { fields } : { fields: DEFAULT_FORM.fields.map((field) => ({ ...field })) };
  const parsedCallback: Shape = {};
  copyOptional(parsedCallback, callback, 'defaultCountry', textOf(2, 0, /^[A-Z]{2}$/));
  parsedCallback.answerWithinSeconds = withDefault(callback, 'answerWithinSeconds', numberIn(5, 3600, true), 30);
  parsed.callback = parsedCallback;
  return parsed as SiteConfig;
}
