import type { Queryable } from '../../db/database';
import type { ReplyRefusal } from '../channel';

/** How long after the customer's last message a business may write free-form text. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Refuses a free-form reply outside WhatsApp's 24-hour customer-service window
 * (research/backend.md §4.2: "free-form replies are allowed only within 24 h of the
 * user's last inbound message; otherwise use an approved template"). Meta would
 * answer 131047 anyway; refusing here tells the agent at once, before anything is
 * stored or queued. The window opens at the time WhatsApp stamped the message.
 */
export async function checkReplyWindow(tx: Queryable, threadId: string, now: number): Promise<ReplyRefusal | undefined> {
  const last = (await tx.query<{ at: Date | string | null }>(
    `select max(coalesce((payload->>'sentAt')::timestamptz, created_at)) as at
       from timeline_items where thread_id = $1 and channel = 'whatsapp' and direction = 'in'`,
    [threadId],
  )).rows[0]?.at;
  if (!last) {
    return { code: 'template_required', message: 'this customer has not written on WhatsApp yet: only an approved message template can start the conversation' };
  }
  const lastAt = new Date(last).getTime();
  if (now - lastAt <= CUSTOMER_SERVICE_WINDOW_MS) return undefined;
  const hours = Math.floor((now - lastAt) / 3_600_000);
  return {
    code: 'template_required',
    message: `the customer last wrote on WhatsApp ${hours} h ago; outside the 24-hour window WhatsApp only delivers an approved message template`,
  };
}
