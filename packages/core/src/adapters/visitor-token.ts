import type { SessionContext } from '../adapter';
import { isThreadlineError, ThreadlineError } from '../errors';
import { errorFromResponse } from './http-errors';

/** How `requestVisitorToken` reaches the server. */
export interface VisitorTokenRequest {
  /** Base URL of the Threadline server, without a trailing slash; empty for same origin. */
  endpoint: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  headers?: Record<string, string>;
  /** Clock for Retry-After dates, in epoch milliseconds. */
  now?: () => number;
}

/**
 * Asks a Threadline server for the visitor's token (`POST /api/v1/sessions`), which
 * reading the thread and opening the chat socket need. A failure is a ThreadlineError
 * that already says whether trying again later may help (`isRetryable`).
 * @example
 * const token = await requestVisitorToken({ endpoint: 'https://chat.example.com' }, { site: 'demo', visitorId, sessionId });
 */
export async function requestVisitorToken(request: VisitorTokenRequest, context: Pick<SessionContext, 'site' | 'visitorId'>): Promise<string> {
  let response: Response;
  try {
    response = await (request.fetch ?? fetch)(`${request.endpoint}/api/v1/sessions`, {
      method: 'POST',
      headers: { ...request.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ site: context.site, visitorId: context.visitorId }),
    });
  } catch (cause) {
    throw isThreadlineError(cause) ? cause : new ThreadlineError('network', 'the server could not be reached', { retryable: true, cause });
  }
  const now = request.now ?? Date.now;
  if (!response.ok) throw await errorFromResponse(response, now());
  const body = (await response.json().catch(() => undefined)) as { visitorToken?: unknown } | undefined;
  if (typeof body?.visitorToken !== 'string') throw new ThreadlineError('server', 'the server answered without a visitor token', { retryable: true, status: response.status });
  return body.visitorToken;
}
