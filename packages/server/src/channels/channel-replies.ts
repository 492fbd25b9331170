import type { Queryable } from '../db/database';
import { ThreadlineServerError } from '../errors';
import { findSite, type Site } from '../domain/sites';
import { appendItem, itemColumnsOf, toItem, type TimelineItem } from '../domain/timeline';
import type { Job } from '../jobs/job-queue';
import type { Channel, ChannelContext } from './channel';

const SEND_JOB = 'channel:send';

/** The delivery state an agent sees on a reply sent to a messenger (`payload.delivery`). */
export type DeliveryState =
  | { state: 'queued' }
  | { state: 'sent'; at: string; externalId?: string }
  // Receipts some providers report later (WhatsApp statuses[]): still sent, and now seen.
  | { state: 'delivered' | 'read'; at: string; externalId?: string }
  | { state: 'failed'; at: string; error: string; externalId?: string };

export interface ChannelReplies {
  /** The connected channel by name, when the site has it set up. */
  connected(site: Site, name: string): Channel | undefined;
  /**
   * Appends an agent's reply for a messenger and queues its delivery, inside the
   * reply's transaction: the text is stored even when the provider is down.
   */
  reply(tx: Queryable, reply: { site: Site; threadId: string; contactId: string; channel: Channel; agent: { id: string; name: string }; text: string }): Promise<TimelineItem>;
  /** Sends queued replies soon (after the reply's commit). */
  kick(): void;
}

/**
 * Routes agent replies to messengers through the job queue: one `channel:send`
 * job per reply item (deduplicated by item id), the item's `payload.delivery`
 * tracking queued → sent | failed, and a dead job leaving the text in the thread
 * marked failed for the agent to retry (POST /api/v1/jobs/:id/retry).
 */
export function createChannelReplies(context: ChannelContext, channels: readonly Channel[]): ChannelReplies {
  const byName = new Map(channels.map((channel) => [channel.name as string, channel]));

  const loadItem = async (itemId: string) => {
    const row = (await context.db.query<Parameters<typeof toItem>[0] & { site_id: string; contact_id: string }>(
      `select ${itemColumnsOf('i')}, i.site_id, t.contact_id from timeline_items i join threads t on t.id = i.thread_id where i.id = $1`,
      [itemId],
    )).rows[0];
    return row && { item: toItem(row), site: row.site_id, contactId: row.contact_id };
  };

  const setDelivery = async (itemId: string, delivery: DeliveryState, jobId: string) => {
    await context.db.query("update timeline_items set payload = payload || jsonb_build_object('delivery', $2::jsonb, 'jobId', $3::text) where id = $1", [itemId, JSON.stringify(delivery), jobId]);
  };

  context.jobs.register(SEND_JOB, async (job: Job) => {
    const itemId = String(job.payload.itemId);
    const loaded = await loadItem(itemId);
    if (!loaded) return; // the thread was deleted: nothing to deliver
    const delivery = loaded.item.payload.delivery as DeliveryState | undefined;
    if (delivery && delivery.state !== 'queued' && delivery.state !== 'failed') return; // a retried job after a crash between send and this update
    const channel = byName.get(loaded.item.channel);
    const site = await findSite(context.db, loaded.site);
    if (!channel || !site) throw new Error(`channel ${loaded.item.channel} is not available for site ${loaded.site}`);
    // What the customer's last message in this channel left for threading (e-mail Message-ID, subject).
    const last = (await context.db.query<{ payload: Record<string, unknown> }>(
      "select payload from timeline_items where thread_id = $1 and channel = $2 and direction = 'in' order by seq desc limit 1",
      [loaded.item.threadId, loaded.item.channel],
    )).rows[0];
    const sent = await channel.send(
      {
        site,
        threadId: loaded.item.threadId,
        itemId,
        contactId: loaded.contactId,
        text: loaded.item.text ?? '',
        recipient: String(loaded.item.payload.recipient),
        replyContext: (last?.payload.replyContext as Record<string, unknown> | undefined) ?? {},
      },
      context,
    );
    await setDelivery(itemId, { state: 'sent', at: new Date().toISOString(), ...(sent.externalId ? { externalId: sent.externalId } : {}) }, job.id);
    if (sent.context) await context.db.query("update timeline_items set payload = payload || jsonb_build_object('replyContext', $2::jsonb) where id = $1", [itemId, JSON.stringify(sent.context)]);
    context.realtime.threadChanged({ site: site.id, threadId: loaded.item.threadId });
  });

  context.jobs.onDeadLetter(async (job, error) => {
    if (job.kind !== SEND_JOB) return;
    const itemId = String(job.payload.itemId);
    await setDelivery(itemId, { state: 'failed', at: new Date().toISOString(), error }, job.id);
    const loaded = await loadItem(itemId);
    if (loaded) context.realtime.threadChanged({ site: loaded.site, threadId: loaded.item.threadId });
  });

  return {
    connected(site, name) {
      const channel = byName.get(name);
      return channel && channel.isConfigured(site) ? channel : undefined;
    },
    async reply(tx, reply) {
      const recipient = (await tx.query<{ value: string }>(
        'select value from identities where contact_id = $1 and kind = $2 order by verified desc, created_at desc limit 1',
        [reply.contactId, reply.channel.identityKind],
      )).rows[0]?.value;
      if (!recipient) throw new ThreadlineServerError(422, 'no_recipient', `this customer has no ${reply.channel.name} identity to write to`, 'channel');
      const refusal = await reply.channel.checkReply?.(tx, { site: reply.site, threadId: reply.threadId, contactId: reply.contactId, recipient });
      if (refusal) throw new ThreadlineServerError(422, refusal.code, refusal.message, 'channel');
      const item = await appendItem(tx, {
        site: reply.site.id,
        threadId: reply.threadId,
        type: 'message',
        channel: reply.channel.name,
        direction: 'out',
        author: { kind: 'agent', id: reply.agent.id, name: reply.agent.name },
        text: reply.text,
        payload: { recipient, delivery: { state: 'queued' } satisfies DeliveryState },
      });
      const jobId = await context.jobs.enqueue(tx, { site: reply.site.id, kind: SEND_JOB, payload: { itemId: item.id }, dedupeKey: `send:${item.id}` });
      await tx.query("update timeline_items set payload = payload || jsonb_build_object('jobId', $2::text) where id = $1", [item.id, jobId]);
      return { ...item, payload: { ...item.payload, jobId } };
    },
    kick() {
      context.jobs.kick();
    },
  };
}
