import * as z from 'zod/mini';
import type { Database } from '../../db/database';
import { findSite, type Site } from '../../domain/sites';
import { failureFromResponse, JobFailure } from '../../jobs/job-failure';
import type { Job } from '../../jobs/job-queue';
import { loadLeadRecord, type LeadRecord } from '../lead-record';
import { providerFetch, retryAfterSeconds, type ProviderResponse } from '../provider-fetch';
import { leadTitle } from '../lead-title';
import { siteLocale } from '../site-locale';
import { leadComment } from '../lead-comment';

export const AMOCRM_JOB_KIND = 'amocrm:lead';

/** `settings.amocrm`: the account, a long-lived token, where leads go (docs/crm.md). */
export const AmoCrmSettingsSchema = z.object({
  /** https://<subdomain>.amocrm.ru (or .amocrm.com / .kommo.com); tests point it elsewhere. */
  baseUrl: z.url({ protocol: /^https?$/ }),
  accessToken: z.string().check(z.minLength(10)),
  pipelineId: z.optional(z.number().check(z.int(), z.positive())),
  /** 'unsorted': into Incoming leads for a manager to accept; 'lead': a lead with the contact found or created. */
  mode: z._default(z.enum(['unsorted', 'lead']), 'unsorted'),
  sourceName: z.optional(z.string().check(z.minLength(1), z.maxLength(255))),
});
export type AmoCrmSettings = z.infer<typeof AmoCrmSettingsSchema>;

