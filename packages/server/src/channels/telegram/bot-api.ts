import { failureFromResponse, JobFailure } from '../../jobs/job-failure';
import type { TelegramSettings } from './telegram-settings';

/** The Bot API's answer (https://core.telegram.org/bots/api#making-requests). */
type BotApiAnswer<T> = { ok: true; result: T } | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

/**
 * Calls a Bot API method with a JSON body. A refusal becomes a JobFailure that
 * says whether to retry: 429 with `parameters.retry_after` (seconds) is retried
 * no sooner than that, 5xx and network failures with backoff; a 403 ("bot was
 * blocked by the user") or 400 is final. The token never appears in the error.
 */
export async function callBotApi<T>(settings: Pick<TelegramSettings, 'apiBase' | 'botToken'>, method: string, body: Record<string, unknown> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${settings.apiBase}/bot${settings.botToken}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new JobFailure(`Telegram ${method} could not be reached: ${(error as Error).message}`, { retryable: true, cause: error });
  }
  let answer: BotApiAnswer<T> | undefined;
  try {
    answer = (await response.json()) as BotApiAnswer<T>;
  } catch {
    answer = undefined;
  }
  if (answer?.ok === true) return answer.result;
  const status = answer?.error_code ?? response.status;
  const description = answer?.description ?? `HTTP ${response.status} without a Bot API answer`;
  throw failureFromResponse(`Telegram ${method}`, status, description, answer?.parameters?.retry_after);
}
