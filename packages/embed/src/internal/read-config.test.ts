import { AppearanceSchema, SiteConfigSchema } from '@threadline/core';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { junk, text } from '../../../core/test/support/schema-arbitraries';
import { readConfig } from './read-config';

// What the server sends: SiteConfigSchema's output, defaults filled.
const SERVED = SiteConfigSchema.parse({ site: 'demo' });

const colour = fc.oneof(fc.stringMatching(/^#[0-9a-fA-F]{3}$/), fc.stringMatching(/^#[0-9a-fA-F]{6}$/), fc.constantFrom('#12345', '#ggg', 'red', '#FFF ', ' #fff', '#ffff'));
const whole = (max: number) => fc.oneof(fc.integer({ min: 0, max }), fc.constantFrom(-1, max + 1, 0.5, -0, Number.MAX_SAFE_INTEGER + 2, NaN, Infinity), fc.double());
// Per field: values near its limits, and junk of every kind.
const override: Record<string, fc.Arbitrary<unknown>> = {
  primaryColor: colour,
  textColor: colour,
  position: fc.constantFrom('left', 'right', 'center', 'LEFT', ''),
  offsetX: whole(400),
  offsetY: whole(400),
  zIndex: whole(2147483647),
  launcherIcon: fc.constantFrom('chat', 'phone', 'mail', 'fax'),
  launcherText: text(40),
  greeting: text(300),
  sound: fc.constantFrom(true, false, 'true', 1),
};
const appearanceOverrides = fc.record(
  Object.fromEntries(Object.entries(override).map(([key, arb]) => [key, fc.oneof({ arbitrary: arb, weight: 8 }, { arbitrary: junk, weight: 1 })])),
  { requiredKeys: [] },
);

test('draws values for every field AppearanceSchema has', () => {
  // A new appearance field needs its values here, or the property below would not see it.
  expect(Object.keys(override).sort()).toEqual(Object.keys(AppearanceSchema.shape).sort());
});

test("takes a page's appearance override exactly when AppearanceSchema takes that value, and names the others", () => {
  fc.assert(
    fc.property(appearanceOverrides, (overrides) => {
      const ignored: string[] = [];
      const config = readConfig(SERVED, { appearance: overrides }, (problem) => ignored.push(problem));
      for (const [key, value] of Object.entries(overrides)) {
        // undefined is "not given" to the schema (its default applies), but not a value a page can set.
        const valid = value !== undefined && AppearanceSchema.safeParse({ [key]: value }).success;
        expect(config.appearance[key as keyof typeof config.appearance]).toBe(valid ? value : SERVED.appearance[key as keyof typeof SERVED.appearance]);
        expect(ignored.includes(`appearance.${key} is not valid`)).toBe(!valid);
      }
    }),
    { numRuns: 3000 },
  );
});

test('ignores an appearance field the schema does not have, naming it', () => {
  const ignored: string[] = [];
  readConfig(SERVED, { appearance: { borderRadius: 4 } as never }, (problem) => ignored.push(problem));
  expect(ignored).toEqual(['appearance.borderRadius is not valid']);
});
