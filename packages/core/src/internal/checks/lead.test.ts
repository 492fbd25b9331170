import fc from 'fast-check';
import { expect, test } from 'vitest';
import { LeadInputSchema, LeadSchema } from '../../schemas/lead';
import { dictionary, email, expectAgreement, junk, key, maybe, page, phone, text, timestamp } from '../../../test/support/schema-arbitraries';
import { runCheck } from './check';
import { lead, leadInput } from './lead';

const fieldValue = fc.oneof(text(4001), fc.boolean(), fc.array(text(201), { maxLength: 3 }), fc.array(fc.constant('x'), { minLength: 49, maxLength: 52 }), fc.array(maybe(fc.string()), { maxLength: 3 }), fc.array(fc.string(), { maxLength: 3 }), junk);

const content = {
  kind: maybe(fc.constantFrom('callback', 'form', 'offline-message', 'callback', 'form', 'offline-message', 'party')),
  name: maybe(text(120, 1)),
  phone: maybe(phone),
  email: maybe(email),
  message: maybe(text(4001)),
  preferredTime: maybe(
    fc.oneof(
      fc.tuple(timestamp, timestamp).map(([one, other]) => (Date.parse(one) <= Date.parse(other) ? { from: one, to: other } : { from: other, to: one })),
      fc.record({ from: maybe(timestamp), to: maybe(timestamp) }, { requiredKeys: [] }),
    ),
  ),
  fields: maybe(dictionary(fieldValue, 3)),
  consent: maybe(fc.record({ given: maybe(fc.boolean()), text: maybe(text(4001, 1)), version: maybe(text(65, 1)), at: maybe(timestamp) }, { requiredKeys: [] })),
  honeypot: maybe(text(501)),
  extra: junk,
};

const touch = fc.record(
  { at: maybe(timestamp), landingPage: maybe(text(2049)), referrer: maybe(text(2049)), utmSource: maybe(text(257)), gclid: maybe(text(257)), fbclid: maybe(text(513)) },
  { requiredKeys: ['at', 'landingPage'] },
);

test('agrees with LeadInputSchema on generated leads', () => {
  fc.assert(
    fc.property(maybe(fc.record(content, { requiredKeys: ['kind'] })), (input) => expectAgreement(runCheck(leadInput, input), LeadInputSchema, input)),
    { numRuns: 2000 },
  );
});

test('agrees with LeadSchema on generated payloads', () => {
  const payload = fc.record(
    {
      ...content,
      site: maybe(key(1, 64)),
      visitorId: maybe(key(8, 64)),
      clientId: maybe(key(8, 64)),
      sessionId: maybe(key(8, 64)),
      page: maybe(page),
      attribution: maybe(fc.record({ firstTouch: maybe(touch), lastTouch: maybe(touch) }, { requiredKeys: [] })),
      createdAt: maybe(timestamp),
    },
    { requiredKeys: ['site', 'visitorId', 'clientId', 'kind'] },
  );
  fc.assert(
    fc.property(payload, (input) => expectAgreement(runCheck(lead, input), LeadSchema, input)),
    { numRuns: 2000 },
  );
});

test('names the field and the reason when a lead is refused', () => {
  expect(runCheck(leadInput, { kind: 'form', email: 'ann@example', phone: undefined })).toMatchObject({ ok: false, error: { field: 'email', message: 'email must be a valid e-mail address' } });
  expect(runCheck(leadInput, { kind: 'callback', phone: '123' })).toMatchObject({ ok: false, error: { field: 'phone', message: 'phone must have between 6 and 15 digits' } });
  expect(runCheck(leadInput, { kind: 'callback', phone: '+380 67 123 45 67', preferredTime: { from: '2026-11-23T15:00:00Z', to: '2026-11-23T14:00:00Z' } })).toMatchObject({
    ok: false,
    error: { field: 'preferredTime.to', message: 'preferredTime.to must end after it starts' },
  });
  expect(runCheck(leadInput, { kind: 'form', email: 'a@b.co', fields: { size: ['S', 7] } })).toMatchObject({ ok: false, error: { field: 'fields.size', message: 'fields.size must be a string, a boolean or a list of strings' } });
});
