import type { LinkOutcome } from './deep-links';

type Notice = Record<'linked' | 'expired', string>;

// The widgets' starting locales (DESIGN.md); anything else is answered in English.
const NOTICES: Record<string, Notice> = {
  en: { linked: 'Done: this chat is now connected to your conversation on {site}. Write here, and we answer here.', expired: 'This link has expired or was already used. Please open “Continue in Telegram” on {site} again.' },
  uk: { linked: 'Готово: цей чат підключено до вашої розмови на {site}. Пишіть сюди — відповімо тут.', expired: 'Посилання застаріло або вже використане. Відкрийте «Продовжити в Telegram» на {site} ще раз.' },
  ru: { linked: 'Готово: этот чат подключён к вашему разговору на {site}. Пишите сюда — ответим здесь.', expired: 'Ссылка устарела или уже использована. Откройте «Продолжить в Telegram» на {site} ещё раз.' },
  pl: { linked: 'Gotowe: ten czat jest połączony z Twoją rozmową na {site}. Pisz tutaj, odpowiemy tutaj.', expired: 'Link wygasł lub został już użyty. Otwórz ponownie „Kontynuuj w Telegramie” na {site}.' },
};

/**
 * What the bot says after `/start <token>`: the customer sees in the chat that it
 * is now joined to the website conversation (and would notice a link someone
 * else sent them), or that the link no longer works. Undefined when there is
 * nothing to say (a plain /start, a refused join that an agent will review).
 */
export function linkNotice(outcome: LinkOutcome['outcome'] | undefined, languageCode: string | undefined, siteName: string): string | undefined {
  if (outcome !== 'linked' && outcome !== 'expired' && outcome !== 'unknown') return undefined;
  const notice = NOTICES[(languageCode ?? 'en').slice(0, 2).toLowerCase()] ?? NOTICES.en!;
  return notice[outcome === 'linked' ? 'linked' : 'expired'].replaceAll('{site}', siteName);
}
