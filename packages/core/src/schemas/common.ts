import * as z from 'zod/mini';

/** A site key as it appears in `data-site`: letters, digits, `-` and `_`. */
export const SiteKeySchema = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/));

/** A client-generated id (UUID, v7 from this SDK) that makes a write idempotent. */
export const ClientIdSchema = z.string().check(z.minLength(8), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/));

/** The random id of one browser (or device) as the SDK created it. */
export const VisitorIdSchema = ClientIdSchema;

/** An ISO 8601 timestamp with offset, e.g. `2026-11-23T13:22:39.000Z`. */
export const TimestampSchema = z.iso.datetime({ offset: true });

// A loose browser-side check: digits, spaces, dashes, dots, parentheses and one
// leading +, with 6–15 digits (E.164 allows at most 15). The server normalises to
// E.164 with libphonenumber-js and the site's default country.
const PHONE_CHARACTERS = /^\+?[\d\s().-]+$/;

/** A phone number in any common format; the server normalises it to E.164. */
export const PhoneSchema = z.string().check(
  z.trim(),
  z.maxLength(32),
  z.refine((value) => PHONE_CHARACTERS.test(value), 'must be a phone number (digits, spaces, +, -, parentheses)'),
  z.refine((value) => {
    const digits = value.replace(/\D/g, '').length;
    return digits >= 6 && digits <= 15;
  }, 'must have between 6 and 15 digits'),
);

/** An e-mail address, trimmed; the server also lower-cases it. */
export const EmailSchema = z.string().check(z.trim(), z.maxLength(254), z.email());

/** A person's name as typed. */
export const NameSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(120));

/** Free-form properties: small scalar values only, so they index and render safely. */
export const TraitsSchema = z
  .record(z.string().check(z.minLength(1), z.maxLength(64)), z.nullable(z.union([z.string().check(z.maxLength(1000)), z.number(), z.boolean()])))
  .check(z.refine((traits) => Object.keys(traits).length <= 50, 'must have at most 50 keys'));

/** Where on the site something happened. */
export const PageSchema = z.object({
  url: z.string().check(z.maxLength(2048)),
  referrer: z.optional(z.string().check(z.maxLength(2048))),
  title: z.optional(z.string().check(z.maxLength(512))),
});

/** Campaign tags of one touch (a visit that came from somewhere). */
export const TouchSchema = z.object({
  at: TimestampSchema,
  landingPage: z.string().check(z.maxLength(2048)),
  referrer: z.optional(z.string().check(z.maxLength(2048))),
  utmSource: z.optional(z.string().check(z.maxLength(256))),
  utmMedium: z.optional(z.string().check(z.maxLength(256))),
  utmCampaign: z.optional(z.string().check(z.maxLength(256))),
  utmTerm: z.optional(z.string().check(z.maxLength(256))),
  utmContent: z.optional(z.string().check(z.maxLength(256))),
  gclid: z.optional(z.string().check(z.maxLength(256))),
  yclid: z.optional(z.string().check(z.maxLength(256))),
  fbclid: z.optional(z.string().check(z.maxLength(512))),
});

/** First-touch and last-touch attribution, attached to every lead. */
export const AttributionSchema = z.object({
  firstTouch: TouchSchema,
  lastTouch: TouchSchema,
});

export type Page = z.infer<typeof PageSchema>;
export type Touch = z.infer<typeof TouchSchema>;
export type Attribution = z.infer<typeof AttributionSchema>;
export type Traits = z.infer<typeof TraitsSchema>;
