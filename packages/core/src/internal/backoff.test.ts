import fc from 'fast-check';
import { expect, test } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff';

test('waits a random time up to a doubling ceiling capped at 60 s', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, random) => {
      const delay = backoffDelay(attempt, () => random);
      const ceiling = Math.min(DEFAULT_BACKOFF.capMs, DEFAULT_BACKOFF.baseMs * 2 ** attempt);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(ceiling);
    }),
  );
});

test('never retries earlier than Retry-After', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 3_600_000 }), (attempt, retryAfterMs) => {
      expect(backoffDelay(attempt, Math.random, retryAfterMs)).toBeGreaterThanOrEqual(retryAfterMs);
    }),
  );
});
