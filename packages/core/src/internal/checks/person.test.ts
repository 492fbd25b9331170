import fc from 'fast-check';
import { expect, test } from 'vitest';
import { IdentifyOptionsSchema, PersonSchema } from '../../schemas/identify';
import { dictionary, email, expectAgreement, junk, maybe, phone, text, traitValue } from '../../../test/support/schema-arbitraries';
import { runCheck } from './check';
import { identifyOptions, person } from './person';

test('agrees with PersonSchema on generated people', () => {
  const candidate = fc.record(
    { userId: maybe(text(128, 1)), email: maybe(email), phone: maybe(phone), name: maybe(text(120, 1)), traits: maybe(dictionary(traitValue, 50)), extra: junk },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(maybe(candidate), (input) => expectAgreement(runCheck(person, input), PersonSchema, input)),
    { numRuns: 2000 },
  );
});

test('agrees with IdentifyOptionsSchema on generated options', () => {
  const hash = fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{63,65}$/), fc.string());
  fc.assert(
    fc.property(maybe(fc.record({ hash: maybe(hash) }, { requiredKeys: [] })), (input) => expectAgreement(runCheck(identifyOptions, input), IdentifyOptionsSchema, input)),
    { numRuns: 1000 },
  );
});

test('asks for at least one way to recognise the person', () => {
  expect(runCheck(person, { email: undefined })).toMatchObject({ ok: false, error: { field: 'userId', message: 'userId or one of email, phone, name, traits is required' } });
  expect(runCheck(person, { traits: { plan: 'pro', seats: Infinity } })).toMatchObject({ ok: false, error: { field: 'traits.seats', message: 'traits.seats must be a string, a finite number, a boolean or null' } });
});
