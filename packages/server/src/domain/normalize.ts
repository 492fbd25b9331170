import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * A phone number in E.164 (`+380671234567`), or undefined when it is not a valid
 * number. National formats are read with the site's default country
 * ("8 (999) 123-45-67" with RU, "067 123 45 67" with UA).
 */
export function normalizePhone(raw: string, defaultCountry?: string, source: 'typed' | 'messenger' = 'typed'): string | undefined {
  const trimmed = raw.trim();
  // Telegram and WhatsApp send international numbers without "+". Typed numbers
  // never get this treatment: "89161234567" typed on a RU site is national.
  const candidate = source === 'messenger' && /^\d{10,15}$/.test(trimmed) ? `+${trimmed}` : trimmed;
  const parsed = parsePhoneNumberFromString(candidate, defaultCountry ? { defaultCountry: defaultCountry as CountryCode } : undefined);
  return parsed?.isValid() ? parsed.number : undefined;
}

/**
 * An e-mail address trimmed, NFC-normalised and lower-cased. Gmail dots and
 * +tags are kept: stripping them joins different people (research/backend.md §5).
 */
export function normalizeEmail(raw: string): string | undefined {
  const email = raw.normalize('NFC').trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : undefined;
}

// Values people type to get past a form; never identities (PostHog's list is the seed).
const JUNK_USER_IDS = new Set(['', 'null', 'undefined', '0', 'anonymous', 'guest', 'none', 'nan', 'true', 'false', '[object object]', 'id', 'email', 'user']);

/** A site's user id as given, or undefined for placeholder values that would merge strangers. */
export function normalizeUserId(raw: string): string | undefined {
  const userId = raw.trim();
  return JUNK_USER_IDS.has(userId.toLowerCase()) ? undefined : userId;
}
