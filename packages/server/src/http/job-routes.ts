import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as z from 'zod/mini';
import type { Database } from '../db/database';
import type { Agent } from '../domain/agents';
import { ThreadlineServerError } from '../errors';
import type { JobQueue } from '../jobs/job-queue';
import { parseWith } from './parse-body';

const JobQuerySchema = z.object({
  state: z.optional(z.enum(['queued', 'running', 'done', 'dead'])),
  site: z.optional(z.string().check(z.maxLength(64))),
  kind: z.optional(z.string().check(z.maxLength(64))),
  limit: z.optional(z.string().check(z.regex(/^\d{1,3}$/))),
});
const JobParamsSchema = z.object({ id: z.uuid() });

interface JobRow {
  id: string;
  site_id: string | null;
  kind: string;
  state: string;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  payload: Record<string, unknown>;
  run_at: Date;
  created_at: Date;
  updated_at: Date;
}

const toJob = (row: JobRow) => ({
  id: row.id,
  site: row.site_id,
  kind: row.kind,
  state: row.state,
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  lastError: row.last_error,
  payload: row.payload,
  runAt: new Date(row.run_at).toISOString(),
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

/**
 * The dead-letter view for agents: outbound sends, webhooks and CRM pushes that
 * used every attempt stay visible here with their last error, and can be retried.
 */
export async function registerJobRoutes(app: FastifyInstance, context: { db: Database; jobs: JobQueue; requireAgent: (request: FastifyRequest) => Promise<Agent> }): Promise<void> {
  const { db, jobs, requireAgent } = context;

  app.get('/api/v1/jobs', async (request) => {
    await requireAgent(request);
    const query = parseWith(JobQuerySchema, request.query);
    const { rows } = await db.query<JobRow>(
      `select id, site_id, kind, state, attempts, max_attempts, last_error, payload, run_at, created_at, updated_at from jobs
        where ($1::text is null or state = $1) and ($2::text is null or site_id = $2) and ($3::text is null or kind = $3)
        order by updated_at desc limit $4`,
      [query.state ?? null, query.site ?? null, query.kind ?? null, Math.min(Number(query.limit ?? 50), 200)],
    );
    return { items: rows.map(toJob) };
  });

  app.post('/api/v1/jobs/:id/retry', async (request) => {
    await requireAgent(request);
    const { id } = parseWith(JobParamsSchema, request.params);
    const retried = await jobs.retry(id);
    if (!retried) {
      const exists = (await db.query('select 1 from jobs where id = $1', [id])).rows.length > 0;
      if (!exists) throw new ThreadlineServerError(404, 'not_found', `no job ${id}`, 'id');
      throw new ThreadlineServerError(409, 'not_retryable', 'only a dead or waiting job can be retried', 'id');
    }
    // A messenger reply shows "sending" again while its retry runs.
    await db.query(
      `update timeline_items set payload = payload || '{"delivery":{"state":"queued"}}'::jsonb
        where id = (select (payload->>'itemId')::uuid from jobs where id = $1 and kind = 'channel:send')`,
      [id],
    );
    const row = (await db.query<JobRow>('select id, site_id, kind, state, attempts, max_attempts, last_error, payload, run_at, created_at, updated_at from jobs where id = $1', [id])).rows[0]!;
    return toJob(row);
  });
}
