import { signToken, verifyToken } from './signed-tokens';

/** The token a browser presents for its visitor id (HTTP history and the socket namespace). */
export function visitorToken(secret: string, site: string, visitorId: string): string {
  return signToken(secret, { typ: 'visitor', site, vid: visitorId });
}

export function verifyVisitorToken(secret: string, token: unknown, site: string, visitorId: string): boolean {
  const payload = verifyToken<{ typ: string; site: string; vid: string }>(secret, token);
  return payload?.typ === 'visitor' && payload.site === site && payload.vid === visitorId;
}
