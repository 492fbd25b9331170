import { ThreadlineError, type ThreadlineErrorCode } from '@threadline/core';

/** The `{ code, field?, message }` error a socket ack carries. */
export interface WireError {
  code: string;
  field?: string;
  message: string;
}

// The server's codes the SDK shares, and two it folds; anything unknown is a refusal.
const SHARED = ['invalid_input', 'rate_limited', 'unauthorized', 'not_found', 'server'];
const FOLDED: Record<string, ThreadlineErrorCode> = { forbidden_origin: 'unauthorized', unknown_site: 'not_found' };

/**
 * Decides once whether a refused socket request is worth retrying (STYLE.md 11): an
 * overloaded or failing server is, a payload the server found wrong is not. (HTTP
 * answers, the visitor token's included, go through core's mapping by status.)
 */
export function errorFromWire({ code: wire, field, message }: WireError): ThreadlineError {
  const code = FOLDED[wire] ?? (SHARED.includes(wire) ? (wire as ThreadlineErrorCode) : 'rejected');
  return new ThreadlineError(code, message, { retryable: code === 'rate_limited' || code === 'server', ...(field ? { field } : {}) });
}

/** A socket that gave no answer: the ack timed out or the connection dropped; either way, send again later. */
export function errorFromSilence(cause: unknown): ThreadlineError {
  // socket.io-client's words for an ack that timed out: 'operation has timed out'.
  const timedOut = /timed out/.test(String(cause));
  return new ThreadlineError(timedOut ? 'timeout' : 'network', timedOut ? 'the server did not answer in time' : 'the connection to the server was lost', { retryable: true, cause });
}
