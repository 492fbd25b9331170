import type { Queryable } from '../db/database';
import type { DomainEvent, DomainEventOutbox } from '../domain-events';
import { findSite, type Site } from '../domain/sites';
import type { JobQueue } from '../jobs/job-queue';
import { AMOCRM_JOB_KIND, amoCrmSettings } from './amocrm/amocrm';
import { BITRIX24_JOB_KIND, bitrix24Settings } from './bitrix24/bitrix24';
import { leadRecordFromItem } from './lead-record';
import { SMS_JOB_KIND, smsNoticeFor, smsSettings } from './sms/sms-notices';
import { enqueueWebhooks } from './webhooks/outgoing-webhooks';
import { webhookEventFor } from './webhooks/webhook-payloads';

/** The `sites.settings` keys the integrations read; a site with none of them costs nothing per event. */
const INTEGRATION_KEYS = ['webhooks', 'amocrm', 'bitrix24', 'sms'] as const;
const CRM_MAX_ATTEMPTS = 40;
const SMS_MAX_ATTEMPTS = 8;
/**
 * How long a site read by id is reused, in ms. Settings have no single writer to invalidate a
 * cache (operators edit them in SQL, on any node), so a change reaches the socket path within
 * this time: a message in that window is treated as if it came before the change.
 */
const SITE_CACHE_MS = 5_000;

/** Whether the site set up any outbound integration (read from the settings in memory). */
export function hasIntegrations(site: Site): boolean {
  return INTEGRATION_KEYS.some((key) => site.settings[key] !== undefined);
}

/**
 * The outbox of the outbound integrations: each event's webhook deliveries,
 * and for a new website lead its CRM pushes and SMS notice, become jobs in the
 * transaction that wrote the lead or message. A provider that is down delays
 * its own job, never the write; every job's dedupe key derives from the event,
 * so an event recorded twice is queued once.
 */
export function createIntegrationOutbox(options: { jobs: JobQueue; report?: (message: string) => void; now?: () => number }): DomainEventOutbox {
  const { jobs } = options;
  const report = options.report ?? (() => {});
  const now = options.now ?? Date.now;
  const sites = new Map<string, { site: Site | undefined; readAt: number }>();
  let queuedSinceKick = false;

  async function siteById(tx: Queryable, id: string): Promise<Site | undefined> {
    const cached = sites.get(id);
    if (cached && now() - cached.readAt < SITE_CACHE_MS) return cached.site;
    const site = await findSite(tx, id);
    // Bounded by the number of sites this process writes for.
    sites.set(id, { site, readAt: now() });
    return site;
  }

  async function record(tx: Queryable, site: Site, event: DomainEvent): Promise<number> {
    const webhookEvent = await webhookEventFor(tx, event);
    let count = webhookEvent ? await enqueueWebhooks(tx, jobs, site, webhookEvent, report) : 0;
    if (event.type === 'lead.created') {
      const itemId = event.item.id;
      // A CRM may be down for a maintenance night: 40 attempts span 7.5–15 hours.
      if (amoCrmSettings(site, report)) count += (await jobs.enqueue(tx, { site: site.id, kind: AMOCRM_JOB_KIND, payload: { itemId }, dedupeKey: `amocrm:${itemId}`, maxAttempts: CRM_MAX_ATTEMPTS })) ? 1 : 0;
      if (bitrix24Settings(site, report)) count += (await jobs.enqueue(tx, { site: site.id, kind: BITRIX24_JOB_KIND, payload: { itemId }, dedupeKey: `bitrix24:${itemId}`, maxAttempts: CRM_MAX_ATTEMPTS })) ? 1 : 0;
      const sms = smsSettings(site, report);
      const notice = sms && smsNoticeFor(sms, leadRecordFromItem(event.item, event.contactId));
      // A notice that arrives hours late is worse than none: 8 attempts span 2–4 minutes.
      if (notice) count += (await jobs.enqueue(tx, { site: site.id, kind: SMS_JOB_KIND, payload: { itemId, notice }, dedupeKey: `sms:${itemId}`, maxAttempts: SMS_MAX_ATTEMPTS })) ? 1 : 0;
    }
    if (count > 0) queuedSinceKick = true;
    return count;
  }

  return {
    forSite(site) {
      return async (tx, event) => {
        // Socket messages and agent actions come with an id; HTTP visitor writes and messengers hand over the Site they loaded.
        const loaded = typeof site === 'string' ? await siteById(tx, site) : site;
        if (!loaded || !hasIntegrations(loaded)) return 0;
        return record(tx, loaded, event);
      };
    },
    kick() {
      // A rolled-back transaction may have set the flag: the extra poll finds nothing, harmlessly.
      if (!queuedSinceKick) return;
      queuedSinceKick = false;
      jobs.kick();
    },
  };
}
