// Who may see what in realtime: the socket rooms an event goes to follow the same
// visibility rule as visitorHistory (research/backend.md §9.3).
import type { Queryable } from '../db/database';
import { liveContact } from '../domain/identity-resolution';
import type { VisitorActivity } from './agent-events';

/** The room of one browser (every tab of a visitor id joins it). */
export function visitorRoom(site: string, visitorId: string): string {
  return `v:${site}:${visitorId}`;
}

/** Rooms of the devices that read a contact's whole thread (proved by the site's HMAC). */
export async function contactReaderRooms(db: Queryable, contactId: string): Promise<string[]> {
  const { rows } = await db.query<{ site_id: string; id: string }>("select site_id, id from visitors where contact_id = $1 and access = 'contact'", [contactId]);
  return rows.map((row) => visitorRoom(row.site_id, row.id));
}

/** Rooms of every device bound to these contacts, whatever their access (merge notices). */
export async function contactDeviceRooms(db: Queryable, contactIds: string[]): Promise<string[]> {
  const { rows } = await db.query<{ site_id: string; id: string }>('select site_id, id from visitors where contact_id = any($1)', [contactIds]);
  return rows.map((row) => visitorRoom(row.site_id, row.id));
}

/**
 * The rooms an agent's typing or read receipt for a thread goes to: the devices
 * that read the whole thread, and the web visitors the agent is answering —
 * the one an agent reply would go to (the last to write) for typing, every
 * visitor who wrote for read receipts, which only mark their own messages.
 */
export async function threadAudienceRooms(db: Queryable, threadId: string, writers: 'last' | 'all'): Promise<string[] | undefined> {
  const thread = (await db.query<{ site_id: string; contact_id: string }>('select site_id, contact_id from threads where id = $1', [threadId])).rows[0];
  if (!thread) return undefined;
  const contact = await liveContact(db, thread.contact_id);
  const { rows } = await db.query<{ visitor_id: string }>(
    `select visitor_id from timeline_items
      where thread_id = $1 and visitor_id is not null and direction = 'in' and channel = 'web'
      group by visitor_id order by max(seq) desc ${writers === 'last' ? 'limit 1' : ''}`,
    [threadId],
  );
  return [...new Set([...rows.map((row) => visitorRoom(thread.site_id, row.visitor_id)), ...(await contactReaderRooms(db, contact.id))])];
}

/** The live contact and open thread behind a browser, for the activity agents see; undefined for a visitor never stored. */
export async function visitorActivity(db: Queryable, site: string, visitorId: string): Promise<VisitorActivity | undefined> {
  const visitor = (await db.query<{ contact_id: string }>('select contact_id from visitors where site_id = $1 and id = $2', [site, visitorId])).rows[0];
  if (!visitor) return undefined;
  const contact = await liveContact(db, visitor.contact_id);
  const thread = (await db.query<{ id: string }>('select id from threads where contact_id = $1 and merged_into is null order by created_at desc limit 1', [contact.id])).rows[0];
  return { site, visitorId, contactId: contact.id, threadId: thread?.id ?? null };
}
