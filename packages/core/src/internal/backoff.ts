/** Shape of the retry schedule; times in milliseconds. */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/** 1 s doubling up to 60 s: a visitor waiting on a chat should not wait minutes once the network is back. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 60_000 };

/**
 * "Full jitter" backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * a uniformly random delay in [0, min(cap, base·2^attempt)], so that many browsers
 * coming back online at once do not hit the server in step. A server's
 * Retry-After is a floor: we never retry earlier than it asked.
 */
export function backoffDelay(attempt: number, random: () => number, retryAfterMs?: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered);
}
