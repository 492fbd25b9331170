import * as z from 'zod/mini';
import type { Database } from '../../db/database';
import { findSite, type Site } from '../../domain/sites';
import { failureFromResponse, JobFailure } from '../../jobs/job-failure';
import type { Job } from '../../jobs/job-queue';
import { loadLeadRecord, type LeadRecord } from '../lead-record';
import { leadTitle } from '../lead-title';
import { providerFetch, retryAfterSeconds } from '../provider-fetch';
import { siteLocale } from '../site-locale';
import { leadComment } from '../lead-comment';

export const BITRIX24_JOB_KIND = 'bitrix24:lead';

/** `settings.bitrix24`: an inbound webhook of the portal (Developer resources → Inbound webhook, scope crm). */
export const Bitrix24SettingsSchema = z.object({
  /** https://<portal>.bitrix24.ru/rest/<user>/<code>/ */
  webhookUrl: z.url({ protocol: /^https?$/ }),
});
export type Bitrix24Settings = z.infer<typeof Bitrix24SettingsSchema>;

/** The site's Bitrix24 settings, or undefined when it has none (or they are invalid, reported). */
export function bitrix24Settings(site: Site, report: (message: string) => void = () => {}): Bitrix24Settings | undefined {
  if (site.settings['bitrix24'] === undefined) return undefined;
  const parsed = Bitrix24SettingsSchema.safeParse(site.settings['bitrix24']);
  if (!parsed.success) {
    report(`site ${site.id}: settings.bitrix24 is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
    return undefined;
  }
  return parsed.data;
}

/** Errors Bitrix24 answers for a busy portal: worth waiting for (REST limits: 2 requests/s per portal, with a burst). */
const RETRYABLE_ERRORS = new Set(['QUERY_LIMIT_EXCEEDED', 'OPERATION_TIME_LIMIT', 'INTERNAL_SERVER_ERROR']);

/** Calls one REST method through the webhook; answers `result`, or throws the JobFailure its error deserves. */
async function callBitrix(settings: Bitrix24Settings, method: string, params: Record<string, unknown>): Promise<unknown> {
  const base = settings.webhookUrl.endsWith('/') ? settings.webhookUrl : `${settings.webhookUrl}/`;
  const response = await providerFetch('Bitrix24', `${base}${method}.json`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(params) });
  const body = response.json as { result?: unknown; error?: string; error_description?: string } | undefined;
  if (response.status === 200 && body && !body.error && 'result' in body) return body.result;
  const detail = body?.error ? `${body.error}: ${body.error_description ?? ''}` : response.text.slice(0, 300);
  const retryAfter = retryAfterSeconds(response.headers);
  if (body?.error && RETRYABLE_ERRORS.has(body.error)) throw new JobFailure(`Bitrix24 ${method}: ${detail}`, { retryable: true, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter * 1000 }) });
  // NO_AUTH_FOUND / invalid_token (401), ACCESS_DENIED, a bad field (400): a person must fix the portal or the webhook.
  throw failureFromResponse(`Bitrix24 ${method}`, response.status === 200 ? 400 : response.status, detail, retryAfter);
}

/** The oldest contact with this phone (else e-mail): `crm.duplicate.findbycomm` answers `{CONTACT: [ids]}`, or `[]` when none. */
async function findBitrixContact(settings: Bitrix24Settings, lead: LeadRecord): Promise<number | undefined> {
  const lookups: ['PHONE' | 'EMAIL', string | null][] = [
    ['PHONE', lead.phone],
    ['EMAIL', lead.email],
  ];
  for (const [type, value] of lookups) {
    if (!value) continue;
    const result = (await callBitrix(settings, 'crm.duplicate.findbycomm', { entity_type: 'CONTACT', type, values: [value] })) as { CONTACT?: number[] } | unknown[];
    const ids = Array.isArray(result) ? [] : (result.CONTACT ?? []);
    if (ids.length > 0) return Math.min(...ids.map(Number));
  }
  return undefined;
}

/** `crm.lead.add` fields (https://apidocs.bitrix24.com/api-reference/crm/leads/crm-lead-add.html). */
export function bitrixLeadFields(site: Site, lead: LeadRecord, contactId: number | undefined): Record<string, unknown> {
  const touch = lead.attribution?.lastTouch;
  const comments = leadComment(site, lead);
  const phone = lead.phone ?? lead.phoneTyped;
  return {
    TITLE: leadTitle(lead, siteLocale(site)),
    ...(lead.name ? { NAME: lead.name } : {}),
    ...(phone ? { PHONE: [{ VALUE: phone, VALUE_TYPE: 'WORK' }] } : {}),
    ...(lead.email ? { EMAIL: [{ VALUE: lead.email, VALUE_TYPE: 'WORK' }] } : {}),
    ...(touch?.utmSource ? { UTM_SOURCE: touch.utmSource } : {}),
    ...(touch?.utmMedium ? { UTM_MEDIUM: touch.utmMedium } : {}),
    ...(touch?.utmCampaign ? { UTM_CAMPAIGN: touch.utmCampaign } : {}),
    ...(touch?.utmContent ? { UTM_CONTENT: touch.utmContent } : {}),
    ...(touch?.utmTerm ? { UTM_TERM: touch.utmTerm } : {}),
    SOURCE_ID: 'WEB',
    SOURCE_DESCRIPTION: lead.page?.url ?? site.name,
    ...(comments ? { COMMENTS: comments } : {}),
    ...(contactId ? { CONTACT_ID: contactId } : {}),
  };
}

/**
 * Pushes one website lead into Bitrix24 with `crm.lead.add`; a customer the
 * portal already knows (by phone, else e-mail) gets a repeat lead on their
 * contact (research/backend.md §3.3). Pushed once per lead (crm_pushes).
 */
export function createBitrix24Pusher(db: Database): (job: Job) => Promise<void> {
  return async (job) => {
    const itemId = String(job.payload['itemId'] ?? '');
    if (!job.site) throw new JobFailure('Bitrix24 job without a site', { retryable: false });
    const done = await db.query('select 1 from crm_pushes where site_id = $1 and item_id = $2 and crm = $3', [job.site, itemId, 'bitrix24']);
    if (done.rows.length > 0) return;
    const site = await findSite(db, job.site);
    const settings = site && bitrix24Settings(site);
    if (!site || !settings) throw new JobFailure('Bitrix24 is no longer set up for this site', { retryable: false });
    const lead = await loadLeadRecord(db, site.id, itemId);
    if (!lead) throw new JobFailure(`lead ${itemId} not found`, { retryable: false });

    const contactId = await findBitrixContact(settings, lead);
    const leadId = await callBitrix(settings, 'crm.lead.add', { fields: bitrixLeadFields(site, lead, contactId), params: { REGISTER_SONET_EVENT: 'Y' } });
    await db.query('insert into crm_pushes (site_id, item_id, crm, external_id) values ($1, $2, $3, $4) on conflict do nothing', [site.id, itemId, 'bitrix24', String(leadId)]);
  };
}
