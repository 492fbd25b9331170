import fc from 'fast-check';
import { expect, test } from 'vitest';
import { EventSchema } from '../../schemas/event';
import { dictionary, drawn, expectAgreement, junk, key, maybe, page, text, timestamp, traitValue } from '../../../test/support/schema-arbitraries';
import { runCheck } from './check';
import { event } from './event';

test('agrees with EventSchema on generated events', () => {
  const candidate = fc.record(
    {
      site: maybe(key(1, 64)),
      visitorId: maybe(key(8, 64)),
      clientId: maybe(key(8, 64)),
      sessionId: maybe(key(8, 64)),
      name: maybe(fc.oneof(drawn('abZ09_.:-_.:-abZ09 /!', 66), text(64, 1))),
      properties: maybe(dictionary(traitValue, 50)),
      page: maybe(page),
      at: maybe(timestamp),
      extra: junk,
    },
    { requiredKeys: ['site', 'visitorId', 'clientId', 'name', 'at'] },
  );
  fc.assert(
    fc.property(candidate, (input) => expectAgreement(runCheck(event, input), EventSchema, input)),
    { numRuns: 2000 },
  );
});

test('says which characters an event name may use', () => {
  const result = runCheck(event, { site: 'demo', visitorId: 'visitor-1', clientId: 'client-01', name: 'pricing viewed', at: '2026-11-23T13:22:39.000Z' });
  expect(result).toMatchObject({ ok: false, error: { field: 'name', message: 'name must contain only letters, digits, "_", ".", ":" and "-"' } });
});
