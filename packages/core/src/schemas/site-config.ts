import * as z from 'zod/mini';
import { SiteKeySchema } from './common';

/** Locales the widgets ship. */
export const LocaleSchema = z.enum(['en', 'ru', 'uk', 'pl']);

const HexColorSchema = z.string().check(z.regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/));
const ClockTimeSchema = z.string().check(z.regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/));

/** Look and placement of the widgets. */
export const AppearanceSchema = z.object({
  primaryColor: z._default(HexColorSchema, '#2563eb'),
  textColor: z._default(HexColorSchema, '#ffffff'),
  position: z._default(z.enum(['left', 'right']), 'right'),
  offsetX: z._default(z.number().check(z.int(), z.gte(0), z.lte(400)), 20),
  offsetY: z._default(z.number().check(z.int(), z.gte(0), z.lte(400)), 20),
  zIndex: z._default(z.number().check(z.int(), z.gte(0), z.lte(2147483647)), 2147483000),
  launcherIcon: z._default(z.enum(['chat', 'phone', 'mail']), 'chat'),
  launcherText: z.optional(z.string().check(z.maxLength(40))),
  greeting: z.optional(z.string().check(z.maxLength(300))),
  /** A short tone on a new message while the chat is closed (off when absent). */
  sound: z.optional(z.boolean()),
});

/**
 * Whether the business is open now by its `businessHours`, when that changes (ms since
 * the epoch) and, when closed, the callback slots to offer: computed by the server each time it answers the config, never stored. The
 * widgets use it instead of time-zone arithmetic in the browser (and trust the server's clock).
 */
const EpochMsSchema = z.number().check(z.int(), z.gte(0));
export const OpenNowSchema = z.object({
  open: z.boolean(),
  changesAt: z.optional(EpochMsSchema),
  /** When closed: the callback slots to offer (CALLBACK_SLOT_OPTIONS), ms since the epoch. */
  slots: z.optional(z.array(z.object({ from: EpochMsSchema, to: EpochMsSchema })).check(z.maxLength(100))),
});

/**
 * Messengers connected to the site, as the server reports them: public facts only
 * (a bot's @name), never a token. The chat offers "Continue in Telegram" when present.
 */
export const MessengersSchema = z.object({
  telegram: z.optional(z.object({ username: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_]{3,64}$/))) })),
});

/** Which widgets the site shows. */
export const WidgetsEnabledSchema = z.object({
  chat: z._default(z.boolean(), true),
  callback: z._default(z.boolean(), true),
  form: z._default(z.boolean(), true),
});

/** One opening interval of a day, in the site's time zone (`to` may be `24:00`). */
export const OpeningIntervalSchema = z.object({ from: ClockTimeSchema, to: z.union([ClockTimeSchema, z.literal('24:00')]) });

const DaySchema = z._default(z.array(OpeningIntervalSchema).check(z.maxLength(8)), []);

/** When somebody can answer: weekly intervals in an IANA time zone, plus closed dates. */
export const BusinessHoursSchema = z.object({
  timeZone: z.string().check(z.minLength(1), z.maxLength(64)),
  days: z.object({ mon: DaySchema, tue: DaySchema, wed: DaySchema, thu: DaySchema, fri: DaySchema, sat: DaySchema, sun: DaySchema }),
  /** Dates (YYYY-MM-DD, site time zone) when the business is closed all day. */
  closedDates: z._default(z.array(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/))).check(z.maxLength(366)), []),
});

/** A condition under which a trigger fires; all conditions of a trigger must hold. */
export const TriggerConditionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('timeOnPage'), seconds: z.number().check(z.gte(0), z.lte(86400)) }),
  z.object({ type: z.literal('scrollDepth'), percent: z.number().check(z.gte(0), z.lte(100)) }),
  z.object({ type: z.literal('exitIntent') }),
  z.object({
    type: z.literal('url'),
    match: z._default(z.enum(['glob', 'regex']), 'glob'),
    include: z._default(z.array(z.string().check(z.maxLength(512))).check(z.maxLength(50)), []),
    exclude: z._default(z.array(z.string().check(z.maxLength(512))).check(z.maxLength(50)), []),
  }),
  z.object({
    type: z.literal('visitCount'),
    min: z.optional(z.number().check(z.int(), z.gte(1))),
    max: z.optional(z.number().check(z.int(), z.gte(1))),
  }),
  z.object({ type: z.literal('idle'), seconds: z.number().check(z.gte(1), z.lte(86400)) }),
  z.object({ type: z.literal('businessHours'), open: z.boolean() }),
]);

