import { JobFailure } from '../../jobs/job-failure';
import type { WhatsAppSettings } from './whatsapp-settings';

// Graph API error codes worth another attempt later, from
// https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes:
// 1/2 API unknown/service, 4 app call limit, 80007 WABA rate limit, 130429 throughput
// limit, 131000 "something went wrong", 131016 service unavailable, 131048 spam rate
// limit, 131056 too many messages to one user, 133004 server temporarily unavailable.
// Everything else is final: 131047 re-engagement (outside the 24-hour window), 131026
// undeliverable, 190 expired token, 100 bad parameter … — retrying cannot fix them.
const RETRYABLE_CODES = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 133004]);

/** The Graph API's error object (`{ error: { message, type, code, error_data: { details }, fbtrace_id } }`). */
interface GraphError {
  message?: string;
  code?: number;
  error_subcode?: number;
  error_data?: { details?: string };
}

function graphError(body: unknown): GraphError | undefined {
  const error = (body as { error?: unknown } | null)?.error;
  return typeof error === 'object' && error !== null ? (error as GraphError) : undefined;
}

/** Builds the Cloud API text message for a wa_id (`to`) or a business-scoped user id (`recipient`). */
export function textMessageBody(recipient: string, text: string): Record<string, unknown> {
  // A BSUID ("US.1349…") goes in `recipient`; Meta asks for the phone in `to` when there is one.
  const address = /^\d+$/.test(recipient) ? { to: recipient } : { recipient };
  return { messaging_product: 'whatsapp', recipient_type: 'individual', ...address, type: 'text', text: { body: text, preview_url: false } };
}

/**
 * Sends a free-form text with `POST /{version}/{phone_number_id}/messages` and resolves
 * with the wamid, or throws a JobFailure that says whether to try again.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 */
export async function sendTextMessage(settings: WhatsAppSettings, recipient: string, text: string): Promise<string> {
  const url = `${settings.apiBase}/${settings.apiVersion}/${encodeURIComponent(settings.phoneNumberId)}/messages`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${settings.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(textMessageBody(recipient, text)),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (cause) {
    throw new JobFailure(`WhatsApp API unreachable: ${(cause as Error).message}`, { retryable: true, cause });
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) {
    const wamid = (body as { messages?: { id?: unknown }[] } | undefined)?.messages?.[0]?.id;
    if (typeof wamid === 'string' && wamid !== '') return wamid;
    throw new JobFailure(`WhatsApp API answered ${response.status} without a message id`, { retryable: true });
  }
  const error = graphError(body);
  const detail = error ? `error ${error.code ?? '?'}: ${error.error_data?.details ?? error.message ?? 'no details'}` : `HTTP ${response.status}`;
  const retryAfter = Number(response.headers.get('retry-after') ?? '');
  const retryable = error?.code !== undefined ? RETRYABLE_CODES.has(error.code) || response.status >= 500 : response.status === 408 || response.status === 429 || response.status >= 500;
  throw new JobFailure(`WhatsApp API answered ${response.status}, ${detail}`.slice(0, 2000), { retryable, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}) });
}
