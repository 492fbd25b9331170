import { createHash, randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../../db/database';
import type { RecordDomainEvent } from '../../domain-events';
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

/** What a `/start <token>` achieved: nothing is linked yet, the user is only asked. */
export type OfferOutcome =
  /** The token is now offered to this Telegram user; `offerId` goes out in the buttons' callback_data. */
  | { outcome: 'offered'; offerId: string; visitorId: string }
  /** This user already said yes to this token (they opened the link again). */
  | { outcome: 'linked'; visitorId: string }
  | { outcome: 'expired' | 'unknown' };

/** What the Telegram user's answer to the offer achieved. */
export type LinkOutcome =
  | { outcome: 'linked'; visitorId: string; contactId: string; merges: MergeRecord[] }
  /** The Telegram user is somebody the visitor's contact may not be joined with (different verified users): a merge suggestion was recorded instead. */
  | { outcome: 'refused'; visitorId: string }
  | { outcome: 'declined'; visitorId: string }
  | { outcome: 'expired'; visitorId: string }
  /** The offer was made to another Telegram user, or there is no such offer (swept, or made-up callback_data). */
  | { outcome: 'not-yours' | 'unknown' };

interface TokenRow {
  token_hash: string;
  visitor_id: string;
  expires_at: Date;
  used_by: string | null;
  offer_id: string | null;
  offered_to: string | null;
  declined_at: Date | null;
}

const TOKEN_COLUMNS = 'token_hash, visitor_id, expires_at, used_by, offer_id, offered_to, declined_at';

/**
 * Takes a token sent as `/start <token>` and offers the link to the Telegram user
 * who sent it, without linking anything: the link may have been sent to them by
 * somebody else, whose browser would then read their Telegram chat. Only the
 * first Telegram user to press Start is offered it; anyone else is told it expired.
 * The same user opening it again gets the same offer (or `linked` once accepted).
 */
export async function offerLinkToken(db: Database, site: string, token: string, telegramUserId: string, now: number = Date.now()): Promise<OfferOutcome> {
  return transactionWithRetry(db, async (tx: Queryable) => {
    const row = (await tx.query<TokenRow>(`select ${TOKEN_COLUMNS} from telegram_link_tokens where token_hash = $1 and site_id = $2 for update`, [hashToken(token), site])).rows[0];
    if (!row) return { outcome: 'unknown' as const };
    if (row.used_by !== null) return row.used_by === telegramUserId ? { outcome: 'linked' as const, visitorId: row.visitor_id } : { outcome: 'expired' as const };
    if (row.declined_at !== null || new Date(row.expires_at).getTime() < now) return { outcome: 'expired' as const };
    if (row.offered_to !== null && row.offered_to !== telegramUserId) return { outcome: 'expired' as const };
    if (row.offer_id !== null) return { outcome: 'offered' as const, offerId: row.offer_id, visitorId: row.visitor_id };
    // 16 random bytes: "link:yes:" and 22 characters stay well inside callback_data's 64 bytes.
    const offerId = randomBytes(16).toString('base64url');
    await tx.query('update telegram_link_tokens set offer_id = $2, offered_to = $3, offered_at = $4 where token_hash = $1', [row.token_hash, offerId, telegramUserId, new Date(now)]);
    return { outcome: 'offered' as const, offerId, visitorId: row.visitor_id };
  });
}

/**
 * The Telegram user's answer to an offer. "Yes" from the user the offer was made
 * to, while the token is valid and unused, joins the visitor's contact and the
 * `telegram` identity as one contact (a verified claim, research/backend.md §10
 * order C), and that browser may now read the whole thread (`access = 'contact'`,
 * §9: proof on that device, and now consent on the Telegram side too). "No" spends
 * the token. The same answer delivered again is answered the same way. A merge is
 * recorded as `contact.merged` in the same transaction (`recordEvent`, the outbox).
 */
export async function answerLinkOffer(
  db: Database,
  site: string,
  offerId: string,
  telegramUserId: string,
  answer: 'yes' | 'no',
  options: { recordEvent?: RecordDomainEvent; now?: number } = {},
): Promise<LinkOutcome> {
  const now = options.now ?? Date.now();
  return transactionWithRetry(db, async (tx: Queryable) => {
    const row = (await tx.query<TokenRow>(`select ${TOKEN_COLUMNS} from telegram_link_tokens where offer_id = $1 and site_id = $2 for update`, [offerId, site])).rows[0];
    if (!row) return { outcome: 'unknown' as const };
    if (row.offered_to !== telegramUserId) return { outcome: 'not-yours' as const };
    const visitorId = row.visitor_id;
    if (row.used_by !== null) {
      // Pressed again: say what the first "Yes" achieved.
      const contactId = await contactOfTelegramUser(tx, site, telegramUserId);
      const bound = (await tx.query("select 1 from visitors where site_id = $1 and id = $2 and contact_id = $3 and access = 'contact'", [site, visitorId, contactId])).rows.length > 0;
      return bound && contactId ? { outcome: 'linked' as const, visitorId, contactId, merges: [] } : { outcome: 'refused' as const, visitorId };
    }
    if (row.declined_at !== null) return { outcome: 'declined' as const, visitorId };
    if (new Date(row.expires_at).getTime() < now) return { outcome: 'expired' as const, visitorId };
    if (answer === 'no') {
      await tx.query('update telegram_link_tokens set declined_at = $2 where token_hash = $1', [row.token_hash, new Date(now)]);
      return { outcome: 'declined' as const, visitorId };
    }
    await tx.query('update telegram_link_tokens set used_at = $2, used_by = $3 where token_hash = $1', [row.token_hash, new Date(now), telegramUserId]);

    const visitor = await ensureVisitor(tx, site, visitorId);
    const resolution = await resolveContact(tx, site, visitor.contactId, [{ kind: 'telegram', value: telegramUserId, verified: true, via: 'telegram_deeplink' }], 'telegram:deeplink');
    for (const merge of resolution.merges) await options.recordEvent?.(tx, { type: 'contact.merged', site, winnerId: merge.winnerId, loserId: merge.loserId });
    if ((await contactOfTelegramUser(tx, site, telegramUserId)) !== resolution.contactId) return { outcome: 'refused' as const, visitorId };
    await bindVisitor(tx, site, visitorId, resolution.contactId, 'contact');
    return { outcome: 'linked' as const, visitorId, contactId: resolution.contactId, merges: resolution.merges };
  });
}

async function contactOfTelegramUser(tx: Queryable, site: string, telegramUserId: string): Promise<string | undefined> {
  const owner = (await tx.query<{ contact_id: string }>("select contact_id from identities where site_id = $1 and kind = 'telegram' and value = $2", [site, telegramUserId])).rows[0];
  return owner?.contact_id;
}
