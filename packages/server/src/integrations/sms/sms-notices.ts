import * as z from 'zod/mini';
import type { Database } from '../../db/database';
import { findSite, type Site } from '../../domain/sites';
import { JobFailure } from '../../jobs/job-failure';
import type { Job } from '../../jobs/job-queue';
import { loadLeadRecord, type LeadRecord } from '../lead-record';
import { siteLocale, siteTimeZone, type NoticeLocale } from '../site-locale';
import type { SmsProvider } from './sms-provider';
import { createSmsRuProvider } from './sms-ru';

export const SMS_JOB_KIND = 'sms:notice';

/** `settings.sms`: which provider, its key, and which notices the site sends. */
export const SmsSettingsSchema = z.object({
  provider: z.literal('smsru'),
  apiKey: z.string().check(z.minLength(1), z.maxLength(200)),
  /** A sender name approved by the provider; the provider's default when absent. */
  sender: z.optional(z.string().check(z.minLength(1), z.maxLength(11))),
  onLead: z._default(z.boolean(), false),
  onSchedule: z._default(z.boolean(), false),
  apiBase: z.optional(z.url({ protocol: /^https?$/ })),
});
export type SmsSettings = z.infer<typeof SmsSettingsSchema>;

/** The site's SMS settings, or undefined when it has none (or they are invalid, reported). */
export function smsSettings(site: Site, report: (message: string) => void = () => {}): SmsSettings | undefined {
  if (site.settings['sms'] === undefined) return undefined;
  const parsed = SmsSettingsSchema.safeParse(site.settings['sms']);
  if (!parsed.success) {
    report(`site ${site.id}: settings.sms is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
    return undefined;
  }
  return parsed.data;
}

/** The provider the settings name (one today; the interface is what the notices depend on). */
export function smsProviderFor(settings: SmsSettings): SmsProvider {
  return createSmsRuProvider({ apiKey: settings.apiKey, ...(settings.sender ? { sender: settings.sender } : {}), ...(settings.apiBase ? { apiBase: settings.apiBase } : {}) });
}

export type SmsNotice = 'received' | 'scheduled';

/**
 * Which notice a new lead gets: "we'll call at …" when it asks for a time and
 * the site sends those, otherwise "we got your request" when the site sends
 * that; none without a phone that normalised to E.164 (a typo'd number would
 * text a stranger).
 */
export function smsNoticeFor(settings: SmsSettings, lead: Pick<LeadRecord, 'phone' | 'preferredTime'>): SmsNotice | undefined {
  if (!lead.phone) return undefined;
  if (lead.preferredTime && settings.onSchedule) return 'scheduled';
  if (settings.onLead) return 'received';
  return undefined;
}

const INTL_LOCALES: Record<NoticeLocale, string> = { en: 'en-GB', ru: 'ru-RU', uk: 'uk-UA', pl: 'pl-PL' };

const RECEIVED: Record<NoticeLocale, (site: string) => string> = {
  en: (site) => `${site}: we got your request and will get back to you soon.`,
  ru: (site) => `${site}: мы получили вашу заявку и скоро свяжемся с вами.`,
  uk: (site) => `${site}: ми отримали вашу заявку і скоро з вами зв'яжемося.`,
  pl: (site) => `${site}: otrzymaliśmy Twoje zgłoszenie i wkrótce się odezwiemy.`,
};

const SCHEDULED: Record<NoticeLocale, (site: string, day: string, time: string) => string> = {
  en: (site, day, time) => `${site}: we'll call you on ${day} at ${time}.`,
  ru: (site, day, time) => `${site}: перезвоним вам ${day} в ${time}.`,
  uk: (site, day, time) => `${site}: зателефонуємо вам ${day} о ${time}.`,
  pl: (site, day, time) => `${site}: zadzwonimy ${day} o ${time}.`,
};

/** The notice's text in the site's language, the call time in the site's time zone (24-hour clock). */
export function smsNoticeText(notice: SmsNotice, site: Pick<Site, 'name'>, locale: NoticeLocale, timeZone: string, preferredFrom?: string): string {
  if (notice === 'received' || !preferredFrom) return RECEIVED[locale](site.name);
  const at = new Date(preferredFrom);
  const day = new Intl.DateTimeFormat(INTL_LOCALES[locale], { timeZone, day: 'numeric', month: 'long' }).format(at);
  const time = new Intl.DateTimeFormat(INTL_LOCALES[locale], { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return SCHEDULED[locale](site.name, day, time);
}

/** Sends one queued notice; the provider decides what a failure means (JobFailure). */
export function createSmsNoticeSender(db: Database, providerFor: (settings: SmsSettings) => SmsProvider = smsProviderFor): (job: Job) => Promise<void> {
  return async (job) => {
    const itemId = String(job.payload['itemId'] ?? '');
    const notice = job.payload['notice'] === 'scheduled' ? 'scheduled' : 'received';
    if (!job.site) throw new JobFailure('SMS job without a site', { retryable: false });
    const site = await findSite(db, job.site);
    const settings = site && smsSettings(site);
    if (!site || !settings) throw new JobFailure('SMS is no longer set up for this site', { retryable: false });
    const lead = await loadLeadRecord(db, site.id, itemId);
    if (!lead?.phone) throw new JobFailure(`lead ${itemId} has no phone to text`, { retryable: false });
    const text = smsNoticeText(notice, site, siteLocale(site), siteTimeZone(site), lead.preferredTime?.from);
    await providerFor(settings).send({ to: lead.phone, text });
  };
}
