import type { Queryable } from '../../db/database';
import { liveContact } from '../../domain/identity-resolution';

/** A Message-ID the channel has seen, with the conversation it belongs to. */
export interface KnownMessage {
  messageId: string;
  threadId: string;
  /** The live contact now holding that conversation (after any merges). */
  contactId: string;
}

/** `<abc@host>` → `abc@host`: headers quote ids in angle brackets, storage does not. */
export function bareMessageId(raw: string): string {
  return raw.trim().replace(/^<+|>+$/g, '').trim();
}

/** Records a Message-ID once (a redelivered or re-sent mail keeps the first record). */
export async function rememberMessageId(
  db: Queryable,
  message: { site: string; messageId: string; direction: 'in' | 'out'; threadId: string; contactId: string; itemId: string; subject?: string },
): Promise<void> {
  await db.query(
    `insert into email_messages (site_id, message_id, direction, thread_id, contact_id, item_id, subject) values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (site_id, message_id) do nothing`,
    [message.site, message.messageId, message.direction, message.threadId, message.contactId, message.itemId, message.subject ?? null],
  );
}

/**
 * The conversation an answer refers to: the newest of its In-Reply-To and
 * References ids that we sent or received. Threads fold into others on merges,
 * so the stored thread is followed to the live one.
 */
export async function findReferencedMessage(db: Queryable, site: string, references: string[]): Promise<KnownMessage | undefined> {
  if (references.length === 0) return undefined;
  const { rows } = await db.query<{ message_id: string; thread_id: string; contact_id: string }>(
    'select message_id, thread_id, contact_id from email_messages where site_id = $1 and message_id = any($2::text[])',
    [site, references],
  );
  // The first id given is the one answered (In-Reply-To comes first, References newest-last is reversed by the caller).
  const known = references.map((id) => rows.find((row) => row.message_id === id)).find((row) => row !== undefined);
  if (!known) return undefined;
  let threadId = known.thread_id;
  for (let hops = 0; hops < 64; hops++) {
    const merged = (await db.query<{ merged_into: string | null }>('select merged_into from threads where id = $1', [threadId])).rows[0]?.merged_into;
    if (!merged) break;
    threadId = merged;
  }
  return { messageId: known.message_id, threadId, contactId: (await liveContact(db, known.contact_id)).id };
}
