import type { ChannelReplies } from '../channels/channel-replies';
import type { Database, Queryable } from '../db/database';
import type { DomainEventOutbox } from '../domain-events';
import { ThreadlineServerError } from '../errors';
import { liveContact } from './identity-resolution';
import { normalizeEmail, normalizePhone } from './normalize';
import { findSite } from './sites';
import { appendItem, ITEM_COLUMNS, toItem, type TimelineItem } from './timeline';

export interface ThreadSummary {
  id: string;
  siteId: string;
  contactId: string;
  status: 'open' | 'closed';
  assigneeId: string | null;
  lastItemAt: string | null;
  lastInboundChannel: string | null;
  contact: { name: string | null; identities: { kind: string; value: string; verified: boolean }[] };
}

interface ThreadRow {
  merged_into?: string | null;
  id: string;
  site_id: string;
  contact_id: string;
  status: 'open' | 'closed';
  assignee_id: string | null;
  last_item_at: Date | null;
  last_inbound_channel: string | null;
  name: string | null;
}

type IdentityView = { kind: string; value: string; verified: boolean };

/** Identities (visitor ids aside) of many contacts in one query, by contact. */
async function identitiesOf(db: Queryable, contactIds: string[]): Promise<Map<string, IdentityView[]>> {
  const { rows } = await db.query<IdentityView & { contact_id: string }>(
    "select contact_id, kind, value, verified from identities where contact_id = any($1) and kind <> 'visitor' order by kind, created_at",
    [contactIds],
  );
  const byContact = new Map<string, IdentityView[]>();
  for (const { contact_id: contactId, ...identity } of rows) byContact.set(contactId, [...(byContact.get(contactId) ?? []), identity]);
  return byContact;
}

const THREAD_COLUMNS = 't.id, t.site_id, t.contact_id, t.status, t.assignee_id, t.last_item_at, t.last_inbound_channel, t.merged_into, c.name';

/** The thread's own fields, as the agent API returns them. */
function threadFields(row: ThreadRow) {
  return {
    id: row.id,
    siteId: row.site_id,
    contactId: row.contact_id,
    status: row.status,
    assigneeId: row.assignee_id,
    lastItemAt: row.last_item_at ? new Date(row.last_item_at).toISOString() : null,
    lastInboundChannel: row.last_inbound_channel,
    /** Set when this thread was folded into another (a merge): its items now live there. */
    mergedInto: row.merged_into ?? null,
  };
}

async function findThreadRow(db: Queryable, threadId: string): Promise<ThreadRow> {
  const row = (await db.query<ThreadRow>(`select ${THREAD_COLUMNS} from threads t join contacts c on c.id = t.contact_id where t.id = $1`, [threadId])).rows[0];
  if (!row) throw new ThreadlineServerError(404, 'not_found', `no thread ${threadId}`, 'id');
  return row;
}

/** One thread's own fields (what assign, close and reopen answer), without its timeline. */
export async function findThread(db: Queryable, threadId: string) {
  return threadFields(await findThreadRow(db, threadId));
}

export interface ThreadFilters {
  query?: string;
  site?: string;
  status?: 'open' | 'closed';
  assigneeId?: string;
  limit: number;
}

/**
 * Threads, newest activity first. `query` matches a name (substring), an
 * e-mail (any case), or a phone in any format: it is normalised with each
 * site's default country before it is compared.
 */
export async function listThreads(db: Queryable, filters: ThreadFilters): Promise<ThreadSummary[]> {
  const params: unknown[] = [];
  const where: string[] = ['t.merged_into is null'];
  if (filters.site) where.push(`t.site_id = $${params.push(filters.site)}`);
  if (filters.status) where.push(`t.status = $${params.push(filters.status)}`);
  if (filters.assigneeId === 'none') where.push('t.assignee_id is null');
  else if (filters.assigneeId) where.push(`t.assignee_id = $${params.push(filters.assigneeId)}`);
  const query = filters.query?.trim();
  if (query) {
    const email = normalizeEmail(query);
    const conditions = [`c.name ilike $${params.push(`%${query.replace(/[%_\\]/g, (char) => `\\${char}`)}%`)}`];
    if (email) conditions.push(`exists (select 1 from identities i where i.contact_id = c.id and i.kind = 'email' and i.value = $${params.push(email)})`);
    if (/\d/.test(query)) {
      const countries = (await db.query<{ default_country: string | null }>('select distinct default_country from sites')).rows.map((row) => row.default_country ?? undefined);
      const phones = [...new Set([undefined, ...countries].map((country) => normalizePhone(query, country)).filter((phone): phone is string => Boolean(phone)))];
      if (phones.length > 0) conditions.push(`exists (select 1 from identities i where i.contact_id = c.id and i.kind = 'phone' and i.value = any($${params.push(phones)}))`);
    }
    where.push(`(${conditions.join(' or ')})`);
  }
  const { rows } = await db.query<ThreadRow>(
    `select ${THREAD_COLUMNS}
       from threads t join contacts c on c.id = t.contact_id
      where ${where.join(' and ')}
      order by t.last_item_at desc nulls last, t.created_at desc
      limit $${params.push(filters.limit)}`,
    params,
  );
  const identities = await identitiesOf(
    db,
    rows.map((row) => row.contact_id),
  );
  return rows.map((row) => {
    const { mergedInto: _mergedInto, ...thread } = threadFields(row);
    return { ...thread, contact: { name: row.name, identities: identities.get(row.contact_id) ?? [] } };
  });
}

