import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of `value` with the site secret, hex: what the site's server computes for `identify(..., { hash })`. */
export function identityHash(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('hex');
}

/** Constant-time check of a browser-supplied hash against `value`. */
export function verifiesIdentity(secret: string, value: string | undefined, hash: string | undefined): boolean {
  if (!value || !hash || !/^[0-9a-f]{64}$/i.test(hash)) return false;
  const expected = Buffer.from(identityHash(secret, value), 'hex');
  return timingSafeEqual(expected, Buffer.from(hash.toLowerCase(), 'hex'));
}
