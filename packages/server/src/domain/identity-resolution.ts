import type { Queryable } from '../db/database';
import { newId } from './ids';
import { ContactChangedError } from './retry-transaction';

/** The kinds of identity a contact can have; `value` is always normalised. */
export type IdentityKind = 'visitor' | 'user_id' | 'email' | 'phone' | 'telegram' | 'whatsapp';

/** Something an event says about who is talking, with how sure we are. */
export interface IdentityClaim {
  kind: IdentityKind;
  value: string;
  raw?: string;
  /** Proven: an HMAC-signed userId/e-mail, a messenger's own sender id, a Telegram contact shared by its owner. */
  verified: boolean;
  via?: string;
}

export interface MergeRecord {
  winnerId: string;
  loserId: string;
  kind: IdentityKind;
  value: string;
}

export interface Resolution {
  contactId: string;
  merges: MergeRecord[];
  suggestions: number;
}

// 0: only device or messenger ids; 1: self-asserted PII (typed phone/e-mail); 2: a verified identity.
type Trust = 0 | 1 | 2;

const PERSONAL_KINDS: ReadonlySet<IdentityKind> = new Set(['user_id', 'email', 'phone']);

interface ContactRow {
  id: string;
  trust: number;
  merged_into: string | null;
  created_at: Date;
}

/** Follows merge tombstones to the live contact. */
export async function liveContact(tx: Queryable, contactId: string): Promise<ContactRow> {
  let id = contactId;
  for (let hops = 0; hops < 64; hops++) {
    const { rows } = await tx.query<ContactRow>('select id, trust, merged_into, created_at from contacts where id = $1', [id]);
    const row = rows[0];
    if (!row) throw new Error(`contact ${id} does not exist`);
    if (!row.merged_into) return row;
    id = row.merged_into;
  }
  throw new Error(`merge chain from ${contactId} is too long`);
}

export async function createContact(tx: Queryable, site: string, name?: string): Promise<string> {
  const id = newId();
  await tx.query('insert into contacts (id, site_id, name) values ($1, $2, $3)', [id, site, name ?? null]);
  return id;
}

/**
 * Serialises every transaction that touches the same identity, so that two
 * requests racing to create it end in one contact (Postgres advisory locks are
 * released at commit; taking them in sorted order rules out deadlocks).
 */
export async function lockKeys(tx: Queryable, keys: string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort()) await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}

const claimKey = (site: string, claim: Pick<IdentityClaim, 'kind' | 'value'>) => `identity:${site}:${claim.kind}:${claim.value}`;

async function verifiedUserIds(tx: Queryable, contactId: string): Promise<string[]> {
  const { rows } = await tx.query<{ value: string }>("select value from identities where contact_id = $1 and kind = 'user_id' and verified", [contactId]);
  return rows.map((row) => row.value);
}

async function raiseTrust(tx: Queryable, contactId: string, trust: Trust): Promise<void> {
  await tx.query('update contacts set trust = greatest(trust, $2), updated_at = now() where id = $1', [contactId, trust]);
}

async function pickWinner(tx: Queryable, a: ContactRow, b: ContactRow): Promise<[ContactRow, ContactRow]> {
  // A contact with a verified user id keeps its id (the site's CRM refers to it); otherwise the older one wins.
  const aVerified = (await verifiedUserIds(tx, a.id)).length > 0;
  const bVerified = (await verifiedUserIds(tx, b.id)).length > 0;
  if (aVerified !== bVerified) return aVerified ? [a, b] : [b, a];
  return a.created_at <= b.created_at ? [a, b] : [b, a];
}

/**
 * Folds `loser` into `winner` in the caller's transaction: identities, devices,
 * threads and timeline move; the loser stays as a tombstone pointing at the
 * winner, and an audit row records why. Devices keep their access level: a
 * merge never lets a browser read history it did not own.
 */
