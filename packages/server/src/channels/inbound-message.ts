import type { IdentityClaim, MergeRecord } from '../domain/identity-resolution';
import { lockKeys, resolveContact } from '../domain/identity-resolution';
import { newId } from '../domain/ids';
import { transactionWithRetry } from '../domain/retry-transaction';
import type { Site } from '../domain/sites';
import { appendItem, itemColumnsOf, openThreadFor, toItem, type TimelineItem } from '../domain/timeline';
import type { ChannelContext, ChannelName } from './channel';

/** A file that came with a messenger message. */
export interface InboundAttachment {
  fileName?: string;
  mimeType?: string;
  sizeBytes?: number;
  /** The provider's handle (Telegram file_id, WhatsApp media id) to fetch it later. */
  externalRef?: string;
  /** The bytes, when the channel has them at hand (e-mail). */
  content?: Buffer;
}

/** One thing a customer wrote in a messenger, as a channel module hands it over. */
export interface InboundMessage {
  site: Site;
  channel: ChannelName;
  /**
   * Unique per provider message within the site, prefixed with the channel
   * (`telegram:<chat id>:<message id>`); the same id again is a duplicate delivery and is ignored.
   */
  externalId: string;
  /** Who wrote: the messenger's own sender id (verified) and anything it proves (a shared contact's phone). */
  claims: IdentityClaim[];
  name?: string;
  text?: string;
  /** Channel details kept with the item; `replyContext` is handed back to `send` for replies (e-mail threading). */
  payload?: Record<string, unknown>;
  attachments?: InboundAttachment[];
  /** An `event` (contact shared, edit) is a timeline fact, not a chat line. Default `message`. */
  type?: 'message' | 'event';
  /** When the provider says it was written. */
  sentAt?: Date;
}

export interface InboundResult {
  created: boolean;
  contactId: string;
  threadId: string;
  item: TimelineItem;
  merges: MergeRecord[];
}

/**
 * Files a messenger message into the customer's one thread: resolves the
 * sender's identities into a contact (a verified phone joins website leads with
 * that phone, research/backend.md §9), appends the item once per external id,
 * queues its reactions (outgoing webhooks) in the same transaction, then tells agents.
 */
export async function recordInboundMessage(context: Pick<ChannelContext, 'db' | 'realtime' | 'events'>, message: InboundMessage): Promise<InboundResult> {
  const site = message.site.id;
  const result = await transactionWithRetry(context.db, async (tx) => {
    await lockKeys(tx, [`external:${site}:${message.externalId}`]);
    const existing = (await tx.query<Parameters<typeof toItem>[0] & { contact_id: string }>(
      `select ${itemColumnsOf('i')}, t.contact_id
         from timeline_items i join threads t on t.id = i.thread_id
        where i.site_id = $1 and i.external_id = $2`,
      [site, message.externalId],
    )).rows[0];
    if (existing) return { created: false, contactId: existing.contact_id, threadId: existing.thread_id, item: toItem(existing), merges: [] as MergeRecord[] };

    const resolution = await resolveContact(tx, site, undefined, message.claims, `channel:${message.channel}`);
    if (message.name) await tx.query('update contacts set name = coalesce(name, $2), updated_at = now() where id = $1', [resolution.contactId, message.name]);
    const threadId = await openThreadFor(tx, site, resolution.contactId);
    const item = await appendItem(tx, {
      site,
      threadId,
      type: message.type ?? 'message',
      channel: message.channel,
      direction: 'in',
      author: { kind: 'contact', ...(message.name ? { name: message.name } : {}) },
      ...(message.text !== undefined ? { text: message.text } : {}),
      payload: {
        ...(message.payload ?? {}),
        ...(message.sentAt ? { sentAt: message.sentAt.toISOString() } : {}),
        ...(message.attachments?.length ? { attachments: message.attachments.map(({ content: _content, ...meta }) => meta) } : {}),
      },
      externalId: message.externalId,
    });
    for (const attachment of message.attachments ?? []) {
      await tx.query(
        'insert into attachments (id, site_id, item_id, channel, file_name, mime_type, size_bytes, external_ref, content) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [newId(), site, item.id, message.channel, attachment.fileName ?? null, attachment.mimeType ?? null, attachment.sizeBytes ?? attachment.content?.length ?? null, attachment.externalRef ?? null, attachment.content ?? null],
      );
    }
    const recordEvent = context.events.forSite(message.site);
    if (item.type === 'message') await recordEvent(tx, { type: 'message.created', site, contactId: resolution.contactId, item });
    for (const merge of resolution.merges) await recordEvent(tx, { type: 'contact.merged', site, winnerId: merge.winnerId, loserId: merge.loserId });
    return { created: true, contactId: resolution.contactId, threadId, item, merges: resolution.merges };
  });
  if (result.created) {
    context.events.kick();
    context.realtime.itemAdded({ site, contactId: result.contactId, item: result.item });
    for (const merge of result.merges) {
      context.realtime.contactsMerged({ site, winnerId: merge.winnerId, loserId: merge.loserId });
    }
  }
  return result;
}

/**
 * Whether a provider delivery (Telegram update_id, WhatsApp webhook message id) was processed
 * already. Ask before processing and `markDeliveryProcessed` after it succeeded: marking first
 * would lose an update whose processing failed and that the provider then redelivers.
 */
export async function deliveryProcessed(context: Pick<ChannelContext, 'db'>, site: string, channel: ChannelName, deliveryId: string): Promise<boolean> {
  const { rows } = await context.db.query('select 1 from channel_receipts where site_id = $1 and channel = $2 and external_id = $3', [site, channel, deliveryId]);
  return rows.length > 0;
}

export async function markDeliveryProcessed(context: Pick<ChannelContext, 'db'>, site: string, channel: ChannelName, deliveryId: string): Promise<void> {
  await context.db.query('insert into channel_receipts (site_id, channel, external_id) values ($1, $2, $3) on conflict do nothing', [site, channel, deliveryId]);
}
