// Inputs shaped like Threadline's schemas, well-formed and malformed, for the property
// tests that prove the browser's hand-written checks agree with the zod schemas.
import fc from 'fast-check';
import { expect } from 'vitest';
import { validate } from '../../src/validation';
import type { ValidationResult } from '../../src/validation';

/** Any value at all, the kind of thing a careless caller or a newer server sends. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, true, false, 0, -0, 1.5, NaN, Infinity, '', ' ', '😀', [], {}, new Date(0), Object.create(null) as object),
  fc.integer(),
  fc.string(),
  fc.anything(),
);

/** Mostly a value from `arb`, now and then junk. */
export const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ arbitrary: arb, weight: 20 }, { arbitrary: junk, weight: 1 });

/** Mostly `good`, now and then `bad`. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>): fc.Arbitrary<T> => fc.oneof({ arbitrary: good, weight: 8 }, { arbitrary: bad, weight: 1 });

// Characters that exercise trimming, code points (an emoji is two UTF-16 units) and lone surrogates.
const unit = fc.oneof(fc.constantFrom(' ', '\n', 'a', 'Z', '0', '9', '_', '-', '.', ':', '+', '(', ')', '@', '😀', '\uD800', '\u00A0'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));

/** Strings of every length up to a little past `max`, often right at the limit. */
export function text(max: number, min = 0): fc.Arbitrary<string> {
  const near = fc.tuple(fc.integer({ min: -2, max: 2 }), fc.constantFrom('a', '😀', ' ', '\uD800'), fc.constantFrom('', ' ', '  '));
  return mostly(
    fc.string({ unit: fc.oneof({ arbitrary: fc.constantFrom('a', 'b', '1'), weight: 6 }, { arbitrary: unit, weight: 1 }), minLength: min, maxLength: Math.min(max, 24) }),
    fc.oneof(fc.string({ unit, minLength: Math.max(0, min - 1), maxLength: min + 1 }), near.map(([delta, char, pad]) => pad + char.repeat(Math.max(0, Math.min(max, 100_000) + delta)) + pad)),
  );
}

/** Strings built from `characters`, near the lengths that matter. */
export const drawn = (characters: string, maxLength: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...characters), maxLength });

/** Site keys, client ids and visitor ids, valid and not. */
export const key = (min: number, max: number) =>
  mostly(fc.stringMatching(new RegExp(`^[A-Za-z0-9_-]{${min},${max}}$`)), fc.oneof(text(max + 1, min), fc.constantFrom('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', 'bad id!', '')));

/** ISO timestamps, with and without offsets, and near misses. */
export const timestamp: fc.Arbitrary<string> = mostly(
  fc.oneof(
    fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((date) => date.toISOString()),
    fc.constantFrom('2026-11-23T13:22:39+03:00', '2026-11-23T13:22:39.123456-11:30', '2024-02-29T00:00:00Z', '2000-02-29T00:00:00Z', '0000-02-29T00:00:00Z'),
  ),
  fc.oneof(
    fc.constantFrom('1900-02-29T00:00:00Z', '2026-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-11-23T13:22Z', '2026-11-23T24:00:00Z', '2026-11-23T13:22:39+24:00', '2026-11-23 13:22:39Z', '2026-11-23T13:22:39', '2026-11-23', ''),
    fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.constantFrom('Z', '+00:00', '-05:30', '+23:59', '', '.5Z'))
      .map(([year, month, day, zone]) => `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T10:00:00${zone}`),
  ),
);

/** Phone numbers as people type them, and things that are not. */
export const phone: fc.Arbitrary<string> = mostly(
  fc.oneof(fc.stringMatching(/^\+?\d{6,15}$/), fc.constantFrom('+380 67 123 45 67', '(067) 123-45-67', '  +44 20 7946 0958  ', '123456')),
  fc.oneof(fc.constantFrom('12345', '+1234567890123456', 'call me maybe', '++123456', '+', ''), drawn('0123456789 ()+-.', 36), text(33)),
);

/** E-mail addresses, valid and not. */
export const email: fc.Arbitrary<string> = mostly(
  fc.oneof(fc.constantFrom('ann@example.com', "o'neil+tag@mail.example.org", ' bob@example.co.uk '), fc.stringMatching(/^[a-z0-9_+-]{1,12}(\.[a-z0-9]{1,4})?@[a-z0-9][a-z0-9-]{0,8}\.[a-z]{2,4}$/)),
  fc.oneof(fc.emailAddress(), fc.constantFrom('not-an-email', 'a@b', 'a@b.c', 'x@-bad.com', '.a@b.com', ''), text(256)),
);

/** Property names for traits and form fields, around the 1–64 limit. */
const propertyKey = fc.oneof(fc.string({ unit, minLength: 1, maxLength: 8 }), fc.constantFrom('', 'plan', 'x'.repeat(64), 'x'.repeat(65), '😀'.repeat(64), '__proto__', '0', 'constructor'));

/** Trait values: scalars, long strings and things that are not scalars. */
export const traitValue = mostly(fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), fc.oneof(text(1001), fc.double(), junk));

/** A dictionary of `value`s, sometimes with more keys than allowed. */
export const dictionary = (value: fc.Arbitrary<unknown>, maxKeys: number) =>
  mostly(
    fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), value, { maxKeys: 3 }),
    fc.oneof(fc.dictionary(propertyKey, value, { maxKeys: 4 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), value, { minKeys: maxKeys - 1, maxKeys: maxKeys + 2 }), junk),
  );

/** Page context as the SDK reads it. */
export const page = fc.record({ url: text(2049), referrer: maybe(text(2049)), title: maybe(text(513)) }, { requiredKeys: ['url'] });

// toStrictEqual compares `constructor` by identity, so a record with its own `constructor`
// key (a form field may be named so) differs from an equal copy: compare keys and values as
// lists (an own key holding undefined still counts, as toStrictEqual would have it).
function entryTree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(entryTree);
  if (value !== null && typeof value === 'object') return { entries: Object.entries(value).map(([key, item]) => [key, entryTree(item)]) };
  return value;
}

/**
 * Asserts that a hand-written check and the zod schema agree on `input`: both accept
 * with the same value, or both reject naming the same field (the message names it too).
 */
export function expectAgreement<T>(handChecked: ValidationResult<T>, schema: Parameters<typeof validate>[0], input: unknown, prefix?: string): void {
  const zodChecked = validate(schema, input, prefix);
  expect(handChecked.ok).toBe(zodChecked.ok);
  if (handChecked.ok && zodChecked.ok) expect(entryTree(handChecked.value)).toStrictEqual(entryTree(zodChecked.value));
  if (!handChecked.ok && !zodChecked.ok) {
    expect(handChecked.error.field).toBe(zodChecked.error.field);
    expect(handChecked.error.code).toBe('invalid_input');
    expect(handChecked.error.message.startsWith(`${handChecked.error.field || 'input'} `)).toBe(true);
  }
}
