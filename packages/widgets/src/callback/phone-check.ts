// A light browser-side check only: the server normalises numbers to E.164 with
// libphonenumber-js and the site's default country, which is far too heavy to ship
// to every visitor. 7–15 digits covers every national and international format
// (E.164 allows at most 15 digits; no country's shortest subscriber number with its
// area code is below 7).
const PHONE_SHAPE = /^\+?[\d\s().-]+$/;

/** True when `value` looks like a phone number: digits, spaces, dashes, dots, brackets, one leading +, 7–15 digits. */
export function isPlausiblePhone(value: string): boolean {
  const trimmed = value.trim();
  if (!PHONE_SHAPE.test(trimmed)) return false;
  const digits = trimmed.replace(/\D/g, '').length;
  return digits >= 7 && digits <= 15;
}

// Example numbers in the national format people type; fictional ranges where a
// regulator reserves one (Ofcom's 07700 900xxx, NANP's 555-01xx).
const EXAMPLES: Record<string, string> = {
  UA: '067 123 45 67',
  PL: '512 345 678',
  RU: '8 912 345-67-89',
  KZ: '8 701 234 5678',
  BY: '8 029 123-45-67',
  DE: '0151 23456789',
  GB: '07700 900123',
  US: '(201) 555-0123',
  CA: '(506) 555-0123',
};

/** An example number for the site's default country, shown as the phone field's hint. */
export function phoneExample(country: string | undefined): string {
  return (country && EXAMPLES[country]) || '+1 201 555 0123';
}
