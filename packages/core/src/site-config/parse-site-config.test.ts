import fc from 'fast-check';
import { expect, test } from 'vitest';
import { SiteConfigSchema } from '../schemas/site-config';
import { junk, text } from '../../test/support/schema-arbitraries';
import { parseSiteConfig } from './parse-site-config';

// Mostly valid values, now and then an invalid one or junk: a config is only as valid
// as its least valid field, and the equivalence needs many configs the schema takes.
const or = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) => fc.oneof({ arbitrary: valid, weight: 50 }, { arbitrary: invalid, weight: 1 }, { arbitrary: junk, weight: 1 });
const pick = <T>(valid: T[], invalid: unknown[]) => or(fc.constantFrom(...valid), fc.constantFrom(...invalid));
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });

const clock = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([hour, minute]) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`);
// Forward intervals only here: an overnight one is where parseSiteConfig deliberately differs (tested below).
const interval = or(
  fc.tuple(clock, fc.oneof(clock, fc.constant('24:00'))).map(([from, to]) => (to > from ? { from, to } : { from: '00:00', to: '24:00' })),
  fc.record({ from: fc.constantFrom('09:00', '24:00', '9:00'), to: fc.constantFrom('18:00', '25:00') }),
);
const day = or(fc.array(interval, { maxLength: 3 }), fc.array(interval, { minLength: 9, maxLength: 9 }));
const businessHours = fc.record(
  {
    timeZone: pick(['Europe/Kyiv', 'America/New_York'], ['', 'x'.repeat(65)]),
    days: or(fc.record({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }, { requiredKeys: [] }), fc.constant([])),
    closedDates: or(fc.array(fc.constantFrom('2026-12-25', '2027-01-01'), { maxLength: 3 }), fc.array(fc.constantFrom('2026-1-1', 'christmas'), { minLength: 1, maxLength: 2 })),
  },
  { requiredKeys: ['timeZone', 'days'] },
);

const seconds = or(fc.integer({ min: 1, max: 86_400 }), fc.oneof(fc.integer({ min: -5, max: 0 }), fc.constant(90_000), fc.double()));
const knownCondition = fc.oneof(
  fc.record({ type: fc.constant('timeOnPage'), seconds }),
  fc.record({ type: fc.constant('scrollDepth'), percent: or(fc.integer({ min: 0, max: 100 }), fc.constantFrom(-1, 101)) }),
  fc.record({ type: fc.constant('exitIntent'), extra: junk }),
  fc.record(
    {
      type: fc.constant('url'),
      match: pick(['glob', 'regex'], ['exact']),
      include: or(fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), fc.array(text(513), { maxLength: 3 })),
      exclude: or(fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }), fc.array(fc.constant('x'), { minLength: 51, maxLength: 51 })),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record({ type: fc.constant('visitCount'), min: or(fc.integer({ min: 1, max: 5 }), fc.constantFrom(0, 1.5)), max: or(fc.integer({ min: 1, max: 5 }), fc.constant(2 ** 53)) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('idle'), seconds }),
  fc.record({ type: fc.constant('businessHours'), open: or(fc.boolean(), fc.constant('yes')) }),
);
const condition = or(knownCondition, fc.record({ type: fc.constantFrom('weather', 'cartValue'), value: junk }));
const action = or(
  fc.oneof(fc.record({ type: fc.constant('open'), widget: pick(['chat', 'callback', 'form'], ['video']) }), fc.record({ type: fc.constant('message'), text: text(500, 1) })),
  fc.record({ type: fc.constant('confetti') }),
);
const trigger = fc.record(
  {
    id: text(64, 1),
    conditions: or(fc.array(condition, { minLength: 1, maxLength: 3 }), fc.constantFrom([], Array.from({ length: 11 }, () => ({ type: 'exitIntent' })))),
    action,
    frequency: or(fc.record({ perSession: or(fc.integer({ min: 1, max: 3 }), fc.constant(0)), everyDays: or(fc.integer({ min: 0, max: 30 }), fc.constantFrom(-1, Infinity)) }, { requiredKeys: [] }), fc.constant('daily')),
  },
  { requiredKeys: ['id', 'conditions', 'action'] },
);
const label = or(fc.record({ en: text(200), ru: text(200), uk: text(200), pl: text(200) }), fc.record({ en: text(201) }));
const formField = fc.record(
  {
    name: pick(['name', 'phone', 'company', 'size_2'], ['2fast', '']),
    type: pick(['name', 'phone', 'email', 'message', 'text', 'select', 'checkbox'], ['date']),
    label,
    required: or(fc.boolean(), fc.constant('yes')),
    options: or(fc.array(text(200), { maxLength: 3 }), fc.array(fc.constant(7), { minLength: 1, maxLength: 1 })),
  },
  { requiredKeys: ['name', 'type'] },
);
const color = pick(['#2563eb', '#FFF', '#abcdef'], ['#12345', 'red']);
const siteConfig = fc.record(
  {
    site: pick(['demo', 'acme-shop'], ['bad site']),
    defaultLocale: pick(['en', 'ru', 'uk', 'pl'], ['de']),
    appearance: or(
      fc.record(
        {
          primaryColor: color,
          textColor: color,
          position: pick(['left', 'right'], ['top']),
          offsetX: or(fc.integer({ min: 0, max: 400 }), fc.constantFrom(-1, 401, 1.5)),
          offsetY: or(fc.integer({ min: 0, max: 400 }), fc.double()),
          zIndex: or(fc.integer({ min: 0, max: 2147483647 }), fc.constant(-1)),
          launcherIcon: pick(['chat', 'phone', 'mail'], ['rocket']),
          launcherText: text(40),
          greeting: text(300),
        },
        { requiredKeys: [] },
      ),
      fc.constant('blue'),
    ),
    widgets: fc.record({ chat: or(fc.boolean(), fc.constant(1)), callback: fc.boolean(), form: optional(fc.boolean()) }, { requiredKeys: [] }),
    texts: or(fc.dictionary(fc.constantFrom('en', 'ru', 'uk', 'pl'), fc.dictionary(fc.string({ maxLength: 5 }), text(1000), { maxKeys: 3 }), { maxKeys: 3 }), fc.constant({ de: {} })),
    triggers: fc.array(trigger, { maxLength: 3 }),
    businessHours: optional(businessHours),
    consent: fc.record({ mode: pick(['implied', 'required'], ['strict']), text: text(4000), version: text(64) }, { requiredKeys: [] }),
    form: fc.record({ fields: or(fc.array(formField, { maxLength: 3 }), fc.constant('name,phone')) }),
    messengers: or(
      fc.record({ telegram: or(fc.record({ username: pick(['shop_bot', 'Threadline_Demo_Bot'], ['ab', 'shop bot', 'x'.repeat(65)]) }, { requiredKeys: [] }), fc.constant('@shop_bot')) }, { requiredKeys: [] }),
      fc.constant(true),
    ),
    openNow: optional(
      or(
        fc.record(
          {
            open: fc.boolean(),
            changesAt: or(fc.integer({ min: 0, max: 2 ** 45 }), fc.constantFrom(-1, 1.5)),
            slots: fc.array(fc.record({ from: or(fc.integer({ min: 0, max: 2 ** 45 }), fc.constant(-5)), to: fc.integer({ min: 0, max: 2 ** 45 }) }), { maxLength: 3 }),
          },
          { requiredKeys: ['open'] },
        ),
        fc.constant(true),
      ),
    ),
    callback: fc.record({ defaultCountry: pick(['UA', 'PL'], ['pl', 'USA']), answerWithinSeconds: or(fc.integer({ min: 5, max: 3600 }), fc.constantFrom(4, 3601)) }, { requiredKeys: [] }),
    extra: junk,
  },
  { requiredKeys: ['site'] },
);

test('returns exactly what SiteConfigSchema parses, on every config the schema accepts', () => {
  let accepted = 0;
  fc.assert(
    fc.property(siteConfig, (raw) => {
      const strict = SiteConfigSchema.safeParse(raw);
      if (!strict.success) return;
      accepted += 1;
      expect(parseSiteConfig(raw)).toStrictEqual(strict.data);
    }),
    { numRuns: 6000 },
  );
  // The generator must reach the interesting part: configs the schema takes (about one in six).
  expect(accepted).toBeGreaterThan(500);
});

test('never throws on a config with a valid site key, whatever else it holds', () => {
  fc.assert(
    fc.property(siteConfig, junk, (raw, anything) => {
      const config = parseSiteConfig({ ...raw, site: 'demo' });
      expect(config.site).toBe('demo');
      expect(() => parseSiteConfig({ site: 'demo', appearance: anything, triggers: anything, businessHours: anything, form: anything, texts: anything })).not.toThrow();
    }),
    { numRuns: 1000 },
  );
});

test('fills every default for a config that names only the site', () => {
  expect(parseSiteConfig({ site: 'demo' })).toStrictEqual(SiteConfigSchema.parse({ site: 'demo' }));
});

test('drops only the trigger whose condition or action this SDK does not know', () => {
  const config = parseSiteConfig({
    site: 'demo',
    triggers: [
      { id: 'weather', conditions: [{ type: 'weather', sunny: true }], action: { type: 'open', widget: 'chat' } },
      { id: 'confetti', conditions: [{ type: 'exitIntent' }], action: { type: 'confetti' } },
      { id: 'pricing', conditions: [{ type: 'timeOnPage', seconds: 30 }], action: { type: 'message', text: 'Questions about plans?' } },
    ],
  });
  expect(config.triggers).toEqual([{ id: 'pricing', conditions: [{ type: 'timeOnPage', seconds: 30 }], action: { type: 'message', text: 'Questions about plans?' }, frequency: { perSession: 1 } }]);
});

test('falls back to the default for an invalid colour and keeps the rest of the appearance', () => {
  const config = parseSiteConfig({ site: 'demo', appearance: { primaryColor: 'blurple', position: 'left' } });
  expect(config.appearance).toMatchObject({ primaryColor: '#2563eb', position: 'left' });
});

test('asks for consent when the consent mode is one this SDK does not know', () => {
  expect(parseSiteConfig({ site: 'demo', consent: { mode: 'opt-in-v2' } }).consent.mode).toBe('required');
  expect(parseSiteConfig({ site: 'demo', consent: {} }).consent.mode).toBe('implied');
});

test('splits opening hours that run past midnight into that day and the next', () => {
  const config = parseSiteConfig({
    site: 'demo',
    businessHours: { timeZone: 'Europe/Kyiv', days: { fri: [{ from: '22:00', to: '02:00' }], sat: [{ from: '10:00', to: '14:00' }], sun: [{ from: '20:00', to: '00:00' }] } },
  });
  expect(config.businessHours?.days).toEqual({
    mon: [],
    tue: [],
    wed: [],
    thu: [],
    fri: [{ from: '22:00', to: '24:00' }],
    sat: [
      { from: '00:00', to: '02:00' },
      { from: '10:00', to: '14:00' },
    ],
    sun: [{ from: '20:00', to: '24:00' }],
  });
});

test('keeps a connected messenger without a bot name it cannot read, and never copies a secret', () => {
  const config = parseSiteConfig({ site: 'demo', messengers: { telegram: { username: 'shop bot', botToken: '123456:ABC' }, whatsapp: { phone: '+380671234567' } } });
  expect(config.messengers).toStrictEqual({ telegram: {} });
  expect(parseSiteConfig({ site: 'demo', messengers: 'telegram' })).not.toHaveProperty('messengers');
});

test('refuses a config without a valid site key, naming the field', () => {
  expect(() => parseSiteConfig({ site: 'bad site' })).toThrow(expect.objectContaining({ code: 'invalid_input', field: 'site' }));
  expect(() => parseSiteConfig(null)).toThrow(expect.objectContaining({ field: 'site' }));
});

test('takes a custom field labelled in some of the locales only, as a marketer writes it', () => {
  const raw = { site: 'demo', form: { fields: [{ name: 'size', type: 'select', label: { en: 'Frame size', uk: 'Розмір рами' }, options: ['S', 'M', 'L'] }] } };
  const parsed = SiteConfigSchema.parse(raw);
  expect(parsed.form.fields[0]!.label).toEqual({ en: 'Frame size', uk: 'Розмір рами' });
  expect(parseSiteConfig(raw)).toStrictEqual(parsed);
});
