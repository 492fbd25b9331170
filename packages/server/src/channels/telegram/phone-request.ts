import type { TelegramSettings } from './telegram-settings';

// The widgets' starting locales (DESIGN.md); anything else is answered in English.
const PROMPTS: Record<string, { text: string; button: string }> = {
  en: { text: 'Thank you for writing! Share your phone number so that our manager sees your requests from the website too.', button: '📱 Share my phone number' },
  uk: { text: 'Дякуємо, що написали! Поділіться номером телефону, щоб менеджер бачив і ваші заявки з сайту.', button: '📱 Поділитися номером' },
  ru: { text: 'Спасибо, что написали! Поделитесь номером телефона, чтобы менеджер видел и ваши заявки с сайта.', button: '📱 Поделиться номером' },
  pl: { text: 'Dziękujemy za wiadomość! Udostępnij swój numer telefonu, aby nasz konsultant widział też Twoje zgłoszenia ze strony.', button: '📱 Udostępnij numer' },
};

/**
 * The sendMessage body that asks for the phone: a one-time reply keyboard with a
 * `request_contact` button ("Available in private chats only",
 * https://core.telegram.org/bots/api#keyboardbutton). The site's own text wins
 * over the built-in one in the user's Telegram language.
 */
export function phoneRequestMessage(chatId: string, languageCode: string | undefined, prompt: Exclude<TelegramSettings['askForPhone'], false>): Record<string, unknown> {
  const builtIn = PROMPTS[(languageCode ?? 'en').slice(0, 2).toLowerCase()] ?? PROMPTS.en!;
  return {
    chat_id: chatId,
    text: prompt.text ?? builtIn.text,
    reply_markup: { keyboard: [[{ text: prompt.button ?? builtIn.button, request_contact: true }]], resize_keyboard: true, one_time_keyboard: true },
  };
}