/** The site's amoCRM settings, or undefined when it has none (or they are invalid, reported). */
export function amoCrmSettings(site: Site, report: (message: string) => void = () => {}): AmoCrmSettings | undefined {
  if (site.settings['amocrm'] === undefined) return undefined;
  const parsed = AmoCrmSettingsSchema.safeParse(site.settings['amocrm']);
  if (!parsed.success) {
    report(`site ${site.id}: settings.amocrm is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
    return undefined;
  }
  return parsed.data;
}

const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** Contact phone and e-mail: multitext fields addressed by field_code (amoCRM API v4 "Custom fields"). */
function contactFields(lead: LeadRecord) {
  return [
    ...(lead.phone ? [{ field_code: 'PHONE', values: [{ value: lead.phone, enum_code: 'WORK' }] }] : lead.phoneTyped ? [{ field_code: 'PHONE', values: [{ value: lead.phoneTyped, enum_code: 'WORK' }] }] : []),
    ...(lead.email ? [{ field_code: 'EMAIL', values: [{ value: lead.email, enum_code: 'WORK' }] }] : []),
  ];
}

/** The lead's campaign, into amoCRM's tracking fields (field codes UTM_SOURCE … , REFERRER, GCLID, YCLID, FBCLID). */
function trackingFields(lead: LeadRecord) {
  const touch = lead.attribution?.lastTouch;
  const values: [string, string | undefined][] = [
    ['UTM_SOURCE', touch?.utmSource],
    ['UTM_MEDIUM', touch?.utmMedium],
    ['UTM_CAMPAIGN', touch?.utmCampaign],
    ['UTM_TERM', touch?.utmTerm],
    ['UTM_CONTENT', touch?.utmContent],
    ['REFERRER', lead.page?.referrer ?? touch?.referrer],
    ['GCLID', touch?.gclid],
    ['YCLID', touch?.yclid],
    ['FBCLID', touch?.fbclid],
  ];
  return values.filter((entry): entry is [string, string] => Boolean(entry[1])).map(([code, value]) => ({ field_code: code, values: [{ value }] }));
}

/** `POST /api/v4/leads/unsorted/forms` body (https://www.amocrm.ru/developers/content/crm_platform/unsorted-api#unsorted-add-form). */
export function unsortedFormBody(site: Site, settings: AmoCrmSettings, lead: LeadRecord) {
  const tracking = trackingFields(lead);
  return [
    {
      source_uid: lead.id,
      source_name: settings.sourceName ?? site.name,
      ...(settings.pipelineId ? { pipeline_id: settings.pipelineId } : {}),
      created_at: unix(lead.createdAt),
      metadata: {
        form_id: lead.kind,
        form_name: leadTitle(lead, siteLocale(site)),
        form_page: lead.page?.url ?? '',
        ip: lead.ip ?? '',
        form_sent_at: unix(lead.createdAt),
        referer: lead.page?.referrer ?? lead.attribution?.lastTouch.referrer ?? '',
        ...(lead.visitorId ? { visitor_uid: lead.visitorId } : {}),
      },
      _embedded: {
        leads: [{ name: leadTitle(lead, siteLocale(site)), ...(tracking.length > 0 ? { custom_fields_values: tracking } : {}) }],
        contacts: [{ name: lead.name ?? lead.phone ?? lead.email ?? 'Website visitor', custom_fields_values: contactFields(lead) }],
      },
    },
  ];
}

function amoFailure(response: ProviderResponse): JobFailure {
  const problem = response.json as { title?: string; detail?: string } | undefined;
  // 401: the long-lived token expired or was revoked; only a person can issue a new one.
  return failureFromResponse('amoCRM', response.status, problem?.detail ?? problem?.title ?? response.text.slice(0, 300), retryAfterSeconds(response.headers));
}

/**
 * Pushes one website lead into amoCRM: into Incoming leads (unsorted), or as a
 * lead linked to the contact found by phone or e-mail (a new contact otherwise).
 * A lead already pushed is not pushed again (crm_pushes), so a retry after a lost
 * answer does not double it, except in the instant between the two. The visitor's
 * message follows as a note.
 */
export function createAmoCrmPusher(db: Database): (job: Job) => Promise<void> {
  return async (job) => {
    const itemId = String(job.payload['itemId'] ?? '');
    if (!job.site) throw new JobFailure('amoCRM job without a site', { retryable: false });
    const pushed = (await db.query<{ external_id: string; note_pending: boolean }>('select external_id, note_pending from crm_pushes where site_id = $1 and item_id = $2 and crm = $3', [job.site, itemId, 'amocrm'])).rows[0];
    if (pushed && !pushed.note_pending) return;
    const site = await findSite(db, job.site);
    const settings = site && amoCrmSettings(site);
    if (!site || !settings) throw new JobFailure('amoCRM is no longer set up for this site', { retryable: false });
    const lead = await loadLeadRecord(db, site.id, itemId);
    if (!lead) throw new JobFailure(`lead ${itemId} not found`, { retryable: false });

    const api = settings.baseUrl.replace(/\/+$/, '');
    const headers = { authorization: `Bearer ${settings.accessToken}`, 'content-type': 'application/json', accept: 'application/json' };
    const comment = leadComment(site, lead);
    let leadId = pushed?.external_id;
    if (!leadId) {
      leadId = String(await createAmoLead(api, headers, site, settings, lead));
      await db.query('insert into crm_pushes (site_id, item_id, crm, external_id, note_pending) values ($1, $2, $3, $4, $5) on conflict do nothing', [site.id, itemId, 'amocrm', leadId, comment !== '']);
    }
    if (comment === '') return;
    // Neither form metadata nor lead fields carry free text: the visitor's message goes in a common note.
    const note = await providerFetch('amoCRM', `${api}/api/v4/leads/${encodeURIComponent(leadId)}/notes`, { method: 'POST', headers, body: JSON.stringify([{ note_type: 'common', params: { text: comment } }]) });
    if (note.status !== 200) throw amoFailure(note);
    await db.query('update crm_pushes set note_pending = false where site_id = $1 and item_id = $2 and crm = $3', [site.id, itemId, 'amocrm']);
  };
}

/** Creates the lead (incoming or regular) and answers its amoCRM id. */
async function createAmoLead(api: string, headers: Record<string, string>, site: Site, settings: AmoCrmSettings, lead: LeadRecord): Promise<number> {
  if (settings.mode === 'unsorted') {
    const response = await providerFetch('amoCRM', `${api}/api/v4/leads/unsorted/forms`, { method: 'POST', headers, body: JSON.stringify(unsortedFormBody(site, settings, lead)) });
    if (response.status !== 200) throw amoFailure(response);
    const created = response.json as { _embedded?: { unsorted?: { _embedded?: { leads?: { id?: number }[] } }[] } };
    return created._embedded?.unsorted?.[0]?._embedded?.leads?.[0]?.id ?? unexpectedAnswer(response);
  }
  const contactId = await findAmoContact(api, headers, lead);
  const tracking = trackingFields(lead);
  const base = { name: leadTitle(lead, siteLocale(site)), ...(settings.pipelineId ? { pipeline_id: settings.pipelineId } : {}), ...(tracking.length > 0 ? { custom_fields_values: tracking } : {}) };
  if (contactId) {
    // A known customer: a plain lead linked to their contact (POST /api/v4/leads, _embedded.contacts[].id).
    const response = await providerFetch('amoCRM', `${api}/api/v4/leads`, { method: 'POST', headers, body: JSON.stringify([{ ...base, _embedded: { contacts: [{ id: contactId, is_main: true }] } }]) });
    if (response.status !== 200) throw amoFailure(response);
    return (response.json as { _embedded?: { leads?: { id?: number }[] } })._embedded?.leads?.[0]?.id ?? unexpectedAnswer(response);
  }
  // A new one: leads/complex creates lead and contact together and takes part in amoCRM's duplicate control.
  const response = await providerFetch('amoCRM', `${api}/api/v4/leads/complex`, {
    method: 'POST',
    headers,
    body: JSON.stringify([{ ...base, _embedded: { contacts: [{ name: lead.name ?? lead.phone ?? lead.email ?? 'Website visitor', custom_fields_values: contactFields(lead) }] } }]),
  });
  if (response.status !== 200) throw amoFailure(response);
  return (response.json as { id?: number }[])[0]?.id ?? unexpectedAnswer(response);
}

function unexpectedAnswer(response: ProviderResponse): never {
  throw new JobFailure(`amoCRM answered ${response.status} without a lead id: ${response.text.slice(0, 300)}`, { retryable: false });
}

/** The first contact whose fields match the lead's phone (else e-mail); amoCRM answers 204 when nothing matches. */
async function findAmoContact(api: string, headers: Record<string, string>, lead: LeadRecord): Promise<number | undefined> {
  for (const query of [lead.phone, lead.email]) {
    if (!query) continue;
    const response = await providerFetch('amoCRM', `${api}/api/v4/contacts?query=${encodeURIComponent(query)}&limit=1`, { method: 'GET', headers });
    if (response.status === 204) continue;
    if (response.status !== 200) throw amoFailure(response);
    const id = (response.json as { _embedded?: { contacts?: { id?: number }[] } })._embedded?.contacts?.[0]?.id;
    if (id) return id;
  }
  return undefined;
}