export async function mergeContacts(tx: Queryable, site: string, winner: ContactRow, loser: ContactRow, claim: IdentityClaim, reason: string): Promise<void> {
  const [first, second] = winner.id < loser.id ? [winner.id, loser.id] : [loser.id, winner.id];
  const locked = await tx.query<{ id: string; merged_into: string | null }>('select id, merged_into from contacts where id in ($1, $2) order by id for update', [first, second]);
  // Both rows were read before the lock: a concurrent merge may have folded one of them
  // since. Merging a tombstone would re-point it and split the person in two.
  if (locked.rows.some((row) => row.merged_into !== null)) throw new ContactChangedError(`contact ${winner.id} or ${loser.id} was merged by a concurrent request`);
  await tx.query('update identities set contact_id = $1 where contact_id = $2', [winner.id, loser.id]);
  await tx.query('update visitors set contact_id = $1 where site_id = $3 and contact_id = $2', [winner.id, loser.id, site]);

  // Each contact has one thread (closed ones included): fold the loser's into the winner's.
  const open = async (contactId: string) =>
    (await tx.query<{ id: string; last_seq: string }>('select id, last_seq from threads where contact_id = $1 and merged_into is null order by created_at desc limit 1 for update', [contactId])).rows[0];
  const winnerThread = await open(winner.id);
  const loserThread = await open(loser.id);
  if (winnerThread && loserThread) {
    // The loser's items follow the winner's, in their own order, so that no seq a client
    // already holds changes meaning; the original place is kept in the payload.
    await tx.query("update threads set status = 'closed', merged_into = $1, updated_at = now() where id = $2", [winnerThread.id, loserThread.id]);
    const moved = await tx.query<{ count: string }>(
      `with ordered as (
         select id, row_number() over (order by created_at, seq) as position from timeline_items where thread_id = $2
       )
       update timeline_items item
          set thread_id = $1,
              seq = $3::bigint + ordered.position,
              payload = item.payload || jsonb_build_object('origThread', $2::text, 'origSeq', item.seq)
         from ordered where item.id = ordered.id
       returning item.id`,
      [winnerThread.id, loserThread.id, winnerThread.last_seq],
    );
    await tx.query('update threads set last_seq = last_seq + $2, last_item_at = greatest(last_item_at, (select max(created_at) from timeline_items where thread_id = $1)), updated_at = now() where id = $1', [
      winnerThread.id,
      moved.rows.length,
    ]);
  }
  await tx.query('update threads set contact_id = $1, updated_at = now() where contact_id = $2', [winner.id, loser.id]);
  await tx.query(
    `update contacts w set name = coalesce(w.name, l.name), attributes = l.attributes || w.attributes, trust = greatest(w.trust, l.trust), updated_at = now()
       from contacts l where w.id = $1 and l.id = $2`,
    [winner.id, loser.id],
  );
  await tx.query('update contacts set merged_into = $1, updated_at = now() where id = $2', [winner.id, loser.id]);
  await tx.query('insert into contact_merges (id, site_id, winner_id, loser_id, identity_kind, identity_value, reason, evidence) values ($1, $2, $3, $4, $5, $6, $7, $8)', [
    newId(),
    site,
    winner.id,
    loser.id,
    claim.kind,
    claim.value,
    reason,
    JSON.stringify({ verified: claim.verified, via: claim.via ?? null }),
  ]);
}

/**
 * Finds the one contact an event belongs to, creating, attaching and merging
 * along the rules of docs/api.md ("Identity resolution"):
 *
 * - an identity nobody has yet joins the contact that sent it;
 * - an identity owned by another contact merges the two when the claim is
 *   verified, or when either side has nothing but device/messenger ids, or when
 *   neither side has a verified identity (two self-asserted records agreeing);
 * - two contacts with different verified user ids are never merged: a merge
 *   suggestion is recorded for an agent instead, and so is a self-asserted claim
 *   against a verified contact, and a verified claim on an identity that a
 *   verified contact holds only self-asserted;
 * - a device whose contact already has a different phone, e-mail or user id than
 *   every claim of this event is a shared device: the event starts a new contact.
 *
 * Runs inside the caller's transaction.
 */
export async function resolveContact(tx: Queryable, site: string, anchorContactId: string | undefined, rawClaims: IdentityClaim[], reason: string): Promise<Resolution> {
  const claims = dedupeClaims(rawClaims);
  await lockKeys(
    tx,
    claims.map((claim) => claimKey(site, claim)),
  );
  await weighOwnedClaimsFirst(tx, site, claims);
  const merges: MergeRecord[] = [];
  let suggestions = 0;
  let current = anchorContactId ? await liveContact(tx, anchorContactId) : undefined;

  if (current && (await isSomeoneElse(tx, current.id, claims))) current = undefined;

  for (const claim of claims) {
    const owner = (
      await tx.query<{ id: string; contact_id: string; verified: boolean }>('select id, contact_id, verified from identities where site_id = $1 and kind = $2 and value = $3 for update', [
        site,
        claim.kind,
        claim.value,
      ])
    ).rows[0];
    const claimTrust: Trust = PERSONAL_KINDS.has(claim.kind) ? (claim.verified ? 2 : 1) : claim.verified && claim.kind !== 'visitor' ? 2 : 0;

    if (!owner) {
      if (!current) current = await liveContact(tx, await createContact(tx, site));
      await tx.query('insert into identities (id, site_id, contact_id, kind, value, raw_value, verified, verified_via) values ($1, $2, $3, $4, $5, $6, $7, $8)', [
        newId(),
        site,
        current.id,
        claim.kind,
        claim.value,
        claim.raw ?? null,
        claim.verified,
        claim.verified ? (claim.via ?? null) : null,
      ]);
      if (claimTrust > 0) await raiseTrust(tx, current.id, claimTrust);
      current = await liveContact(tx, current.id);
      continue;
    }

    const ownerContact = await liveContact(tx, owner.contact_id);
    if (!current) {
      current = ownerContact;
    } else if (ownerContact.id !== current.id) {
      const decision = await decide(tx, current, ownerContact, claim, owner.verified);
      if (decision === 'merge') {
        const [winner, loser] = await pickWinner(tx, current, ownerContact);
        await mergeContacts(tx, site, winner, loser, claim, reason);
        merges.push({ winnerId: winner.id, loserId: loser.id, kind: claim.kind, value: claim.value });
        current = await liveContact(tx, winner.id);
      } else {
        suggestions++;
        await tx.query(
          `insert into merge_suggestions (id, site_id, a_contact_id, b_contact_id, reason, evidence) values ($1, $2, $3, $4, $5, $6)
           on conflict (site_id, least(a_contact_id, b_contact_id), greatest(a_contact_id, b_contact_id), reason) where state = 'open' do nothing`,
          [
          newId(),
          site,
          current.id,
          ownerContact.id,
          decision,
            JSON.stringify({ kind: claim.kind, value: claim.value, verified: claim.verified }),
          ],
        );
        continue;
      }
    }
    if (claim.verified && !owner.verified) {
      await tx.query('update identities set verified = true, verified_via = $2 where id = $1', [owner.id, claim.via ?? null]);
    }
    if (claimTrust > 0) await raiseTrust(tx, current.id, claimTrust);
  }

  if (!current) current = await liveContact(tx, await createContact(tx, site));
  return { contactId: current.id, merges, suggestions };
}

