import type { Queryable } from '../../db/database';
import type { DomainEvent } from '../../domain-events';
import { leadRecordFromItem } from '../lead-record';
import type { WebhookEventType } from './webhook-settings';

/** What one event becomes on the wire, before signing: Standard Webhooks' `{type, timestamp, data}`. */
export interface WebhookEventBody {
  type: WebhookEventType;
  /** When the event happened (ISO 8601); the same on every retry. */
  timestamp: string;
  data: Record<string, unknown>;
}

/** The body plus the key that names this event for good (the retry-safe message id derives from it). */
export interface WebhookEvent {
  key: string;
  body: WebhookEventBody;
}

/**
 * Turns a domain event into its webhook body. Only what a site's own systems
 * need goes out: never visitor tokens, delivery state or reply context.
 */
export async function webhookEventFor(db: Queryable, event: DomainEvent): Promise<WebhookEvent | undefined> {
  switch (event.type) {
    case 'lead.created': {
      const { ip: _ip, ...lead } = leadRecordFromItem(event.item, event.contactId);
      return { key: `lead.created:${event.item.id}`, body: { type: event.type, timestamp: event.item.createdAt, data: { lead } } };
    }
    case 'message.created': {
      const { item } = event;
      const message = {
        id: item.id,
        threadId: item.threadId,
        contactId: event.contactId,
        channel: item.channel,
        direction: item.direction,
        author: { kind: item.author.kind, name: item.author.name },
        text: item.text,
        createdAt: item.createdAt,
      };
      return { key: `message.created:${item.id}`, body: { type: event.type, timestamp: item.createdAt, data: { message } } };
    }
    case 'contact.merged':
      // A contact is folded once: the pair names the merge for good.
      return { key: `contact.merged:${event.winnerId}:${event.loserId}`, body: { type: event.type, timestamp: new Date().toISOString(), data: { winnerId: event.winnerId, loserId: event.loserId } } };
    case 'thread.closed': {
      // A thread can be closed, reopened and closed again: the close is named by the row's change time.
      const row = (await db.query<{ updated_at: Date }>('select updated_at from threads where id = $1', [event.threadId])).rows[0];
      const closedAt = row ? new Date(row.updated_at).toISOString() : new Date().toISOString();
      return { key: `thread.closed:${event.threadId}:${closedAt}`, body: { type: event.type, timestamp: closedAt, data: { threadId: event.threadId, contactId: event.contactId, closedAt } } };
    }
    default:
      return undefined;
  }
}
