/**
 * A job's failure with the decision the queue needs: try again (network, 429,
 * 5xx) or give up now (401 bad token, 400 the provider will never accept).
 */
export class JobFailure extends Error {
  readonly retryable: boolean;
  /** The provider's Retry-After, in ms, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { retryable: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'JobFailure';
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Turns a provider's HTTP answer into a JobFailure: 408, 429 and 5xx are worth retrying, other 4xx are not. */
export function failureFromResponse(provider: string, status: number, detail: string, retryAfterSeconds?: number): JobFailure {
  const retryable = status === 408 || status === 429 || status >= 500;
  return new JobFailure(`${provider} answered ${status}: ${detail}`.slice(0, 2000), {
    retryable,
    ...(retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) ? { retryAfterMs: retryAfterSeconds * 1000 } : {}),
  });
}
