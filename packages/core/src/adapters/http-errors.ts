import { ThreadlineError, type ThreadlineErrorCode } from '../errors';

/** Reads Retry-After (delta-seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const STATUS_CODES: Record<number, ThreadlineErrorCode> = { 401: 'unauthorized', 403: 'unauthorized', 404: 'not_found', 429: 'rate_limited' };

/**
 * Decides once, here, whether a failed response is worth retrying: 408, 429 and
 * 5xx are; other 4xx mean the request itself is wrong and sending it again
 * would fail the same way.
 */
export async function errorFromResponse(response: Response, now: number): Promise<ThreadlineError> {
  const status = response.status;
  const retryable = status === 408 || status === 429 || status >= 500;
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: string; field?: string; message?: string } } | undefined;
  const code: ThreadlineErrorCode =
    STATUS_CODES[status] ?? (status === 408 ? 'timeout' : status >= 500 ? 'server' : status === 400 || status === 413 || status === 422 ? 'invalid_input' : 'rejected');
  const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), now);
  const message = body?.error?.message ?? `the server answered ${status}`;
  return new ThreadlineError(code, message, {
    status,
    retryable,
    ...(body?.error?.field ? { field: body.error.field } : {}),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
