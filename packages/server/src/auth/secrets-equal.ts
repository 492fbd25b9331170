import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a secret a caller sent with the expected one in time independent of
 * where they first differ (webhook secrets, verify tokens, basic-auth credentials).
 * Both sides are hashed first: equal lengths for timingSafeEqual, so the secret's
 * length does not leak either.
 */
export function secretsEqual(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
