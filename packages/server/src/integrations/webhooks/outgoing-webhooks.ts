import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { Database, Queryable } from '../../db/database';
import { newId } from '../../domain/ids';
import { findSite, type Site } from '../../domain/sites';
import { JobFailure } from '../../jobs/job-failure';
import type { Job, JobQueue } from '../../jobs/job-queue';
import { providerFetch } from '../provider-fetch';
import { webhookHeaders } from './standard-webhooks';
import type { WebhookEvent } from './webhook-payloads';
import { WEBHOOK_EVENT_TYPES, webhookEndpoints } from './webhook-settings';

export const WEBHOOK_JOB_KIND = 'webhook:deliver';
export const WEBHOOK_MAX_ATTEMPTS = 72;

const WebhookJobSchema = z.object({
  endpointId: z.string(),
  messageId: z.string(),
  type: z.enum(WEBHOOK_EVENT_TYPES),
  timestamp: z.string(),
  data: z.record(z.string(), z.unknown()),
});

/** How much of an endpoint's answer the delivery log keeps, in characters. */
const RESPONSE_EXCERPT_CHARS = 500;

/**
 * The message id of one event at one endpoint: derived, not random, so the same
 * event queued twice is one job, and every retry carries the same `webhook-id`
 * (receivers de-duplicate on it, research/backend.md §3.4).
 */
export function webhookMessageId(site: string, endpointId: string, eventKey: string): string {
  return `msg_${createHash('sha256').update(`${site}\n${endpointId}\n${eventKey}`).digest('base64url').slice(0, 27)}`;
}

/** Queues one delivery per endpoint subscribed to the event (disabled endpoints get none). */
export async function enqueueWebhooks(tx: Queryable, jobs: JobQueue, site: Site, event: WebhookEvent, report: (message: string) => void): Promise<number> {
  const endpoints = webhookEndpoints(site, report).filter((endpoint) => endpoint.events.includes(event.body.type));
  if (endpoints.length === 0) return 0;
  const disabled = new Set(
    (await tx.query<{ endpoint_id: string }>('select endpoint_id from webhook_disabled_endpoints where site_id = $1', [site.id])).rows.map((row) => row.endpoint_id),
  );
  let queued = 0;
  for (const endpoint of endpoints) {
    if (disabled.has(endpoint.id)) continue;
    const messageId = webhookMessageId(site.id, endpoint.id, event.key);
    const id = await jobs.enqueue(tx, {
      site: site.id,
      kind: WEBHOOK_JOB_KIND,
      payload: { endpointId: endpoint.id, messageId, ...event.body },
      dedupeKey: `webhook:${messageId}`,
      // Standard Webhooks senders retry for about a day. The queue's backoff reaches its 30-minute
      // cap after about an hour, then waits 15–30 min: 72 attempts span 15–31 hours.
      maxAttempts: WEBHOOK_MAX_ATTEMPTS,
    });
    if (id) queued++;
  }
  return queued;
}

/**
 * Delivers one queued webhook: signs `{type, timestamp, data}` per Standard
 * Webhooks, logs the attempt, and tells the queue what to do next — 2xx done,
 * 410 Gone disables the endpoint, anything else retried (receivers may be down
 * for a while, so 4xx are retried too, as Standard Webhooks senders do).
 */
export function createWebhookDeliverer(db: Database): (job: Job) => Promise<void> {
  return async (job) => {
    const parsed = WebhookJobSchema.safeParse(job.payload);
    if (!parsed.success || !job.site) throw new JobFailure('webhook job payload is malformed', { retryable: false });
    const { endpointId, messageId, ...body } = parsed.data;
    const site = await findSite(db, job.site);
    const endpoint = site && webhookEndpoints(site).find((candidate) => candidate.id === endpointId);
    // The endpoint was removed from the settings since: nobody is waiting for this event any more.
    if (!endpoint) throw new JobFailure(`webhook endpoint ${endpointId} is no longer configured`, { retryable: false });
    const disabled = (await db.query('select 1 from webhook_disabled_endpoints where site_id = $1 and endpoint_id = $2', [job.site, endpointId])).rows.length > 0;
    if (disabled) throw new JobFailure(`webhook endpoint ${endpointId} is disabled (it answered 410 Gone)`, { retryable: false });

    const text = JSON.stringify(body);
    const timestamp = Math.floor(Date.now() / 1000);
    const started = performance.now();
    let status: number | undefined;
    let excerpt: string | undefined;
    let failure: JobFailure | undefined;
    try {
      const response = await providerFetch(`webhook ${endpointId}`, endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Threadline-Webhooks/1', ...webhookHeaders({ id: messageId, timestamp, body: text, secret: endpoint.secret }) },
        body: text,
        redirect: 'manual',
      });
      status = response.status;
      excerpt = response.text.slice(0, RESPONSE_EXCERPT_CHARS);
      if (status === 410) failure = new JobFailure(`webhook endpoint ${endpointId} answered 410 Gone: disabled`, { retryable: false });
      else if (status < 200 || status >= 300) failure = new JobFailure(`webhook endpoint ${endpointId} answered ${status}`, { retryable: true });
    } catch (error) {
      failure = error instanceof JobFailure ? error : new JobFailure(String(error), { retryable: true });
    }
    const durationMs = Math.round(performance.now() - started);
    await db.transaction(async (tx) => {
      await tx.query(
        `insert into webhook_deliveries (id, site_id, endpoint_id, message_id, event_type, attempt, status_code, response_excerpt, error, duration_ms, delivered)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [newId(), job.site, endpointId, messageId, body.type, job.attempt, status ?? null, excerpt ?? null, failure?.message ?? null, durationMs, !failure],
      );
      if (status === 410) {
        await tx.query('insert into webhook_disabled_endpoints (site_id, endpoint_id, reason) values ($1, $2, $3) on conflict do nothing', [job.site, endpointId, '410 Gone']);
      }
    });
    if (failure) throw failure;
  };
}
