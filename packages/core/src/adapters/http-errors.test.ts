import { expect, test } from 'vitest';
import { errorFromResponse, parseRetryAfter } from './http-errors';

const NOW = Date.parse('2026-11-23T12:00:00Z');

test.each([
  [500, 'server', true],
  [503, 'server', true],
  [408, 'timeout', true],
  [429, 'rate_limited', true],
  [400, 'invalid_input', false],
  [413, 'invalid_input', false],
  [401, 'unauthorized', false],
  [403, 'unauthorized', false],
  [404, 'not_found', false],
  [409, 'rejected', false],
] as const)('a %i answer becomes a %s error, retryable: %s', async (status, code, retryable) => {
  const error = await errorFromResponse(new Response('not json', { status }), NOW);
  expect(error).toMatchObject({ code, retryable, status });
});

test('keeps the field and message of a Threadline error body', async () => {
  const response = Response.json({ error: { code: 'invalid_input', field: 'phone', message: 'phone must have between 6 and 15 digits' } }, { status: 400 });
  expect(await errorFromResponse(response, NOW)).toMatchObject({ field: 'phone', message: 'phone must have between 6 and 15 digits' });
});

test('reads Retry-After as seconds or as an HTTP date', () => {
  expect(parseRetryAfter('120', NOW)).toBe(120_000);
  expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:30 GMT', NOW)).toBe(30_000);
  expect(parseRetryAfter('Mon, 23 Nov 2026 11:00:00 GMT', NOW)).toBe(0);
  expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  expect(parseRetryAfter(null, NOW)).toBeUndefined();
});
