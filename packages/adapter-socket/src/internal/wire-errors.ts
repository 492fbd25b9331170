import { ThreadlineError, type ThreadlineErrorCode } from '@threadline/core';

/** The `{ code, field?, message }` error a socket ack or an HTTP body carries. */
export interface WireError {
  code: string;
  field?: string;
  message: string;
}

// The server's codes, folded into the SDK's; anything unknown is a refusal.
const CODES: Record<string, ThreadlineErrorCode> = {
  invalid_input: 'invalid_input',
  rate_limited: 'rate_limited',
  unauthorized: 'unauthorized',
  forbidden_origin: 'unauthorized',
  not_found: 'not_found',
  unknown_site: 'not_found',
  server: 'server',
};

/**
 * Decides once whether a refusal is worth retrying (STYLE.md 11): an overloaded
 * or failing server is, a payload the server found wrong is not.
 */
export function errorFromWire(error: WireError | undefined, status?: number): ThreadlineError {
  const code = CODES[error?.code ?? 'server'] ?? 'rejected';
  const retryable = status === undefined ? code === 'rate_limited' || code === 'server' : status === 408 || status === 429 || status >= 500;
  return new ThreadlineError(code, error?.message ?? `the server answered ${String(status)}`, {
    retryable,
    ...(error?.field ? { field: error.field } : {}),
    ...(status === undefined ? {} : { status }),
  });
}

/** A socket that gave no answer: the ack timed out or the connection dropped; either way, send again later. */
export function errorFromSilence(cause: unknown): ThreadlineError {
  const timedOut = cause instanceof Error && /timed out/.test(cause.message);
  return new ThreadlineError(timedOut ? 'timeout' : 'network', timedOut ? 'the server did not answer in time' : 'the connection to the server was lost', { retryable: true, cause });
}
