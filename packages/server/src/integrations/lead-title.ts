import type { LeadKind } from '@threadline/core';
import type { LeadRecord } from './lead-record';
import type { NoticeLocale } from './site-locale';

const KIND_TITLES: Record<NoticeLocale, Record<LeadKind, string>> = {
  en: { callback: 'Callback request', form: 'Website form', 'offline-message': 'Message left on the website' },
  ru: { callback: 'Заказ обратного звонка', form: 'Заявка с сайта', 'offline-message': 'Сообщение с сайта' },
  uk: { callback: 'Замовлення зворотного дзвінка', form: 'Заявка з сайту', 'offline-message': 'Повідомлення з сайту' },
  pl: { callback: 'Prośba o oddzwonienie', form: 'Formularz ze strony', 'offline-message': 'Wiadomość ze strony' },
};

/** The lead's title in a CRM list: its kind and who sent it, e.g. "Заказ обратного звонка: Olena". */
export function leadTitle(lead: LeadRecord, locale: NoticeLocale): string {
  const who = lead.name ?? lead.phone ?? lead.phoneTyped ?? lead.email;
  return who ? `${KIND_TITLES[locale][lead.kind]}: ${who}` : KIND_TITLES[locale][lead.kind];
}
