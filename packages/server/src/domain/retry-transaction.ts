import type { Database, Queryable } from '../db/database';

/**
 * Thrown inside a transaction that found a contact merged by a transaction which
 * committed after it was read: the work must start again from fresh rows.
 */
export class ContactChangedError extends Error {
  override readonly name = 'ContactChangedError';
}

// deadlock_detected, serialization_failure: Postgres rolled the transaction back and says so.
const RETRYABLE_CODES = new Set(['40P01', '40001']);
const ATTEMPTS = 5;

function isRetryableConflict(error: unknown): boolean {
  if (error instanceof ContactChangedError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE_CODES.has(code);
}

/**
 * Runs `work` in one transaction and runs it again, from the start, when it lost a
 * race over a contact. The advisory locks serialise requests that name the same
 * identity, but a merge reaches contacts through identities it did not lock (two
 * requests with different phones whose owners were joined by an e-mail), so
 * contact rows cannot be locked in one global order up front. On PGlite
 * transactions never overlap and this never retries. `work` must have no effect
 * outside the database.
 */
export async function transactionWithRetry<T>(db: Database, work: (tx: Queryable) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryableConflict(error)) throw error;
      // A few milliseconds of jitter so that the two victims do not meet again at once.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
