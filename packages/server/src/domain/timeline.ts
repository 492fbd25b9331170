import type { Queryable } from '../db/database';
import { newId } from './ids';

export type ItemType = 'message' | 'lead' | 'event';
export type Direction = 'in' | 'out' | 'system';
export type AuthorKind = 'contact' | 'agent' | 'bot' | 'system';

/** A timeline item as the agent API returns it. */
export interface TimelineItem {
  id: string;
  threadId: string;
  seq: number;
  type: ItemType;
  channel: string;
  direction: Direction;
  visitorId: string | null;
  author: { kind: AuthorKind; id: string | null; name: string | null };
  text: string | null;
  payload: Record<string, unknown>;
  clientId: string | null;
  createdAt: string;
}

interface ItemRow {
  id: string;
  thread_id: string;
  seq: string;
  type: ItemType;
  channel: string;
  direction: Direction;
  visitor_id: string | null;
  author_kind: AuthorKind;
  author_id: string | null;
  author_name: string | null;
  body: string | null;
  payload: Record<string, unknown>;
  client_id: string | null;
  created_at: Date;
}

export const ITEM_COLUMNS = 'id, thread_id, seq, type, channel, direction, visitor_id, author_kind, author_id, author_name, body, payload, client_id, created_at';

/** ITEM_COLUMNS of the table aliased `alias` in a join. */
export const itemColumnsOf = (alias: string): string => ITEM_COLUMNS.split(', ').map((column) => `${alias}.${column}`).join(', ');

export function toItem(row: ItemRow): TimelineItem {
  return {
    id: row.id,
    threadId: row.thread_id,
    seq: Number(row.seq),
    type: row.type,
    channel: row.channel,
    direction: row.direction,
    visitorId: row.visitor_id,
    author: { kind: row.author_kind, id: row.author_id, name: row.author_name },
    text: row.body,
    payload: row.payload,
    clientId: row.client_id,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/**
 * The contact's thread (one customer, one thread): a closed one is reopened by
 * whatever arrives next (unless `reopen` is false: a page event is not a reason
 * to bring a finished conversation back); a contact without one gets it now.
 */
export async function openThreadFor(tx: Queryable, site: string, contactId: string, options: { reopen?: boolean } = {}): Promise<string> {
  const existing = (await tx.query<{ id: string; status: string }>('select id, status from threads where contact_id = $1 and merged_into is null order by created_at desc limit 1 for update', [contactId])).rows[0];
  if (existing) {
    if (existing.status !== 'open' && options.reopen !== false) await tx.query("update threads set status = 'open', updated_at = now() where id = $1", [existing.id]);
    return existing.id;
  }
  // Two requests may open a contact's first thread at once: the unique index keeps one.
  const inserted = await tx.query<{ id: string }>(
    "insert into threads (id, site_id, contact_id) values ($1, $2, $3) on conflict (contact_id) where status = 'open' and merged_into is null do nothing returning id",
    [newId(), site, contactId],
  );
  if (inserted.rows[0]) return inserted.rows[0].id;
  return (await tx.query<{ id: string }>("select id from threads where contact_id = $1 and status = 'open' and merged_into is null", [contactId])).rows[0]!.id;
}

export interface NewItem {
  site: string;
  threadId: string;
  type: ItemType;
  channel: string;
  direction: Direction;
  visitorId?: string;
  author: { kind: AuthorKind; id?: string; name?: string };
  text?: string;
  payload?: Record<string, unknown>;
  clientId?: string;
  externalId?: string;
}

/** Appends an item at the thread's next seq (the row lock on the thread serialises writers per thread). */
export async function appendItem(tx: Queryable, item: NewItem): Promise<TimelineItem> {
  const { rows } = await tx.query<{ last_seq: string }>(
    // A page event takes a place in the timeline but does not move the thread up the agents' list.
    `update threads set last_seq = last_seq + 1, updated_at = now(),
            last_item_at = case when $4 = 'event' then last_item_at else now() end,
            last_inbound_channel = case when $2 = 'in' then $3 else last_inbound_channel end
      where id = $1 returning last_seq`,
    [item.threadId, item.direction, item.channel, item.type],
  );
  const seq = rows[0]!.last_seq;
  const inserted = await tx.query<ItemRow>(
    `insert into timeline_items (id, site_id, thread_id, seq, type, channel, direction, visitor_id, author_kind, author_id, author_name, body, payload, client_id, external_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) returning ${ITEM_COLUMNS}`,
    [
      newId(),
      item.site,
      item.threadId,
      seq,
      item.type,
      item.channel,
      item.direction,
      item.visitorId ?? null,
      item.author.kind,
      item.author.id ?? null,
      item.author.name ?? null,
      item.text ?? null,
      JSON.stringify(item.payload ?? {}),
      item.clientId ?? null,
      item.externalId ?? null,
    ],
  );
  return toItem(inserted.rows[0]!);
}

/** An item already written with this client id, for idempotent replays. */
export async function findByClientId(tx: Queryable, site: string, clientId: string): Promise<TimelineItem | undefined> {
  const row = (await tx.query<ItemRow>(`select ${ITEM_COLUMNS} from timeline_items where site_id = $1 and client_id = $2`, [site, clientId])).rows[0];
  return row ? toItem(row) : undefined;
}
