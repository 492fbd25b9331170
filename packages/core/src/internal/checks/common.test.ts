import fc from 'fast-check';
import { expect, test } from 'vitest';
import { TimestampSchema } from '../../schemas/common';
import { expectAgreement, maybe, timestamp as timestampInput } from '../../../test/support/schema-arbitraries';
import { runCheck } from './check';
import { timestamp } from './common';

test('agrees with TimestampSchema on generated date-times, leap days and impossible dates included', () => {
  const everyDay = fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
    .map(([year, month, day]) => `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T23:59:59.5+14:00`);
  fc.assert(
    fc.property(maybe(fc.oneof(timestampInput, everyDay)), (input) => expectAgreement(runCheck(timestamp, input, 'at'), TimestampSchema, input, 'at')),
    { numRuns: 5000 },
  );
});

test('names the field when a date does not exist', () => {
  expect(runCheck(timestamp, '2100-02-29T00:00:00Z', 'at')).toMatchObject({ ok: false, error: { field: 'at' } });
  expect(runCheck(timestamp, '2000-02-29T00:00:00Z', 'at')).toEqual({ ok: true, value: '2000-02-29T00:00:00Z' });
});