/** One thread with its contact (identities, devices and their attribution) and its whole timeline across channels. */
export async function threadDetail(db: Queryable, threadId: string) {
  const row = await findThreadRow(db, threadId);
  const contact = (await db.query<{ id: string; name: string | null; attributes: Record<string, unknown>; trust: number }>('select id, name, attributes, trust from contacts where id = $1', [row.contact_id])).rows[0]!;
  const visitors = (
    await db.query<{ id: string; access: string; first_touch: unknown; last_touch: unknown; last_seen_at: Date }>(
      'select id, access, first_touch, last_touch, last_seen_at from visitors where contact_id = $1 order by last_seen_at desc',
      [row.contact_id],
    )
  ).rows;
  const items = (await db.query<Parameters<typeof toItem>[0]>(`select ${ITEM_COLUMNS} from timeline_items where thread_id = $1 order by seq`, [threadId])).rows.map(toItem);
  return {
    thread: threadFields(row),
    contact: {
      id: contact.id,
      name: contact.name,
      attributes: contact.attributes,
      verified: contact.trust >= 2,
      identities: (await identitiesOf(db, [row.contact_id])).get(row.contact_id) ?? [],
      visitors: visitors.map((visitor) => ({ id: visitor.id, access: visitor.access, firstTouch: visitor.first_touch, lastTouch: visitor.last_touch, lastSeenAt: new Date(visitor.last_seen_at).toISOString() })),
    },
    items,
  };
}

/**
 * An agent's reply. On the web it is addressed to the browser that wrote last,
 * so that an unverified browser sees the answers to its own messages and
 * nothing else. A messenger reply is stored and queued for delivery (channels/channel-replies.ts).
 */
export async function replyToThread(
  db: Database,
  threadId: string,
  agent: { id: string; name: string },
  text: string,
  channel: string | undefined,
  channels?: ChannelReplies,
  outbox?: DomainEventOutbox,
): Promise<{ item: TimelineItem; site: string; contactId: string }> {
  return db.transaction(async (tx) => {
    const thread = (await tx.query<{ site_id: string; contact_id: string; merged_into: string | null; last_inbound_channel: string | null }>('select site_id, contact_id, merged_into, last_inbound_channel from threads where id = $1 for update', [threadId])).rows[0];
    if (!thread) throw new ThreadlineServerError(404, 'not_found', `no thread ${threadId}`, 'id');
    if (thread.merged_into) throw new ThreadlineServerError(409, 'thread_merged', `thread ${threadId} was merged into ${thread.merged_into}`, 'id');
    const contactId = (await liveContact(tx, thread.contact_id)).id;
    const site = await findSite(tx, thread.site_id);
    // Without a channel the agent answers where the customer last wrote, when that messenger is connected.
    const lastChannel = thread.last_inbound_channel && site && channels?.connected(site, thread.last_inbound_channel) ? thread.last_inbound_channel : 'web';
    const target = channel ?? lastChannel;
    if (target !== 'web') {
      const connected = site && channels?.connected(site, target);
      if (!site || !channels || !connected) throw new ThreadlineServerError(422, 'channel_unavailable', `channel "${target}" is not connected for this site`, 'channel');
      await tx.query("update threads set status = 'open', assignee_id = coalesce(assignee_id, $2) where id = $1", [threadId, agent.id]);
      const item = await channels.reply(tx, { site, threadId, contactId, channel: connected, agent, text });
      await outbox?.forSite(site)(tx, { type: 'message.created', site: site.id, contactId, item });
      return { item, site: thread.site_id, contactId };
    }
    // The browser that wrote last and still belongs to this customer: on a shared device the
    // other person's browser may have written here too, and must not receive this answer.
    const lastVisitor = (
      await tx.query<{ visitor_id: string }>(
        `select i.visitor_id from timeline_items i
           join visitors v on v.site_id = i.site_id and v.id = i.visitor_id
           join contacts c on c.id = v.contact_id
          where i.thread_id = $1 and i.direction = 'in' and i.channel = 'web' and coalesce(c.merged_into, c.id) = $2
          order by i.seq desc limit 1`,
        [threadId, contactId],
      )
    ).rows[0];
    if (!lastVisitor) throw new ThreadlineServerError(422, 'no_web_visitor', 'this customer has not written from the website; reply in their channel', 'channel');
    await tx.query("update threads set status = 'open', assignee_id = coalesce(assignee_id, $2) where id = $1", [threadId, agent.id]);
    const item = await appendItem(tx, {
      site: thread.site_id,
      threadId,
      type: 'message',
      channel: 'web',
      direction: 'out',
      visitorId: lastVisitor.visitor_id,
      author: { kind: 'agent', id: agent.id, name: agent.name },
      text,
    });
    await outbox?.forSite(site ?? thread.site_id)(tx, { type: 'message.created', site: thread.site_id, contactId, item });
    return { item, site: thread.site_id, contactId };
  });
}

export async function setThreadState(db: Queryable, threadId: string, change: { status?: 'open' | 'closed'; assigneeId?: string | null }): Promise<{ site: string }> {
  const { rows } = await db.query<{ site_id: string }>(
    `update threads set status = coalesce($2, status), assignee_id = case when $3::boolean then $4::uuid else assignee_id end, updated_at = now()
      where id = $1 and merged_into is null returning site_id`,
    [threadId, change.status ?? null, change.assigneeId !== undefined, change.assigneeId ?? null],
  );
  if (!rows[0]) {
    const merged = (await db.query<{ merged_into: string }>('select merged_into from threads where id = $1 and merged_into is not null', [threadId])).rows[0];
    if (merged) throw new ThreadlineServerError(409, 'thread_merged', `thread ${threadId} was merged into ${merged.merged_into}`, 'id');
    throw new ThreadlineServerError(404, 'not_found', `no thread ${threadId}`, 'id');
  }
  return { site: rows[0].site_id };
}
