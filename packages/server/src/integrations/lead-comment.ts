import type { Site } from '../domain/sites';
import type { LeadRecord } from './lead-record';
import { siteLocale, siteTimeZone, type NoticeLocale } from './site-locale';

const LABELS: Record<NoticeLocale, { call: string; typedPhone: string; page: string }> = {
  en: { call: 'Call', typedPhone: 'Phone as typed', page: 'Page' },
  ru: { call: 'Позвонить', typedPhone: 'Телефон как введён', page: 'Страница' },
  uk: { call: 'Зателефонувати', typedPhone: 'Телефон як введено', page: 'Сторінка' },
  pl: { call: 'Zadzwonić', typedPhone: 'Telefon jak wpisany', page: 'Strona' },
};

/**
 * What a CRM user reads with the lead: the visitor's message, when to call (in
 * the site's time zone), a phone that did not normalise, and custom form fields.
 * Empty when there is nothing beyond the lead's own fields.
 */
export function leadComment(site: Site, lead: LeadRecord): string {
  const labels = LABELS[siteLocale(site)];
  const zone = siteTimeZone(site);
  const lines: string[] = [];
  if (lead.message) lines.push(lead.message);
  if (lead.preferredTime) {
    const from = new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(lead.preferredTime.from));
    const to = new Intl.DateTimeFormat('en-GB', { timeZone: zone, timeStyle: 'short' }).format(new Date(lead.preferredTime.to));
    lines.push(`${labels.call}: ${from} – ${to} (${zone})`);
  }
  if (lead.phoneTyped && !lead.phone) lines.push(`${labels.typedPhone}: ${lead.phoneTyped}`);
  for (const [name, value] of Object.entries(lead.fields ?? {})) lines.push(`${name}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);
  return lines.join('\n');
}
