import type { IdentifyRequest } from '@threadline/core';
import type { Database } from '../db/database';
import type { RecordDomainEvent } from '../domain-events';
import { ThreadlineServerError } from '../errors';
import { resolveContact, type IdentityClaim, type MergeRecord } from './identity-resolution';
import { lockKeys } from './identity-resolution';
import { verifiesIdentity } from './identity-verification';
import { transactionWithRetry } from './retry-transaction';
import { normalizeEmail, normalizePhone, normalizeUserId } from './normalize';
import type { Site } from './sites';
import { bindVisitor, ensureVisitor } from './visitors';

export interface IdentifyResult {
  contactId: string;
  /** Whether this browser may now read the contact's whole history. */
  access: 'own' | 'contact';
  verified: boolean;
}

/**
 * Attaches a known person to a device. A userId or e-mail verified by the
 * site's HMAC (`hash`) is a verified claim and grants the device `contact`
 * access; without it, the claims are self-asserted: they may join contacts
 * for agents, never widen what the browser reads. Idempotent by client id.
 * `onMerge` hears of each contact this identify joined (after commit), for realtime notices;
 * `recordEvent` queues the merges' reactions in the same transaction.
 */
export async function identifyVisitor(db: Database, site: Site, request: IdentifyRequest, onMerge?: (merge: MergeRecord) => void, recordEvent?: RecordDomainEvent): Promise<IdentifyResult> {
  const { person, hash } = request;
  const userId = person.userId ? normalizeUserId(person.userId) : undefined;
  const email = person.email ? normalizeEmail(person.email) : undefined;
  const phone = person.phone ? normalizePhone(person.phone, site.defaultCountry ?? undefined) : undefined;
  // A phone the server cannot read is not used as a claim; failing the identify for it would
  // leave it failed in the browser's outbox for good (the browser checks only its shape).
  // The hash signs the userId when there is one, else the e-mail (docs/core.md).
  const signed = userId ?? email;
  const verified = hash !== undefined && verifiesIdentity(site.secret, signed, hash);
  if (hash !== undefined && !verified) throw new ThreadlineServerError(401, 'unauthorized', 'hash does not match: compute HMAC-SHA256(site secret, userId or e-mail)', 'hash');

  let merges: MergeRecord[] = [];
  const result = await transactionWithRetry(db, async (tx) => {
    merges = [];
    await lockKeys(tx, [`client:${site.id}:${request.clientId}`]);
    const replay = (await tx.query<{ response: IdentifyResult; visitor_id: string | null }>('select response, response->>\'visitorId\' as visitor_id from processed_requests where site_id = $1 and client_id = $2', [site.id, request.clientId])).rows[0];
    if (replay) {
      // A replay comes from the browser that sent it; another visitor must not learn its answer.
      if (replay.visitor_id !== request.visitorId) throw new ThreadlineServerError(409, 'conflict', 'clientId was already used for another write', 'clientId');
      const { visitorId: _visitorId, ...answer } = replay.response as IdentifyResult & { visitorId?: string };
      return answer;
    }

    const visitor = await ensureVisitor(tx, site.id, request.visitorId);
    const claims: IdentityClaim[] = [
      ...(userId ? [{ kind: 'user_id' as const, value: userId, raw: person.userId, verified: verified && signed === userId, via: 'hmac' }] : []),
      ...(email ? [{ kind: 'email' as const, value: email, raw: person.email, verified: verified && signed === email, via: 'hmac' }] : []),
      ...(phone ? [{ kind: 'phone' as const, value: phone, raw: person.phone, verified: false }] : []),
    ];
    // A verified user different from the one this device was bound to: the device changes hands, it does not merge.
    const anchor = verified && (await boundToOtherVerifiedUser(tx, visitor.contactId, userId)) ? undefined : visitor.contactId;
    const resolution = await resolveContact(tx, site.id, anchor, claims, 'identify');
    const access = verified ? 'contact' : visitor.access;
    await bindVisitor(tx, site.id, visitor.id, resolution.contactId, verified ? 'contact' : (resolution.contactId === visitor.contactId ? visitor.access : 'own'));
    // Only the site's proof, or the device's own contact, may rename or annotate a customer:
    // an unverified identify that claimed someone else's e-mail must not rewrite their record.
    const authoritative = verified || resolution.contactId === visitor.contactId;
    if (person.name) await tx.query(`update contacts set name = ${authoritative ? '$2' : 'coalesce(name, $2)'}, updated_at = now() where id = $1`, [resolution.contactId, person.name]);
    // Attributes stay bounded (16 KiB): traits are merged only while they fit.
    if (person.traits && authoritative) {
      await tx.query('update contacts set attributes = attributes || $2::jsonb, updated_at = now() where id = $1 and pg_column_size(attributes || $2::jsonb) <= 16384', [resolution.contactId, JSON.stringify(person.traits)]);
    }
    const result: IdentifyResult = { contactId: resolution.contactId, access: resolution.contactId === visitor.contactId || verified ? access : 'own', verified };
    await tx.query('insert into processed_requests (site_id, client_id, response) values ($1, $2, $3)', [site.id, request.clientId, JSON.stringify({ ...result, visitorId: request.visitorId })]);
    merges = resolution.merges;
    if (recordEvent) for (const merge of merges) await recordEvent(tx, { type: 'contact.merged', site: site.id, winnerId: merge.winnerId, loserId: merge.loserId });
    return result;
  });
  for (const merge of merges) onMerge?.(merge);
  return result;
}

async function boundToOtherVerifiedUser(tx: Parameters<Parameters<Database['transaction']>[0]>[0], contactId: string, userId: string | undefined): Promise<boolean> {
  if (!userId) return false;
  const { rows } = await tx.query<{ value: string }>("select value from identities where contact_id = $1 and kind = 'user_id' and verified", [contactId]);
  return rows.length > 0 && !rows.some((row) => row.value === userId);
}
