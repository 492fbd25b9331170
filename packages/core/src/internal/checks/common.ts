// Twins of ../../schemas/common.ts (see check.ts).
import type { Attribution, Page, Touch, Traits } from '../../schemas/common';
import { fail, type Check } from './check';
import { object, optional } from './object';
import { record } from './record';
import { codePointLength } from '../code-point-length';
import { matches, text } from './text';

const KEY_CHARACTERS = /^[A-Za-z0-9_-]+$/;

/** SiteKeySchema. */
export const siteKey = text({ min: 1, max: 64, rules: [matches(KEY_CHARACTERS, 'must contain only letters, digits, "-" and "_"')] });

/** ClientIdSchema and VisitorIdSchema. */
export const clientId = text({ min: 8, max: 64, rules: [matches(KEY_CHARACTERS, 'must contain only letters, digits, "-" and "_"')] });

// zod's `z.iso.datetime({ offset: true })`: seconds required, fraction optional, `Z` or a
// ±hh:mm offset, and a real calendar date. zod checks the date with a 300-character
// pattern; the calendar's own arithmetic is shorter (the Gregorian cycle repeats every
// 400 years, so year 2000 + year % 400 has the same February; Date.UTC reads years
// below 100 as 19xx).
const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

const isDateTime = (value: string): boolean => {
  const [, year, month, day] = (DATE_TIME.exec(value) ?? []).map(Number);
  if (day === undefined) return false;
  const date = new Date(Date.UTC(2000 + year! % 400, month! - 1, day));
  return date.getUTCMonth() === month! - 1 && date.getUTCDate() === day;
};

/** TimestampSchema. */
export const timestamp = text({ max: Infinity, rules: [[isDateTime, 'must be an ISO 8601 date-time, e.g. 2026-11-23T13:22:39Z']] });

/** PhoneSchema: the same loose browser-side rules; the server normalises to E.164. */
export const phone = text({
  trim: true,
  max: 32,
  rules: [
    matches(/^\+?[\d\s().-]+$/, 'must be a phone number (digits, spaces, +, -, parentheses)'),
    [(value) => /^\d{6,15}$/.test(value.replace(/\D/g, '')), 'must have between 6 and 15 digits'],
  ],
});

// zod's e-mail pattern (zod/v4/core/regexes.js `email`), so browser and server agree.
const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/** EmailSchema. */
export const email = text({ trim: true, max: 254, rules: [matches(EMAIL, 'must be a valid e-mail address')] });

/** NameSchema. */
export const name = text({ trim: true, min: 1, max: 120 });

const traitValue: Check<Traits[string]> = (value, path) => {
  if (typeof value === 'string' && codePointLength(value) > 1000) fail(path, 'must be at most 1000 characters');
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value;
  return fail(path, 'must be a string, a finite number, a boolean or null');
};

const traitRecord = record(traitValue);

/** TraitsSchema. */
export const traits: Check<Traits> = (value, path) => {
  const parsed = traitRecord(value, path);
  if (Object.keys(parsed).length > 50) fail(path, 'must have at most 50 keys');
  return parsed;
};

/** PageSchema. */
export const page = object<Page>({ url: text({ max: 2048 }), referrer: optional(text({ max: 2048 })), title: optional(text({ max: 512 })) });

const tag = optional(text({ max: 256 }));

const touch = object<Touch>({
  at: timestamp,
  landingPage: text({ max: 2048 }),
  referrer: optional(text({ max: 2048 })),
  utmSource: tag,
  utmMedium: tag,
  utmCampaign: tag,
  utmTerm: tag,
  utmContent: tag,
  gclid: tag,
  yclid: tag,
  fbclid: optional(text({ max: 512 })),
});

/** AttributionSchema. */
export const attribution = object<Attribution>({ firstTouch: touch, lastTouch: touch });
