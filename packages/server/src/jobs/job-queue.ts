import type { Database, Queryable } from '../db/database';
import { newId } from '../domain/ids';
import { JobFailure } from './job-failure';

/** A job as its handler sees it. */
export interface Job {
  id: string;
  site: string | null;
  kind: string;
  payload: Record<string, unknown>;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
}

/** What `enqueue` stores. */
export interface NewJob {
  site?: string;
  kind: string;
  payload: Record<string, unknown>;
  /** A job with the same key is not queued twice (webhook event ids, one send per timeline item). */
  dedupeKey?: string;
  /** Earliest start, in ms since the epoch; now when absent. */
  runAt?: number;
  maxAttempts?: number;
}

/** Runs one job; throws (a JobFailure says whether to retry and when) to fail it. */
export type JobHandler = (job: Job) => Promise<void>;

/** Told when a job has used its last attempt: the place to mark a message undelivered. */
export type DeadLetterListener = (job: Job, error: string) => Promise<void> | void;

export interface JobQueueOptions {
  db: Database;
  /** How long to wait between polls when nothing was kicked, in ms. */
  pollIntervalMs?: number;
  /** Delay before attempt n+1 after attempt n failed, in ms (full jitter by default). */
  backoff?: (attempt: number) => number;
  /** A running job whose process died is taken over after this long, in ms. */
  leaseMs?: number;
  /** Jobs claimed per poll. */
  batchSize?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

export interface JobQueue {
  /** Stores a job inside the caller's transaction, so it exists exactly when the write that caused it does. Resolves with its id, or undefined for a duplicate dedupeKey. */
  enqueue(tx: Queryable, job: NewJob): Promise<string | undefined>;
  register(kind: string, handler: JobHandler): void;
  onDeadLetter(listener: DeadLetterListener): () => void;
  /** Starts polling. */
  start(): void;
  /** Runs due jobs soon (after an enqueue in this process). */
  kick(): void;
  /** Runs every job due now and returns how many ran; tests call it to step the queue. */
  runDue(): Promise<number>;
  /** Puts a dead (or failed) job back in the queue with fresh attempts. */
  retry(jobId: string): Promise<boolean>;
  /** Stops polling and waits for running jobs. */
  stop(): Promise<void>;
}

interface JobRow {
  id: string;
  site_id: string | null;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 30 * 60_000;

/** Full-jitter exponential backoff: 2 s, 4 s, 8 s … capped at 30 min (research/backend.md: providers rate-limit bursts). */
export function defaultJobBackoff(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * A durable queue in Postgres. Jobs are claimed with `for update skip locked`,
 * so several server processes share one queue without running a job twice at
 * once; a job whose process died is taken over when its lease runs out. Delivery
 * is at least once: handlers make their effect idempotent (dedupe keys at the
 * provider where it has them).
 * @example
 * const jobs = createJobQueue({ db });
 * jobs.register('telegram:send', async (job) => { ... });
 * await db.transaction((tx) => jobs.enqueue(tx, { kind: 'telegram:send', payload: { itemId } }));
 */
export function createJobQueue(options: JobQueueOptions): JobQueue {
  const { db } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const batchSize = options.batchSize ?? 10;
  const backoff = options.backoff ?? ((attempt: number) => defaultJobBackoff(attempt));
  const now = options.now ?? Date.now;
  const handlers = new Map<string, JobHandler>();
  const deadListeners = new Set<DeadLetterListener>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<number> | undefined;
  let started = false;
  let stopped = false;

  const reportError = options.onError ?? (() => {});

  async function claim(): Promise<JobRow[]> {
    const kinds = [...handlers.keys()];
    if (kinds.length === 0) return [];
    const { rows } = await db.query<JobRow>(
      `update jobs set state = 'running', attempts = attempts + 1, locked_until = $2, updated_at = now()
        where id in (
          select id from jobs
           where kind = any($3::text[])
             and ((state = 'queued' and run_at <= $1) or (state = 'running' and locked_until < $1))
           order by run_at
           limit $4
           for update skip locked)
        returning id, site_id, kind, payload, attempts, max_attempts`,
      [new Date(now()), new Date(now() + leaseMs), kinds, batchSize],
    );
    return rows;
  }

  async function runOne(row: JobRow): Promise<void> {
    const job: Job = { id: row.id, site: row.site_id, kind: row.kind, payload: row.payload, attempt: row.attempts, maxAttempts: row.max_attempts };
    try {
      await handlers.get(row.kind)!(job);
      await db.query("update jobs set state = 'done', locked_until = null, last_error = null, updated_at = now() where id = $1", [row.id]);
    } catch (error) {
      const failure = error instanceof JobFailure ? error : undefined;
      const message = describe(error);
      const final = failure?.retryable === false || row.attempts >= row.max_attempts;
      if (final) {
        await db.query("update jobs set state = 'dead', locked_until = null, last_error = $2, updated_at = now() where id = $1", [row.id, message]);
        for (const listener of deadListeners) {
          try {
            await listener(job, message);
          } catch (listenerError) {
            reportError(listenerError);
          }
        }
      } else {
        const delay = Math.max(failure?.retryAfterMs ?? 0, backoff(row.attempts));
        await db.query("update jobs set state = 'queued', locked_until = null, run_at = $2, last_error = $3, updated_at = now() where id = $1", [row.id, new Date(now() + delay), message]);
      }
    }
  }

  async function runDueOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await claim();
      if (rows.length === 0) return total;
      // One at a time: providers rate-limit per bot/number, and order within a thread matters.
      for (const row of rows) await runOne(row);
      total += rows.length;
    }
  }

  function runDue(): Promise<number> {
    // Overlapping calls share one pass, so a kick during a pass does not run jobs in parallel.
    running ??= runDueOnce().finally(() => {
      running = undefined;
    });
    return running;
  }

  function schedule(delay: number): void {
    if (!started || stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      runDue()
        .catch(reportError)
        .finally(() => schedule(pollIntervalMs));
    }, delay);
    timer.unref?.();
  }

  return {
    async enqueue(tx, job) {
      const id = newId();
      const { rows } = await tx.query<{ id: string }>(
        `insert into jobs (id, site_id, kind, payload, dedupe_key, run_at, max_attempts) values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (dedupe_key) where dedupe_key is not null do nothing returning id`,
        [id, job.site ?? null, job.kind, JSON.stringify(job.payload), job.dedupeKey ?? null, new Date(job.runAt ?? now()), job.maxAttempts ?? 8],
      );
      return rows[0]?.id;
    },
    register(kind, handler) {
      handlers.set(kind, handler);
    },
    onDeadLetter(listener) {
      deadListeners.add(listener);
      return () => deadListeners.delete(listener);
    },
    start() {
      if (started) return;
      started = true;
      schedule(0);
    },
    kick() {
      schedule(0);
    },
    runDue,
    async retry(jobId) {
      const { rows } = await db.query<{ id: string }>(
        "update jobs set state = 'queued', attempts = 0, run_at = $2, locked_until = null, updated_at = now() where id = $1 and state in ('dead', 'queued') returning id",
        [jobId, new Date(now())],
      );
      if (rows[0]) schedule(0);
      return rows.length > 0;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => 0);
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message.slice(0, 2000);
  return String(error).slice(0, 2000);
}
