import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as z from 'zod/mini';
import type { Database } from '../../db/database';
import type { Agent } from '../../domain/agents';
import { findSite } from '../../domain/sites';
import { ThreadlineServerError } from '../../errors';
import { parseWith } from '../../http/parse-body';
import type { JobQueue } from '../../jobs/job-queue';
import { WEBHOOK_JOB_KIND } from './outgoing-webhooks';
import { webhookEndpoints } from './webhook-settings';

const DeliveryQuerySchema = z.object({
  site: z.string().check(z.minLength(1), z.maxLength(64)),
  endpoint: z.optional(z.string().check(z.maxLength(64))),
  messageId: z.optional(z.string().check(z.maxLength(64))),
  limit: z.optional(z.string().check(z.regex(/^\d{1,3}$/))),
});
const SiteQuerySchema = z.object({ site: z.string().check(z.minLength(1), z.maxLength(64)) });
const MessageParamsSchema = z.object({ messageId: z.string().check(z.regex(/^msg_[A-Za-z0-9_-]{1,60}$/)) });

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  message_id: string;
  event_type: string;
  attempt: number;
  status_code: number | null;
  response_excerpt: string | null;
  error: string | null;
  duration_ms: number;
  delivered: boolean;
  created_at: Date;
}

/**
 * What agents see of outgoing webhooks: every attempt with its answer, the
 * endpoints and whether a 410 disabled them, and redelivery of one message
 * (which also re-enables its endpoint: the agent says it is back).
 */
export async function registerWebhookRoutes(app: FastifyInstance, context: { db: Database; jobs: JobQueue; requireAgent: (request: FastifyRequest) => Promise<Agent> }): Promise<void> {
  const { db, jobs, requireAgent } = context;

  app.get('/api/v1/webhooks/deliveries', async (request) => {
    await requireAgent(request);
    const query = parseWith(DeliveryQuerySchema, request.query);
    const { rows } = await db.query<DeliveryRow>(
      `select id, endpoint_id, message_id, event_type, attempt, status_code, response_excerpt, error, duration_ms, delivered, created_at
         from webhook_deliveries
        where site_id = $1 and ($2::text is null or endpoint_id = $2) and ($3::text is null or message_id = $3)
        order by created_at desc, attempt desc limit $4`,
      [query.site, query.endpoint ?? null, query.messageId ?? null, Math.min(Number(query.limit ?? 50), 200)],
    );
    return {
      items: rows.map((row) => ({
        id: row.id,
        endpointId: row.endpoint_id,
        messageId: row.message_id,
        eventType: row.event_type,
        attempt: row.attempt,
        statusCode: row.status_code,
        responseExcerpt: row.response_excerpt,
        error: row.error,
        durationMs: row.duration_ms,
        delivered: row.delivered,
        createdAt: new Date(row.created_at).toISOString(),
      })),
    };
  });

  app.get('/api/v1/webhooks/endpoints', async (request) => {
    await requireAgent(request);
    const { site: siteId } = parseWith(SiteQuerySchema, request.query);
    const site = await findSite(db, siteId);
    if (!site) throw new ThreadlineServerError(404, 'unknown_site', `no site ${siteId}`, 'site');
    const disabled = new Map(
      (await db.query<{ endpoint_id: string; reason: string; disabled_at: Date }>('select endpoint_id, reason, disabled_at from webhook_disabled_endpoints where site_id = $1', [site.id])).rows.map((row) => [
        row.endpoint_id,
        row,
      ]),
    );
    // The secret stays in the settings: agents see where events go, not how they are signed.
    return {
      items: webhookEndpoints(site).map((endpoint) => {
        const off = disabled.get(endpoint.id);
        return { id: endpoint.id, url: endpoint.url, events: endpoint.events, disabled: Boolean(off), ...(off ? { disabledReason: off.reason, disabledAt: new Date(off.disabled_at).toISOString() } : {}) };
      }),
    };
  });

  app.post('/api/v1/webhooks/messages/:messageId/redeliver', async (request, reply) => {
    await requireAgent(request);
    const { messageId } = parseWith(MessageParamsSchema, request.params);
    const job = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string; site_id: string; state: string; payload: { endpointId?: string } }>(
        'select id, site_id, state, payload from jobs where dedupe_key = $1 and kind = $2 for update',
        [`webhook:${messageId}`, WEBHOOK_JOB_KIND],
      );
      const row = rows[0];
      if (!row) throw new ThreadlineServerError(404, 'not_found', `no webhook message ${messageId}`, 'messageId');
      if (row.state === 'running') throw new ThreadlineServerError(409, 'in_progress', 'this message is being delivered now', 'messageId');
      await tx.query('delete from webhook_disabled_endpoints where site_id = $1 and endpoint_id = $2', [row.site_id, row.payload.endpointId ?? '']);
      await tx.query("update jobs set state = 'queued', attempts = 0, run_at = now(), locked_until = null, last_error = null, updated_at = now() where id = $1", [row.id]);
      return row;
    });
    jobs.kick();
    return reply.status(202).send({ messageId, jobId: job.id, state: 'queued' });
  });
}
