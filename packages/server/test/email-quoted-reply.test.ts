// @vitest-environment node
import { expect, test } from 'vitest';
import { stripQuotedReply } from '../src/channels/email/quoted-reply.ts';

test.each([
  ['an English attribution line', 'Yes, Tuesday works.\n\nOn Mon, 23 Nov 2026 at 10:00, Shop <support@shop.test> wrote:\n> When can we deliver?', 'Yes, Tuesday works.'],
  ['an attribution Gmail wrapped over two lines', 'Yes.\n\nOn Mon, 23 Nov 2026 at 10:00, Shop support\n<support@shop.test> wrote:\n> When?', 'Yes.'],
  ['a Ukrainian Gmail attribution', 'Так, дякую.\n\nпн, 23 лист. 2026 р. о 10:00 Shop <support@shop.test> пише:\n> Коли доставити?', 'Так, дякую.'],
  ['an Outlook original-message block', 'Fine by me.\r\n\r\n-----Original Message-----\r\nFrom: Shop\r\nSent: Monday', 'Fine by me.'],
  ['a trailing block of quoted lines', 'See you then.\n\n> We will come at 15:30.\n>', 'See you then.'],
])('keeps only the new text above %s', (_name, body, expected) => {
  expect(stripQuotedReply(body)).toBe(expected);
});

test('keeps quoted lines the customer answers in between, and text that only mentions someone wrote', () => {
  const inline = '> Which colour?\nRed, please.\n> Which size?\nL.';
  expect(stripQuotedReply(inline)).toBe(inline);
  expect(stripQuotedReply('My neighbour wrote: the parcel is here')).toBe('My neighbour wrote: the parcel is here');
});

test('keeps a message that is nothing but a quote', () => {
  expect(stripQuotedReply('> forwarded text only')).toBe('> forwarded text only');
});
