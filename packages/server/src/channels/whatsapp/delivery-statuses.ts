import type { DeliveryState } from '../channel-replies';
import type { ChannelContext } from '../channel';
import type { WhatsAppStatus } from './webhook-payload';

// Meta may deliver statuses out of order (a "read" before its "delivered"): the state only moves forward.
const RANK: Record<string, number> = { queued: 0, sent: 1, delivered: 2, read: 3 };

function nextState(current: DeliveryState, status: WhatsAppStatus, externalId: string): DeliveryState | undefined {
  const at = new Date(Number(status.timestamp) * 1000).toISOString();
  if (current.state === 'failed') return undefined;
  if (status.status === 'failed') {
    const reason = status.errors?.[0];
    const error = reason ? `WhatsApp error ${reason.code}: ${reason.error_data?.details ?? reason.message ?? reason.title ?? 'failed'}` : 'WhatsApp reported the message as failed';
    return { state: 'failed', at, error, externalId };
  }
  if (status.status !== 'sent' && status.status !== 'delivered' && status.status !== 'read') return undefined; // "deleted", "warning"…
  return RANK[status.status]! > RANK[current.state]! ? { state: status.status, at, externalId } : undefined;
}

/**
 * Moves our reply's `payload.delivery` along sent → delivered → read (or to failed,
 * with WhatsApp's reason) from a webhook status, matched by the wamid the send call
 * returned. A status for a message Threadline did not send (another tool on the same
 * number) matches nothing and is ignored. Resolves with the thread to refresh.
 */
export async function applyDeliveryStatus(context: Pick<ChannelContext, 'db'>, site: string, status: WhatsAppStatus): Promise<string | undefined> {
  return context.db.transaction(async (tx) => {
    const row = (await tx.query<{ id: string; thread_id: string; delivery: DeliveryState | null }>(
      `select id, thread_id, payload->'delivery' as delivery from timeline_items
        where site_id = $1 and channel = 'whatsapp' and direction = 'out' and payload->'delivery'->>'externalId' = $2
        for update`,
      [site, status.id],
    )).rows[0];
    if (!row?.delivery) return undefined;
    const next = nextState(row.delivery, status, status.id);
    if (!next) return undefined;
    await tx.query("update timeline_items set payload = jsonb_set(payload, '{delivery}', $2::jsonb) where id = $1", [row.id, JSON.stringify(next)]);
    return row.thread_id;
  });
}