/** What a trigger does when it fires. */
export const TriggerActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('open'), widget: z.enum(['chat', 'callback', 'form']) }),
  z.object({ type: z.literal('message'), text: z.string().check(z.minLength(1), z.maxLength(500)) }),
]);

/** A marketer's rule: when all conditions hold, do the action, at most as often as the caps allow. */
export const TriggerSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  conditions: z.array(TriggerConditionSchema).check(z.minLength(1), z.maxLength(10)),
  action: TriggerActionSchema,
  frequency: z._default(
    z.object({
      perSession: z.optional(z.number().check(z.int(), z.gte(1))),
      everyDays: z.optional(z.number().check(z.gte(0))),
    }),
    { perSession: 1 },
  ),
});

/** A custom lead-form field. */
export const FormFieldSchema = z.object({
  name: z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/)),
  type: z.enum(['name', 'phone', 'email', 'message', 'text', 'select', 'checkbox']),
  label: z.optional(z.partialRecord(LocaleSchema, z.string().check(z.maxLength(200)))),
  required: z._default(z.boolean(), false),
  options: z.optional(z.array(z.string().check(z.maxLength(200))).check(z.maxLength(50))),
});

/** Whether the SDK may store and send before the visitor agrees (see docs/storage.md). */
export const ConsentModeSchema = z.enum(['implied', 'required']);

/** Everything a site owner or marketer configures; the widgets read it from `GET /api/v1/sites/:site/config`. */
export const SiteConfigSchema = z.object({
  site: SiteKeySchema,
  defaultLocale: z._default(LocaleSchema, 'en'),
  appearance: z.prefault(AppearanceSchema, {}),
  widgets: z.prefault(WidgetsEnabledSchema, {}),
  /** Overrides of widget texts per locale, keyed by text id. */
  texts: z._default(z.partialRecord(LocaleSchema, z.record(z.string(), z.string().check(z.maxLength(1000)))), {}),
  triggers: z._default(z.array(TriggerSchema).check(z.maxLength(50)), []),
  businessHours: z.optional(BusinessHoursSchema),
  messengers: z.optional(MessengersSchema),
  openNow: z.optional(OpenNowSchema),
  consent: z.prefault(
    z.object({
      mode: z._default(ConsentModeSchema, 'implied'),
      text: z.optional(z.string().check(z.maxLength(4000))),
      version: z.optional(z.string().check(z.maxLength(64))),
    }),
    {},
  ),
  form: z._default(
    z.object({ fields: z.array(FormFieldSchema).check(z.maxLength(30)) }),
    { fields: [{ name: 'name', type: 'name', required: false }, { name: 'phone', type: 'phone', required: true }] },
  ),
  callback: z.prefault(
    z.object({
      /** ISO 3166 alpha-2 country used to read national phone numbers. */
      defaultCountry: z.optional(z.string().check(z.regex(/^[A-Z]{2}$/))),
      answerWithinSeconds: z._default(z.number().check(z.int(), z.gte(5), z.lte(3600)), 30),
    }),
    {},
  ),
});

export type Locale = z.infer<typeof LocaleSchema>;
export type Appearance = z.infer<typeof AppearanceSchema>;
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;
export type TriggerCondition = z.infer<typeof TriggerConditionSchema>;
export type TriggerAction = z.infer<typeof TriggerActionSchema>;
export type Trigger = z.infer<typeof TriggerSchema>;
export type FormField = z.infer<typeof FormFieldSchema>;
export type ConsentMode = z.infer<typeof ConsentModeSchema>;
export type Messengers = z.infer<typeof MessengersSchema>;
export type OpenNow = z.infer<typeof OpenNowSchema>;
export type SiteConfig = z.infer<typeof SiteConfigSchema>;
/** A site config as written by hand: every field with a default may be left out. */
export type SiteConfigInput = z.input<typeof SiteConfigSchema>;
