import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Compact signed tokens: base64url(JSON payload) + "." + HMAC-SHA256. Stateless,
 * so any server node with the same secret verifies them without a lookup.
 */
export function signToken(secret: string, payload: Record<string, unknown>): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** The payload of a token this secret signed and that has not expired (`exp`, seconds), else undefined. */
export function verifyToken<T extends Record<string, unknown>>(secret: string, token: unknown, now: number = Date.now()): T | undefined {
  if (typeof token !== 'string') return undefined;
  const [body, signature] = token.split('.');
  if (!body || !signature) return undefined;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T & { exp?: number };
    if (typeof payload.exp === 'number' && payload.exp * 1000 < now) return undefined;
    return payload;
  } catch {
    return undefined;
  }
}
