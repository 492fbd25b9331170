import type { IdentifyRequest } from '@threadline/core';
import type { Database } from '../db/database';
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
 */
/** `onMerge` hears of each contact this identify joined (after commit), for realtime notices. */
export async function identifyVisitor(db: Database, site: Site, request: IdentifyRequest, onMerge?: (merge: MergeRecord) => void): Promise<IdentifyResult> {
  const { person, hash } = request;
  const userId = person.userId ? normalizeUserId(person.userId) : undefined;
  const email = person.email ? normalizeEmail(person.email) : undefined;
  const phone = person.phone ? normalizePhone(person.phone, site.defaultCountry ?? undefined) : undefined;
  if (person.phone && !phone) throw new ThreadlineServerError(400, 'invalid_input', 'person.phone is not a valid number', 'person.phone');
  // The hash signs the userId when there is one, else the e-mail (docs/core.md).
  const signed = userId ?? email;
  const verified = hash !== undefined && verifiesIdentity(site.secret, signed, hash);
  if (hash !== undefined && !verified) throw new ThreadlineServerError(401, 'unauthorized', 'hash does not match: compute HMAC-SHA256(site secret, userId or e-mail)', 'hash');

  let merges: MergeRecord[] = [];
  const result = await transactionWithRetry(db, async (tx) => {
    merges = [];
    await lockKeys(tx, [`client:${site.id}:${request.clientId}`]);
    const replay = (await tx.query<{ response: IdentifyResult }>('select response from processed_requests where site_id = $1 and client_id = $2', [site.id, request.clientId])).rows[0];
    if (replay) return replay.response;

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
    if (person.name) await tx.query('update contacts set name = $2, updated_at = now() where id = $1', [resolution.contactId, person.name]);
    if (person.traits) await tx.query('update contacts set attributes = attributes || $2::jsonb, updated_at = now() where id = $1', [resolution.contactId, JSON.stringify(person.traits)]);
    const result: IdentifyResult = { contactId: resolution.contactId, access: resolution.contactId === visitor.contactId || verified ? access : 'own', verified };
    await tx.query('insert into processed_requests (site_id, client_id, response) values ($1, $2, $3)', [site.id, request.clientId, JSON.stringify(result)]);
    merges = resolution.merges;
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