async function decide(
  tx: Queryable,
  current: ContactRow,
  owner: ContactRow,
  claim: IdentityClaim,
  ownerIdentityVerified: boolean,
): Promise<'merge' | 'different-verified-users' | 'unverified-claim-on-verified-contact' | 'unverified-identity-on-verified-contact'> {
  const [mine, theirs] = [await verifiedUserIds(tx, current.id), await verifiedUserIds(tx, owner.id)];
  if (mine.length > 0 && theirs.length > 0 && !mine.some((id) => theirs.includes(id))) return 'different-verified-users';
  // A proof that the claimant owns the identity says nothing about the owner, who only
  // typed it. When the owner is verified by something else (its devices may read its
  // whole thread), joining would hand those devices the claimant's history: anyone with
  // a site account could type a victim's phone and wait for the victim's Telegram chat.
  if (claim.verified && !ownerIdentityVerified && owner.trust >= 2) return 'unverified-identity-on-verified-contact';
  if (claim.verified) return 'merge';
  if (current.trust === 0 || owner.trust === 0) return 'merge';
  if (current.trust < 2 && owner.trust < 2) return 'merge';
  return 'unverified-claim-on-verified-contact';
}

// A shared device: the device's contact holds a phone, e-mail or user id, the
// event brings one of the same kind with another value, and nothing it brings
// matches the contact. Such an event is another person's.
async function isSomeoneElse(tx: Queryable, contactId: string, claims: IdentityClaim[]): Promise<boolean> {
  const personal = claims.filter((claim) => PERSONAL_KINDS.has(claim.kind));
  if (personal.length === 0) return false;
  const { rows } = await tx.query<{ kind: IdentityKind; value: string }>("select kind, value from identities where contact_id = $1 and kind in ('user_id', 'email', 'phone')", [contactId]);
  if (rows.length === 0) return false;
  const matches = personal.some((claim) => rows.some((row) => row.kind === claim.kind && row.value === claim.value));
  const conflicts = personal.some((claim) => rows.some((row) => row.kind === claim.kind && row.value !== claim.value));
  return conflicts && !matches;
}

// Among claims of equal strength, those somebody already owns are weighed before new
// ones are attached. Otherwise a new phone typed beside a known e-mail would first make
// the device's anonymous contact look established (trust 1) and turn the known e-mail
// into a mere suggestion, and the outcome would depend on the order of the form fields.
async function weighOwnedClaimsFirst(tx: Queryable, site: string, claims: IdentityClaim[]): Promise<void> {
  const owned = new Set<IdentityClaim>();
  for (const claim of claims) {
    const { rows } = await tx.query('select 1 from identities where site_id = $1 and kind = $2 and value = $3', [site, claim.kind, claim.value]);
    if (rows.length > 0) owned.add(claim);
  }
  claims.sort((a, b) => Number(b.verified) - Number(a.verified) || Number(owned.has(b)) - Number(owned.has(a)));
}

function dedupeClaims(claims: IdentityClaim[]): IdentityClaim[] {
  const byKey = new Map<string, IdentityClaim>();
  for (const claim of claims) {
    const key = `${claim.kind}:${claim.value}`;
    const existing = byKey.get(key);
    if (!existing || (claim.verified && !existing.verified)) byKey.set(key, claim);
  }
  // Verified evidence first: it decides merges before weaker claims are weighed.
  return [...byKey.values()].sort((a, b) => Number(b.verified) - Number(a.verified));
}
