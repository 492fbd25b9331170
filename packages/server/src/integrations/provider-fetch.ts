import { JobFailure } from '../jobs/job-failure';

/** A provider's answer, read whole (bodies are small JSON documents). */
export interface ProviderResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** How long one call to a provider may take before it counts as a network failure, in ms. */
const PROVIDER_TIMEOUT_MS = 15_000;

/**
 * Calls a provider; a network failure or timeout becomes a retryable JobFailure
 * (the provider may come back), everything else is the caller's to judge.
 */
export async function providerFetch(provider: string, url: string, init: RequestInit): Promise<ProviderResponse> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS) });
  } catch (error) {
    throw new JobFailure(`${provider} unreachable: ${error instanceof Error ? error.message : String(error)}`, { retryable: true, cause: error });
  }
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Retry-After in seconds when the provider sent a number. */
export function retryAfterSeconds(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (!value || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
