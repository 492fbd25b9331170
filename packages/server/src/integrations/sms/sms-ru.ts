import { failureFromResponse, JobFailure } from '../../jobs/job-failure';
import { providerFetch } from '../provider-fetch';
import type { SmsProvider } from './sms-provider';

/** Status codes SMS.ru documents as temporary (https://sms.ru/api/send): 220 service unavailable, 231 per-minute repeat limit. */
const TEMPORARY_CODES = new Set([220, 231]);

interface SmsRuStatus {
  status?: string;
  status_code?: number;
  status_text?: string;
  sms_id?: string;
}

interface SmsRuAnswer extends SmsRuStatus {
  sms?: Record<string, SmsRuStatus>;
}

/**
 * SMS.ru (https://sms.ru/api/send): `POST /sms/send` with `api_id`, `to` (digits,
 * no "+"), `msg`, `json=1` and an optional approved `from`; it answers 200 with a
 * status per request and per number. Delivers to RU, UA, PL and most countries.
 */
export function createSmsRuProvider(options: { apiKey: string; sender?: string; apiBase?: string }): SmsProvider {
  const base = (options.apiBase ?? 'https://sms.ru').replace(/\/+$/, '');
  return {
    name: 'smsru',
    async send({ to, text }) {
      const number = to.replace(/^\+/, '');
      const form = new URLSearchParams({ api_id: options.apiKey, to: number, msg: text, json: '1', ...(options.sender ? { from: options.sender } : {}) });
      const response = await providerFetch('SMS.ru', `${base}/sms/send`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
      if (response.status !== 200) throw failureFromResponse('SMS.ru', response.status, response.text.slice(0, 300));
      const answer = response.json as SmsRuAnswer | undefined;
      if (!answer) throw new JobFailure('SMS.ru answered something other than JSON', { retryable: true });
      const result: SmsRuStatus | undefined = answer.status === 'OK' ? answer.sms?.[number] : answer;
      if (result?.status === 'OK' && result.sms_id) return { externalId: result.sms_id };
      const code = result?.status_code ?? answer.status_code ?? 0;
      // 200 wrong api_id, 201 no money, 202 wrong number, 207 number not allowed …: a person has to act.
      throw new JobFailure(`SMS.ru refused (${code}): ${result?.status_text ?? answer.status_text ?? 'no reason given'}`, { retryable: TEMPORARY_CODES.has(code) });
    },
  };
}
