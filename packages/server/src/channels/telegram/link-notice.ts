import type { LinkOutcome, OfferOutcome } from './deep-links';

/** What the bot says about a "Continue in Telegram" link, in one language. */
export interface LinkTexts {
  /** The question after `/start <token>`: says what linking gives the browser, so a link sent by somebody else is noticed. */
  prompt: string;
  yes: string;
  no: string;
  linked: string;
  declined: string;
  refused: string;
  expired: string;
}

// The widgets' starting locales (DESIGN.md); anything else is answered in English.
const TEXTS: Record<string, LinkTexts> = {
  en: {
    prompt:
      'Link this Telegram chat to your conversation on {site}? Messages from the website and Telegram will then be in one thread, and the browser where this link was opened will see this chat too. If you did not ask for this link on {site} yourself, press No.',
    yes: 'Yes, link',
    no: 'No',
    linked: 'Done: this chat is now connected to your conversation on {site}. Write here, and we answer here.',
    declined: 'Not linked: this chat stays separate from the conversation on {site}.',
    refused: 'This chat could not be linked automatically. A manager will check and answer you here.',
    expired: 'This link has expired or was already used. Please open “Continue in Telegram” on {site} again.',
  },
  uk: {
    prompt:
      'Підключити цей чат Telegram до вашої розмови на {site}? Повідомлення з сайту й Telegram будуть в одній розмові, а браузер, у якому відкрили це посилання, бачитиме і цей чат. Якщо ви не просили це посилання на {site}, натисніть «Ні».',
    yes: 'Так, підключити',
    no: 'Ні',
    linked: 'Готово: цей чат підключено до вашої розмови на {site}. Пишіть сюди — відповімо тут.',
    declined: 'Не підключено: цей чат залишається окремо від розмови на {site}.',
    refused: 'Не вдалося підключити цей чат автоматично. Менеджер перевірить і відповість вам тут.',
    expired: 'Посилання застаріло або вже використане. Відкрийте «Продовжити в Telegram» на {site} ще раз.',
  },
  ru: {
    prompt:
      'Подключить этот чат Telegram к вашему разговору на {site}? Сообщения с сайта и из Telegram будут в одном разговоре, а браузер, в котором открыли эту ссылку, будет видеть и этот чат. Если вы не запрашивали эту ссылку на {site}, нажмите «Нет».',
    yes: 'Да, подключить',
    no: 'Нет',
    linked: 'Готово: этот чат подключён к вашему разговору на {site}. Пишите сюда — ответим здесь.',
    declined: 'Не подключено: этот чат остаётся отдельно от разговора на {site}.',
    refused: 'Не удалось подключить этот чат автоматически. Менеджер проверит и ответит вам здесь.',
    expired: 'Ссылка устарела или уже использована. Откройте «Продолжить в Telegram» на {site} ещё раз.',
  },
  pl: {
    prompt:
      'Połączyć ten czat w Telegramie z Twoją rozmową na {site}? Wiadomości ze strony i z Telegrama będą w jednej rozmowie, a przeglądarka, w której otwarto ten link, zobaczy też ten czat. Jeśli ten link nie pochodzi od Ciebie ze strony {site}, naciśnij „Nie”.',
    yes: 'Tak, połącz',
    no: 'Nie',
    linked: 'Gotowe: ten czat jest połączony z Twoją rozmową na {site}. Pisz tutaj, odpowiemy tutaj.',
    declined: 'Nie połączono: ten czat pozostaje oddzielnie od rozmowy na {site}.',
    refused: 'Nie udało się automatycznie połączyć tego czatu. Konsultant sprawdzi to i odpowie tutaj.',
    expired: 'Link wygasł lub został już użyty. Otwórz ponownie „Kontynuuj w Telegramie” na {site}.',
  },
};

/** The link texts in the Telegram user's language (their `language_code`), the site's name filled in. */
export function linkTexts(languageCode: string | undefined, siteName: string): LinkTexts {
  const texts = TEXTS[(languageCode ?? 'en').slice(0, 2).toLowerCase()] ?? TEXTS.en!;
  return Object.fromEntries(Object.entries(texts).map(([key, text]) => [key, text.replaceAll('{site}', siteName)])) as unknown as LinkTexts;
}

/**
 * What the bot says once a link is settled: joined, turned down, refused for an
 * agent to review, or no longer usable. Undefined while the user is still being
 * asked (`offered`: the prompt says it) and for a plain /start.
 */
export function linkNotice(outcome: OfferOutcome['outcome'] | LinkOutcome['outcome'] | undefined, languageCode: string | undefined, siteName: string): string | undefined {
  if (outcome === undefined || outcome === 'offered') return undefined;
  const texts = linkTexts(languageCode, siteName);
  switch (outcome) {
    case 'linked':
      return texts.linked;
    case 'declined':
      return texts.declined;
    case 'refused':
      return texts.refused;
    default:
      return texts.expired;
  }
}
