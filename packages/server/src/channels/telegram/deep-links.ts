import { createHash, randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../../db/database';
import { resolveContact, type MergeRecord } from '../../domain/identity-resolution';
import { transactionWithRetry } from '../../domain/retry-transaction';
import { bindVisitor, ensureVisitor } from '../../domain/visitors';

/** How long a "Continue in Telegram" link stays usable, in ms. */
export const LINK_TOKEN_TTL_MS = 15 * 60_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Mints a one-time token for the web visitor, stored only as its hash; expired
 * tokens of the site are swept at the same time.
 */
export async function createLinkToken(db: Database, site: string, visitorId: string, now: number = Date.now()): Promise<{ token: string; expiresAt: Date }> {
  // The bot receives it as `/start <token>` (at most 64 of A-Z a-z 0-9 _ -): 16 random bytes are 22 of them.
  const token = randomBytes(16).toString('base64url');
  const expiresAt = new Date(now + LINK_TOKEN_TTL_MS);
  await db.transaction(async (tx) => {
    // The device gets its own contact now, so that /start has someone to join.
    await ensureVisitor(tx, site, visitorId);
    await tx.query('delete from telegram_link_tokens where site_id = $1 and expires_at < $2', [site, new Date(now)]);
    await tx.query('insert into telegram_link_tokens (token_hash, site_id, visitor_id, expires_at) values ($1, $2, $3, $4)', [hashToken(token), site, visitorId, expiresAt]);
  });
  return { token, expiresAt };
}

/** What a `/start <token>` achieved. */
export type LinkOutcome =
  | { outcome: 'linked'; visitorId: string; contactId: string; merges: MergeRecord[] }
  /** The Telegram user is somebody the visitor's contact may not be joined with (different verified users): a merge suggestion was recorded instead. */
  | { outcome: 'refused'; visitorId: string }
  | { outcome: 'expired' | 'unknown' };

/**
 * Redeems a token sent as `/start <token>`: the Telegram user proved, through
 * their own account, that they hold a link only the web visitor's browser was
 * given. The visitor's contact and the `telegram` identity become one contact
 * (a verified claim, research/backend.md §10 order C), and that browser may now
 * read the whole thread (`access = 'contact'`, §9: proof on that device). The
 * same user redeeming it again (a redelivered update) is answered `linked` again.
 */
export async function redeemLinkToken(db: Database, site: string, token: string, telegramUserId: string, now: number = Date.now()): Promise<LinkOutcome> {
  return transactionWithRetry(db, async (tx: Queryable) => {
    const row = (
      await tx.query<{ visitor_id: string; expires_at: Date; used_by: string | null }>(
        'select visitor_id, expires_at, used_by from telegram_link_tokens where token_hash = $1 and site_id = $2 for update',
        [hashToken(token), site],
      )
    ).rows[0];
    if (!row) return { outcome: 'unknown' as const };
    if (row.used_by !== null && row.used_by !== telegramUserId) return { outcome: 'expired' as const };
    if (row.used_by === null && new Date(row.expires_at).getTime() < now) return { outcome: 'expired' as const };
    if (row.used_by === null) await tx.query('update telegram_link_tokens set used_at = $2, used_by = $3 where token_hash = $1', [hashToken(token), new Date(now), telegramUserId]);

    const visitor = await ensureVisitor(tx, site, row.visitor_id);
    const resolution = await resolveContact(tx, site, visitor.contactId, [{ kind: 'telegram', value: telegramUserId, verified: true, via: 'telegram_deeplink' }], 'telegram:deeplink');
    const owner = (await tx.query<{ contact_id: string }>("select contact_id from identities where site_id = $1 and kind = 'telegram' and value = $2", [site, telegramUserId])).rows[0];
    if (owner?.contact_id !== resolution.contactId) return { outcome: 'refused' as const, visitorId: row.visitor_id };
    await bindVisitor(tx, site, row.visitor_id, resolution.contactId, 'contact');
    return { outcome: 'linked' as const, visitorId: row.visitor_id, contactId: resolution.contactId, merges: resolution.merges };
  });
}
