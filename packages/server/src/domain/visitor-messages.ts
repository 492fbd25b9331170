import type { OutgoingMessage } from '@threadline/core';
import type { Database, Queryable } from '../db/database';
import type { RecordDomainEvent } from '../domain-events';
import { ThreadlineServerError } from '../errors';
import { liveContact, lockKeys } from './identity-resolution';
import { appendItem, findByClientId, ITEM_COLUMNS, openThreadFor, toItem, type TimelineItem } from './timeline';
import { ensureVisitor } from './visitors';

export interface VisitorMessageResult {
  item: TimelineItem;
  created: boolean;
  contactId: string;
}

/** Stores a visitor's chat message once per client id, in the customer's thread; `recordEvent` queues its reactions in the same transaction. */
export async function recordVisitorMessage(db: Database, site: string, message: OutgoingMessage, recordEvent?: RecordDomainEvent): Promise<VisitorMessageResult> {
  return db.transaction(async (tx) => {
    await lockKeys(tx, [`client:${site}:${message.clientId}`]);
    const replay = await findByClientId(tx, site, message.clientId);
    if (replay) {
      if (replay.type !== 'message' || replay.visitorId !== message.visitorId) throw new ThreadlineServerError(409, 'conflict', 'clientId was already used for another write', 'clientId');
      const contact = await tx.query<{ contact_id: string }>('select contact_id from threads where id = $1', [replay.threadId]);
      return { item: replay, created: false, contactId: contact.rows[0]!.contact_id };
    }
    const visitor = await ensureVisitor(tx, site, message.visitorId);
    const threadId = await openThreadFor(tx, site, visitor.contactId);
    const item = await appendItem(tx, {
      site,
      threadId,
      type: 'message',
      channel: 'web',
      direction: 'in',
      visitorId: message.visitorId,
      author: { kind: 'contact' },
      text: message.text,
      payload: message.page ? { page: message.page } : {},
      clientId: message.clientId,
    });
    await recordEvent?.(tx, { type: 'message.created', site, contactId: visitor.contactId, item });
    return { item, created: true, contactId: visitor.contactId };
  });
}

/**
 * What one browser may read of its thread (research/backend.md §9.3): a device
 * with `contact` access (proved by the site's HMAC) reads the whole thread; any
 * other reads only what it wrote and what was answered to it on the web.
 */
export async function visitorHistory(db: Queryable, site: string, visitorId: string, afterSeq: number, limit = 200): Promise<{ messages: TimelineItem[]; latestSeq: number; threadId: string | null }> {
  const visitor = (await db.query<{ contact_id: string; access: string }>('select contact_id, access from visitors where site_id = $1 and id = $2', [site, visitorId])).rows[0];
  if (!visitor) return { messages: [], latestSeq: 0, threadId: null };
  const contact = await liveContact(db, visitor.contact_id);
  const thread = (await db.query<{ id: string; last_seq: string }>('select id, last_seq from threads where contact_id = $1 and merged_into is null order by created_at desc limit 1', [contact.id])).rows[0];
  if (!thread) return { messages: [], latestSeq: 0, threadId: null };
  const { rows } = await db.query<Parameters<typeof toItem>[0]>(
    `select ${ITEM_COLUMNS} from timeline_items
      where thread_id = $1 and seq > $2
        -- A message left through the chat's offline form is a lead for the team but, for the
        -- visitor, the first line of the conversation (toChatMessage gives them its text only).
        and (type = 'message' or (type = 'lead' and payload->>'kind' = 'offline-message'))
        and ($3 = 'contact' or visitor_id = $4)
      order by seq limit $5`,
    [thread.id, afterSeq, visitor.access, visitorId, limit],
  );
  return { messages: rows.map(toItem), latestSeq: Number(thread.last_seq), threadId: thread.id };
}
