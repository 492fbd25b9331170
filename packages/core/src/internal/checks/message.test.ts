import fc from 'fast-check';
import { test } from 'vitest';
import { MessageTextSchema, OutgoingMessageSchema } from '../../schemas/message';
import { expectAgreement, junk, key, maybe, page, text, timestamp } from '../../../test/support/schema-arbitraries';
import { runCheck } from './check';
import { messageText, outgoingMessage } from './message';

test('agrees with MessageTextSchema on generated texts', () => {
  fc.assert(
    fc.property(maybe(text(4001, 1)), (input) => expectAgreement(runCheck(messageText, input, 'text'), MessageTextSchema, input, 'text')),
    { numRuns: 2000 },
  );
});

test('agrees with OutgoingMessageSchema on generated messages', () => {
  const candidate = fc.record(
    { site: maybe(key(1, 64)), visitorId: maybe(key(8, 64)), clientId: maybe(key(8, 64)), sessionId: maybe(key(8, 64)), text: maybe(text(4001, 1)), page: maybe(page), createdAt: maybe(timestamp), extra: junk },
    { requiredKeys: ['site', 'visitorId', 'clientId', 'text'] },
  );
  fc.assert(
    fc.property(maybe(candidate), (input) => expectAgreement(runCheck(outgoingMessage, input), OutgoingMessageSchema, input)),
    { numRuns: 2000 },
  );
});
