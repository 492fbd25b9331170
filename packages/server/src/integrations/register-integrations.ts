import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ChannelContext } from '../channels/channel';
import type { Agent } from '../domain/agents';
import { findSite } from '../domain/sites';
import type { DomainEvent } from '../domain-events';
import { ITEM_COLUMNS, toItem } from '../domain/timeline';
import { AMOCRM_JOB_KIND, amoCrmSettings, createAmoCrmPusher } from './amocrm/amocrm';
import { BITRIX24_JOB_KIND, bitrix24Settings, createBitrix24Pusher } from './bitrix24/bitrix24';
import { leadRecordFromItem } from './lead-record';
import { createSmsNoticeSender, SMS_JOB_KIND, smsNoticeFor, smsSettings } from './sms/sms-notices';
import { createWebhookDeliverer, enqueueWebhooks, WEBHOOK_JOB_KIND } from './webhooks/outgoing-webhooks';
import { webhookEventFor } from './webhooks/webhook-payloads';
import { registerWebhookRoutes } from './webhooks/webhook-routes';

/** The `sites.settings` keys this module reads; a site with none of them costs one lookup per event. */
const INTEGRATION_KEYS = ['webhooks', 'amocrm', 'bitrix24', 'sms'] as const;
const CRM_MAX_ATTEMPTS = 40;
/** How far back the start-up catch-up looks, in minutes: long enough for a restart, short enough not to text yesterday's leads. */
const DEFAULT_CATCH_UP_MINUTES = 15;
const SMS_MAX_ATTEMPTS = 8;

/**
 * Wires the outbound integrations: outgoing webhooks on every domain event, and
 * for each new website lead a CRM push (amoCRM, Bitrix24) and an SMS notice
 * when the site set them up. Everything goes through the job queue after the
 * lead's commit: a provider that is down delays its own job, never the lead.
 */
export async function registerIntegrations(app: FastifyInstance, context: ChannelContext, requireAgent: (request: FastifyRequest) => Promise<Agent>): Promise<void> {
  const { db, jobs, events } = context;
  const report = (message: string) => app.log.warn(message);
  jobs.register(WEBHOOK_JOB_KIND, createWebhookDeliverer(db));
  jobs.register(AMOCRM_JOB_KIND, createAmoCrmPusher(db));
  jobs.register(BITRIX24_JOB_KIND, createBitrix24Pusher(db));
  jobs.register(SMS_JOB_KIND, createSmsNoticeSender(db));

  async function onEvent(event: DomainEvent): Promise<void> {
    const site = await findSite(db, event.site);
    if (!site || !INTEGRATION_KEYS.some((key) => site.settings[key] !== undefined)) return;
    const webhookEvent = await webhookEventFor(db, event);
    const queued = await db.transaction(async (tx) => {
      let count = webhookEvent ? await enqueueWebhooks(tx, jobs, site, webhookEvent, report) : 0;
      if (event.type !== 'lead.created') return count;
      const itemId = event.item.id;
      // A CRM may be down for a maintenance night: 40 attempts span 7.5–15 hours.
      if (amoCrmSettings(site, report)) count += (await jobs.enqueue(tx, { site: site.id, kind: AMOCRM_JOB_KIND, payload: { itemId }, dedupeKey: `amocrm:${itemId}`, maxAttempts: CRM_MAX_ATTEMPTS })) ? 1 : 0;
      if (bitrix24Settings(site, report)) count += (await jobs.enqueue(tx, { site: site.id, kind: BITRIX24_JOB_KIND, payload: { itemId }, dedupeKey: `bitrix24:${itemId}`, maxAttempts: CRM_MAX_ATTEMPTS })) ? 1 : 0;
      const sms = smsSettings(site, report);
      const notice = sms && smsNoticeFor(sms, leadRecordFromItem(event.item, event.contactId));
      // A notice that arrives hours late is worse than none: 8 attempts span 2–4 minutes.
      if (notice) count += (await jobs.enqueue(tx, { site: site.id, kind: SMS_JOB_KIND, payload: { itemId, notice }, dedupeKey: `sms:${itemId}`, maxAttempts: SMS_MAX_ATTEMPTS })) ? 1 : 0;
      return count;
    });
    if (queued > 0) jobs.kick();
  }

  events.on(onEvent);
  await registerWebhookRoutes(app, { db, jobs, requireAgent });

  // Integrations are queued after the lead's commit: a process that died in between left its
  // recent leads and messages without jobs. Queueing them again at start is safe, because every
  // job's dedupe key is derived from the item.
  const minutes = Number(context.env['THREADLINE_INTEGRATIONS_CATCH_UP_MINUTES'] ?? DEFAULT_CATCH_UP_MINUTES);
  if (Number.isFinite(minutes) && minutes > 0) {
    // Item ids are UUID v7 (domain/ids.ts): the smallest id of that instant bounds the scan on the primary key.
    const since = (Date.now() - minutes * 60_000).toString(16).padStart(12, '0');
    const { rows } = await db.query<Parameters<typeof toItem>[0] & { site_id: string; contact_id: string }>(
      `select ${ITEM_COLUMNS}, site_id, (select contact_id from threads where threads.id = thread_id) as contact_id
         from timeline_items where id >= $1::uuid and type in ('lead', 'message') order by id`,
      [`${since.slice(0, 8)}-${since.slice(8, 12)}-7000-8000-000000000000`],
    );
    for (const row of rows) {
      const item = toItem(row);
      await onEvent({ type: item.type === 'lead' ? 'lead.created' : 'message.created', site: row.site_id, contactId: row.contact_id, item }).catch((error: unknown) => app.log.error(error));
    }
  }
}
