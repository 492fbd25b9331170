import type { Queryable } from '../db/database';
import { createContact, liveContact, lockKeys } from './identity-resolution';
import { newId } from './ids';

export interface VisitorRow {
  id: string;
  contactId: string;
  access: 'own' | 'contact';
}

/**
 * The device behind a visitorId, created on first contact with an anonymous
 * contact of its own. Returns the live contact (after merges).
 */
export async function ensureVisitor(tx: Queryable, site: string, visitorId: string, touch?: { firstTouch?: unknown; lastTouch?: unknown }): Promise<VisitorRow> {
  await lockKeys(tx, [`visitor:${site}:${visitorId}`]);
  const existing = (await tx.query<{ contact_id: string; access: 'own' | 'contact' }>('select contact_id, access from visitors where site_id = $1 and id = $2', [site, visitorId])).rows[0];
  if (existing) {
    await tx.query('update visitors set last_seen_at = now(), last_touch = coalesce($3, last_touch) where site_id = $1 and id = $2', [site, visitorId, touch?.lastTouch ? JSON.stringify(touch.lastTouch) : null]);
    return { id: visitorId, contactId: (await liveContact(tx, existing.contact_id)).id, access: existing.access };
  }
  const contactId = await createContact(tx, site);
  await tx.query("insert into identities (id, site_id, contact_id, kind, value) values ($1, $2, $3, 'visitor', $4)", [newId(), site, contactId, visitorId]);
  await tx.query('insert into visitors (site_id, id, contact_id, first_touch, last_touch) values ($1, $2, $3, $4, $5)', [
    site,
    visitorId,
    contactId,
    touch?.firstTouch ? JSON.stringify(touch.firstTouch) : null,
    touch?.lastTouch ? JSON.stringify(touch.lastTouch) : null,
  ]);
  return { id: visitorId, contactId, access: 'own' };
}

/** Re-binds a device to a contact (identify on a shared device, or the resolution moved it). */
export async function bindVisitor(tx: Queryable, site: string, visitorId: string, contactId: string, access?: 'own' | 'contact'): Promise<void> {
  await tx.query('update visitors set contact_id = $3, access = coalesce($4, access) where site_id = $1 and id = $2', [site, visitorId, contactId, access ?? null]);
}
